"""Reads behind one assessment's pages: its lines by group with the figures behind computed ones, the
dossier documents, the step log, the appeals, the deadlines of its set and what newer figures would
change. Each read costs a fixed number of queries, whatever the number of lines, steps or appeals."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import clock
from scoring.models import (
    Appeal,
    Assessment,
    AssessmentDocument,
    CriteriaGroup,
    Criterion,
    Line,
    RequiredDocument,
    Snapshot,
    Status,
    Step,
)
from scoring.services.computation.metrics import METRICS
from scoring.services.computation.stars import ZERO, knockout_text

# Where each step of the cycle stands: reached once the assessment is in one of these statuses.
AFTER_SUBMISSION = (Status.SUBMITTED, Status.REVIEWED, Status.APPRAISED, Status.PROVISIONAL, Status.FINAL)
AFTER_REVIEW = (Status.REVIEWED, Status.APPRAISED, Status.PROVISIONAL, Status.FINAL)
AFTER_APPRAISAL = (Status.APPRAISED, Status.PROVISIONAL, Status.FINAL)


def assessments_of_commune(*, commune) -> QuerySet[Assessment]:
    """The commune's assessments, newest year first, with their set (for the deadlines)."""
    return Assessment.objects.filter(commune=commune).select_related("criteria_set").order_by("-year")


# --- Figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """A computed criterion's figures as one snapshot holds them."""

    value: float | None
    rows: int
    enough: bool
    points: Decimal
    detail: dict = field(default_factory=dict)
    missing: bool = False  # no unit of the set had data for the year: the set's policy applies

    @classmethod
    def of(cls, values: dict | None) -> Reading | None:
        if values is None:
            return None
        return cls(
            value=values.get("value"),
            rows=values.get("rows", 0),
            enough=values.get("enough", True),
            points=Decimal(values.get("points", "0")),
            detail=values.get("detail") or {},
            missing=bool(values.get("missing")),
        )

    @property
    def percent(self) -> float | None:
        return None if self.value is None else self.value * 100

    @property
    def details(self) -> list[tuple[str, object]]:
        # A template cannot loop over ``detail.items``: the disclosure metric has an "items" figure.
        return list(self.detail.items())


@dataclass(frozen=True)
class Change:
    """A criterion whose figures differ between the snapshot in use and a newer one."""

    code: str
    before: Reading | None
    after: Reading | None
    criterion: Criterion | None = None


def _code_key(code: str) -> tuple:
    # G2.10 after G2.9: numbers compare as numbers.
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def snapshot_changes(old: Snapshot | None, new: Snapshot) -> list[Change]:
    """The criteria whose reading differs from ``old`` (None: no figures yet) to ``new``, by code."""
    before = old.values if old is not None else {}
    after = new.values
    return [
        Change(code, Reading.of(before.get(code)), Reading.of(after.get(code)))
        for code in sorted(set(before) | set(after), key=_code_key)
        if before.get(code) != after.get(code)
    ]


# --- One assessment --------------------------------------------------------------------------------


@dataclass
class LineRow:
    line: Line
    reading: Reading | None  # computed criteria only

    @property
    def criterion(self) -> Criterion:
        return self.line.criterion

    @property
    def metric_label(self) -> Promise | str:
        metric = METRICS.get(self.line.criterion.metric)
        return metric.label if metric else ""


@dataclass
class GroupRows:
    group: CriteriaGroup
    rows: list[LineRow] = field(default_factory=list)

    @property
    def self_points(self) -> Decimal:
        return sum((r.line.proposed or ZERO for r in self.rows), ZERO)

    @property
    def points(self) -> Decimal:
        return sum((r.line.points or ZERO for r in self.rows), ZERO)


def line_groups(assessment: Assessment) -> list[GroupRows]:
    """The assessment's lines in the order of the set, by group, each computed line with its reading
    from the snapshot in use (one query)."""
    values = assessment.snapshot.values if assessment.snapshot_id else {}
    groups: list[GroupRows] = []
    lines = assessment.lines.select_related("criterion__group").order_by(
        "criterion__group__position", "criterion__position"
    )
    for line in lines:
        line.assessment = assessment  # the rows' assessment is the one already loaded
        if not groups or groups[-1].group.pk != line.criterion.group_id:
            groups.append(GroupRows(line.criterion.group))
        reading = Reading.of(values.get(line.criterion.code)) if line.criterion.is_computed else None
        groups[-1].rows.append(LineRow(line, reading))
    return groups


@dataclass(frozen=True)
class Deadline:
    label: Promise
    due: datetime.date
    step: Step | None  # the step that met it, once met
    late: bool

    @property
    def done(self) -> bool:
        return self.step is not None


@dataclass(frozen=True)
class DocumentRow:
    document: RequiredDocument
    attached: AssessmentDocument | None

    @property
    def present(self) -> bool:
        return self.document.generated or self.attached is not None


@dataclass
class AssessmentPage:
    assessment: Assessment
    groups: list[GroupRows]
    documents: list[DocumentRow]
    steps: list[Step]
    appeals: list[Appeal]
    deadlines: list[Deadline]
    knockouts: list[str]
    newest: Snapshot | None  # a newer snapshot than the one in use, if any
    changes: list[Change]

    @property
    def lines(self) -> list[Line]:
        return [row.line for group in self.groups for row in group.rows]

    @property
    def open_appeals(self) -> list[Appeal]:
        return [appeal for appeal in self.appeals if appeal.is_open]


def _deadlines(assessment: Assessment, steps: list[Step]) -> list[Deadline]:
    criteria_set = assessment.criteria_set
    today = clock.today()
    last = {}
    for step in steps:  # in order: the last one of each action wins
        last[step.action] = step
    stages = [
        (_("Self-assessment"), criteria_set.submission_deadline, Step.Action.SUBMIT, AFTER_SUBMISSION),
        (_("District review"), criteria_set.review_deadline, Step.Action.REVIEW, AFTER_REVIEW),
        (_("Appraisal"), criteria_set.appraisal_deadline, Step.Action.APPRAISE, AFTER_APPRAISAL),
    ]
    if not assessment.has_district_review or criteria_set.review_deadline is None:
        del stages[1]
    deadlines = []
    for label, due, action, reached in stages:
        step = last.get(action) if assessment.status in reached else None
        late = step.late if step is not None else today > due
        deadlines.append(Deadline(label, due, step, late))
    return deadlines


def assessment_page(assessment: Assessment) -> AssessmentPage:
    """Everything the overview shows, in a fixed number of queries. ``assessment`` comes with its set,
    commune and snapshot loaded (scoring.views.access)."""
    groups = line_groups(assessment)
    steps = list(assessment.steps.select_related("by").order_by("at", "pk"))
    appeals = list(
        assessment.appeals.select_related("line__criterion", "filed_by", "answered_by").order_by("filed_at", "pk")
    )
    newest = assessment.snapshots.order_by("-number").first()
    changes = []
    if newest is not None and newest.pk != assessment.snapshot_id:
        criteria = {row.criterion.code: row.criterion for group in groups for row in group.rows}
        changes = [replace(c, criterion=criteria.get(c.code)) for c in snapshot_changes(assessment.snapshot, newest)]
    else:
        newest = None
    return AssessmentPage(
        assessment=assessment,
        groups=groups,
        documents=document_rows(assessment),
        steps=steps,
        appeals=appeals,
        deadlines=_deadlines(assessment, steps),
        knockouts=[knockout_text(code, assessment.criteria_set) for code in assessment.knockouts],
        newest=newest,
        changes=changes,
    )


def document_rows(assessment: Assessment) -> list[DocumentRow]:
    """The set's dossier documents, each with the file the commune attached (two queries)."""
    attached = {a.document_id: a for a in assessment.documents.all()}
    return [DocumentRow(d, attached.get(d.pk)) for d in assessment.criteria_set.documents.all()]
