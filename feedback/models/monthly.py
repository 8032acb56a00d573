"""Feedback counted per commune and month, the figures scoring reads."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from communes.models import Commune


class MonthlyFigures(models.Model):
    """A commune's feedback of one month of submission, counted the way scoring reads it (Decision
    766/QĐ-TTg: items within the commune's competence, handled on time, late, rated unsatisfied).
    Rebuilt by ``feedback_monthly_refresh`` (hourly, and on demand); scoring never scans the items."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="feedback_months")
    month = models.DateField()
    received = models.PositiveIntegerField(default=0)
    in_competence = models.PositiveIntegerField(default=0)  # neither refused nor forwarded
    on_time = models.PositiveIntegerField(default=0)  # answered by the due date
    late = models.PositiveIntegerField(default=0)  # answered after the due date, or open past it
    rated = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)  # rated 1 or 2 of 5
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="feedback_monthly_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="feedback_monthly_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%m/%Y}: {self.on_time}/{self.in_competence}"
