"""The provincial leader's recognition decision: the communes recognised in a year and their stars."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Province
from scoring.models.assessments import Assessment
from scoring.models.criteria import POINTS


class Decision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="recognition_decisions")
    year = models.PositiveSmallIntegerField(_("year assessed"))
    number = models.CharField(_("decision number"), max_length=60, help_text=_("For example: 125/QĐ-UBND."))
    signed_on = models.DateField(_("decision date"))
    signer_name = models.CharField(_("signer"), max_length=120)
    signer_title = models.CharField(_("signer's title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-year", "-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number"],
                name="decision_unique_number",
                violation_error_message=_("The province already has a decision with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class DecisionEntry(models.Model):
    """A commune recognised by a decision, with its result as the decision states it."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="entries")
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="decision_entry")
    unit_name = models.CharField(_("unit"), max_length=300)
    total = models.DecimalField(_("points"), **POINTS)
    stars = models.PositiveSmallIntegerField(_("stars"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("recognised commune")
        verbose_name_plural = _("recognised communes")
        ordering = ["decision", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.unit_name}: {self.stars}★"
