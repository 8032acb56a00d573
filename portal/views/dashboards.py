"""The dashboards: a province's communes at a glance and one commune against the province, each in a
public version (served from the page cache) and a staff version (DoHA and the leader for the province;
whoever works on the commune for the commune). Composed here from the apps' figures."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_safe

from communes.models import Commune, Province
from core import pagecache
from core.permissions import commune_permission_required, province_permission_required
from portal.dashboards import pages
from portal.dashboards.figures import CommuneFigures, Sums, commune_months, province_figures_cached, unit_name
from portal.dashboards.forms import PeriodForm
from portal.rules import VIEW_COMMUNE_DASHBOARD, VIEW_PROVINCE_DASHBOARD

QUERY = ["start", "end", "sort", "order"]


def _sort(params) -> tuple[str, bool]:
    sort = params.get("sort", "")
    sort = sort if sort in pages.SORTS else pages.DEFAULT_SORT
    # Names read A to Z; figures from the highest down, unless the reader turns the order round.
    descending = params.get("order", "") == "desc" if sort in ("name", "district") else params.get("order") != "asc"
    return sort, descending


def _province_context(province: Province, params, *, public: bool) -> dict:
    form = PeriodForm(params)
    period = form.period()
    figures = province_figures_cached(province=province, period=period, staff=not public)
    sort, descending = _sort(params)
    return {
        "province": province,
        "form": form,
        "period": period,
        "figures": figures,
        "public": public,
        "tiles": pages.tiles(figures.total, public=public),
        "charts": pages.province_charts(figures, public=public),
        "rows": pages.table(figures, public=public, sort=sort, descending=descending),
        "columns": pages.COLUMNS,
        "sort": sort,
        "descending": descending,
    }


def _commune_context(commune: Commune, params, *, public: bool) -> dict:
    form = PeriodForm(params)
    period = form.period()
    figures = province_figures_cached(province=commune.province, period=period, staff=not public)
    # A commune that did not exist in the period has no figures of its own in it.
    row = figures.commune(commune.pk) or CommuneFigures(commune, unit_name(commune, period.name_day), "", Sums())
    return {
        "commune": commune,
        "province": commune.province,
        "form": form,
        "period": period,
        "figures": figures,
        "row": row,
        "public": public,
        "tiles": pages.tiles(row.sums, public=public, figures=figures),
        "charts": pages.month_charts(
            commune_months(commune=commune, period=period), period.months, figures.factors, public=public
        ),
    }


@require_safe
def province_dashboard(request, pk: int):
    def build():
        try:
            province = Province.objects.get(pk=pk)
        except Province.DoesNotExist as error:
            raise Http404 from error
        return _province_context(province, request.GET, public=True)

    return pagecache.cached_page(
        request, "portal/dashboards/province_dashboard.html", build, scopes=["site"], query=QUERY
    )


@require_safe
def commune_dashboard(request, pk: int):
    def build():
        try:
            commune = Commune.objects.select_related("province", "district").get(pk=pk)
        except Commune.DoesNotExist as error:
            raise Http404 from error
        return _commune_context(commune, request.GET, public=True)

    return pagecache.cached_page(
        request, "portal/dashboards/commune_dashboard.html", build, scopes=["site"], query=QUERY
    )


@province_permission_required(VIEW_PROVINCE_DASHBOARD)
@require_safe
def province_dashboard_staff(request, province):
    # Checked above; what the page shows then depends on the province, the period and the sort alone, the
    # same for DoHA and the leader: kept in the page cache like the public one, apart from it ("staff").
    return pagecache.cached_page(
        request,
        "portal/dashboards/province_dashboard.html",
        lambda: _province_context(province, request.GET, public=False),
        scopes=["site"],
        key=["staff"],
        query=QUERY,
    )


@commune_permission_required(VIEW_COMMUNE_DASHBOARD)
@require_safe
def commune_dashboard_staff(request, commune):
    return pagecache.cached_page(
        request,
        "portal/dashboards/commune_dashboard.html",
        lambda: _commune_context(commune, request.GET, public=False),
        scopes=["site"],
        key=["staff"],
        query=QUERY,
    )
