"""Public browsing of administrative units: the district page (portal composes the province's and the
commune's, which show scoring and surveys too)."""

from django.views.generic import DetailView

from communes import selectors
from communes.models import District


class DistrictDetailView(DetailView):
    model = District
    template_name = "communes/district_detail.html"
    queryset = District.objects.select_related("province")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            communes=selectors.commune_list_for_district(district=self.object),
            ended_before=selectors.commune_list_ended_before(district=self.object),
            **kwargs,
        )
