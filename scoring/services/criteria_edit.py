"""A draft criteria set edited: the changes made on its page saved together, or its parts replaced by
those of a workbook.

The callers have already checked every row (the page's forms, the workbook check) and pass unsaved
rows. What a service checks again is what may have changed since the page or the file was read: that
the set is still a draft, under a lock, so that a set published meanwhile is never written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction

from scoring.models import CriteriaGroup, CriteriaSet, Criterion, RequiredDocument, StarBand
from scoring.models.criteria import FROZEN_MESSAGE, FrozenSet

# The set's own fields that a draft's page edits, in the order the page shows them.
EDITABLE = (
    "name_vi",
    "name_en",
    "legal_basis",
    "period_start",
    "period_end",
    "submission_deadline",
    "review_deadline",
    "appraisal_deadline",
    "comment_working_days",
    "knockout_documents",
    "knockout_group_share",
    "knockout_survey_minimum",
    "missing_data_policy",
    "knockout_discipline",
)

Part = CriteriaGroup | Criterion | StarBand | RequiredDocument


def _draft_for_update(criteria_set: CriteriaSet) -> CriteriaSet:
    """The set locked until the transaction ends; refused once it is published."""
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.is_frozen:
        raise FrozenSet(FROZEN_MESSAGE)
    return locked


def _adopt(locked: CriteriaSet, rows: Sequence[Part]) -> None:
    """New rows join the set; a row of another set is a caller's mistake, never written."""
    for row in rows:
        if isinstance(row, Criterion):
            set_id = row.group.criteria_set_id
        else:
            if row.criteria_set_id is None:
                row.criteria_set = locked
            set_id = row.criteria_set_id
        if set_id != locked.pk:
            raise ValueError(f"{row!r} is not a part of the criteria set {locked.pk}")


@transaction.atomic
def criteria_set_update(
    *,
    criteria_set: CriteriaSet,
    by,
    groups: Sequence[CriteriaGroup] = (),
    criteria: Sequence[Criterion] = (),
    bands: Sequence[StarBand] = (),
    documents: Sequence[RequiredDocument] = (),
    deleted: Sequence[Part] = (),
    **fields,
) -> CriteriaSet:
    """Save a draft's edits together: ``fields`` of the set (any of EDITABLE), the parts to save as
    they are (changed rows, and new ones without a primary key) and the parts to delete."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"criteria_set_update() cannot change {', '.join(sorted(unknown))}")
    locked = _draft_for_update(criteria_set)
    _adopt(locked, [*groups, *criteria, *bands, *documents, *deleted])  # groups first: new criteria may be in them
    for name, value in fields.items():
        setattr(locked, name, value)
    locked._history_user = by
    locked.save()
    # Deleted rows go first, so that a new row may take a deleted row's code; groups last of all,
    # once their criteria have moved out.
    for row in deleted:
        if not isinstance(row, CriteriaGroup):
            row.delete()
    for row in [*groups, *criteria, *bands, *documents]:
        row.save()
    for row in deleted:
        if isinstance(row, CriteriaGroup):
            row.delete()
    return locked


@transaction.atomic
def criteria_set_replace(
    *,
    criteria_set: CriteriaSet,
    by,
    groups: Sequence[CriteriaGroup],
    criteria: Sequence[Criterion],
    bands: Sequence[StarBand] | None = None,
    documents: Sequence[RequiredDocument] | None = None,
) -> CriteriaSet:
    """Replace a draft's groups and criteria, and its bands and documents unless they are None, with
    new rows numbered in the order given; each criterion's group is one of ``groups``. (``by`` is
    taken as every service takes it: the parts of a set keep no history of their own.)"""
    given = {id(group) for group in groups}
    if any(row.pk is not None for row in [*groups, *criteria, *(bands or ()), *(documents or ())]):
        raise ValueError("criteria_set_replace() takes new rows only")
    if any(id(criterion.group) not in given for criterion in criteria):
        raise ValueError("criteria_set_replace() takes criteria in the groups given")
    locked = _draft_for_update(criteria_set)
    # Rows of a draft: no assessment refers to them yet (assessments open on published sets).
    CriteriaGroup.objects.filter(criteria_set=locked).delete()
    for position, group in enumerate(groups, start=1):
        group.criteria_set, group.position = locked, position
        group.save()
    last = defaultdict(int)
    for criterion in criteria:
        last[id(criterion.group)] += 1
        criterion.position = last[id(criterion.group)]
        criterion.save()  # its group is saved by now, which sets group_id
    if bands is not None:
        StarBand.objects.filter(criteria_set=locked).delete()
        for band in bands:
            band.criteria_set = locked
            band.save()
    if documents is not None:
        RequiredDocument.objects.filter(criteria_set=locked).delete()
        for position, document in enumerate(documents, start=1):
            document.criteria_set, document.position = locked, position
            document.save()
    return locked
