"""Feedback counted per commune and month, the figures scoring reads."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune


class MonthlyFigures(models.Model):
    """A commune's feedback of one month of submission, counted the way scoring reads it (Decision
    766/QĐ-TTg: items within the commune's competence, handled on time, late, rated unsatisfied).
    Rebuilt by ``feedback_monthly_refresh`` (hourly, and on demand); scoring never scans the items."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="feedback_months", verbose_name=_("commune")
    )
    month = models.DateField(verbose_name=_("month"))
    received = models.PositiveIntegerField(default=0, verbose_name=_("received"))
    in_competence = models.PositiveIntegerField(
        default=0, verbose_name=_("within competence")
    )  # neither refused nor forwarded
    on_time = models.PositiveIntegerField(default=0, verbose_name=_("on time"))  # answered by the due date
    late = models.PositiveIntegerField(
        default=0, verbose_name=_("late")
    )  # answered after the due date, or open past it
    rated = models.PositiveIntegerField(default=0, verbose_name=_("rated"))
    unsatisfied = models.PositiveIntegerField(default=0, verbose_name=_("unsatisfied"))  # rated 1 or 2 of 5
    refreshed_at = models.DateTimeField(verbose_name=_("refreshed at"))

    class Meta:
        verbose_name = _("monthly feedback figures")
        verbose_name_plural = _("monthly feedback figures")
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="feedback_monthly_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="feedback_monthly_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%m/%Y}: {self.on_time}/{self.in_competence}"
