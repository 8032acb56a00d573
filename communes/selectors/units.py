"""Reads about administrative units that pages and the API share."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet

from communes.models import AdministrativeUnit, Commune, District, Province
from core import clock

# A unit "of" its parent on the parent's last day: both end that day, or both are still in force.
# Units that ended earlier (huyện Yên Dũng, the communes merged on 1 January 2025) stay out of the
# counts and lists of what a province or district was; their own pages and their successors' keep them.
_ENDS_WITH_PARENT = Q(valid_until=F("province__valid_until")) | Q(
    valid_until__isnull=True, province__valid_until__isnull=True
)


def province_list_for_browse() -> QuerySet[Province]:
    """Provinces with their districts and commune counts as they stood on the province's last day (or
    today): three queries, however many units."""
    districts = (
        District.objects.filter(_ENDS_WITH_PARENT)
        .annotate(
            commune_count=Count(
                "communes",
                filter=Q(communes__valid_until=F("valid_until"))
                | Q(communes__valid_until__isnull=True, valid_until__isnull=True),
            )
        )
        .order_by("code")
    )
    return (
        Province.objects.annotate(
            commune_count=Count(
                "communes",
                filter=Q(communes__valid_until=F("valid_until"))
                | Q(communes__valid_until__isnull=True, valid_until__isnull=True),
                distinct=True,
            )
        )
        .prefetch_related(Prefetch("districts", queryset=districts))
        # Today's units first, then those the 2025 reform ended (NULL sorts differently per database).
        .order_by(F("valid_until").asc(nulls_first=True), "code")
    )


def commune_for_public_page(*, pk: int) -> Commune:
    """The commune with what its breadcrumbs need; raises Commune.DoesNotExist."""
    return Commune.objects.select_related("province", "district").get(pk=pk)


def _last_day(unit: AdministrativeUnit) -> datetime.date:
    return unit.valid_until or clock.today()


def commune_list_for_district(*, district: District) -> list[Commune]:
    """The communes that belonged to the district on its last day, in code order: those it still held
    then and those that had moved to it under another district's name before (huyện Yên Dũng's, which
    joined thành phố Bắc Giang on 1 January 2025, are listed on Yên Dũng's page). One query."""
    day = _last_day(district)
    communes = Commune.objects.filter(province_id=district.province_id).on(day).select_related("district")
    return [commune for commune in communes.order_by("code") if commune.district_code_on(day) == district.code]


def commune_list_ended_before(*, district: District) -> QuerySet[Commune]:
    """The district's communes that ended before the district did, with their successors."""
    return (
        district.communes.filter(valid_until__lt=_last_day(district))
        .prefetch_related(Prefetch("successors", queryset=Commune.objects.order_by("code")))
        .order_by("code")
    )


def commune_list_for_province(*, province: Province) -> QuerySet[Commune]:
    """Communes of a province that has no districts (after 2025), or all of them."""
    return province.communes.select_related("district").order_by("district__code", "code")


def unit_history(*, unit) -> dict:
    """The units that ``unit`` replaced and that replaced it."""
    return {
        "predecessors": list(unit.predecessors.order_by("code")),
        "successors": list(unit.successors.order_by("code")),
    }


def units_today(*, unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The units in force today that took ``unit`` over, following successors through every
    reorganisation (xã Lão Hộ → phường Tân An on 1 January 2025 → today's ward): one query per step.
    A unit in force is its own answer; a chain whose successor is unknown ends with nothing."""
    model = type(unit)
    if unit.valid_until is None:
        return [unit]
    found: dict[int, AdministrativeUnit] = {}
    frontier, seen = {unit.pk}, {unit.pk}
    while frontier:
        step = list(model.objects.filter(predecessors__in=frontier).distinct())
        frontier = set()
        for successor in step:
            if successor.valid_until is None:
                found[successor.pk] = successor
            elif successor.pk not in seen:
                frontier.add(successor.pk)
            seen.add(successor.pk)
    return sorted(found.values(), key=lambda u: u.code)
