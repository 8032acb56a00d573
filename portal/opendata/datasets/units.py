"""Administrative units across the 2025 reform: every province, district and commune the portal knows,
each period of a unit under its code, with the units that took it over."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Max, Prefetch
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, District, Province, official_name
from portal.opendata.datasets.common import chunks, in_province, joined
from portal.opendata.registry import DATE, STRING, Dataset, Field, day_start

LEVELS = {Province: "province", District: "district", Commune: "commune"}


def _former_names(unit) -> str:
    """'huyện Việt Yên until 2024-01-31;…': the names a unit bore before its present one."""
    return joined(
        f"{official_name(former['division_type'], former['name'])} until {former['valid_until']}"
        for former in sorted(unit.former_names, key=lambda former: former["valid_until"])
        if isinstance(former, dict)
    )


def _units(model, province: str | None):
    successors = Prefetch("successors", queryset=model.objects.only("code").order_by("code"))
    units = model.objects.prefetch_related(successors).order_by("code", "valid_until", "pk")
    if model is Province:
        return units.filter(code=province) if province else units
    units = units.select_related("province") if model is District else units.select_related("province", "district")
    return in_province(units, province, "province")


def unit_rows(province: str | None) -> Iterator[tuple]:
    for model, level in LEVELS.items():
        for unit in chunks(_units(model, province)):
            district = getattr(unit, "district", None)
            yield (
                level,
                unit.code,
                unit.division_type,
                unit.name,
                unit.official_name,
                unit.province.code if model is not Province else "",
                district.code if district else "",
                unit.valid_from,
                unit.valid_until,
                joined(successor.code for successor in unit.successors.all()),
                _former_names(unit),
            )


def units_modified():
    """Units carry no record of when they were loaded: the last day the map itself changed."""
    days = Commune.objects.aggregate(began=Max("valid_from"), ended=Max("valid_until"))
    return day_start(max((day for day in days.values() if day), default=None))


UNITS = Dataset(
    slug="units",
    title=_("Administrative units and their successors"),
    description=_(
        "Every province, district and commune-level unit the portal knows, before and after the "
        "reorganisation of 1 July 2025. A unit that ended keeps its row, with its last day and the codes "
        "of the units that took it over. A code may be reused after a merger: a unit is identified by its "
        "level, its code and its last day together."
    ),
    theme=_("Administrative units"),
    fields=(
        Field("level", STRING, _("Level of the unit: province, district or commune."), "commune"),
        Field("code", STRING, _("Official code in the national list of units."), "07798"),
        Field("division_type", STRING, _("Type of unit, in Vietnamese (tỉnh, huyện, xã, phường…)."), "phường"),
        Field("name", STRING, _("Name without the type of unit."), "Vân Hà"),
        Field("official_name", STRING, _("Type and name, as written inside an address."), "phường Vân Hà"),
        Field("province_code", STRING, _("Code of the province the unit belongs to (empty for a province)."), "24"),
        Field("district_code", STRING, _("Code of the district it belonged to (empty after 2025)."), ""),
        Field("valid_from", DATE, _("First day of the unit (empty: before the portal's records)."), "2025-07-01"),
        Field("valid_until", DATE, _("Last day of the unit (empty: still in force)."), ""),
        Field(
            "successor_codes",
            STRING,
            _("Codes of the units that took it over, separated by ';' (same level)."),
            "07798",
        ),
        Field(
            "former_names",
            STRING,
            _("Names it bore earlier in its life, each with its last day, separated by ';'."),
            "huyện Việt Yên until 2024-01-31",
        ),
    ),
    rows=unit_rows,
    modified=units_modified,
)

DATASETS = (UNITS,)
