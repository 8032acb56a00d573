"""Residents are consulted before the commune decides (Law 10/2022/QH15, art. 25–29).

The commune publishes a plan (what, how, from when to when, who organises it, to whom it was sent: art.
28) and the draft, as a PDF and as text in sections. Residents comment on the whole draft or on one
section: signed in on the portal, or through the channels of art. 26 (the village Front work committee,
a meeting, the suggestion box...), typed in by an officer with their source. A comment is public once
moderated, without its author. When the consultation closes, the commune answers every comment: taken
in (tiếp thu) or explained (giải trình), and publishes the synthesis with the final text's changes.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune

# Art. 28: residents have at least 20 days from the draft's publication.
MIN_CONSULTATION_DAYS = 20


class Topic(models.IntegerChoices):
    """The nine kinds of content residents are consulted on (art. 25)."""

    DEVELOPMENT_PLAN = 1, _("Socio-economic development plan, restructuring, resettlement and trade")
    LAND_USE = 2, _("Land-use plan and the commune's land fund")
    PROJECTS = 3, _("Investment, land, compensation and resettlement policies of projects")
    BOUNDARIES = 4, _("Establishing, merging, splitting or renaming units, villages and residential groups")
    COMMUNITY_DECISIONS = 5, _("Draft decisions of the commune affecting the community")
    CONSTRUCTION_PLANNING = 6, _("Construction and rural residential planning")
    DEMOCRACY_REGULATION = 7, _("The commune's regulation on grassroots democracy")
    INDIVIDUAL_DECISIONS = 8, _("Draft decisions imposing obligations on or restricting rights of residents")
    OTHER = 9, _("Other content, by law, at a higher authority's request or as the commune sees fit")


class ConsultationChannel(models.TextChoices):
    """How residents give their views (art. 26)."""

    DIALOGUE = "dialogue", _("dialogue conference")
    MEETING = "meeting", _("community meeting")
    QUESTIONNAIRE = "questionnaire", _("questionnaire to households")
    BOX = "box", _("suggestion box or hotline")
    FRONT = "front", _("village Front work committee and mass organisations")
    PORTAL = "portal", _("the commune's portal")
    NETWORK = "network", _("telecommunications and social networks")
    AFFECTED = "affected", _("dialogue with the residents affected")


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    OPEN = "open", _("open for comments")
    CLOSED = "closed", _("closed, comments being answered")
    SYNTHESISED = "synthesised", _("synthesis published")


class Consultation(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("commune")
    )
    topic = models.PositiveSmallIntegerField(_("kind of content (art. 25)"), choices=Topic.choices)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("what residents are consulted on"))
    channels = models.JSONField(_("forms of consultation (art. 26)"), default=list)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    organiser = models.CharField(_("organised by"), max_length=255)
    sent_to_council_on = models.DateField(_("plan sent to the commune People's Council on"), null=True, blank=True)
    sent_to_front_on = models.DateField(_("plan sent to the commune Front committee on"), null=True, blank=True)
    draft = models.FileField(_("draft (PDF)"), upload_to="democracy/consultations/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Closing before the planned last day cuts residents' time short: the commune says why, in public.
    closing_reason = models.TextField(_("why it closed before the planned date"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    synthesis = models.TextField(_("synthesis of the comments"), blank=True)
    changes = models.TextField(_("changes made to the final text"), blank=True)
    final_document = models.FileField(_("final text (PDF)"), upload_to="democracy/consultations/%Y/", blank=True)
    synthesis_published_on = models.DateField(_("synthesis published on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(topic__gte=1, topic__lte=9), name="consultation_topic_valid"),
            models.CheckConstraint(condition=Q(closes_on__gt=F("opens_on")), name="consultation_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(status=ConsultationStatus.SYNTHESISED, synthesis_published_on__isnull=False)
                | ~Q(status=ConsultationStatus.SYNTHESISED),
                name="consultation_synthesis_has_date",
            ),
            models.CheckConstraint(condition=Q(status__in=ConsultationStatus.values), name="consultation_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=[ConsultationStatus.CLOSED, ConsultationStatus.SYNTHESISED])
                | Q(closed_on__isnull=False),
                name="consultation_closed_has_date",
            ),
            # Closed before its planned last day only with the reason given.
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("closes_on")) | ~Q(closing_reason=""),
                name="consultation_early_close_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("democracy:consultation_detail", kwargs={"pk": self.pk})

    @property
    def planned_days(self) -> int:
        return (self.closes_on - self.opens_on).days

    @property
    def on_time(self) -> bool:
        """Criteria G1.4: it ran for the whole period its plan gave (art. 28) and its synthesis was published."""
        return bool(
            self.synthesis_published_on
            and self.closed_on
            and self.closed_on >= self.closes_on
            and self.planned_days >= MIN_CONSULTATION_DAYS
        )

    def is_open_on(self, day: datetime.date) -> bool:
        return self.status == ConsultationStatus.OPEN and self.opens_on <= day <= self.closes_on

    @property
    def is_frozen(self) -> bool:
        """A published synthesis is the commune's answer to its residents: nothing of it changes any more."""
        return self.status == ConsultationStatus.SYNTHESISED

    @property
    def is_public(self) -> bool:
        return self.status != ConsultationStatus.DRAFT

    @property
    def comments_online(self) -> bool:
        """Residents comment on the portal only when the plan says so (art. 26)."""
        return ConsultationChannel.PORTAL in (self.channels or [])

    @property
    def closed_early(self) -> bool:
        return bool(self.closed_on and self.closed_on < self.closes_on)

    def channel_labels(self) -> list[str]:
        labels = dict(ConsultationChannel.choices)
        return [labels[value] for value in self.channels or [] if value in labels]


class Section(models.Model):
    """One part of the draft (an article, a chapter) residents can comment on by itself."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections", verbose_name=_("consultation")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    heading = models.CharField(_("heading"), max_length=255)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("section of the draft")
        verbose_name_plural = _("sections of the draft")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="section_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"

    @property
    def commune(self):
        """For the permission rules (accounts.rules.place_of)."""
        return self.consultation.commune


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("not published")


class ModerationReason(models.TextChoices):
    """Why a resident's comment is not published; stored in ``Comment.moderation_reason`` (any other
    reason is stored as the officer typed it)."""

    ABUSE = "abuse", _("offensive or abusive words")
    PERSONAL_DATA = "personal_data", _("it gives personal data of someone")
    OFF_TOPIC = "off_topic", _("it is not about this draft")
    DUPLICATE = "duplicate", _("the same comment was sent already")


class CommentResponse(models.TextChoices):
    """The commune's answer to a comment in the synthesis (art. 28(3))."""

    ACCEPTED = "accepted", _("taken in")
    PARTLY = "partly", _("partly taken in")
    EXPLAINED = "explained", _("explained")


class Comment(models.Model):
    """A view on the draft. The author (signed in) is personal data and never shown; a comment typed in
    by an officer keeps its channel and source (which committee, meeting or box) instead."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments", verbose_name=_("consultation")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("section"),
        help_text=_("Empty: on the draft as a whole."),
    )
    channel = models.CharField(
        _("received through"), max_length=14, choices=ConsultationChannel.choices, default=ConsultationChannel.PORTAL
    )
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Which committee, meeting or box it came from.")
    )
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("moderation"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    moderation_reason = models.CharField(_("reason it is not published"), max_length=255, blank=True)
    response = models.CharField(_("answer"), max_length=10, choices=CommentResponse.choices, blank=True)
    answer = models.TextField(_("how it was taken in or why not"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["consultation", "section__number", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=ConsultationChannel.values), name="comment_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=CommentStatus.values), name="comment_status_valid"),
            models.CheckConstraint(
                condition=Q(response="") | Q(response__in=CommentResponse.values), name="comment_response_valid"
            ),
            # Only a published comment is answered; a comment not published says why.
            models.CheckConstraint(
                condition=Q(response="") | Q(status=CommentStatus.PUBLISHED), name="comment_answered_when_published"
            ),
            models.CheckConstraint(
                condition=~Q(status=CommentStatus.REJECTED) | ~Q(moderation_reason=""),
                name="comment_rejected_has_reason",
            ),
            # Signed in on the portal, or typed in by an officer from another channel: never neither.
            models.CheckConstraint(
                condition=Q(author__isnull=False) | Q(entered_by__isnull=False), name="comment_has_author_or_clerk"
            ),
            models.CheckConstraint(
                condition=Q(response="", answer="") | (~Q(response="") & ~Q(answer="")),
                name="comment_answer_with_response",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def commune(self):
        return self.consultation.commune

    @property
    def typed_in(self) -> bool:
        """Received through another channel and typed in by an officer (its source is public)."""
        return self.author_id is None

    @property
    def moderation_reason_label(self) -> str:
        labels = dict(ModerationReason.choices)
        return str(labels.get(self.moderation_reason, self.moderation_reason))
