"""The monthly feedback figures that scoring reads, rebuilt from the items in one grouped query."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from core import clock, pagecache
from core.clock import VIETNAM, month_start
from feedback.models import OPEN_STATUSES, Feedback, MonthlyFigures, Status

# Months rebuilt by the hourly task: an old item can still be answered, rated or become overdue.
REFRESH_MONTHS = 14
UNSATISFIED_UP_TO = 2


@transaction.atomic
def feedback_monthly_refresh(*, since: datetime.date | None = None, today: datetime.date | None = None) -> int:
    """Rebuild every commune's figures of the months from ``since`` (default: the last 14 months) in
    one grouped aggregate; returns the number of rows written."""
    today = today or clock.today()
    since = month_start(since) if since else month_start(today, REFRESH_MONTHS - 1)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min), VIETNAM)
    competent = ~Q(status__in=[Status.REFUSED, Status.FORWARDED])
    answered_on = TruncDate("answered_at", tzinfo=VIETNAM)
    answered = Q(answered_at__isnull=False)
    rows = (
        Feedback.objects.filter(submitted_at__gte=start)
        .annotate(month=TruncMonth("submitted_at", tzinfo=VIETNAM))
        .values("commune_id", "month")
        .order_by()
        .annotate(
            received=Count("pk"),
            in_competence=Count("pk", filter=competent),
            on_time=Count("pk", filter=competent & answered & Q(LessThanOrEqual(answered_on, F("due_date")))),
            late=Count(
                "pk",
                filter=competent
                & (
                    (answered & Q(GreaterThan(answered_on, F("due_date"))))
                    | Q(status__in=OPEN_STATUSES, due_date__lt=today)
                ),
            ),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            unsatisfied=Count("pk", filter=Q(rating__lte=UNSATISFIED_UP_TO)),
        )
    )
    now = timezone.now()
    figures = []
    for row in rows:
        month = row.pop("month")
        # TruncMonth gives an aware datetime on PostgreSQL and may give a date elsewhere.
        month = month.date() if isinstance(month, datetime.datetime) else month
        figures.append(MonthlyFigures(month=month, refreshed_at=now, **row))
    MonthlyFigures.objects.filter(month__gte=since).delete()
    MonthlyFigures.objects.bulk_create(figures, batch_size=2000)
    pagecache.bump("site")
    return len(figures)
