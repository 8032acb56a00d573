"""The hourly rebuild of the dashboards' aggregates (``CommuneMonth``, ``CategoryMonth``) from each app's
monthly figures. The months rebuilt are the recent ones: an old item can still be answered, rated,
disputed or become overdue, a consultation closed, a recommendation answered."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from communes.models import Commune, DossierStatistics
from core import clock, pagecache
from core.clock import month_end, month_start, months_between
from feedback.selectors.figures import feedback_by_month
from portal.models import ANSWER_DAYS_KEPT, MONTH_COUNTS, SIPAS_SLOTS, CategoryMonth, CommuneMonth
from scoring.services.computation.metrics import SIPAS, democracy_counts, disclosure_counts
from surveys.selectors.figures import satisfaction_by_month

REFRESH_MONTHS = 14
DOSSIER_FIELDS = [name for name in MONTH_COUNTS if name.startswith("dossiers_")]

# The democracy source's counts (scoring's, per period) kept per month, under the aggregate's names.
DEMOCRACY_FIGURES = {
    "matters_recognised": "matters_recognised",
    "matters_refused": "matters_refused",
    "consultations": "consultations",
    "consultations_on_time": "consultations_on_time",
    "recommendations": "recommendations",
    "recommendations_on_time": "answered_on_time",
}


def _histogram(days: dict[int, int]) -> list[int]:
    if not days:
        return []
    buckets = [0] * (min(max(days), ANSWER_DAYS_KEPT) + 1)
    for day, n in days.items():
        buckets[min(day, ANSWER_DAYS_KEPT)] += n
    return buckets


@transaction.atomic
def dashboard_refresh(*, since: datetime.date | None = None, today: datetime.date | None = None) -> int:
    """Rebuild every commune's monthly figures from ``since`` (default: the last 14 months) to this
    month; returns the number of commune-months written. The dossier statistics are copied as they are;
    disclosures and the democracy records are
    counted by scoring's own sources month by month, so the dashboards and the scores read one rule."""
    today = today or clock.today()
    since = month_start(since) if since else month_start(today, REFRESH_MONTHS - 1)
    months = months_between(since, today)
    now = timezone.now()
    rows: dict[tuple[int, datetime.date], CommuneMonth] = {}

    def row(commune_id: int, month: datetime.date) -> CommuneMonth:
        key = (commune_id, month)
        if key not in rows:
            rows[key] = CommuneMonth(commune_id=commune_id, month=month, refreshed_at=now)
        return rows[key]

    for (commune_id, month), slots in satisfaction_by_month(
        questionnaire_code=SIPAS, slots=SIPAS_SLOTS, since=since
    ).items():
        target = row(commune_id, month)
        for slot, (answered, satisfied) in slots.items():
            setattr(target, f"sipas_answered_{slot}", answered)
            setattr(target, f"sipas_satisfied_{slot}", satisfied)

    categories = []
    for (commune_id, month), figures in feedback_by_month(since=since, today=today).items():
        target = row(commune_id, month)
        for name, value in figures.counts.items():
            setattr(target, f"feedback_{name}", value)
        target.feedback_answer_days = _histogram(figures.answer_days)
        categories += [
            CategoryMonth(commune_id=commune_id, month=month, category_id=category, **counts)
            for category, counts in figures.categories.items()
        ]

    dossier_figures = [name.removeprefix("dossiers_") for name in DOSSIER_FIELDS]
    dossiers = DossierStatistics.objects.filter(month__gte=since).values_list("commune_id", "month", *dossier_figures)
    for commune_id, month, *values in dossiers.iterator(chunk_size=5000):
        target = row(commune_id, month)
        for name, value in zip(DOSSIER_FIELDS, values, strict=True):
            setattr(target, name, value)

    # Any commune may have records: the sources are asked for all of them, a few grouped queries a month.
    everyone = list(Commune.objects.values_list("pk", flat=True))
    for month in months:
        last = min(month_end(month), today)
        for commune_id, counts in disclosure_counts(everyone, month, last).items():
            target = row(commune_id, month)
            target.disclosures, target.disclosures_on_time = counts["items"], counts["on_time"]
        for commune_id, counts in democracy_counts(everyone, month, last).items():
            target = row(commune_id, month)
            for name, source in DEMOCRACY_FIGURES.items():
                setattr(target, name, counts[source])

    CommuneMonth.objects.filter(month__gte=since).delete()
    CommuneMonth.objects.bulk_create(rows.values(), batch_size=2000)
    CategoryMonth.objects.filter(month__gte=since).delete()
    CategoryMonth.objects.bulk_create(categories, batch_size=2000)
    pagecache.bump("site")  # written in bulk, past the models' signals
    return len(rows)
