"""Reads of monthly dossier statistics: the recent months a commune's page shows and the officers'
back office."""

from __future__ import annotations

import datetime

from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast, NullIf

from communes.models import FIGURES, Commune, DossierStatistics

STATISTICS_MONTHS = 12


def statistics_list_for_commune(*, commune: Commune) -> list[DossierStatistics]:
    """Every month of the commune, newest first, each with ``figure_values`` (in ``FIGURES`` order) and
    ``on_time_percent`` (None when nothing was resolved). One query whatever the number of months."""
    rows = list(DossierStatistics.objects.filter(commune=commune).order_by("-month"))
    for row in rows:
        row.figure_values = [getattr(row, name) for name in FIGURES]
        share = row.on_time_share
        row.on_time_percent = None if share is None else round(share * 100, 1)
    return rows


def statistics_for_month(*, commune: Commune, month: datetime.date) -> DossierStatistics | None:
    return DossierStatistics.objects.filter(commune=commune, month=month).first()


def statistics_changes(*, statistics: DossierStatistics, limit: int = 10):
    """The month's saved versions, newest first, with who saved them."""
    return statistics.history.select_related("history_user").order_by("-history_date")[:limit]


def statistics_recent(*, commune: Commune, months: int = STATISTICS_MONTHS) -> list[DossierStatistics]:
    """The latest reported months, newest first, each with ``resolved_total`` and ``on_time_percent``
    (None when nothing was resolved)."""
    resolved = F("resolved_early") + F("resolved_on_time") + F("resolved_late")
    return list(
        DossierStatistics.objects.filter(commune=commune)
        .annotate(
            resolved_total=resolved,
            on_time_percent=Value(100.0)
            * Cast(F("resolved_early") + F("resolved_on_time"), FloatField())
            / Cast(NullIf(resolved, Value(0)), FloatField()),
        )
        .order_by("-month")[:months]
    )
