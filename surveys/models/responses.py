"""Anonymous responses and the stored tallies the statistics pages read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from surveys.models.campaigns import Campaign, Kiosk, VisitCode

COMMENT_MAX = 2000
SATISFIED_FROM = 400  # "satisfied" = 4 or 5 on the 5-point scale (top-2-box, see domain.md §2.1)


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
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="responses", db_index=False, verbose_name=_("survey campaign")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("commune")
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    submitted_on = models.DateField(_("date answered"))  # the day only: a time could identify the respondent
    language = models.CharField(max_length=8, default="vi", verbose_name=_("language"))
    answers = models.JSONField(
        default=dict, verbose_name=_("answers")
    )  # question code → value (int, str or list of str)
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    comment_redacted = models.TextField(
        blank=True, verbose_name=_("comment (personal data removed)")
    )  # the version a commune may read, set by DoHA
    comment_reviewed = models.BooleanField(default=False, verbose_name=_("comment reviewed"))
    # What made this response the only one of its kind (one of them, by channel).
    visit_code = models.OneToOneField(
        VisitCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("visit code")
    )
    kiosk = models.ForeignKey(
        Kiosk, on_delete=models.PROTECT, null=True, blank=True, related_name="responses", verbose_name=_("kiosk")
    )
    client_id = models.UUIDField(
        null=True, blank=True, verbose_name=_("device identifier")
    )  # made on the tablet; a resend carries it again
    device = models.CharField(
        max_length=32, blank=True, verbose_name=_("device")
    )  # keyed hash of the open-link device cookie
    content_hash = models.CharField(
        max_length=64, verbose_name=_("content fingerprint")
    )  # of the answers: tells a replay from a conflict
    # Quality signals (Flag values, comma-separated) and DoHA's decision; nothing is ever deleted.
    flags = models.CharField(max_length=60, blank=True, verbose_name=_("quality signals"))
    burst = models.CharField(max_length=16, blank=True, verbose_name=_("burst"))  # responses of one burst share this
    excluded = models.BooleanField(default=False, verbose_name=_("excluded"))
    exclusion_reason = models.TextField(blank=True, verbose_name=_("reason for exclusion"))
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("excluded by"),
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

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("survey campaign")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="survey_tallies", verbose_name=_("commune")
    )
    slot = models.PositiveSmallIntegerField(verbose_name=_("question slot"))
    channel = models.CharField(max_length=5, choices=Channel.choices, verbose_name=_("channel"))
    answered = models.PositiveIntegerField(default=0, verbose_name=_("answered"))
    satisfied = models.PositiveIntegerField(default=0, verbose_name=_("satisfied"))
    total = models.BigIntegerField(default=0, verbose_name=_("total"))
    responses = models.PositiveIntegerField(
        default=0, verbose_name=_("responses")
    )  # all responses of this channel, answered or not

    class Meta:
        verbose_name = _("survey tally")
        verbose_name_plural = _("survey tallies")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "commune", "slot", "channel"], name="survey_tally_unique"),
            models.CheckConstraint(
                condition=Q(satisfied__lte=models.F("answered")), name="survey_tally_satisfied_le_n"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.commune_id}/{self.slot}/{self.channel}: {self.satisfied}/{self.answered}"
