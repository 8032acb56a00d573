"""What waits for each role on the scoring side, for the workspace inboxes: assessments to review, to
appraise and with appeals to answer, the commune's next deadline, decisions to issue and to approve.

The conditions that pick the rows are the boards' ``waiting`` filters too, so a count and the list it
links to always agree. Counts are keyed by the unit the row belongs to (the criteria set's province, the
commune's district, the commune); each is one grouped query, whatever the number of units in scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.selectors import UserScope
from scoring.models import Appeal, Assessment, CriteriaSet, Decision, Status, Step

# Decisions waiting for the records office to number and date them (a draft), and for the provincial
# leader to approve them (issued: Decision.objects.to_approve()).
TO_ISSUE = (Decision.Status.DRAFT,)
TO_APPROVE = (Decision.Status.ISSUED,)


def _open_appeals() -> Exists:
    return Exists(Appeal.objects.filter(assessment=OuterRef("pk"), outcome=""))


# What waits for whom, as conditions on an assessment of a published set that no decision locked yet.
# A unit with a district is appraised once its district reviewed it; one without, once submitted
# (Assessment.is_appraisable). Appeals are answered while the results are provisional (ANSWER_APPEAL).
WAITING = {
    "review": lambda: Q(status=Status.SUBMITTED, commune__district__isnull=False),
    "appraisal": lambda: Q(status=Status.REVIEWED) | Q(status=Status.SUBMITTED, commune__district__isnull=True),
    "appeals": lambda: Q(_open_appeals(), status=Status.PROVISIONAL),
}


# What a board filtered on one of them says above its rows.
WAITING_LABELS = {
    "review": _("Only the self-assessments waiting for the district's review."),
    "appraisal": _("Only the submissions waiting for the appraisal."),
    "appeals": _("Only the provisional results with appeals waiting for an answer."),
}


def waiting_filter(waiting: str) -> Q | None:
    """The condition of a ``waiting`` filter of the boards, or None for an unknown one."""
    condition = WAITING.get(waiting)
    if condition is None:
        return None
    return condition() & Q(locked_at__isnull=True)


def _open_assessments():
    return Assessment.objects.filter(criteria_set__status=CriteriaSet.Status.PUBLISHED, locked_at__isnull=True)


@dataclass(frozen=True)
class YearCount:
    """``count`` assessments of the ``year``'s criteria set wait in ``unit_id`` (the set's province, or
    a district for reviews): the board of that province (or district) and year lists them."""

    unit_id: int
    year: int
    count: int


@dataclass(frozen=True)
class Deadline:
    """The next thing a commune's assessment waits for from the commune, and by when.

    ``kind``: "submit" (a draft to submit), "returned" (sent back for correction, to submit again) or
    "comments" (provisional results the commune may comment on)."""

    assessment_id: int
    commune_id: int
    year: int
    kind: str
    due: datetime.date
    days_left: int  # calendar days from today to the due date; negative once it has passed

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left


@dataclass(frozen=True)
class ScoringInbox:
    to_review: list[YearCount] = field(default_factory=list)  # by district
    to_appraise: list[YearCount] = field(default_factory=list)  # by the set's province
    appeals: list[YearCount] = field(default_factory=list)  # by the set's province: assessments, not appeals
    deadlines: list[Deadline] = field(default_factory=list)  # the officer's communes
    decisions_to_issue: dict[int, int] = field(default_factory=dict)  # by province
    decisions_to_approve: dict[int, int] = field(default_factory=dict)  # by province


def _year_counts(rows, unit: str, name: str) -> list[YearCount]:
    return [YearCount(row[unit], row["criteria_set__year"], row[name]) for row in rows if row[name]]


def _deadlines(commune_ids, today: datetime.date) -> list[Deadline]:
    returned = Exists(Step.objects.filter(assessment=OuterRef("pk"), action=Step.Action.RETURN))
    rows = (
        _open_assessments()
        .filter(commune_id__in=commune_ids)
        .filter(Q(status=Status.DRAFT) | Q(status=Status.PROVISIONAL, comments_until__gte=today))
        .annotate(returned=returned)
        .values("pk", "commune_id", "year", "status", "comments_until", "returned", "criteria_set__submission_deadline")
        .order_by("year", "pk")
    )
    deadlines = []
    for row in rows:
        if row["status"] == Status.PROVISIONAL:
            kind, due = "comments", row["comments_until"]
        else:
            # Back in draft after a submission only through a return (assessment_return).
            kind, due = ("returned" if row["returned"] else "submit"), row["criteria_set__submission_deadline"]
        deadlines.append(Deadline(row["pk"], row["commune_id"], row["year"], kind, due, (due - today).days))
    return deadlines


def inbox_counts(*, scope: UserScope, today: datetime.date) -> ScoringInbox:
    """What waits in the user's scope, in at most four queries."""
    doha = scope.province_roles.get(Role.DOHA_STAFF, frozenset())
    leader = scope.province_roles.get(Role.PROVINCIAL_LEADER, frozenset())
    to_review, to_appraise, appeals = [], [], []
    if scope.reviewer_districts:
        rows = (
            _open_assessments()
            .filter(waiting_filter("review"), commune__district_id__in=scope.reviewer_districts)
            .values("commune__district_id", "criteria_set__year")
            .order_by("criteria_set__year")
            .annotate(count=Count("pk"))
        )
        to_review = _year_counts(rows, "commune__district_id", "count")
    if doha:
        # Conditional counts over the province's open assessments: one query for both lists.
        rows = (
            _open_assessments()
            .filter(criteria_set__province_id__in=doha)
            .values("criteria_set__province_id", "criteria_set__year")
            .order_by("criteria_set__year")
            .annotate(
                appraise=Count("pk", filter=waiting_filter("appraisal")),
                appeals=Count("pk", filter=waiting_filter("appeals")),
            )
        )
        rows = list(rows)
        to_appraise = _year_counts(rows, "criteria_set__province_id", "appraise")
        appeals = _year_counts(rows, "criteria_set__province_id", "appeals")
    to_issue, to_approve = {}, {}
    if doha or leader:
        rows = (
            Decision.objects.filter(province_id__in=doha | leader)
            .values("province_id")
            .order_by()
            .annotate(
                issue=Count("pk", filter=Q(status__in=TO_ISSUE)), approve=Count("pk", filter=Q(status__in=TO_APPROVE))
            )
        )
        for row in rows:
            if row["province_id"] in doha and row["issue"]:
                to_issue[row["province_id"]] = row["issue"]
            if row["province_id"] in leader and row["approve"]:
                to_approve[row["province_id"]] = row["approve"]
    return ScoringInbox(
        to_review=to_review,
        to_appraise=to_appraise,
        appeals=appeals,
        deadlines=_deadlines(scope.officer_communes, today) if scope.officer_communes else [],
        decisions_to_issue=to_issue,
        decisions_to_approve=to_approve,
    )
