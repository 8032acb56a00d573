"""A province's criteria set for one year: groups, criteria and how each is measured, the star bands,
the knock-out conditions, the dossier documents and the deadlines of the yearly cycle.

A set is edited as a draft and frozen once published; a change after that makes a new version.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune, Province
from scoring.models.measures import Measure
from surveys.models.questionnaires import bilingual

POINTS = {"max_digits": 6, "decimal_places": 2}


FROZEN_MESSAGE = _("A published criteria set cannot change; make a new version.")

# What DoHA writes of a criterion and of a star band, in order: the columns of the workbook's
# "criteria" sheet (after its group's code and maximum) and of its "bands" sheet, and the fields of the
# draft's page (which adds the group and the order).
CRITERION_FIELDS = (
    "code",
    "name_vi",
    "name_en",
    "max_points",
    "measure",
    "metric",
    "floor",
    "target",
    "min_rows",
    "min_rows_knockout",
    "guidance_vi",
    "guidance_en",
    "provenance",
)
BAND_FIELDS = ("stars", "min_points", "label_vi", "label_en")


class FrozenSet(Exception):
    """A published set was about to change."""


def _district_units(province_id: int, day) -> Q:
    """The province's units in force on ``day`` that belong to a district (none after 1 July 2025)."""
    in_force = Commune.objects.filter(province_id=province_id).on(day).values("pk")
    return Q(pk__in=in_force)


def province_has_districts(province, day) -> bool:
    """Whether a cycle of ``province`` whose data ends on ``day`` has a district step: before any
    assessment exists (a draft loaded from the project's file), the units in force that day say it."""
    return Commune.objects.filter(_district_units(province.pk, day), district__isnull=False).exists()


class MissingData(models.TextChoices):
    """What a computed criterion counts when its data source has no data for the whole year."""

    SHARE = "share", _("its points are shared pro rata among the other criteria of its group")
    APPRAISAL = (
        "appraisal",
        _("the Department of Home Affairs scores it at the appraisal from the commune's evidence, with the reason"),
    )


class CriteriaSet(models.Model):
    MissingData = MissingData

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("replaced by a newer version")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="criteria_sets", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)])
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The data a computed criterion reads: the year up to the cut-off.
    period_start = models.DateField(_("data from"))
    period_end = models.DateField(_("data until"), help_text=_("The data cut-off of the year."))
    # Deadlines of the cycle, shown to everyone and used to mark late steps.
    submission_deadline = models.DateField(_("self-assessments due"))
    # Only a cycle with a district step has one (see ``has_district_step``); after the 2025 reform none.
    review_deadline = models.DateField(_("district reviews due"), null=True, blank=True)
    appraisal_deadline = models.DateField(_("appraisals due"))
    comment_working_days = models.PositiveSmallIntegerField(
        _("comment period (working days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    # Knock-out conditions: a commune that fails one is not recognised, whatever its points.
    knockout_documents = models.BooleanField(_("all dossier documents required"), default=True)
    knockout_group_share = models.DecimalField(
        _("minimum share of each group's points"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0.50: no group under half of its points. 0: no such condition."),
    )
    knockout_survey_minimum = models.BooleanField(_("minimum survey answers required"), default=True)
    missing_data_policy = models.CharField(
        _("a computed criterion without data for the year"),
        max_length=10,
        choices=MissingData.choices,
        default=MissingData.APPRAISAL,
        help_text=_(
            "When no unit has any data for a computed criterion in the period (no survey campaign ran, say), "
            "it is never a knock-out; this says how its points count."
        ),
    )
    knockout_discipline = models.BooleanField(
        _("no discipline or corruption case in the year"),
        default=True,
        help_text=_("Recorded by the Department of Home Affairs at appraisal."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["province", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "version"],
                name="criteria_set_unique_version",
                violation_error_message=_("This province already has that version of the year's set."),
            ),
            models.UniqueConstraint(
                fields=["province", "year"],
                condition=Q(status="published"),
                name="criteria_set_one_published",
                violation_error_message=_("The year already has a published criteria set."),
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="criteria_set_period"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"

    @property
    def name(self) -> str:
        return bilingual(self, "name")

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @cached_property
    def has_district_step(self) -> bool:
        """Whether the cycle has a district review: some unit it assesses, or would assess (the
        province's units in force at the end of its period), belongs to a district. After the 2025
        reform no unit does, and every page leaves the district's step, column, deadline and status out.
        The one place that decides it (one query)."""
        if self.pk is None:
            return province_has_districts(self.province, self.period_end)
        return Commune.objects.filter(
            Q(assessments__criteria_set=self) | _district_units(self.province_id, self.period_end),
            district__isnull=False,
        ).exists()

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The data period cannot end before it begins.")})
        deadlines = [d for d in (self.submission_deadline, self.review_deadline, self.appraisal_deadline) if d]
        if self.submission_deadline and self.appraisal_deadline and deadlines != sorted(deadlines):
            raise ValidationError(
                {"appraisal_deadline": _("Deadlines follow the steps: submission, then review, then appraisal.")}
            )


class SetPart(models.Model):
    """A row that belongs to a set and freezes with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._set().is_frozen:
            raise FrozenSet(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._set().is_frozen:
            raise FrozenSet(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)

    def _set(self) -> CriteriaSet:
        raise NotImplementedError


class CriteriaGroup(SetPart):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="groups", verbose_name=_("criteria set")
    )
    code = models.CharField(_("code"), max_length=10)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=400)
    name_en = models.CharField(_("name (English)"), max_length=400, blank=True)
    max_points = models.DecimalField(_("maximum points"), **POINTS, validators=[MinValueValidator(0)])
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["criteria_set", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"],
                name="criteria_group_unique_code",
                violation_error_message=_("The set already has a group with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def _set(self) -> CriteriaSet:
        return self.criteria_set

    @property
    def name(self) -> str:
        return bilingual(self, "name")


class Criterion(SetPart):
    group = models.ForeignKey(
        CriteriaGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("criteria group")
    )
    code = models.CharField(_("code"), max_length=12)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    max_points = models.DecimalField(_("maximum points"), **POINTS, validators=[MinValueValidator(0)])
    measure = models.CharField(_("measured by"), max_length=10, choices=Measure.choices, default=Measure.SELF)
    # A computed criterion: its metric, 0 points at or below ``floor``, full points at or above
    # ``target``, linear in between (both are fractions: 0.90 = 90%).
    metric = models.CharField(_("metric"), max_length=40, blank=True)
    floor = models.DecimalField(_("0 points at"), max_digits=5, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("full points at"), max_digits=5, decimal_places=4, null=True, blank=True)
    min_rows = models.PositiveIntegerField(
        _("minimum answers"), null=True, blank=True, help_text=_("Fewer answers than this give no points.")
    )
    min_rows_knockout = models.BooleanField(
        _("too few answers is a knock-out"), default=False, help_text=_("The commune is then not recognised.")
    )
    guidance_vi = models.TextField(_("how it is measured (Vietnamese)"), blank=True)
    guidance_en = models.TextField(_("how it is measured (English)"), blank=True)
    provenance = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "code"],
                name="criterion_unique_code",
                violation_error_message=_("The group already has a criterion with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def _set(self) -> CriteriaSet:
        return self.group.criteria_set

    @property
    def name(self) -> str:
        return bilingual(self, "name")

    @property
    def guidance(self) -> str:
        return bilingual(self, "guidance")

    @property
    def is_computed(self) -> bool:
        return self.measure != Measure.SELF

    def clean(self):
        super().clean()
        from scoring.services.computation.metrics import METRICS  # the registry imports the models' choices

        if self.measure == Measure.SELF:
            if self.metric:
                raise ValidationError({"metric": _("A self-assessed criterion has no metric.")})
            return
        metric = METRICS.get(self.metric)
        if metric is None or metric.measure != self.measure:
            raise ValidationError({"metric": _("Choose a metric of this kind of measurement.")})
        if self.floor is None or self.target is None:
            raise ValidationError(
                {"target": _("A computed criterion needs the value for 0 points and for full points.")}
            )
        if self.floor >= self.target:
            raise ValidationError({"target": _("Full points must need more than 0 points does.")})


class StarBand(SetPart):
    """From ``min_points`` (inclusive) upward the commune gets ``stars``; the highest band reached wins."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="bands", verbose_name=_("criteria set")
    )
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MaxValueValidator(5)])
    min_points = models.DecimalField(_("from (points)"), **POINTS, validators=[MinValueValidator(0)])
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=100, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")
        ordering = ["criteria_set", "-min_points"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "stars"],
                name="star_band_unique_stars",
                violation_error_message=_("The set already has a band for this number of stars."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ ≥ {self.min_points}"

    def _set(self) -> CriteriaSet:
        return self.criteria_set

    @property
    def label(self) -> str:
        return bilingual(self, "label")


class RequiredDocument(SetPart):
    """A document of the commune's application dossier (HS1–HS5)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="documents", verbose_name=_("criteria set")
    )
    code = models.CharField(_("code"), max_length=10)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    generated = models.BooleanField(
        _("generated by the portal"), default=False, help_text=_("The self-scoring sheet: printed from the assessment.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["criteria_set", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="required_document_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def _set(self) -> CriteriaSet:
        return self.criteria_set

    @property
    def name(self) -> str:
        return bilingual(self, "name")
