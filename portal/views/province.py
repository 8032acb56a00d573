"""The province's public page, composed here because it links the scoring results of its years."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_safe

from communes import selectors as unit_selectors
from communes.models import Province
from core import pagecache
from scoring.selectors import public as scoring_selectors


@require_safe
def province_detail(request, pk: int):
    return pagecache.cached_page(request, "portal/province_detail.html", lambda: _context(pk), scopes=["site"])


def _context(pk: int) -> dict:
    try:
        province = Province.objects.get(pk=pk)
    except Province.DoesNotExist as error:
        raise Http404 from error
    return {
        "province": province,
        "districts": province.districts.order_by("code"),
        # After 2025 a province has no districts: its communes are listed directly.
        "communes": unit_selectors.commune_list_for_province(province=province),
        "ranking_years": scoring_selectors.ranking_years(province=province),
        **unit_selectors.unit_history(unit=province),
    }
