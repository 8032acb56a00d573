"""The households of a village: who receives a ballot, and who may vote online for the household."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Village


class Household(models.Model):
    """One household of a village, as the village head keeps the list. Personal data: the names and the
    address are seen only by the village's head and Front committee and the commune's officers."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="household_list", verbose_name=_("village")
    )
    number = models.CharField(
        _("household number"), max_length=20, help_text=_("The village's own number for the household.")
    )
    head_name = models.CharField(_("head of household"), max_length=150)
    representative_name = models.CharField(
        _("representative"),
        max_length=150,
        blank=True,
        help_text=_("Who takes part for the household (Law 10/2022/QH15, art. 20(2)(b)); empty: the head."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    # An account the village head has verified as the household's representative: it may vote online.
    representative_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("representative's account"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    active = models.BooleanField(_("lives here"), default=True, help_text=_("Off when the household moved away."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village", "number"]
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="household_number_unique_in_village"),
            # One account speaks for one household: otherwise one person would vote twice.
            models.UniqueConstraint(
                fields=["representative_account"],
                condition=Q(representative_account__isnull=False, active=True),
                name="household_one_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.head_name}"

    @property
    def commune(self):
        """For the permission rules: the household's commune (one query unless the village is loaded)."""
        return self.village.commune

    @property
    def speaker(self) -> str:
        return self.representative_name or self.head_name
