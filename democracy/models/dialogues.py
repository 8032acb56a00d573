"""Dialogue conferences between the commune and its residents (Law 10/2022/QH15, art. 32): at least one
a year, held by the commune People's Committee with the commune Front committee.

Residents send questions in advance; after the conference the commune publishes the minutes and, for
each question, its outcome: answered at the conference, to be answered in writing by a date, or outside
the commune's competence and forwarded to the body that has it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    PUBLISHED = "published", _("answers and minutes published")
    CANCELLED = "cancelled", _("cancelled")


class Conference(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("commune")
    )
    title = models.CharField(_("title"), max_length=255)
    agenda = models.TextField(_("topics"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=255)
    questions_until = models.DateTimeField(
        _("questions received until"), help_text=_("Residents send their questions in advance, until this time.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("residents attending"), null=True, blank=True)
    minutes = models.FileField(_("minutes (PDF)"), upload_to="democracy/conferences/%Y/", blank=True)
    summary = models.TextField(_("summary of the conference"), blank=True)
    published_on = models.DateField(_("answers published on"), null=True, blank=True)
    # Residents who saw the announcement read why it will not take place.
    cancellation_reason = models.CharField(_("why it is cancelled"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dialogue conference")
        verbose_name_plural = _("dialogue conferences")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(questions_until__lte=models.F("starts_at")), name="conference_questions_before_start"
            ),
            models.CheckConstraint(
                condition=Q(status=ConferenceStatus.PLANNED)
                | Q(status=ConferenceStatus.CANCELLED)
                | Q(held_on__isnull=False),
                name="conference_held_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ConferenceStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="conference_cancelled_says_why",
            ),
            models.CheckConstraint(
                condition=~Q(status=ConferenceStatus.PUBLISHED) | Q(published_on__isnull=False),
                name="conference_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("democracy:conference_detail", kwargs={"pk": self.pk})


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("on the conference's list")
    REJECTED = "rejected", _("not published")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("answered at the conference")
    IN_WRITING = "in_writing", _("to be answered in writing")
    ANSWERED_IN_WRITING = "written", _("answered in writing")
    FORWARDED = "forwarded", _("outside the commune's competence, forwarded")


class Question(models.Model):
    """A resident's question for a conference. Its author is personal data and never shown."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="questions", verbose_name=_("conference")
    )
    text = models.TextField(_("question"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("moderation"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    moderation_reason = models.CharField(_("reason it is not published"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answer_due_on = models.DateField(_("written answer due on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question for a dialogue conference")
        verbose_name_plural = _("questions for dialogue conferences")
        ordering = ["conference", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False) | Q(entered_by__isnull=False), name="question_has_author_or_clerk"
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.IN_WRITING) | Q(answer_due_on__isnull=False),
                name="question_in_writing_has_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.FORWARDED) | ~Q(forwarded_to=""), name="question_forwarded_says_where"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def commune(self):
        return self.conference.commune
