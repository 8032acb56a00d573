"""Reads of the oversight boards (Law 10/2022/QH15, art. 36–40): a commune's boards, one board's members,
documents and recommendations, the commune's recommendations and the province's overdue ones.

Public pages receive plain rows built here (``PublicMember``, ``PublicRecommendation``): a member's name,
position and village, which are a public office, never the linked account; a recommendation only once
the commune has answered it, never who typed it or who answered. Every function costs a fixed number of
queries, however many rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy

from communes.models import Commune, Province
from core import clock
from democracy.models import (
    Board,
    BoardDocument,
    BoardMember,
    Category,
    DocumentKind,
    Matter,
    MatterStatus,
    Position,
    Recommendation,
    RecommendationStatus,
)
from democracy.services.boards import INSPECTION_BOARD_MIN_MEMBERS

# A recommendation's state as pages show it (Recommendation.state).
STATE_LABELS = {
    "awaiting": gettext_lazy("awaiting the commune's answer"),
    "overdue": gettext_lazy("overdue: not answered in 15 days"),
    "on_time": gettext_lazy("answered on time"),
    "late": gettext_lazy("answered late"),
}
STATES = tuple(STATE_LABELS)

# The history's reasons are written in English by the services; readers see them in their language.
REASONS = {
    "created": gettext_lazy("board recorded"),
    "corrected": gettext_lazy("corrected"),
    "elected": gettext_lazy("member recorded"),
    "left": gettext_lazy("member left the board"),
    "added": gettext_lazy("document added"),
    "received": gettext_lazy("received by the commune"),
    "answered": gettext_lazy("answered by the commune"),
    "answered late": gettext_lazy("answered by the commune, late"),
    "escalated": gettext_lazy("escalated to the Department of Home Affairs"),
    "mailed": gettext_lazy("mailed to the Department of Home Affairs"),
}

_POSITION_ORDER = Case(
    When(position=Position.HEAD, then=Value(0)),
    When(position=Position.DEPUTY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


# --- Figures -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Recommendations the commune received in ``year``: how many, answered, answered on time."""

    year: int
    received: int = 0
    answered: int = 0
    on_time: int = 0


def recommendation_figures(*, year: int, commune: Commune | None = None, board: Board | None = None) -> Figures:
    """One aggregate query, over a commune's boards or one board."""
    recommendations = Recommendation.objects.filter(received_on__year=year)
    recommendations = recommendations.filter(board=board) if board is not None else recommendations
    recommendations = recommendations.filter(board__commune=commune) if commune is not None else recommendations
    answered = Q(status=RecommendationStatus.ANSWERED)
    counts = recommendations.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
    )
    return Figures(year=year, **{key: value or 0 for key, value in counts.items()})


# --- Public -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicMember:
    full_name: str
    position: str
    position_label: str
    village: str
    left_on: datetime.date | None


@dataclass(frozen=True)
class PublicDocument:
    pk: int
    kind: str
    kind_label: str
    period_label: str
    title: str
    dated: datetime.date
    text: str
    has_file: bool


@dataclass(frozen=True)
class PublicRecommendation:
    pk: int
    title: str
    text: str
    received_on: datetime.date
    due_on: datetime.date
    answered_on: datetime.date
    answer: str
    on_time: bool
    has_answer_document: bool
    report: PublicDocument | None


def _public_document(document: BoardDocument) -> PublicDocument:
    return PublicDocument(
        pk=document.pk,
        kind=document.kind,
        kind_label=document.get_kind_display(),
        period_label=document.get_period_display() if document.period else "",
        title=document.title,
        dated=document.dated,
        text=document.text,
        has_file=bool(document.file),
    )


def _public_recommendation(recommendation: Recommendation) -> PublicRecommendation:
    report = recommendation.report
    return PublicRecommendation(
        pk=recommendation.pk,
        title=recommendation.title,
        text=recommendation.text,
        received_on=recommendation.received_on,
        due_on=recommendation.due_on,
        answered_on=recommendation.answered_on,
        answer=recommendation.answer,
        on_time=recommendation.answered_on_time(),
        has_answer_document=bool(recommendation.answer_document),
        report=_public_document(report) if report is not None else None,
    )


def _members(board_id: int) -> QuerySet[BoardMember]:
    return (
        BoardMember.objects.filter(board_id=board_id)
        .select_related("village")
        .annotate(position_order=_POSITION_ORDER)
        .order_by("position_order", "full_name", "pk")
    )


@dataclass(frozen=True)
class BoardsPanel:
    """The commune democracy page's section on its boards (templates/democracy/public/_boards_panel.html)."""

    in_office: list[Board]
    past: list[Board]
    figures: Figures

    def __bool__(self) -> bool:
        return bool(self.in_office or self.past)


def boards_for_commune(*, commune: Commune, today: datetime.date | None = None) -> BoardsPanel:
    """The commune's boards (those in office first, each with its number of members) and this year's
    figures of recommendations. Two queries."""
    today = today or clock.today()
    boards = list(
        Board.objects.filter(commune=commune)
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("kind", "-term_starts_on", "pk")
    )
    return BoardsPanel(
        in_office=[board for board in boards if board.in_office(today)],
        past=[board for board in boards if not board.in_office(today)],
        figures=recommendation_figures(year=today.year, commune=commune),
    )


@dataclass(frozen=True)
class BoardPage:
    board: Board
    members: list[PublicMember]
    former_members: list[PublicMember]
    documents: list[PublicDocument]
    recommendations: list[PublicRecommendation]
    figures: Figures
    in_office: bool


def board_for_public_page(*, pk: int, today: datetime.date | None = None) -> BoardPage:
    """The board, its members, documents and ANSWERED recommendations; raises Board.DoesNotExist. Five
    queries, whatever the board holds."""
    today = today or clock.today()
    board = Board.objects.select_related("commune__province", "commune__district", "elected_by").get(pk=pk)
    members = [
        PublicMember(
            full_name=member.full_name,
            position=member.position,
            position_label=member.get_position_display(),
            village=str(member.village) if member.village_id else "",
            left_on=member.left_on,
        )
        for member in _members(board.pk)
    ]
    documents = BoardDocument.objects.filter(board=board).order_by("-dated", "-pk")
    recommendations = (
        Recommendation.objects.filter(board=board, status=RecommendationStatus.ANSWERED)
        .select_related("report")
        .order_by("-received_on", "-pk")
    )
    return BoardPage(
        board=board,
        members=[member for member in members if member.left_on is None],
        former_members=[member for member in members if member.left_on is not None],
        documents=[_public_document(document) for document in documents],
        recommendations=[_public_recommendation(recommendation) for recommendation in recommendations],
        figures=recommendation_figures(year=today.year, board=board),
        in_office=board.in_office(today),
    )


def recommendation_for_public_page(*, pk: int) -> tuple[PublicRecommendation, Board]:
    """Public only once answered: raises Recommendation.DoesNotExist before. One query."""
    recommendation = Recommendation.objects.select_related(
        "board__commune__province", "board__commune__district", "report"
    ).get(pk=pk, status=RecommendationStatus.ANSWERED)
    return _public_recommendation(recommendation), recommendation.board


def document_for_download(*, pk: int) -> BoardDocument:
    """A board's document with its PDF; raises BoardDocument.DoesNotExist when it has none."""
    document = BoardDocument.objects.get(pk=pk)
    if not document.file:
        raise BoardDocument.DoesNotExist
    return document


def answer_for_download(*, pk: int) -> Recommendation:
    """The commune's answer (PDF) to an answered recommendation; raises Recommendation.DoesNotExist."""
    recommendation = Recommendation.objects.get(pk=pk, status=RecommendationStatus.ANSWERED)
    if not recommendation.answer_document:
        raise Recommendation.DoesNotExist
    return recommendation


# --- Back office -----------------------------------------------------------------------------------------


def boards_of_commune(*, commune: Commune) -> list[Board]:
    """The commune's boards with their members today and their recommendations awaiting, overdue. One
    query."""
    today = clock.today()
    awaiting = Q(recommendations__status=RecommendationStatus.AWAITING)
    boards = list(
        Board.objects.filter(commune=commune)
        .select_related("elected_by")
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            awaiting_count=Count("recommendations", filter=awaiting, distinct=True),
            overdue_count=Count(
                "recommendations", filter=awaiting & Q(recommendations__due_on__lt=today), distinct=True
            ),
        )
        .order_by("kind", "-term_starts_on", "pk")
    )
    for board in boards:
        board.too_few = too_few_members(board, board.member_count)
        board.is_in_office = board.in_office(today)
    return boards


def too_few_members(board: Board, members: int) -> bool:
    """Art. 36: a People's Inspection Board has at least 5 members; pages warn while it has fewer."""
    return board.is_inspection and members < INSPECTION_BOARD_MIN_MEMBERS


def members_for_back_office(*, board: Board) -> list[BoardMember]:
    """Every member, those who left last, with the linked account (one query)."""
    members = list(_members(board.pk).select_related("account"))
    return [m for m in members if m.left_on is None] + [m for m in members if m.left_on is not None]


def election_matters(*, commune: Commune) -> QuerySet[Matter]:
    """The matters a board may have been elected by: the commune's recognised elections (item 5)."""
    return Matter.objects.filter(commune=commune, category=Category.BOARDS, status=MatterStatus.RECOGNISED).order_by(
        "-recognised_on", "-pk"
    )


def reports_of_board(*, board: Board) -> QuerySet[BoardDocument]:
    return BoardDocument.objects.filter(board=board, kind=DocumentKind.REPORT).order_by("-dated", "-pk")


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: Recommendation
    state: str
    state_label: str
    days_overdue: int = 0


def _rows(recommendations, today: datetime.date) -> list[RecommendationRow]:
    rows = []
    for recommendation in recommendations:
        state = recommendation.state(today)
        rows.append(
            RecommendationRow(
                recommendation=recommendation,
                state=state,
                state_label=STATE_LABELS[state],
                days_overdue=(today - recommendation.due_on).days if state == "overdue" else 0,
            )
        )
    return rows


@dataclass(frozen=True)
class Queue:
    """A board's own page: its documents, its recommendations with their state."""

    documents: list[BoardDocument]
    recommendations: list[RecommendationRow]
    member_count: int
    too_few: bool


def board_queue(*, board: Board, today: datetime.date | None = None) -> Queue:
    """Three queries."""
    today = today or clock.today()
    documents = list(BoardDocument.objects.filter(board=board).select_related("created_by").order_by("-dated", "-pk"))
    recommendations = (
        Recommendation.objects.filter(board=board).select_related("report").order_by("-received_on", "-pk")
    )
    members = BoardMember.objects.filter(board=board, left_on__isnull=True).count()
    return Queue(
        documents=documents,
        recommendations=_rows(recommendations, today),
        member_count=members,
        too_few=too_few_members(board, members),
    )


# Awaiting first (the oldest due first), then the answered ones, newest answer first.
_AWAITING_FIRST = Case(
    When(status=RecommendationStatus.AWAITING, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def recommendations_of_commune(*, commune: Commune, state: str = "") -> QuerySet[Recommendation]:
    """The commune's recommendations from all its boards; ``state`` keeps one state (STATES)."""
    today = clock.today()
    recommendations = Recommendation.objects.filter(board__commune=commune)
    awaiting = Q(status=RecommendationStatus.AWAITING)
    answered = Q(status=RecommendationStatus.ANSWERED)
    on_time = answered & Q(answered_on__lte=F("due_on"))
    filters = {
        "awaiting": awaiting,
        "overdue": awaiting & Q(due_on__lt=today),
        "on_time": on_time,
        "late": answered & Q(answered_on__gt=F("due_on")),
    }
    if state in filters:
        recommendations = recommendations.filter(filters[state])
    return (
        recommendations.select_related("board")
        .annotate(awaiting_first=_AWAITING_FIRST)
        .order_by("awaiting_first", "due_on", "-answered_on", "-pk")
    )


def recommendation_rows(recommendations) -> list[RecommendationRow]:
    return _rows(recommendations, clock.today())


def recommendation_for_back_office(*, recommendation: Recommendation) -> Recommendation:
    return Recommendation.objects.select_related("board__commune", "report", "answered_by", "created_by").get(
        pk=recommendation.pk
    )


def provinces_covered(province: Province) -> list[int]:
    """The province and those it took over: their communes' records are its own now."""
    return [province.pk, *Province.objects.filter(successors=province).values_list("pk", flat=True)]


def recommendations_overdue_for_province(*, province: Province, today: datetime.date | None = None) -> QuerySet:
    """Recommendations still awaiting the commune's answer after their due date, in the province's communes
    (and those of the provinces it took over); the longest overdue first."""
    today = today or clock.today()
    return (
        Recommendation.objects.filter(
            status=RecommendationStatus.AWAITING,
            due_on__lt=today,
            board__commune__province_id__in=provinces_covered(province),
        )
        .select_related("board__commune")
        .order_by("due_on", "pk")
    )


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    reason: str
    what: str


def _history(queryset, what, limit: int) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            when=h.history_date,
            who=h.history_user,
            reason=str(REASONS.get(h.history_change_reason or "", h.history_change_reason or "")),
            what=what(h),
        )
        for h in queryset.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    ]


def board_history(*, board: Board, limit: int = 100) -> list[HistoryEntry]:
    """Who changed the board and its members, and when, newest first (two queries)."""
    entries = _history(board.history.all(), lambda h: "", limit)
    entries += _history(BoardMember.history.filter(board_id=board.pk), lambda h: h.full_name, limit)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def recommendation_history(*, recommendation: Recommendation, limit: int = 50) -> list[HistoryEntry]:
    return _history(recommendation.history.all(), lambda h: "", limit)
