"""The province's feedback categories, each with its time limit."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Province


class Category(models.Model):
    """A kind of feedback in one province, with its default time limit; kept by the province's DoHA."""

    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="feedback_categories", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=150)
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("open for new feedback"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")
        ordering = ["province", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="feedback_category_unique_name",
                violation_error_message=_("The province already has a category with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name
