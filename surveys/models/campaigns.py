"""A province's survey campaigns, the kiosks at the counters and the visit codes officers print."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune, Province
from core.codes import PAPER_ALPHABET
from surveys.models.questionnaires import Questionnaire

CODE_LENGTH = 8
CODE_ALPHABET = PAPER_ALPHABET  # no 0/O, 1/I: codes are read off paper
CODE_VALID_DAYS = 30  # eligibility: a visit within the last 30 days (survey-draft.yaml)
BATCH_MAX = 200


class Campaign(models.Model):
    """A survey run by a province's DoHA over a period, with one questionnaire version, for some communes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="survey_campaigns", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("questionnaire")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    min_responses = models.PositiveSmallIntegerField(
        _("minimum number of answers"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Below this a commune's figure is shown as 'not enough answers' and is not scored."),
    )
    communes = models.ManyToManyField(Commune, related_name="survey_campaigns", verbose_name=_("communes"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("opened at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    statistics_at = models.DateTimeField(_("statistics computed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("created by")
    )
    history = HistoricalRecords(excluded_fields=["statistics_at"])

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="survey_campaign_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Kiosk(models.Model):
    """A tablet at a commune's counter, registered by one of its officers; answers carry its id."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="kiosks", verbose_name=_("commune"))
    name = models.CharField(_("name"), max_length=100, help_text=_("Where it stands, e.g. 'Results desk'."))
    # The tablet authenticates its answers with this secret, not with the officer's session, so a queue
    # of offline answers still goes in after the session has ended.
    token = models.CharField(max_length=64, unique=True, verbose_name=_("token"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(auto_now_add=True, verbose_name=_("registered at"))
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")
        ordering = ["commune", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.retired_at is None


class CodeBatch(models.Model):
    """Visit codes printed together for one commune and day. Nothing records who received which code."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="survey_code_batches", verbose_name=_("commune")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="code_batches", verbose_name=_("survey campaign")
    )
    issued_on = models.DateField(_("day of the visits"))
    size = models.PositiveSmallIntegerField(_("number of codes"), validators=[MaxValueValidator(BATCH_MAX)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("batch of visit codes")
        verbose_name_plural = _("batches of visit codes")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.commune} {self.issued_on} ({self.size})"


class VisitCode(models.Model):
    """A one-time code handed to a citizen after a visit; one code, one response."""

    batch = models.ForeignKey(
        CodeBatch, on_delete=models.CASCADE, related_name="codes", verbose_name=_("batch of codes")
    )
    code = models.CharField(max_length=CODE_LENGTH, unique=True, verbose_name=_("code"))
    used_on = models.DateField(null=True, blank=True, verbose_name=_("used on"))

    class Meta:
        verbose_name = _("visit code")
        verbose_name_plural = _("visit codes")
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"
