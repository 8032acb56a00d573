"""Public browsing of administrative units: province → district → commune."""

from django.views.generic import DetailView

from communes import selectors
from communes.models import District, Province


class ProvinceDetailView(DetailView):
    model = Province
    template_name = "communes/province_detail.html"

    def get_context_data(self, **kwargs):
        province = self.object
        return super().get_context_data(
            districts=province.districts.order_by("code"),
            # After 2025 a province has no districts: its communes are listed directly.
            communes=selectors.commune_list_for_province(province=province),
            **selectors.unit_history(unit=province),
            **kwargs,
        )


class DistrictDetailView(DetailView):
    model = District
    template_name = "communes/district_detail.html"
    queryset = District.objects.select_related("province")

    def get_context_data(self, **kwargs):
        return super().get_context_data(communes=selectors.commune_list_for_district(district=self.object), **kwargs)
