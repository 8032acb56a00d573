"""Matters residents decide (Law 10/2022/QH15, art. 15–21) and the deciding in each village.

A matter is proposed for one village, or for the whole commune (only contributions and community funds,
items 1–2 of art. 15, are decided commune-wide: art. 16(1), 21). Each village concerned decides it in a
``Decision``: a meeting, household ballots or an online vote. Ballots record who took part; how a
household voted is kept apart (``Tally``) when the matter is secret, so no row names it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune, Village
from core import workdays
from democracy.models.households import Household


class Category(models.IntegerChoices):
    """The six kinds of matter residents decide (art. 15)."""

    CONTRIBUTIONS = 1, _("Residents' contributions to infrastructure and public works")
    COMMUNITY_FUNDS = 2, _("Collecting, spending and managing the community's funds and assets")
    CONVENTION = 3, _("The village convention (hương ước, quy ước)")
    VILLAGE_HEAD = 4, _("Electing or dismissing the village head")
    BOARDS = 5, _("Electing or dismissing members of the People's Inspection Board or the investment supervision board")
    SELF_MANAGED = 6, _("Other self-managed work of the community")


class Form(models.TextChoices):
    """How residents decide (art. 17(1))."""

    MEETING = "meeting", _("community meeting")
    BALLOT = "ballot", _("household ballots")
    ONLINE = "online", _("online vote")


class Proposer(models.TextChoices):
    """Who proposed the matter (art. 16)."""

    CHAIRMAN = "chairman", _("the commune chairman, with the commune Front committee's chair")
    VILLAGE_HEAD = "village_head", _("the village head, with the village Front work committee")
    RESIDENTS = "residents", _("residents' initiative")


class MatterStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    DECIDING = "deciding", _("residents are deciding")
    DECIDED = "decided", _("decided, awaiting the commune")
    RECOGNISED = "recognised", _("recognised by the commune")
    REFUSED = "refused", _("not recognised by the commune")


class Matter(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="matters", verbose_name=_("commune"))
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
        verbose_name=_("village"),
        help_text=_("Empty: the whole commune decides, village by village."),
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("what residents decide"))
    category = models.PositiveSmallIntegerField(_("kind of matter (art. 15)"), choices=Category.choices)
    form = models.CharField(_("how residents decide"), max_length=8, choices=Form.choices)
    proposer = models.CharField(_("proposed by"), max_length=12, choices=Proposer.choices)
    initiative_households = models.PositiveIntegerField(
        _("households supporting the initiative"), null=True, blank=True
    )
    initiative_collected_on = models.DateField(_("support collected on"), null=True, blank=True)
    front_endorsed = models.BooleanField(
        _("endorsed by the village Front work committee"),
        default=False,
        help_text=_("An initiative that fewer than one household in ten supports may still go ahead (art. 16(3))."),
    )
    secret = models.BooleanField(
        _("secret vote"), default=True, help_text=_("Ballots and online votes do not record how a household voted.")
    )
    document = models.FileField(_("document (PDF)"), upload_to="democracy/matters/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MatterStatus.choices, default=MatterStatus.DRAFT)
    villages_total = models.PositiveSmallIntegerField(_("villages deciding"), null=True, blank=True)
    villages_for = models.PositiveSmallIntegerField(_("villages in favour"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    recognition_number = models.CharField(_("number of the commune's decision"), max_length=50, blank=True)
    recognised_on = models.DateField(_("recognised or refused on"), null=True, blank=True)
    recognition_reason = models.TextField(_("reasons"), blank=True)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("matter residents decide")
        verbose_name_plural = _("matters residents decide")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(category__gte=1, category__lte=6), name="matter_category_valid"),
            models.CheckConstraint(condition=Q(form__in=Form.values), name="matter_form_valid"),
            # Art. 17(2): online votes only for other self-managed work (item 6).
            models.CheckConstraint(condition=~Q(form=Form.ONLINE) | Q(category=6), name="matter_online_only_item_6"),
            # Art. 16(1), 21: only contributions and community funds are decided commune-wide.
            models.CheckConstraint(
                condition=Q(village__isnull=False) | Q(category__in=[1, 2]), name="matter_commune_wide_items_1_2"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("democracy:matter_detail", kwargs={"pk": self.pk})

    @property
    def is_commune_wide(self) -> bool:
        return self.village_id is None

    @property
    def is_frozen(self) -> bool:
        """A recognised (or refused) result is the commune's act: nothing of it changes any more."""
        return self.status in (MatterStatus.RECOGNISED, MatterStatus.REFUSED)


class DecisionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open")
    COUNTED = "counted", _("counted")
    COSIGNED = "cosigned", _("co-signed by the Front work committee")
    SENT = "sent", _("sent to the commune")


class Decision(models.Model):
    """One village deciding one matter (art. 20: the community's decision)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("matter"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("village"))
    form = models.CharField(_("how residents decide"), max_length=8, choices=Form.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("starts at"), help_text=_("The meeting's time, or when ballots and votes open."))
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, help_text=_("When ballots must be returned or the online vote closes.")
    )
    place = models.CharField(_("place"), max_length=255, blank=True, help_text=_("Where the meeting is held."))
    invited_on = models.DateField(_("invitation sent on"), null=True, blank=True)
    households_total = models.PositiveIntegerField(_("households in the village"), null=True, blank=True)
    households_present = models.PositiveIntegerField(_("households represented"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstaining"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    minutes = models.FileField(_("minutes (PDF)"), upload_to="democracy/minutes/%Y/", blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cosigned_at = models.DateTimeField(_("co-signed at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_on = models.DateField(_("sent to the commune on"), null=True, blank=True)
    # Only the totals are kept here, written once when counting: the running count lives in Tally.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village decision")
        verbose_name_plural = _("village decisions")
        ordering = ["matter", "village__name"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "village"], name="decision_one_per_village"),
            models.CheckConstraint(condition=Q(form__in=Form.values), name="decision_form_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="decision_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} · {self.village}"

    @property
    def commune(self):
        """For the permission rules (accounts.rules.place_of)."""
        return self.village.commune

    @property
    def send_due(self) -> datetime.date | None:
        """Art. 20(3): the result reaches the commune within 5 working days of the meeting or the end of
        the ballots or the vote."""
        return workdays.add_working_days(self.decided_on, 5) if self.decided_on else None

    @property
    def sent_late(self) -> bool:
        due = self.send_due
        return bool(due and self.sent_on and self.sent_on > due)

    @property
    def counted(self) -> bool:
        return self.status in (DecisionStatus.COUNTED, DecisionStatus.COSIGNED, DecisionStatus.SENT)


class Tally(models.Model):
    """The running count of ballots and online votes of one decision. No history and no time: a row
    that changed at the moment a ballot was cast would tell how that household voted."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="tally", primary_key=True)
    votes_for = models.PositiveIntegerField(default=0)
    votes_against = models.PositiveIntegerField(default=0)
    votes_abstain = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("running count")
        verbose_name_plural = _("running counts")

    def __str__(self) -> str:
        return str(self.decision)


class Choice(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")


class Channel(models.TextChoices):
    PAPER = "paper", _("paper ballot, entered by an officer")
    CODE = "code", _("online, with the ballot's code")
    ACCOUNT = "account", _("online, by the household's verified representative")


class Ballot(models.Model):
    """One household's one voice in one decision, issued when the deciding opens. ``cast_at`` says the
    household took part; ``choice`` is kept only when the matter is not secret."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("decision"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("household")
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    channel = models.CharField(_("returned by"), max_length=8, choices=Channel.choices, blank=True)
    cast_on = models.DateField(_("returned on"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["decision", "household__number"]
        constraints = [
            # One household, one ballot (art. 17(1)(b)): the database refuses a second.
            models.UniqueConstraint(fields=["decision", "household"], name="ballot_one_per_household"),
            models.CheckConstraint(
                condition=Q(cast_on__isnull=True, channel="", choice="") | Q(cast_on__isnull=False) & ~Q(channel=""),
                name="ballot_cast_has_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    def get_absolute_url(self) -> str:
        return reverse("democracy:ballot", kwargs={"code": self.code})
