"""Citizen feedback (phản ánh, kiến nghị): the item, its states and the rules between them, its photos
and its public timeline."""

from __future__ import annotations

import datetime
import os
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune
from feedback.models.categories import Category

# Size limits of every free-text field: a form refuses longer input with a clear message.
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
ANSWER_MAX = 10000
REASON_MAX = 2000
MAX_PHOTOS = 3
# Said by the form and by the service alike (interpolated with count=MAX_PHOTOS).
TOO_MANY_PHOTOS = _("You can send at most %(count)d photos.")
DISPUTE_WINDOW_DAYS = 7
# Decree 20/2008/NĐ-CP art. 9 gives 5 working days to forward feedback on administrative regulations
# outside the receiver's competence; the portal holds every item it forwards to the same period.
FORWARD_WITHIN_WORKING_DAYS = 5


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")
    IN_PROGRESS = "in_progress", _("in progress")
    FORWARDED = "forwarded", _("forwarded to another unit")
    RESOLVED = "resolved", _("resolved")
    CLOSED_UNRESOLVED = "closed_unresolved", _("closed unresolved")


OPEN_STATUSES = [Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS]
FINAL_STATUSES = [Status.REFUSED, Status.FORWARDED, Status.RESOLVED, Status.CLOSED_UNRESOLVED]
# What an officer may do from each status. RESOLVED → IN_PROGRESS happens only through a dispute.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.ACCEPTED, Status.REFUSED, Status.FORWARDED}),
    Status.ACCEPTED: frozenset(
        {Status.IN_PROGRESS, Status.REFUSED, Status.FORWARDED, Status.RESOLVED, Status.CLOSED_UNRESOLVED}
    ),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.CLOSED_UNRESOLVED, Status.FORWARDED}),
    Status.REFUSED: frozenset(),
    Status.FORWARDED: frozenset(),
    Status.RESOLVED: frozenset(),
    Status.CLOSED_UNRESOLVED: frozenset(),
}
# An item's photos are public once an officer has accepted it as the commune's to handle: accepted, in
# progress, answered (resolved or closed unresolved). A received item is not yet vetted; a refused one
# never was; a forwarded one went to another unit, which the public does not follow here.
PHOTO_PUBLIC_STATUSES = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED_UNRESOLVED})


def photos_are_public(status: str) -> bool:
    """Whether the photos an officer has not hidden are shown to the public for an item in ``status``."""
    return status in PHOTO_PUBLIC_STATUSES


# Answered items: their submitter may rate the answer, and rate again.
RATABLE_STATUSES = (Status.RESOLVED, Status.CLOSED_UNRESOLVED)


def may_be_rated(status: str) -> bool:
    """Whether the submitter may rate an item in ``status``: the rating service and the public page ask."""
    return status in RATABLE_STATUSES


def dispute_window_end(status: str, answered_at: datetime.datetime | None) -> datetime.datetime | None:
    """The last moment the submitter may dispute the answer, or None when there is no resolution to
    dispute: the dispute service and the public page ask."""
    if status != Status.RESOLVED or answered_at is None:
        return None
    return answered_at + datetime.timedelta(days=DISPUTE_WINDOW_DAYS)


class RefusalReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("outside the commune's competence")
    DUPLICATE = "duplicate", _("duplicate of another feedback")
    NOT_FEEDBACK = "not_feedback", _("not a feedback or recommendation")


class FeedbackQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)

    def for_district(self, district):
        return self.filter(commune__district=district)


class Feedback(models.Model):
    code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    # A second secret, given only to the submitter (confirmation page and e-mail): knowing the public
    # tracking code lets anyone follow an item, not rate or dispute it.
    action_key = models.CharField(max_length=64, editable=False, verbose_name=_("action key"))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("commune"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    # What the public sees; empty means "the original", set when an officer redacts.
    public_title = models.CharField(max_length=TITLE_MAX, blank=True, verbose_name=_("public title"))
    public_description = models.TextField(max_length=DESCRIPTION_MAX, blank=True, verbose_name=_("public description"))
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("redacted by"),
    )
    redacted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("redacted at"))
    address = models.CharField(_("place"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Personal data: never public; shown only to the officers of the commune concerned (and DoHA).
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("submitter (account)"),
    )
    contact_name = models.CharField(_("your name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("your phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("your e-mail"), blank=True)
    consent = models.BooleanField(_("consent to the use of personal data"), default=False)
    language = models.CharField(max_length=8, default="vi", verbose_name=_("language"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    refusal_reason = models.CharField(_("reason"), max_length=20, choices=RefusalReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("duplicate of")
    )
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    due_date = models.DateField(_("due date"))
    extension_reason = models.TextField(_("reason for the extension"), max_length=REASON_MAX, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("official answer"), max_length=ANSWER_MAX, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("overdue notice sent at"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    disputes = models.PositiveSmallIntegerField(_("disputes"), default=0)
    # The client's one-time token: a double click or a network retry finds the item already made.
    submission_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False, verbose_name=_("submission token")
    )
    history = HistoricalRecords(excluded_fields=["action_key"])

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["commune", "status", "-submitted_at"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.shown_title}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:track", kwargs={"code": self.code})

    @property
    def shown_title(self) -> str:
        return self.public_title or self.title

    @property
    def shown_description(self) -> str:
        return self.public_description or self.description

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def may_move_to(self, status: str) -> bool:
        """Whether an officer may move the item to ``status`` now (TRANSITIONS)."""
        return status in TRANSITIONS.get(self.status, frozenset())


# Feedback photos are private files (README, "Files"): under MEDIA_ROOT/private/, which neither the
# proxy nor the portal's media route ever serves, and under a random name, so that neither the
# tracking code nor the citizen's own file name leads to them. Only feedback's photo views serve them,
# after feedback.rules.can_view_photo.
PRIVATE_PHOTO_FOLDER = "private/feedback"
PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp"})


def private_photo_name(instance, filename: str) -> str:
    """A new photo's storage name: a random uuid4 hex, keeping only a known image extension (the
    photo views answer with the content type it implies)."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{PRIVATE_PHOTO_FOLDER}/{uuid.uuid4().hex}{extension if extension in PHOTO_EXTENSIONS else ''}"


def photo_path(instance, filename: str) -> str:
    """The former, guessable name (the tracking code and the sent file name); kept only because
    migration 0001 refers to it. Migration photo_private_names moved the files it named."""
    return f"feedback/{instance.feedback.code}/{filename}"


class Photo(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="photos", verbose_name=_("feedback"))
    image = models.ImageField(_("photo"), upload_to=private_photo_name)
    hidden = models.BooleanField(_("hidden from the public"), default=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class Event(models.Model):
    """One step of an item's public timeline; ``note`` is for staff only."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        STATUS = "status", _("status changed")
        EXTENDED = "extended", _("deadline extended")
        FORWARDED = "forwarded", _("forwarded")
        REDACTED = "redacted", _("public text moderated")
        RATED = "rated", _("rated")
        DISPUTED = "disputed", _("disputed")
        OVERDUE = "overdue", _("overdue")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events", verbose_name=_("feedback"))
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=_("kind"))
    status = models.CharField(max_length=20, choices=Status.choices, blank=True, verbose_name=_("status"))
    public_text = models.TextField(blank=True, verbose_name=_("public text"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind} {self.at:%Y-%m-%d}"
