"""Satisfaction surveys: versioned questionnaires, campaigns, anonymous responses and their tallies.

A response is anonymous by construction: it stores the commune, the day (never the time), the channel
and the answers. What makes it unique is kept apart from any person: a visit code is bound to a commune
and a day, a kiosk answer to an id the tablet made, an open-link answer to a keyed hash of a random
cookie. The database refuses a second response for any of them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune, Province

# A response stores each factor's score in its own column (hundredths of a point, 100–500) so that a
# province's statistics are one pass of database aggregates over narrow rows.
MAX_FACTORS = 7
SATISFIED_FROM = 400  # "satisfied" = 4 or 5 on the 5-point scale (top-2-box, see domain.md §2.1)
COMMENT_MAX = 2000
CODE_LENGTH = 8
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read off paper
CODE_VALID_DAYS = 30  # eligibility: a visit within the last 30 days (survey-draft.yaml)
BATCH_MAX = 200


def bilingual(obj, field: str) -> str:
    """The Vietnamese or English text of a questionnaire element, by the active language."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return getattr(obj, f"{field}_en" if language == "en" else f"{field}_vi") or getattr(obj, f"{field}_vi")


class Scale(models.TextChoices):
    SATISFACTION = "satisfaction", _("satisfaction (very dissatisfied … very satisfied)")
    AGREEMENT = "agreement", _("agreement (strongly disagree … strongly agree)")


SCALE_LABELS = {
    Scale.SATISFACTION: {
        1: _("Very dissatisfied"),
        2: _("Dissatisfied"),
        3: _("Neutral"),
        4: _("Satisfied"),
        5: _("Very satisfied"),
        0: _("Not applicable / Don't know"),
    },
    Scale.AGREEMENT: {
        1: _("Strongly disagree"),
        2: _("Disagree"),
        3: _("Neither agree nor disagree"),
        4: _("Agree"),
        5: _("Strongly agree"),
        0: _("Not applicable"),
    },
}
NOT_APPLICABLE = 0


class Questionnaire(models.Model):
    """One version of a questionnaire. Once a response exists it is frozen; a change makes a new version."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    intro_vi = models.TextField(_("introduction (Vietnamese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Legal basis and provenance of the items."))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="survey_questionnaire_unique_version",
                violation_error_message=_("This questionnaire already has that version."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk and self.is_frozen:
            raise FrozenQuestionnaire(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return bilingual(self, "title")

    @property
    def intro(self) -> str:
        return bilingual(self, "intro")

    @property
    def is_frozen(self) -> bool:
        return Response.objects.filter(campaign__questionnaire=self).exists()


FROZEN_MESSAGE = _("This questionnaire version already has answers and can no longer change; make a new version.")


class FrozenQuestionnaire(Exception):
    """An answered version was about to change."""


class FrozenPart(models.Model):
    """A part of a questionnaire (factor, question) that cannot change once the version has answers."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.questionnaire_id and self.questionnaire.is_frozen:
            raise FrozenQuestionnaire(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.questionnaire.is_frozen:
            raise FrozenQuestionnaire(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)


class Factor(FrozenPart):
    """A group of items whose score is reported on its own (a SIPAS factor, or a dimension)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(_("code"), max_length=20)
    slot = models.PositiveSmallIntegerField(
        _("column"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_FACTORS)],
        help_text=_("0 is the overall question; 1–7 the factors, in the order they are shown."),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        ordering = ["questionnaire", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="survey_factor_unique_code"),
            models.UniqueConstraint(fields=["questionnaire", "slot"], name="survey_factor_unique_slot"),
            models.CheckConstraint(condition=Q(slot__lte=MAX_FACTORS), name="survey_factor_slot_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self, "name")

    @property
    def is_overall(self) -> bool:
        return self.slot == 0


class Question(FrozenPart):
    """One item. A factor's score is its headline item's answer, or the mean of its scale items."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("5-point scale")
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        NUMBER = "number", _("number")
        TEXT = "text", _("free text")

    class Part(models.TextChoices):
        PROFILE = "profile", _("about the respondent")
        ITEM = "item", _("question")
        EXPECTATION = "expectation", _("expectation")
        COMMENT = "comment", _("comment")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, null=True, blank=True, related_name="questions")
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveSmallIntegerField(_("order"))
    part = models.CharField(_("part"), max_length=12, choices=Part.choices, default=Part.ITEM)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    scale = models.CharField(_("scale"), max_length=12, choices=Scale.choices, blank=True)
    headline = models.BooleanField(_("headline item of its factor"), default=False)
    required = models.BooleanField(_("required"), default=False)
    allows_na = models.BooleanField(_("offers 'not applicable'"), default=True)
    text_vi = models.CharField(_("text (Vietnamese)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500, blank=True)
    # [{"value": "yes", "vi": "Có", "en": "Yes", "free_text": false}, ...]
    options = models.JSONField(_("options"), default=list, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), null=True, blank=True)
    # Shown (and counted) only when another item has the given value: {"question": "F5.0", "value": "yes"}.
    shown_if = models.JSONField(_("shown only if"), default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="survey_question_unique_code"),
            models.CheckConstraint(condition=~Q(kind="scale") | ~Q(scale=""), name="survey_question_scale_has_scale"),
            models.UniqueConstraint(
                fields=["factor"], condition=Q(headline=True), name="survey_question_one_headline_per_factor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return bilingual(self, "text")

    def option_label(self, value: str) -> str:
        for option in self.options:
            if str(option.get("value")) == str(value):
                return bilingual_option(option)
        return str(value)

    def choices(self) -> list[tuple[str, str]]:
        if self.kind == self.Kind.SCALE:
            labels = SCALE_LABELS[self.scale]
            values = [5, 4, 3, 2, 1] + ([NOT_APPLICABLE] if self.allows_na else [])
            return [(str(value), str(labels[value])) for value in values]
        return [(str(option["value"]), bilingual_option(option)) for option in self.options]


def bilingual_option(option: dict) -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return option.get(language) or option.get("vi") or str(option.get("value"))


class Campaign(models.Model):
    """A survey run by a province's DoHA over a period, with one questionnaire version, for some communes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="survey_campaigns")
    name = models.CharField(_("name"), max_length=200)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="campaigns")
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
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    statistics_at = models.DateTimeField(_("statistics computed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
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

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="kiosks")
    name = models.CharField(_("name"), max_length=100, help_text=_("Where it stands, e.g. 'Results desk'."))
    # The tablet authenticates its answers with this secret, not with the officer's session, so a queue
    # of offline answers still goes in after the session has ended.
    token = models.CharField(max_length=64, unique=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
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

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="survey_code_batches")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="code_batches")
    issued_on = models.DateField(_("day of the visits"))
    size = models.PositiveSmallIntegerField(_("number of codes"), validators=[MaxValueValidator(BATCH_MAX)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("batch of visit codes")
        verbose_name_plural = _("batches of visit codes")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.commune} {self.issued_on} ({self.size})"


class VisitCode(models.Model):
    """A one-time code handed to a citizen after a visit; one code, one response."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("visit code")
        verbose_name_plural = _("visit codes")
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class Channel(models.TextChoices):
    CODE = "code", _("visit code")
    KIOSK = "kiosk", _("kiosk at the counter")
    LINK = "link", _("open link")


# Visit codes and kiosks prove a visit; the open link does not, so it is counted apart.
VERIFIED_CHANNELS = (Channel.CODE, Channel.KIOSK)


class Flag(models.TextChoices):
    BURST = "burst", _("many answers from one source within minutes")
    IDENTICAL = "identical", _("the same answers as several other responses")
    STRAIGHT = "straight", _("every item has the same value")
    FAST = "fast", _("answered in under 20 seconds")


class Response(models.Model):
    # Every insert updates every index: the campaign is reached through (campaign, commune) instead.
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses", db_index=False)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="survey_responses")
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    submitted_on = models.DateField(_("date answered"))  # the day only: a time could identify the respondent
    language = models.CharField(max_length=8, default="vi")
    answers = models.JSONField(default=dict)  # question code → value (int, str or list of str)
    comment = models.TextField(blank=True)
    comment_redacted = models.TextField(blank=True)  # the version a commune may read, set by DoHA
    comment_reviewed = models.BooleanField(default=False)
    # What made this response the only one of its kind (one of them, by channel).
    visit_code = models.OneToOneField(VisitCode, on_delete=models.PROTECT, null=True, blank=True)
    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, null=True, blank=True, related_name="responses")
    client_id = models.UUIDField(null=True, blank=True)  # made on the tablet; a resend carries it again
    device = models.CharField(max_length=32, blank=True)  # keyed hash of the open-link device cookie
    content_hash = models.CharField(max_length=64)  # of the answers: tells a replay from a conflict
    # Quality signals (Flag values, comma-separated) and DoHA's decision; nothing is ever deleted.
    flags = models.CharField(max_length=60, blank=True)
    burst = models.CharField(max_length=16, blank=True)  # responses of one burst share this
    excluded = models.BooleanField(default=False)
    exclusion_reason = models.TextField(blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    # Factor scores in hundredths (100–500), NULL when not answered or not applicable. Slot 0: overall.
    score_0 = models.SmallIntegerField(null=True)
    score_1 = models.SmallIntegerField(null=True)
    score_2 = models.SmallIntegerField(null=True)
    score_3 = models.SmallIntegerField(null=True)
    score_4 = models.SmallIntegerField(null=True)
    score_5 = models.SmallIntegerField(null=True)
    score_6 = models.SmallIntegerField(null=True)
    score_7 = models.SmallIntegerField(null=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [
            models.Index(fields=["campaign", "commune"], name="survey_resp_campaign_commune"),
            # DoHA's review lists the flagged few; the index holds only them.
            models.Index(fields=["campaign"], condition=~Q(flags=""), name="survey_resp_flagged"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client_id"], condition=Q(client_id__isnull=False), name="survey_response_unique_client_id"
            ),
            models.UniqueConstraint(
                fields=["campaign", "device"], condition=~Q(device=""), name="survey_response_one_per_device"
            ),
            models.CheckConstraint(
                name="survey_response_channel_has_its_key",
                condition=(
                    Q(channel="code", visit_code__isnull=False)
                    | Q(channel="kiosk", kiosk__isnull=False, client_id__isnull=False)
                    | (Q(channel="link") & ~Q(device=""))
                ),
            ),
            models.CheckConstraint(
                name="survey_response_excluded_has_reason",
                condition=Q(excluded=False) | ~Q(exclusion_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.commune} {self.submitted_on}"

    @property
    def flag_list(self) -> list[str]:
        return [flag for flag in self.flags.split(",") if flag]


def score_field(slot: int) -> str:
    return f"score_{slot}"


class Tally(models.Model):
    """Stored statistics of one commune × campaign × factor × channel, refreshed by a task.

    Pages read these rows, never the responses. ``total`` is in hundredths of a point."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="survey_tallies")
    slot = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=5, choices=Channel.choices)
    answered = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)  # all responses of this channel, answered or not

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "commune", "slot", "channel"], name="survey_tally_unique"),
            models.CheckConstraint(
                condition=Q(satisfied__lte=models.F("answered")), name="survey_tally_satisfied_le_n"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.commune_id}/{self.slot}/{self.channel}: {self.satisfied}/{self.answered}"
