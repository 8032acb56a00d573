"""Feedback counted per commune, month of submission and category, for the dashboards' hourly rebuild
(portal/dashboards/refresh.py). Read by a task, never by a page: pages read what the task stored."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from core.clock import VIETNAM
from feedback.models import OPEN_STATUSES, Feedback, Status

NOT_COMPETENT = (Status.REFUSED, Status.FORWARDED)


@dataclass
class MonthFigures:
    """One commune's feedback of one month of submission."""

    counts: Counter = field(default_factory=Counter)
    answer_days: Counter = field(default_factory=Counter)  # whole days from submission to answer → items
    categories: dict[int, Counter] = field(default_factory=dict)


def _as_date(value) -> datetime.date:
    # TruncMonth gives an aware datetime on PostgreSQL and may give a date elsewhere.
    return value.date() if isinstance(value, datetime.datetime) else value


def feedback_by_month(*, since: datetime.date, today: datetime.date) -> dict[tuple[int, datetime.date], MonthFigures]:
    """Every commune's feedback submitted from ``since`` on, by month: received, within competence,
    answered, on time (answered by the due date), late (answered after it, or open past it), open past
    it, disputed; the days each answer took; the same by category. In one grouped query over the items."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min), VIETNAM)
    rows = (
        Feedback.objects.filter(submitted_at__gte=start)
        .annotate(
            month=TruncMonth("submitted_at", tzinfo=VIETNAM),
            submitted_on=TruncDate("submitted_at", tzinfo=VIETNAM),
            answered_on=TruncDate("answered_at", tzinfo=VIETNAM),
        )
        .values("commune_id", "category_id", "month", "submitted_on", "answered_on", "status", "due_date")
        .order_by()
        .annotate(n=Count("pk"), disputed=Count("pk", filter=Q(disputes__gt=0)))
    )
    figures: dict[tuple[int, datetime.date], MonthFigures] = {}
    for row in rows.iterator(chunk_size=5000):
        key = (row["commune_id"], _as_date(row["month"]))
        month = figures.get(key) or figures.setdefault(key, MonthFigures())
        n, answered_on, due = row["n"], row["answered_on"], row["due_date"]
        competent = row["status"] not in NOT_COMPETENT
        # An answer disputed and reopened is not handled until it is answered again: an item counts once,
        # on time, late or still open (scoring's monthly figures may count it both on time and late).
        still_open = row["status"] in OPEN_STATUSES
        handled = competent and answered_on is not None and not still_open
        on_time = handled and answered_on <= due
        open_overdue = competent and still_open and due < today
        late = (handled and answered_on > due) or open_overdue
        counts = month.counts
        counts["received"] += n
        counts["in_competence"] += n if competent else 0
        counts["answered"] += n if answered_on is not None else 0
        counts["on_time"] += n if on_time else 0
        counts["late"] += n if late else 0
        counts["open_overdue"] += n if open_overdue else 0
        counts["disputed"] += row["disputed"]
        if answered_on is not None:
            month.answer_days[max((answered_on - row["submitted_on"]).days, 0)] += n
        category = month.categories.get(row["category_id"]) or month.categories.setdefault(
            row["category_id"], Counter()
        )
        category["received"] += n
        category["on_time"] += n if on_time else 0
        category["late"] += n if late else 0
    return figures
