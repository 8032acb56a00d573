"""The province's public page, composed here because it links the scoring results of its years."""

from __future__ import annotations

from django.views.generic import DetailView

from communes import selectors as unit_selectors
from communes.models import Province
from scoring.selectors import public as scoring_selectors


class ProvinceDetailView(DetailView):
    model = Province
    template_name = "portal/province_detail.html"

    def get_context_data(self, **kwargs):
        province = self.object
        return super().get_context_data(
            districts=province.districts.order_by("code"),
            # After 2025 a province has no districts: its communes are listed directly.
            communes=unit_selectors.commune_list_for_province(province=province),
            ranking_years=scoring_selectors.ranking_years(province=province),
            **unit_selectors.unit_history(unit=province),
            **kwargs,
        )
