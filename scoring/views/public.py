"""Public scoring pages: a commune's result of a year explained, its stars over the years, and the
province's rankings with their Excel export. No sign-in; only results open to the public."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communes.models import Commune, Province
from core import pagecache
from scoring.models import Assessment
from scoring.resources.rankings import XLSX, rankings_xlsx
from scoring.selectors.public import DEFAULT_SORT, public_result, ranking_sorts
from scoring.selectors.public import rankings as rankings_of
from scoring.selectors.public import star_history as star_history_of
from scoring.views.files import stored_file


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_safe
def star_history(request, pk):
    def build() -> dict:
        try:
            history = star_history_of(commune_pk=pk)
        except Commune.DoesNotExist as error:
            raise Http404 from error
        return {"history": history, "commune": history.commune}

    return pagecache.cached_page(request, "scoring/public/star_history.html", build, scopes=["site"])


def _result_page(pk, year):
    try:
        return public_result(commune_pk=pk, year=year)
    except Assessment.DoesNotExist as error:
        raise Http404 from error


@require_safe
def result(request, pk, year):
    if "file" in request.GET:  # the evidence of a public result is public
        page = _result_page(pk, year)
        return stored_file(page.assessment, request.GET, documents=False)

    def build() -> dict:
        page = _result_page(pk, year)
        return {"result": page, "assessment": page.assessment, "commune": page.assessment.commune}

    return pagecache.cached_page(request, "scoring/public/result.html", build, scopes=["site"])


def _rankings(request, pk, year):
    province = get_object_or_404(Province, pk=pk)
    ranking = rankings_of(
        province=province,
        year=year,
        sort=request.GET.get("sort", DEFAULT_SORT),
        district_pk=_int_or_none(request.GET.get("district")),
    )
    return province, ranking


@require_safe
def rankings(request, pk, year):
    def build() -> dict:
        province, ranking = _rankings(request, pk, year)
        return {"province": province, "year": year, "rankings": ranking, "sorts": ranking_sorts(ranking.groups)}

    return pagecache.cached_page(
        request, "scoring/public/rankings.html", build, scopes=["site"], query=("sort", "district")
    )


@require_safe
def rankings_export(request, pk, year):
    province, ranking = _rankings(request, pk, year)
    if ranking.criteria_set is None:
        raise Http404
    title = _("Rankings %(year)s") % {"year": year}
    response = HttpResponse(rankings_xlsx(ranking, title=title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rankings-{province.code}-{year}.xlsx"'
    return response
