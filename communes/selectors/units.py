"""Reads about administrative units that pages and the API share."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet

from communes.models import AdministrativeUnit, Commune, District, Province
from core import clock

# A unit "of" its parent on the parent's last day: both end that day, or both are still in force.
# Units that ended earlier (huyện Yên Dũng, the communes merged on 1 January 2025) stay out of the
# counts and lists of what a province or district was; their own pages and their successors' keep them.
_ENDS_WITH_PARENT = Q(valid_until=F("province__valid_until")) | Q(
    valid_until__isnull=True, province__valid_until__isnull=True
)


@dataclass(frozen=True)
class UnitEnded:
    """A commune-level unit that has ended, as a citizen who still reaches it must read it: its name on
    its last day, the first day it no longer existed, and the units in force that took it over."""

    unit: Commune
    name_then: str
    """As inside a sentence ("phường Quảng Minh")."""
    ended_on: datetime.date
    units_today: list[Commune]
    """Empty when the portal does not know who took it over; several when it was divided."""

    @property
    def merged(self) -> bool:
        return len(self.units_today) == 1


def unit_ended(commune: Commune) -> UnitEnded:
    """What an ended unit's feedback and survey pages say and where they lead: one query."""
    reached = successors_today(units=[commune])[commune.pk]
    return UnitEnded(
        unit=commune,
        name_then=commune.name_on(commune.valid_until),
        ended_on=commune.valid_until + datetime.timedelta(days=1),
        units_today=[unit for unit in reached if unit.is_current],
    )


def successors_today(*, units: Iterable[AdministrativeUnit]) -> dict[int, list[AdministrativeUnit]]:
    """For each ended unit, the units in force today that took it over, by code: successor links are
    followed through every reorganisation (a commune merged on 31/12/2024 into one the 2025 reform
    ended in turn leads to today's ward), and a unit that split leads to all its parts. A chain whose
    last unit has no successor recorded stops at that unit. Units in force are left out.

    One query (a recursive one) whatever the length of the chains and the number of units, so that a
    list costs the same whether its units are in force or not; none for no units. All ``units`` are of
    one level (model)."""
    units = list(units)
    if not units:
        return {}
    model = type(units[0])
    name, quote = model._meta.model_name, connection.ops.quote_name
    links = model.successors.through._meta
    link = quote(links.db_table)
    source = quote(links.get_field(f"from_{name}").column)
    target = quote(links.get_field(f"to_{name}").column)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    valid_until, code = (quote(model._meta.get_field(field).column) for field in ("valid_until", "code"))
    # UNION (not UNION ALL) keeps each (origin, unit) pair once, so a loop in bad data ends too.
    sql = f"""
        WITH RECURSIVE chain (origin, unit) AS (
            SELECT {source}, {target} FROM {link} WHERE {source} IN ({", ".join(["%s"] * len(units))})
            UNION
            SELECT chain.origin, onward.{target} FROM chain JOIN {link} onward ON onward.{source} = chain.unit
        )
        SELECT reached.*, chain.origin AS chain_origin
        FROM chain JOIN {table} reached ON reached.{pk} = chain.unit
        WHERE reached.{valid_until} IS NULL
            OR NOT EXISTS (SELECT 1 FROM {link} later WHERE later.{source} = reached.{pk})
        ORDER BY reached.{code}, reached.{pk}
    """  # noqa: S608 - names come from the models' meta; the values are parameters
    found: dict[int, list[AdministrativeUnit]] = {unit.pk: [] for unit in units if not unit.is_current}
    for unit in model.objects.raw(sql, [unit.pk for unit in units]):
        if unit.chain_origin in found:
            found[unit.chain_origin].append(unit)
    return found


def with_successors_today(units: Iterable[AdministrativeUnit]) -> list[AdministrativeUnit]:
    """``units`` as a list, each with ``successors_today`` (see successors_today; empty for a unit in
    force), for lists that name where an ended unit went."""
    units = list(units)
    found = successors_today(units=units)
    for unit in units:
        unit.successors_today = found.get(unit.pk, [])
    return units


def province_list_for_browse() -> list[Province]:
    """Provinces with their districts and commune counts as they stood on the province's last day (or
    today), and for an ended one today's provinces that took it over: four queries, however many units."""
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
    return with_successors_today(
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


@dataclass(frozen=True)
class Replaced:
    """The units each given unit directly replaced: a role over a unit covers them too (user_scope)."""

    communes: dict[int, list[Commune]] = field(default_factory=dict)
    provinces: dict[int, list[Province]] = field(default_factory=dict)


def units_replaced(*, commune_ids=(), province_ids=()) -> Replaced:
    """The predecessors of the given communes and provinces, by successor: one query per kind asked."""
    communes: dict[int, list[Commune]] = {}
    if commune_ids:
        links = Commune.successors.through.objects.filter(to_commune_id__in=commune_ids).select_related("from_commune")
        for link in links.order_by("from_commune__code"):
            communes.setdefault(link.to_commune_id, []).append(link.from_commune)
    provinces: dict[int, list[Province]] = {}
    if province_ids:
        links = Province.successors.through.objects.filter(to_province_id__in=province_ids).select_related(
            "from_province"
        )
        for link in links.order_by("from_province__code"):
            provinces.setdefault(link.to_province_id, []).append(link.from_province)
    return Replaced(communes=communes, provinces=provinces)
