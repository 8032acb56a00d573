"""Monthly dossier statistics of a commune's one-stop shop."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models.units import Commune

# The figures in the order officers' spreadsheets carry them.
FIGURES = [
    "received",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "late_with_apology",
    "resolved_same_day",
    "submitted_online",
    "paid_online",
    "digitised",
    "pending",
]


class DossierStatistics(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="dossier_statistics", verbose_name=_("commune")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    received = models.PositiveIntegerField(_("received"))
    resolved_early = models.PositiveIntegerField(_("resolved early"))
    resolved_on_time = models.PositiveIntegerField(_("resolved on time"))
    resolved_late = models.PositiveIntegerField(_("resolved late"))
    late_with_apology = models.PositiveIntegerField(_("late, with an apology letter"))
    resolved_same_day = models.PositiveIntegerField(_("resolved within the day"))
    submitted_online = models.PositiveIntegerField(_("submitted online"))
    paid_online = models.PositiveIntegerField(_("paid online"))
    digitised = models.PositiveIntegerField(_("digitised"))
    pending = models.PositiveIntegerField(_("pending"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier statistics")
        verbose_name_plural = _("dossier statistics")
        ordering = ["commune", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "month"],
                name="dossier_statistics_one_per_month",
                violation_error_message=_("This month already has figures."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="dossier_statistics_month_first_day"),
            models.CheckConstraint(
                condition=Q(received__gte=F("resolved_early") + F("resolved_on_time") + F("resolved_late")),
                name="dossier_statistics_resolved_within_received",
                violation_error_message=_("More dossiers resolved than received."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_same_day__lte=F("resolved_early") + F("resolved_on_time") + F("resolved_late")),
                name="dossier_statistics_same_day_within_resolved",
                violation_error_message=_("More dossiers resolved within the day than resolved."),
            ),
            models.CheckConstraint(
                condition=Q(submitted_online__lte=F("received")),
                name="dossier_statistics_online_within_received",
                violation_error_message=_("More dossiers submitted online than received."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_late__gte=F("late_with_apology")),
                name="dossier_statistics_apologies_within_late",
                violation_error_message=_("More apology letters than late dossiers."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.month:%m/%Y}"

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def on_time_share(self) -> float | None:
        """Share of resolved dossiers resolved early or on time."""
        return (self.resolved_early + self.resolved_on_time) / self.resolved if self.resolved else None
