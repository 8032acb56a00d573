"""One commune's assessment of one year: its lines, the snapshots of computed figures behind them,
the dossier documents, every workflow step and the appeals against provisional results."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune
from scoring.models.criteria import POINTS, CriteriaSet, Criterion, RequiredDocument


class Status(models.TextChoices):
    DRAFT = "draft", _("being filled by the commune")
    SUBMITTED = "submitted", _("submitted")
    REVIEWED = "reviewed", _("reviewed by the district")
    APPRAISED = "appraised", _("appraised")
    PROVISIONAL = "provisional", _("provisional results, open for comments")
    FINAL = "final", _("final")


# Results the public may read.
PUBLIC_STATUSES = [Status.PROVISIONAL, Status.FINAL]
# DoHA appraises once the district has reviewed, and again until it publishes; a submission of a unit
# with a district waits for its review (Assessment.is_appraisable).
APPRAISABLE_STATUSES = [Status.SUBMITTED, Status.REVIEWED, Status.APPRAISED]


def evidence_path(instance, filename: str) -> str:
    # A random folder: a stored file's name never tells where another one is.
    return f"scoring/{instance.assessment.year}/{instance.assessment.commune_id}/{uuid.uuid4().hex}/{filename}"


class Assessment(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("criteria set")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The unit as it was named in the assessed year: "phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang".
    unit_name = models.CharField(_("unit"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    snapshot = models.ForeignKey(
        "Snapshot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("figures used")
    )
    self_total = models.DecimalField(_("self-assessed points"), **POINTS, null=True, blank=True)
    total = models.DecimalField(_("points"), **POINTS, null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    knockouts = models.JSONField(_("knock-out conditions failed"), default=list, blank=True)
    discipline_case = models.BooleanField(_("discipline or corruption case in the year"), default=False)
    discipline_note = models.TextField(_("about the case"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    published_at = models.DateTimeField(_("provisional results published at"), null=True, blank=True)
    comments_until = models.DateField(_("comments until"), null=True, blank=True)
    # DoHA closed the comment period before ``comments_until`` (the step says who, when and why).
    comments_closed_at = models.DateTimeField(_("comment period closed early at"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("final at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked by the decision at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "commune__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year"],
                name="assessment_one_per_commune_year",
                violation_error_message=_("This commune already has an assessment for the year."),
            ),
        ]
        indexes = [models.Index(fields=["criteria_set", "status"])]

    def __str__(self) -> str:
        return f"{self.unit_name} · {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def has_district_review(self) -> bool:
        """The unit's district reviews it; in a cycle without a district step
        (CriteriaSet.has_district_step) no unit has one."""
        return self.commune.district_id is not None

    @property
    def is_appraisable(self) -> bool:
        """Whether DoHA may appraise it in its status: the rules and the appraisal service both ask."""
        if self.status == Status.SUBMITTED:
            return not self.has_district_review
        return self.status in APPRAISABLE_STATUSES

    def open_for_comments(self, today: datetime.date) -> bool:
        """Whether the commune may still contest its provisional results: the rules and the appeal
        service both ask."""
        return (
            self.status == Status.PROVISIONAL
            and self.comments_until is not None
            and self.comments_closed_at is None
            and today <= self.comments_until
        )

    def comments_over(self, today: datetime.date) -> bool:
        """Whether the comment period has ended, at its date or closed early by DoHA."""
        return self.comments_closed_at is not None or (self.comments_until is not None and today > self.comments_until)


class Line(models.Model):
    """One criterion of an assessment. The points that count are the appraised score once DoHA has
    appraised, before that the computed points (computed criteria) or the self-score."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="lines", verbose_name=_("criterion")
    )
    self_score = models.DecimalField(
        _("self-score"), **POINTS, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    self_note = models.TextField(_("commune's explanation"), blank=True, max_length=4000)
    evidence_index = models.FileField(_("evidence index (PDF)"), upload_to=evidence_path, blank=True)
    evidence = models.FileField(_("evidence (PDF)"), upload_to=evidence_path, blank=True)
    computed_points = models.DecimalField(_("computed points"), **POINTS, null=True, blank=True)
    review_note = models.TextField(_("district's note"), blank=True, max_length=4000)
    appraised_score = models.DecimalField(
        _("appraised score"), **POINTS, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    appraisal_reason = models.TextField(_("reason for the appraised score"), blank=True, max_length=4000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment line")
        verbose_name_plural = _("assessment lines")
        ordering = ["assessment", "criterion__group__position", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="assessment_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.criterion.code}"

    @property
    def proposed(self):
        """What the commune's side puts forward: the computed points, or the self-score."""
        return self.computed_points if self.criterion.is_computed else self.self_score

    @property
    def points(self):
        return self.appraised_score if self.appraised_score is not None else self.proposed


class AssessmentDocument(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="documents", verbose_name=_("assessment")
    )
    document = models.ForeignKey(
        RequiredDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    file = models.FileField(_("file (PDF)"), upload_to=evidence_path)
    uploaded_at = models.DateTimeField(auto_now=True, verbose_name=_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "document"], name="assessment_document_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.document.code}"


class Snapshot(models.Model):
    """The computed figures of an assessment at one moment, with their provenance. Never changed: a
    recomputation adds a new snapshot; the assessment says which one its lines use.

    ``values`` maps a criterion code to {"value", "rows", "points", "enough", "detail"}."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("assessment")
    )
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    period_start = models.DateField(verbose_name=_("data from"))
    period_end = models.DateField(verbose_name=_("data until"))
    computed_at = models.DateTimeField(verbose_name=_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed by"),
    )
    values = models.JSONField(default=dict, verbose_name=_("values"))
    # The units whose data counted: the assessed unit and those it took over in a reorganisation.
    units = models.JSONField(default=list, verbose_name=_("units"))

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["assessment", "-number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "number"], name="snapshot_unique_number")]

    def __str__(self) -> str:
        return f"{self.assessment} #{self.number}"


class Step(models.Model):
    """Who did what to an assessment, when, and why."""

    class Action(models.TextChoices):
        OPEN = "open", _("opened")
        COMPUTE = "compute", _("figures computed")
        ADOPT = "adopt", _("newer figures adopted")
        SUBMIT = "submit", _("submitted")
        RETURN = "return", _("returned to the commune")
        REVIEW = "review", _("reviewed by the district")
        APPRAISE = "appraise", _("appraised")
        PUBLISH = "publish", _("provisional results published")
        APPEAL = "appeal", _("appeal filed")
        ANSWER = "answer", _("appeal answered")
        CLOSE = "close", _("comment period closed early")
        FINALIZE = "finalize", _("made final")
        LOCK = "lock", _("locked by the recognition decision")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="steps", verbose_name=_("assessment")
    )
    action = models.CharField(max_length=10, choices=Action.choices, verbose_name=_("action"))
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True, verbose_name=_("status before"))
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True, verbose_name=_("status after"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(verbose_name=_("at"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    late = models.BooleanField(default=False, verbose_name=_("late"))

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["assessment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_action_display()}"


class Appeal(models.Model):
    """The commune's comment on one line of its provisional results, and DoHA's answer."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("accepted: the score was changed")
        REJECTED = "rejected", _("not accepted")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("assessment")
    )
    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("line"))
    text = models.TextField(_("appeal"), max_length=4000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(verbose_name=_("filed at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    score_before = models.DecimalField(**POINTS, null=True, blank=True, verbose_name=_("points before"))
    score_after = models.DecimalField(**POINTS, null=True, blank=True, verbose_name=_("points after"))

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["assessment", "filed_at"]
        constraints = [
            # One open appeal per line: a second click or a retry finds the first.
            models.UniqueConstraint(fields=["line"], condition=Q(outcome=""), name="appeal_one_open_per_line"),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return not self.outcome
