"""Reads of oversight by residents and the Front (Law 10/2022/QH15, art. 30–31, 38): a decided matter's
execution and its totals, the reports residents send a board, the Front's supervision notes, and the
Front's overview of its commune. Each function costs a fixed number of queries, however many rows.

Public readers get ``PublicStep`` rows, which carry no recorder; reports are never handed to a public
page (no function here returns them for one).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from communes.models import Commune
from core import clock
from democracy.models import (
    Board,
    BoardKind,
    Conference,
    ConferenceStatus,
    Consultation,
    ConsultationStatus,
    Execution,
    ExecutionKind,
    Matter,
    MatterStatus,
    Recommendation,
    RecommendationStatus,
    Report,
    ReportStatus,
    SupervisionNote,
)

# The Front's overview lists this many of the newest records of each kind; the counts cover them all.
OVERVIEW_ROWS = 50


# --- Which board receives residents' reports --------------------------------------------------------


def inspection_board_in_office(*, commune: Commune, today: datetime.date | None = None) -> Board | None:
    """The commune's People's Inspection Board whose term covers ``today`` (the latest elected, if terms
    overlap on a handover day)."""
    today = today or clock.today()
    return (
        Board.objects.filter(
            commune=commune, kind=BoardKind.INSPECTION, term_starts_on__lte=today, term_ends_on__gte=today
        )
        .order_by("-term_starts_on", "-pk")
        .first()
    )


def board_in_office(board: Board, today: datetime.date | None = None) -> bool:
    today = today or clock.today()
    return board.term_starts_on <= today <= board.term_ends_on


# --- Execution ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStep:
    """One step as the public page shows it: what, when, how much, the document; never who typed it."""

    pk: int
    kind: str
    kind_label: str
    on: datetime.date
    amount: Decimal | None
    description: str
    has_document: bool


@dataclass(frozen=True)
class Totals:
    collected: Decimal
    spent: Decimal

    @property
    def balance(self) -> Decimal:
        return self.collected - self.spent

    @property
    def overspent(self) -> bool:
        return self.balance < 0


def totals_of(steps) -> Totals:
    """Money collected and spent over ``steps`` (no query: the steps are already loaded)."""
    collected = sum((s.amount or 0 for s in steps if s.kind == ExecutionKind.COLLECTED), Decimal(0))
    spent = sum((s.amount or 0 for s in steps if s.kind == ExecutionKind.SPENT), Decimal(0))
    return Totals(collected=collected, spent=spent)


@dataclass(frozen=True)
class ExecutionPanel:
    """The public matter page's section on how the decision is carried out."""

    steps: list[PublicStep]
    totals: Totals
    board: Board | None  # the board in office, which receives residents' reports
    has_money: bool = False


def steps_of_matter(*, matter: Matter) -> QuerySet[Execution]:
    """The matter's steps in date order (one query)."""
    return Execution.objects.filter(matter=matter).order_by("on", "pk")


def execution_for_public_page(*, matter: Matter) -> ExecutionPanel | None:
    """The steps and totals of a recognised matter; None for any other (nothing is carried out before the
    commune recognises the result). Two queries."""
    if matter.status != MatterStatus.RECOGNISED:
        return None
    steps = [
        PublicStep(
            pk=step.pk,
            kind=step.kind,
            kind_label=step.get_kind_display(),
            on=step.on,
            amount=step.amount,
            description=step.description,
            has_document=bool(step.document),
        )
        for step in steps_of_matter(matter=matter).only("pk", "kind", "on", "amount", "description", "document")
    ]
    return ExecutionPanel(
        steps=steps,
        totals=totals_of(steps),
        board=inspection_board_in_office(commune=matter.commune),
        has_money=any(step.kind in (ExecutionKind.COLLECTED, ExecutionKind.SPENT) for step in steps),
    )


def step_for_download(*, pk: int) -> Execution:
    """A step's document, for download; raises Execution.DoesNotExist when it has none or its matter is
    not recognised."""
    step = Execution.objects.select_related("matter").get(pk=pk, matter__status=MatterStatus.RECOGNISED)
    if not step.document:
        raise Execution.DoesNotExist
    return step


def steps_for_back_office(*, matter: Matter) -> list[Execution]:
    return list(steps_of_matter(matter=matter).select_related("created_by"))


@dataclass(frozen=True)
class StepVersion:
    when: datetime.datetime
    who: object
    reason: str
    kind_label: str
    on: datetime.date
    amount: Decimal | None
    description: str
    document: str


def step_history(*, matter: Matter | None = None, step: Execution | None = None, limit: int = 200) -> list[StepVersion]:
    """Every version of the matter's (or one step's) steps, newest first: a correction never erases what
    was first recorded. One query."""
    versions = Execution.history.select_related("history_user").order_by("-history_date", "-history_id")
    versions = versions.filter(id=step.pk) if step is not None else versions.filter(matter_id=matter.pk)
    labels = dict(ExecutionKind.choices)
    return [
        StepVersion(
            when=v.history_date,
            who=v.history_user,
            reason=v.history_change_reason or "",
            kind_label=str(labels.get(v.kind, v.kind)),
            on=v.on,
            amount=v.amount,
            description=v.description,
            document=str(v.document or ""),  # history keeps the file's name as text
        )
        for v in versions[:limit]
    ]


# --- Reports to a board ------------------------------------------------------------------------------

_REPORT_ORDER = Case(
    When(status=ReportStatus.RECEIVED, then=Value(0)),
    When(status=ReportStatus.CHECKING, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def reports_for_board(*, board: Board) -> list[Report]:
    """The board's queue: new reports first, then those being checked, then closed ones; newest first in
    each. With their author and matter, in one query (the board's back-office page includes
    templates/democracy/manage/_board_reports.html with them)."""
    return list(
        Report.objects.filter(board=board)
        .select_related("author", "matter", "execution")
        .annotate(queue_order=_REPORT_ORDER)
        .order_by("queue_order", "-created_at", "-pk")
    )


def report_for_board_page(*, pk: int) -> Report:
    """Raises Report.DoesNotExist."""
    return Report.objects.select_related("board__commune__province", "author", "matter", "execution").get(pk=pk)


def report_history(*, report: Report) -> list:
    return list(report.history.select_related("history_user").order_by("-history_date", "-history_id"))


def reports_of_author(*, user) -> list[Report]:
    """The reports ``user`` sent, newest first, with where they went (one query). Never anyone else's."""
    if not user.is_authenticated:
        return []
    return list(
        Report.objects.filter(author=user)
        .select_related("board__commune", "matter", "execution")
        .order_by("-created_at", "-pk")
    )


# --- The Front's supervision ---------------------------------------------------------------------------


def notes_of_commune(*, commune: Commune) -> list[SupervisionNote]:
    return list(
        SupervisionNote.objects.filter(commune=commune)
        .select_related("created_by", "consultation", "matter", "recommendation")
        .order_by("-created_at", "-pk")
    )


def note_for_download(*, pk: int) -> SupervisionNote:
    """Raises SupervisionNote.DoesNotExist (also when it has no document)."""
    note = SupervisionNote.objects.select_related("commune__province").get(pk=pk)
    if not note.document:
        raise SupervisionNote.DoesNotExist
    return note


def note_targets(*, commune: Commune) -> dict[str, QuerySet]:
    """What a note may be about: the commune's consultations, matters and recommendations."""
    return {
        "consultation": Consultation.objects.filter(commune=commune).order_by("-opens_on", "-pk"),
        "matter": Matter.objects.filter(commune=commune).exclude(status=MatterStatus.DRAFT).order_by("-created_at"),
        "recommendation": Recommendation.objects.filter(board__commune=commune).order_by("-received_on", "-pk"),
    }


@dataclass
class Overview:
    """The commune Front committee's page: every kind of record of its commune, counted and listed."""

    consultations: dict[str, int]
    matters: dict[str, int]
    conferences: dict[str, int]
    recommendations: dict[str, int]
    reports: dict[str, int]
    consultation_rows: list[Consultation] = field(default_factory=list)
    matter_rows: list[Matter] = field(default_factory=list)
    conference_rows: list[Conference] = field(default_factory=list)
    recommendation_rows: list[Recommendation] = field(default_factory=list)
    notes: list[SupervisionNote] = field(default_factory=list)
    board: Board | None = None
    today: datetime.date | None = None


def _by_status(queryset, statuses, **extra) -> dict[str, int]:
    """One aggregate query: the total, one count per status, and the ``extra`` filtered counts."""
    counts = queryset.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in statuses},
        **{name: Count("pk", filter=condition) for name, condition in extra.items()},
    )
    return {key: value or 0 for key, value in counts.items()}


def front_overview(*, commune: Commune, today: datetime.date | None = None) -> Overview:
    """Counts by state and the newest rows of the commune's consultations, matters, conferences and
    recommendations, with the Front's notes and its inspection board's report counts. Eleven queries,
    whatever the commune holds."""
    today = today or clock.today()
    consultations = Consultation.objects.filter(commune=commune)
    matters = Matter.objects.filter(commune=commune)
    conferences = Conference.objects.filter(commune=commune)
    recommendations = Recommendation.objects.filter(board__commune=commune)
    overdue = Q(status=RecommendationStatus.AWAITING, due_on__lt=today)
    board = inspection_board_in_office(commune=commune, today=today)
    return Overview(
        consultations=_by_status(consultations, ConsultationStatus.values),
        matters=_by_status(matters, MatterStatus.values),
        conferences=_by_status(conferences, ConferenceStatus.values),
        recommendations=_by_status(recommendations, RecommendationStatus.values, overdue=overdue),
        reports=_by_status(Report.objects.filter(board__commune=commune), ReportStatus.values),
        consultation_rows=list(consultations.order_by("-opens_on", "-pk")[:OVERVIEW_ROWS]),
        matter_rows=list(matters.select_related("village").order_by("-created_at", "-pk")[:OVERVIEW_ROWS]),
        conference_rows=list(conferences.order_by("-starts_at", "-pk")[:OVERVIEW_ROWS]),
        recommendation_rows=list(
            recommendations.select_related("board").order_by("-received_on", "-pk")[:OVERVIEW_ROWS]
        ),
        notes=list(
            SupervisionNote.objects.filter(commune=commune)
            .select_related("created_by")
            .order_by("-created_at", "-pk")[:OVERVIEW_ROWS]
        ),
        board=board,
        today=today,
    )
