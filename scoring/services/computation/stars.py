"""Totals, knock-outs and stars of one assessment: pure functions over rows already loaded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

ZERO = Decimal("0.00")
ONE = Decimal(1)
CENT = Decimal("0.01")
SHARE = "share"  # CriteriaSet.MissingData.SHARE (the models import this module's neighbours)

DOCUMENTS = "documents"
DISCIPLINE = "discipline"
GROUP = "group:"  # + group code
SURVEY = "survey:"  # + criterion code


@dataclass
class Result:
    total: Decimal
    self_total: Decimal
    groups: dict[str, Decimal] = field(default_factory=dict)
    knockouts: list[str] = field(default_factory=list)
    stars: int = 0


def stars_for(total: Decimal, bands: Iterable) -> int:
    """The stars of the highest band whose lower bound ``total`` reaches (bounds are inclusive)."""
    reached = [band.stars for band in bands if total >= band.min_points]
    return max(reached, default=0)


def missing_codes(snapshot_values: dict) -> set[str]:
    """The computed criteria whose data source had no data for the year in any unit of the set, as the
    computation marked them in a snapshot's values."""
    return {code for code, reading in snapshot_values.items() if reading.get("missing")}


def weights(criteria: Iterable, missing: set[str], policy: str) -> dict[str, Decimal]:
    """Criterion code → the factor its points count with. Under the "share" policy a criterion without
    data counts nothing and the other criteria of its group count group/(group − missing points), so
    that the group keeps its maximum; a group with no data at all is shared likewise over the set's other
    criteria. Under any other policy, or with every criterion's data, each factor is 1."""
    criteria = list(criteria)
    factors = {criterion.code: ONE for criterion in criteria}
    missing = missing & factors.keys()
    if policy != SHARE or not missing:
        return factors
    by_group: dict[str, list] = {}
    for criterion in criteria:
        by_group.setdefault(criterion.group.code, []).append(criterion)
    whole = empty = ZERO
    for members in by_group.values():
        points = sum((c.max_points for c in members), ZERO)
        kept = sum((c.max_points for c in members if c.code not in missing), ZERO)
        whole += points
        for criterion in members:
            factors[criterion.code] = ZERO if criterion.code in missing or not kept else points / kept
        if not kept:
            empty += points
    if empty and whole > empty:
        spread = whole / (whole - empty)
        factors = {code: factor * spread for code, factor in factors.items()}
    return factors


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def result_of(assessment, lines, bands, documents: Iterable, present_document_ids: set[int]) -> Result:
    """``lines`` with their criterion and group loaded; ``documents`` the set's required documents.
    A computed criterion without data for the year (``missing_codes``) is never a knock-out; the set's
    policy says how its points count (``weights``)."""
    criteria_set = assessment.criteria_set
    snapshot_values = assessment.snapshot.values if assessment.snapshot_id and assessment.snapshot else {}
    missing = missing_codes(snapshot_values)
    factors = weights((line.criterion for line in lines), missing, criteria_set.missing_data_policy)
    groups: dict[str, Decimal] = {}
    maxima: dict[str, Decimal] = {}
    counted: dict[str, Decimal] = {}  # the group's criteria's maxima as they count, against their sum
    listed: dict[str, Decimal] = {}
    total = self_total = ZERO
    knockouts = []
    for line in lines:
        group, factor = line.criterion.group, factors[line.criterion.code]
        points = (line.points or ZERO) * factor
        groups[group.code] = groups.get(group.code, ZERO) + points
        maxima[group.code] = group.max_points
        counted[group.code] = counted.get(group.code, ZERO) + line.criterion.max_points * factor
        listed[group.code] = listed.get(group.code, ZERO) + line.criterion.max_points
        total += points
        self_total += ((line.self_score if not line.criterion.is_computed else line.computed_points) or ZERO) * factor
        if (
            criteria_set.knockout_survey_minimum
            and line.criterion.min_rows
            and line.criterion.min_rows_knockout
            and line.criterion.code not in missing
        ):
            reading = snapshot_values.get(line.criterion.code)
            if reading is None or not reading.get("enough"):
                knockouts.append(SURVEY + line.criterion.code)
    total, self_total = _cents(total), _cents(self_total)
    groups = {code: _cents(points) for code, points in groups.items()}
    for code, points in listed.items():
        if points and counted[code] != points:  # a group whose share of the points moved
            maxima[code] = maxima[code] * counted[code] / points
    if criteria_set.knockout_documents and any(not d.generated and d.pk not in present_document_ids for d in documents):
        knockouts.insert(0, DOCUMENTS)
    if criteria_set.knockout_group_share:
        for code, points in groups.items():
            if points < maxima[code] * criteria_set.knockout_group_share:
                knockouts.append(GROUP + code)
    if criteria_set.knockout_discipline and assessment.discipline_case:
        knockouts.append(DISCIPLINE)
    stars = 0 if knockouts else stars_for(total, bands)
    return Result(total=total, self_total=self_total, groups=groups, knockouts=knockouts, stars=stars)


def knockout_text(code: str, criteria_set=None) -> str:
    """A knock-out condition in words, for the result pages."""
    if code == DOCUMENTS:
        return _("The application dossier is incomplete.")
    if code == DISCIPLINE:
        return _("A discipline or corruption case was recorded in the year.")
    if code.startswith(GROUP):
        share = int((criteria_set.knockout_group_share if criteria_set else Decimal("0.5")) * 100)
        return _("Group %(group)s reached less than %(share)s%% of its points.") % {
            "group": code[len(GROUP) :],
            "share": share,
        }
    if code.startswith(SURVEY):
        return _("Criterion %(criterion)s has fewer survey answers than required.") % {"criterion": code[len(SURVEY) :]}
    return code


def points_text(value: Decimal) -> str:
    """Points as a reader writes them: "20", "2,5", "7,33" on Vietnamese pages ("2.5" in English)."""
    from django.utils import formats

    value = value.quantize(Decimal("0.01"))
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value)
