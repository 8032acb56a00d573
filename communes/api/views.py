"""Reads of units, one-stop pages, procedures and disclosures: public, as the pages are."""

from __future__ import annotations

from django.http import Http404
from rest_framework import generics

from communes.api.serializers import ProvinceOut
from communes.selectors.units import province_list_for_browse


class ProvinceList(generics.ListAPIView):
    """Provinces, today's first, then those the 2025 reform ended (with the provinces that took them over)."""

    serializer_class = ProvinceOut
    pagination_class = None  # 34 provinces today, 63 before July 2025: one page

    def get_queryset(self):
        return province_list_for_browse()


class ProvinceDetail(generics.RetrieveAPIView):
    serializer_class = ProvinceOut

    def get_object(self):
        # The list's four queries: 63 provinces at most, and the detail counts as the list does.
        for province in province_list_for_browse():
            if province.pk == self.kwargs["pk"]:
                return province
        raise Http404
