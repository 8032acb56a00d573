"""Totals, knock-outs and stars of one assessment: pure functions over rows already loaded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

ZERO = Decimal("0.00")

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


def result_of(assessment, lines, bands, documents: Iterable, present_document_ids: set[int]) -> Result:
    """``lines`` with their criterion and group loaded; ``documents`` the set's required documents."""
    criteria_set = assessment.criteria_set
    snapshot_values = assessment.snapshot.values if assessment.snapshot_id and assessment.snapshot else {}
    groups: dict[str, Decimal] = {}
    maxima: dict[str, Decimal] = {}
    total = self_total = ZERO
    knockouts = []
    for line in lines:
        group = line.criterion.group
        points = line.points or ZERO
        groups[group.code] = groups.get(group.code, ZERO) + points
        maxima[group.code] = group.max_points
        total += points
        self_total += (line.self_score if not line.criterion.is_computed else line.computed_points) or ZERO
        if criteria_set.knockout_survey_minimum and line.criterion.min_rows and line.criterion.min_rows_knockout:
            reading = snapshot_values.get(line.criterion.code)
            if reading is None or not reading.get("enough"):
                knockouts.append(SURVEY + line.criterion.code)
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
