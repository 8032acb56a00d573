"""Administrative procedures (thủ tục hành chính): a provincial catalogue that communes pick from."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models.units import Commune, Province


class OnlineLevel(models.TextChoices):
    FULL = "full", _("fully online")
    PARTIAL = "partial", _("partly online")
    NONE = "none", _("at the counter only")


class Procedure(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="procedures", verbose_name=_("province")
    )
    code = models.CharField(_("national code"), max_length=20, help_text=_("Code in the national procedure database."))
    name = models.CharField(_("name"), max_length=300)
    field = models.CharField(_("field"), max_length=120, help_text=_("For example: civil status, authentication."))
    steps = models.JSONField(_("steps"), default=list, help_text=_("In order, one sentence each."))
    documents = models.JSONField(_("required documents"), default=list)
    fee = models.CharField(_("fee"), max_length=200, help_text=_("For example: free; 8,000 VND per copy."))
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), null=True, blank=True, help_text=_("Empty when resolved within the day.")
    )
    same_day = models.BooleanField(_("can be resolved within the day"), default=False)
    online_level = models.CharField(_("online service"), max_length=10, choices=OnlineLevel.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["field", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code"],
                name="procedure_unique_code_per_province",
                violation_error_message=_("The province's catalogue already has a procedure with this code."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommuneProcedure(models.Model):
    """A procedure of the provincial catalogue that a commune handles, with its own notes."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="procedures", verbose_name=_("commune"))
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="communes", verbose_name=_("procedure")
    )
    local_notes = models.TextField(
        _("local notes"), blank=True, help_text=_("What is particular here: counter, days, contact person.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procedure handled by the commune")
        verbose_name_plural = _("procedures handled by the commune")
        ordering = ["procedure__field", "procedure__name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "procedure"], name="commune_procedure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} · {self.commune}"

    def get_absolute_url(self) -> str:
        return reverse("communes:procedure_detail", kwargs={"pk": self.commune_id, "code": self.procedure.code})

    def clean(self):
        super().clean()
        if self.procedure_id and self.commune_id and self.procedure.province_id != self.commune.province_id:
            raise ValidationError(_("A commune can only handle procedures of its own province's catalogue."))
