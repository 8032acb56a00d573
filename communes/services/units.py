"""Writes to administrative units. Units enter the database only through ``units_load``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

import vietnam_provinces as current_pkg
import vietnam_provinces.legacy as legacy_pkg
from django.db import transaction
from django.utils.translation import gettext as _

from communes.data.unit_history import CURRENT_FROM, ENDED_BEFORE_SNAPSHOT, LEGACY_UNTIL, history_for
from communes.models import AdministrativeUnit, Commune, District, Province, official_name
from core import pagecache
from core.errors import ServiceError
from core.text import fold

Period = Literal["legacy", "current", "all"]
PERIODS: tuple[Period, ...] = ("legacy", "current", "all")


class UnitsError(ServiceError):
    """A request about administrative units that cannot be carried out; the message is translated."""


@dataclass
class UnitsLoadResult:
    provinces: list[Province] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_created: int = 0


def _bare_name(package_name: str, division_type: str) -> str:
    """'Thị xã Việt Yên' → 'Việt Yên'. The package writes the type in front of every name."""
    for prefix in {division_type, official_name(division_type, "").strip()}:
        if package_name.lower().startswith(prefix + " "):
            return package_name[len(prefix) + 1 :]
    return package_name


def _catalogues(period: Period) -> list[tuple[Period, type]]:
    return [
        (era, catalogue)
        for era, catalogue in (("legacy", legacy_pkg.Province), ("current", current_pkg.Province))
        if period in (era, "all")
    ]


def _province_matches(query: str, period: Period) -> list[tuple[Period, object]]:
    folded = fold(query)
    for prefix in ("tinh ", "thanh pho "):
        folded = folded.removeprefix(prefix)
    return [
        (era, source)
        for era, catalogue in _catalogues(period)
        for source in catalogue.iter_all()
        if folded in (fold(_bare_name(source.name, source.division_type)), str(int(source.code)))
        or folded == f"{int(source.code):02d}"
    ]


def _unknown_province_error(query: str, period: Period) -> UnitsError:
    # Suggest only names of the period searched: offering back a pre-2025 name for today's list
    # would send the user in a circle.
    names = sorted(
        {_bare_name(p.name, p.division_type) for _era, catalogue in _catalogues(period) for p in catalogue.iter_all()}
    )
    by_fold = {fold(name): name for name in names}
    close = [by_fold[f] for f in difflib.get_close_matches(fold(query), list(by_fold), n=3, cutoff=0.75)]
    message = _("No province called “%(query)s” is known in the %(period)s list of units.") % {
        "query": query,
        "period": {"legacy": _("pre-July-2025"), "current": _("current"), "all": _("pre- or post-2025")}[period],
    }
    if close:
        message += " " + _("Did you mean: %(names)s?") % {"names": ", ".join(close)}
    return UnitsError(message)


def _upsert(model, rows: list[dict], result: UnitsLoadResult) -> dict[str, AdministrativeUnit]:
    """Create or update ``rows`` keyed by (code, valid_until); return the saved units by code."""
    if not rows:
        return {}
    existing = {
        unit.code: unit
        for unit in model.objects.filter(code__in=[r["code"] for r in rows], valid_until=rows[0]["valid_until"])
    }
    saved = {}
    for row in rows:
        row = {"former_names": [], **row, **history_for(model._meta.model_name, row["code"], row["valid_until"])}
        unit = existing.get(row["code"])
        if unit is not None and all(getattr(unit, key) == value for key, value in row.items()):
            result.unchanged += 1
        else:
            if unit is None:
                unit = model(**row)
                result.created += 1
            else:
                for key, value in row.items():
                    setattr(unit, key, value)
                result.updated += 1
            unit.full_clean(validate_constraints=False)
            unit.save()
        saved[unit.code] = unit
    return saved


def _load_legacy(source, result: UnitsLoadResult) -> Province:
    common = {"valid_from": None, "valid_until": LEGACY_UNTIL}
    province = _upsert(Province, [_row(source, 2, common)], result)[f"{int(source.code):02d}"]
    districts = _upsert(
        District,
        [_row(d, 3, common, province_id=province.pk) for d in legacy_pkg.District.iter_by_province(source.code)],
        result,
    )
    _upsert(
        Commune,
        [
            _row(w, 5, common, province_id=province.pk, district_id=districts[f"{int(w.district_code):03d}"].pk)
            for w in legacy_pkg.Ward.iter_by_province(source.code)
        ],
        result,
    )
    _load_ended(province, districts, result)
    return province


def _ended_row(entry: dict, valid_until, **parents) -> dict:
    return {
        "code": entry["code"],
        "name": entry["name"],
        "division_type": entry["division_type"],
        "valid_from": None,
        "valid_until": valid_until,
        **parents,
    }


def _load_ended(province: Province, districts: dict[str, District], result: UnitsLoadResult) -> None:
    """The province's units that ended before the package's snapshot, from the sourced list."""
    ended = ENDED_BEFORE_SNAPSHOT.get(province.code)
    if ended is None:
        return
    until = ended["valid_until"]
    districts = {
        **districts,
        **_upsert(District, [_ended_row(d, until, province_id=province.pk) for d in ended["districts"]], result),
    }
    _upsert(
        Commune,
        [
            _ended_row(c, until, province_id=province.pk, district_id=districts[c["district"]].pk)
            for c in ended["communes"]
        ],
        result,
    )


def _load_current(source, result: UnitsLoadResult) -> Province:
    common = {"valid_from": CURRENT_FROM, "valid_until": None}
    province = _upsert(Province, [_row(source, 2, common)], result)[f"{int(source.code):02d}"]
    _upsert(
        Commune,
        [
            _row(w, 5, common, province_id=province.pk, district_id=None)
            for w in current_pkg.Ward.iter_by_province(source.code)
        ],
        result,
    )
    return province


def _row(source, width: int, common: dict, **parents) -> dict:
    return {
        "code": f"{int(source.code):0{width}d}",
        "name": _bare_name(source.name, source.division_type),
        "division_type": str(source.division_type),
        **common,
        **parents,
    }


def _link(model, sources_of, result: UnitsLoadResult) -> None:
    legacy = {unit.code: unit.pk for unit in model.objects.filter(valid_until=LEGACY_UNTIL)}
    through = model.successors.through
    name = model._meta.model_name
    links = [
        through(**{f"from_{name}_id": legacy[code], f"to_{name}_id": unit.pk})
        for unit in model.objects.current()
        for source in sources_of(int(unit.code))
        if (code := f"{int(source.code):0{len(unit.code)}d}") in legacy
    ]
    before = through.objects.count()
    through.objects.bulk_create(links, ignore_conflicts=True)
    result.links_created += through.objects.count() - before


def _link_ended(model, entries_of: str, result: UnitsLoadResult) -> None:
    """Point the units that ended before the snapshot at the legacy units that took them over."""
    name = model._meta.model_name
    through = model.successors.through
    links = []
    for ended in ENDED_BEFORE_SNAPSHOT.values():
        entries = {e["code"]: e for e in ended[entries_of] if e["successors"]}
        rows = model.objects.filter(code__in=list(entries), valid_until=ended["valid_until"])
        targets = {
            unit.code: unit.pk
            for unit in model.objects.filter(
                code__in=[code for e in entries.values() for code in e["successors"]], valid_until=LEGACY_UNTIL
            )
        }
        links += [
            through(**{f"from_{name}_id": unit.pk, f"to_{name}_id": targets[code]})
            for unit in rows
            for code in entries[unit.code]["successors"]
            if code in targets
        ]
    before = through.objects.count()
    through.objects.bulk_create(links, ignore_conflicts=True)
    result.links_created += through.objects.count() - before


def _link_successors(result: UnitsLoadResult) -> None:
    """Point every loaded pre-2025 unit at the units that took it over: the package's mapping from the
    legacy units to today's, and the sourced list for the units that ended before its snapshot."""
    _link_ended(District, "districts", result)
    _link_ended(Commune, "communes", result)
    _link(
        Province,
        lambda code: current_pkg.Province.from_code(code).get_legacy_sources(),
        result,
    )
    _link(
        Commune,
        lambda code: current_pkg.Ward.from_code(code).get_legacy_sources(),
        result,
    )


@transaction.atomic
def units_load(*, province: str, period: Period = "all") -> UnitsLoadResult:
    """Load one province's units from vietnam-provinces; running it again changes nothing."""
    if period not in PERIODS:
        raise UnitsError(_("Unknown period “%(period)s”.") % {"period": period})
    matches = _province_matches(province, period)
    if not matches:
        raise _unknown_province_error(province, period)
    result = UnitsLoadResult()
    for era, source in matches:
        loader = _load_legacy if era == "legacy" else _load_current
        result.provinces.append(loader(source, result))
    _link_successors(result)
    pagecache.bump("site")  # the units may have come in bulk, past the models' signals
    return result
