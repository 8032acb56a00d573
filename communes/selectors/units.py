"""Reads about administrative units that pages and the API share."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, QuerySet

from communes.models import Commune, District, Province


def province_list_for_browse() -> QuerySet[Province]:
    """Provinces with their districts and commune counts: three queries, however many units."""
    districts = District.objects.annotate(commune_count=Count("communes")).order_by("code")
    return (
        Province.objects.annotate(commune_count=Count("communes", distinct=True))
        .prefetch_related(Prefetch("districts", queryset=districts))
        # Today's units first, then those the 2025 reform ended (NULL sorts differently per database).
        .order_by(F("valid_until").asc(nulls_first=True), "code")
    )


def commune_for_public_page(*, pk: int) -> Commune:
    """The commune with what its breadcrumbs need; raises Commune.DoesNotExist."""
    return Commune.objects.select_related("province", "district").get(pk=pk)


def commune_list_for_district(*, district: District) -> QuerySet[Commune]:
    return district.communes.order_by("code")


def commune_list_for_province(*, province: Province) -> QuerySet[Commune]:
    """Communes of a province that has no districts (after 2025), or all of them."""
    return province.communes.select_related("district").order_by("district__code", "code")


def unit_history(*, unit) -> dict:
    """The units that ``unit`` replaced and that replaced it."""
    return {
        "predecessors": list(unit.predecessors.order_by("code")),
        "successors": list(unit.successors.order_by("code")),
    }
