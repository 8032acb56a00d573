"""What waits for staff on the feedback side, for the workspace inboxes.

Counts are keyed by the unit the row belongs to (an item's own commune or province); the workspace adds
up the units a role covers. Each count is one grouped query, whatever the number of units in scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from accounts.models import Role
from accounts.selectors import UserScope
from feedback.models import Feedback


@dataclass(frozen=True)
class QueueCounts:
    """A commune's items waiting for an answer; ``overdue`` of them are past their due date."""

    open: int = 0
    overdue: int = 0

    def __add__(self, other: QueueCounts) -> QueueCounts:
        return QueueCounts(open=self.open + other.open, overdue=self.overdue + other.overdue)


@dataclass(frozen=True)
class FeedbackInbox:
    # The open items of each commune an officer works on (and of the communes it replaced).
    by_commune: dict[int, QueueCounts] = field(default_factory=dict)
    # The overdue items of each province DoHA staff work on, by the item's commune's province.
    overdue_by_province: dict[int, int] = field(default_factory=dict)


def inbox_counts(*, scope: UserScope, today: datetime.date) -> FeedbackInbox:
    """Open and overdue items of the officer's communes; overdue items of DoHA's provinces. At most
    two queries. "Overdue" is the queue's ``overdue`` filter and the overdue page's: open, due before today."""
    by_commune: dict[int, QueueCounts] = {}
    if scope.officer_communes:
        rows = (
            Feedback.objects.open()
            .filter(commune_id__in=scope.officer_communes)
            .values("commune_id")
            .order_by()
            .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
        )
        by_commune = {row["commune_id"]: QueueCounts(open=row["open"], overdue=row["overdue"]) for row in rows}
    overdue_by_province: dict[int, int] = {}
    provinces = scope.province_roles.get(Role.DOHA_STAFF, frozenset())
    if provinces:
        rows = (
            Feedback.objects.overdue(today)
            .filter(commune__province_id__in=provinces)
            .values("commune__province_id")
            .order_by()
            .annotate(count=Count("pk"))
        )
        overdue_by_province = {row["commune__province_id"]: row["count"] for row in rows}
    return FeedbackInbox(by_commune=by_commune, overdue_by_province=overdue_by_province)
