"""What waits in the workspace for the roles of grassroots democracy, in one query per role kind."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from democracy.models import (
    BoardMember,
    Decision,
    DecisionStatus,
    Form,
    Matter,
    MatterStatus,
    Recommendation,
    RecommendationStatus,
)


def village_inbox_counts(*, village_ids: set[int]) -> dict[tuple[int, str], int]:
    """(village_id, what) → how many, for the villages given: "to_record" (a meeting held or due whose
    result is not in), "to_count" (ballots or a vote whose time is over), "to_cosign", "to_send"."""
    if not village_ids:
        return {}
    now = timezone.now()
    counts: Counter = Counter()
    rows = Decision.objects.filter(
        village_id__in=village_ids,
        status__in=[DecisionStatus.OPEN, DecisionStatus.COUNTED, DecisionStatus.COSIGNED],
    ).values_list("village_id", "status", "form", "starts_at", "ends_at")
    for village_id, status, form, starts_at, ends_at in rows:
        if status == DecisionStatus.OPEN:
            if form == Form.MEETING and starts_at <= now:
                counts[village_id, "to_record"] += 1
            elif form != Form.MEETING and ends_at and ends_at <= now:
                counts[village_id, "to_count"] += 1
        elif status == DecisionStatus.COUNTED:
            counts[village_id, "to_cosign"] += 1
        else:
            counts[village_id, "to_send"] += 1
    return dict(counts)


def matters_awaiting_recognition(*, commune_ids: set[int]) -> dict[int, int]:
    """commune_id → matters whose every village sent its result, waiting for the commune's ruling."""
    if not commune_ids:
        return {}
    return Counter(
        Matter.objects.filter(commune_id__in=commune_ids, status=MatterStatus.DECIDED).values_list(
            "commune_id", flat=True
        )
    )


# --- Oversight boards (art. 36-40) ------------------------------------------------------------------------


def recommendations_awaiting(*, commune_ids: set[int], today: datetime.date) -> dict[int, tuple[int, int]]:
    """commune_id → (recommendations of its boards awaiting the commune's answer, of them overdue)."""
    if not commune_ids:
        return {}
    rows = (
        Recommendation.objects.filter(board__commune_id__in=commune_ids, status=RecommendationStatus.AWAITING)
        .values("board__commune_id")
        .order_by()
        .annotate(awaiting=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    return {row["board__commune_id"]: (row["awaiting"], row["overdue"]) for row in rows}


def recommendations_awaiting_by_board(*, board_ids: set[int], today: datetime.date) -> dict[int, tuple[int, int]]:
    """board_id → (its recommendations awaiting the commune's answer, of them overdue)."""
    if not board_ids:
        return {}
    rows = (
        Recommendation.objects.filter(board_id__in=board_ids, status=RecommendationStatus.AWAITING)
        .values("board_id")
        .order_by()
        .annotate(awaiting=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    return {row["board_id"]: (row["awaiting"], row["overdue"]) for row in rows}


def recommendations_overdue_by_province(*, province_ids: set[int], today: datetime.date) -> dict[int, int]:
    """province_id → recommendations still awaiting after their due date, by the board's commune's province."""
    if not province_ids:
        return {}
    rows = (
        Recommendation.objects.filter(
            board__commune__province_id__in=province_ids, status=RecommendationStatus.AWAITING, due_on__lt=today
        )
        .values("board__commune__province_id")
        .order_by()
        .annotate(count=Count("pk"))
    )
    return {row["board__commune__province_id"]: row["count"] for row in rows}


def board_seats(*, user) -> list[BoardMember]:
    """The seats ``user`` holds today on a board, with the board and its commune (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        BoardMember.objects.filter(account=user, left_on__isnull=True)
        .select_related("board__commune")
        .order_by("board__commune__name", "board__kind", "-board__term_starts_on")
    )
