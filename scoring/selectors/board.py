"""The year's boards: every assessment of a province (or of one district) with where it stands, the
comment period DoHA may close early, and the criteria that have no data for the year."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum

from communes.models import District
from core import clock
from scoring.models import Assessment, CriteriaGroup, CriteriaSet, Criterion, Line, Snapshot, Status, Step
from scoring.selectors.inbox import WAITING_LABELS, waiting_filter
from scoring.selectors.public import LINE_POINTS, ZERO, published_set
from scoring.services.computation.stars import knockout_text, missing_codes


def board_years(*, province_id: int) -> list[int]:
    """The years with a published criteria set in the province, newest first: the boards there are."""
    return list(
        CriteriaSet.objects.filter(province_id=province_id)
        .exclude(status=CriteriaSet.Status.DRAFT)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def district_board_years(*, district: District) -> list[int]:
    """The years whose published set assesses units of ``district``: the district's boards there are
    (a cycle after the 2025 reform has no district step, so no district board)."""
    return list(
        CriteriaSet.objects.filter(assessments__commune__district=district)
        .exclude(status=CriteriaSet.Status.DRAFT)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class MissingCriterion:
    """A computed criterion whose data source had no data for the year in any unit of the set."""

    criterion: Criterion
    group_code: str

    @property
    def max_points(self) -> Decimal:
        return self.criterion.max_points


def missing_data(criteria_set: CriteriaSet) -> list[MissingCriterion]:
    """The criteria the set's newest computation found without data for the year (two queries at
    most): the board warns about them, and publishing waits for DoHA to confirm how they count."""
    values = (
        Snapshot.objects.filter(assessment__criteria_set=criteria_set)
        .order_by("-computed_at", "-pk")
        .values_list("values", flat=True)
        .first()
    )
    codes = missing_codes(values or {})
    if not codes:
        return []
    criteria = Criterion.objects.filter(group__criteria_set=criteria_set, code__in=codes).select_related("group")
    return [MissingCriterion(c, c.group.code) for c in criteria.order_by("group__position", "position")]


@dataclass(frozen=True)
class CommentPeriod:
    """The provisional results whose comment period still runs, and their appeals not yet answered."""

    running: int
    open_appeals: int
    until: datetime.date | None


def comment_period(criteria_set: CriteriaSet, today: datetime.date | None = None) -> CommentPeriod:
    """One query over the set's assessments."""
    today = today or clock.today()
    running = Q(
        status=Status.PROVISIONAL,
        locked_at__isnull=True,
        comments_closed_at__isnull=True,
        comments_until__gte=today,
    )
    found = Assessment.objects.filter(running, criteria_set=criteria_set).aggregate(
        running=Count("pk", distinct=True),
        open_appeals=Count("appeals", filter=Q(appeals__outcome="")),
        until=Max("comments_until"),
    )
    return CommentPeriod(found["running"], found["open_appeals"], found["until"])


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class BoardRow:
    assessment: Assessment
    late: bool  # submitted after the deadline
    overdue: bool  # still a draft after the deadline
    knockouts: list[str]


@dataclass(frozen=True)
class Board:
    criteria_set: CriteriaSet | None
    counts: list[StatusCount]  # every status, over all the board's assessments
    total: int
    rows: list[BoardRow]  # those the filters keep
    districts: list[District]  # those of the assessed units, for the filter
    status: str
    district: District | None  # the district the rows are filtered on
    waiting: str = ""  # the rows are those waiting for this step (scoring.selectors.inbox.WAITING)
    has_district_step: bool = True  # False after the 2025 reform: no district column, filter or status
    comments: CommentPeriod | None = None
    missing: list[MissingCriterion] = field(default_factory=list)

    @property
    def waiting_label(self) -> str:
        return WAITING_LABELS.get(self.waiting, "")


def _is_late(assessment: Assessment, deadline) -> bool:
    if assessment.has_late_step:
        return True
    return assessment.submitted_at is not None and clock.date_of(assessment.submitted_at) > deadline


def board(
    *, province, year: int, district: District | None = None, status: str = "", district_pk=None, waiting: str = ""
) -> Board:
    """The assessments of the province's published set of ``year``: all of them, or those of
    ``district`` (a district's board); ``status``, ``district_pk`` and ``waiting`` (what the workspace
    inboxes count: "review", "appraisal", "appeals") filter the rows. A fixed number of queries whatever
    the number of communes (the province's board adds the comment period and the criteria without data)."""
    criteria_set = published_set(province=province, year=year)
    if criteria_set is None:
        return Board(criteria_set=None, counts=[], total=0, rows=[], districts=[], status="", district=None)
    scope = Assessment.objects.filter(criteria_set=criteria_set)
    if district is not None:
        scope = scope.filter(commune__district=district)
    found = dict(scope.values("status").order_by().annotate(n=Count("pk")).values_list("status", "n"))
    with_districts = criteria_set.has_district_step
    counts = [
        StatusCount(value, label, found.get(value, 0))
        for value, label in Status.choices
        if with_districts or value != Status.REVIEWED
    ]
    districts = []
    if district is None and with_districts:
        districts = list(
            District.objects.filter(communes__in=scope.values("commune")).distinct().order_by("code", "pk")
        )
    chosen = next((d for d in districts if d.pk == district_pk), None)
    rows = scope.select_related("commune__district").annotate(
        has_late_step=Exists(Step.objects.filter(assessment=OuterRef("pk"), late=True))
    )
    status = status if status in Status.values else ""
    if status:
        rows = rows.filter(status=status)
    if chosen is not None:
        rows = rows.filter(commune__district=chosen)
    waiting_condition = waiting_filter(waiting)
    if waiting_condition is not None:
        rows = rows.filter(waiting_condition)
    else:
        waiting = ""
    deadline = criteria_set.submission_deadline
    today = clock.today()
    return Board(
        criteria_set=criteria_set,
        counts=counts,
        total=sum(found.values()),
        rows=[
            BoardRow(
                assessment=a,
                late=_is_late(a, deadline),
                overdue=a.status == Status.DRAFT and today > deadline,
                knockouts=[knockout_text(code, criteria_set) for code in a.knockouts],
            )
            for a in rows.order_by("commune__district__code", "unit_name", "pk")
        ],
        districts=districts,
        status=status,
        district=chosen,
        waiting=waiting,
        has_district_step=with_districts,
        comments=comment_period(criteria_set, today) if district is None else None,
        missing=missing_data(criteria_set) if district is None else [],
    )


@dataclass(frozen=True)
class BoardPoints:
    """The points of each board row per criteria group: what the board's spreadsheet adds to the page."""

    groups: list[CriteriaGroup]  # in the set's order
    points: dict[int, list[Decimal]]  # by assessment id, one figure per group


def board_points(*, data: Board) -> BoardPoints:
    """Each row's points per group, as the rankings count them (the appraised score, else the computed
    or self-assessed one): two queries whatever the number of rows."""
    if data.criteria_set is None:
        return BoardPoints(groups=[], points={})
    groups = list(data.criteria_set.groups.order_by("position", "code"))
    ids = [row.assessment.pk for row in data.rows]
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in (
        Line.objects.filter(assessment_id__in=ids)
        .values("assessment_id", "criterion__group_id")
        .order_by()
        .annotate(points=Sum(LINE_POINTS))
    ):
        found[row["assessment_id"]][row["criterion__group_id"]] = row["points"] or ZERO
    return BoardPoints(groups=groups, points={pk: [found[pk].get(group.pk, ZERO) for group in groups] for pk in ids})
