"""Residents check and supervise (dân kiểm tra, dân giám sát: Law 10/2022/QH15, art. 30–40).

- The commune's **People's Inspection Board** (Ban Thanh tra nhân dân, art. 36–40) and its **community
  investment supervision boards** (Ban Giám sát đầu tư của cộng đồng), elected by the residents (a matter
  of art. 15(5)): their members and term, their plans and reports, and their **recommendations** to the
  commune, which answers each within 15 days (art. 40).
- **Reports** residents send a board: anything they saw, or a discrepancy in how a decided matter is
  carried out. Only the board (and the commune Front committee that directs it, art. 39) reads them.
- The **execution** of each decided matter (money collected and spent, works done), which residents
  oversee (art. 30(1)).
- The commune **Fatherland Front committee**'s supervision notes.
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
from democracy.models.matters import Matter

# Art. 40: the commune answers the People's Inspection Board's recommendations within 15 days.
RECOMMENDATION_ANSWER_DAYS = 15


class BoardKind(models.TextChoices):
    INSPECTION = "inspection", _("People's Inspection Board")
    INVESTMENT = "investment", _("community investment supervision board")


class Board(models.Model):
    """One board for one term. An investment supervision board supervises one works (``subject``)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="boards", verbose_name=_("commune"))
    kind = models.CharField(_("kind"), max_length=10, choices=BoardKind.choices)
    subject = models.CharField(
        _("works supervised"), max_length=255, blank=True, help_text=_("For an investment supervision board.")
    )
    term_starts_on = models.DateField(_("term starts on"))
    term_ends_on = models.DateField(_("term ends on"))
    elected_by = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="boards_elected",
        verbose_name=_("elected by the residents' decision"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oversight board")
        verbose_name_plural = _("oversight boards")
        ordering = ["commune", "kind", "-term_starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BoardKind.values), name="board_kind_valid"),
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("term_starts_on")), name="board_term_ends_after_start"
            ),
            # An investment supervision board exists for one works; the inspection board for the commune.
            models.CheckConstraint(
                condition=Q(kind=BoardKind.INSPECTION, subject="") | Q(kind=BoardKind.INVESTMENT) & ~Q(subject=""),
                name="board_subject_for_investment",
            ),
            # One People's Inspection Board per term: the service refuses overlapping terms (under a lock on
            # the commune); the database at least refuses two boards starting the same day.
            models.UniqueConstraint(
                fields=["commune", "term_starts_on"],
                condition=Q(kind=BoardKind.INSPECTION),
                name="board_inspection_one_per_start",
            ),
        ]

    def __str__(self) -> str:
        label = BoardKind(self.kind).label
        return f"{label}: {self.subject}" if self.subject else str(label)

    def get_absolute_url(self) -> str:
        return reverse("democracy:board_detail", kwargs={"pk": self.pk})

    @property
    def is_inspection(self) -> bool:
        return self.kind == BoardKind.INSPECTION

    def in_office(self, today: datetime.date) -> bool:
        return self.term_starts_on <= today <= self.term_ends_on


class Position(models.TextChoices):
    HEAD = "head", _("head of the board")
    DEPUTY = "deputy", _("deputy head")
    MEMBER = "member", _("member")


class BoardMember(models.Model):
    """A member, elected from a village (art. 36). The name is public, as an office; the linked account,
    if any, opens the board's queue to the member."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members", verbose_name=_("board"))
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=8, choices=Position.choices, default=Position.MEMBER)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("elected from")
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_seats",
        verbose_name=_("account"),
    )
    left_on = models.DateField(_("left the board on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        ordering = ["board", "position", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "account"], condition=Q(account__isnull=False), name="board_member_account_once"
            ),
            models.UniqueConstraint(
                fields=["board"], condition=Q(position="head", left_on__isnull=True), name="board_one_head"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def commune(self):
        return self.board.commune


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("plan")
    REPORT = "report", _("inspection or supervision report")


class PlanPeriod(models.TextChoices):
    QUARTER = "quarter", _("quarterly")
    HALF_YEAR = "half_year", _("half-yearly")
    YEAR = "year", _("yearly")


class BoardDocument(models.Model):
    """A plan (quarterly, half-yearly, yearly: art. 39) or a report of the board, public."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="documents", verbose_name=_("board"))
    kind = models.CharField(_("kind"), max_length=8, choices=DocumentKind.choices)
    period = models.CharField(_("period of the plan"), max_length=10, choices=PlanPeriod.choices, blank=True)
    title = models.CharField(_("title"), max_length=255)
    dated = models.DateField(_("dated"))
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("document (PDF)"), upload_to="democracy/boards/%Y/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("board document")
        verbose_name_plural = _("board documents")
        ordering = ["board", "-dated", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.PLAN, period__in=PlanPeriod.values)
                | Q(kind=DocumentKind.REPORT, period=""),
                name="board_document_plan_has_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def commune(self):
        return self.board.commune


class RecommendationStatus(models.TextChoices):
    AWAITING = "awaiting", _("awaiting the commune's answer")
    ANSWERED = "answered", _("answered by the commune")


class Recommendation(models.Model):
    """A board's recommendation to the commune (art. 38). The commune answers within 15 days (art. 40);
    an overdue one is escalated to the province's Department of Home Affairs. Public once answered."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("board"))
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("recommendation"))
    report = models.ForeignKey(
        BoardDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("from the report"),
    )
    received_on = models.DateField(_("received by the commune on"))
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=RecommendationStatus.choices, default=RecommendationStatus.AWAITING
    )
    answer = models.TextField(_("the commune's answer"), blank=True)
    answer_document = models.FileField(_("answer (PDF)"), upload_to="democracy/recommendations/%Y/", blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated to the Department of Home Affairs at"), null=True, blank=True)
    # Set once the escalation mail went out, under a row lock: a task run twice mails once.
    escalation_mailed_at = models.DateTimeField(_("escalation mailed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation to the commune")
        verbose_name_plural = _("recommendations to the commune")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RecommendationStatus.AWAITING, answered_on__isnull=True)
                | Q(status=RecommendationStatus.ANSWERED, answered_on__isnull=False) & ~Q(answer=""),
                name="recommendation_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="recommendation_due_after_received"
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                name="recommendation_answered_after_received",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="recommendation_due")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("democracy:recommendation_detail", kwargs={"pk": self.pk})

    @property
    def commune(self):
        return self.board.commune

    @staticmethod
    def due_for(received_on: datetime.date) -> datetime.date:
        return workdays.add_days_to_working_day(received_on, RECOMMENDATION_ANSWER_DAYS)

    def answered_on_time(self) -> bool:
        return self.answered_on is not None and self.answered_on <= self.due_on

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == RecommendationStatus.AWAITING and today > self.due_on

    def state(self, today: datetime.date) -> str:
        """One of RECOMMENDATION_STATES: awaiting, overdue, on_time, late."""
        if self.status == RecommendationStatus.ANSWERED:
            return "on_time" if self.answered_on_time() else "late"
        return "overdue" if self.is_overdue(today) else "awaiting"


class ExecutionKind(models.TextChoices):
    COLLECTED = "collected", _("money collected")
    SPENT = "spent", _("money spent")
    WORKS = "works", _("works done")
    OTHER = "other", _("other step")


# The steps that move money: their amount is required, and the public totals add them up.
MONEY_KINDS = (ExecutionKind.COLLECTED, ExecutionKind.SPENT)


class Execution(models.Model):
    """One step in carrying out a decided matter, public so residents can check it (art. 30(1))."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="executions", verbose_name=_("matter"))
    kind = models.CharField(_("kind"), max_length=10, choices=ExecutionKind.choices)
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (đồng)"), max_digits=15, decimal_places=0, null=True, blank=True)
    description = models.TextField(_("description"))
    document = models.FileField(_("document (PDF)"), upload_to="democracy/executions/%Y/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("execution step")
        verbose_name_plural = _("execution steps")
        ordering = ["matter", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["collected", "spent"]) | Q(amount__isnull=False, amount__gte=0),
                name="execution_money_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_kind_display()}"

    @property
    def is_money(self) -> bool:
        return self.kind in MONEY_KINDS

    @property
    def commune(self):
        return self.matter.commune

    @property
    def village_id(self):
        return self.matter.village_id


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    CHECKING = "checking", _("being checked by the board")
    CLOSED = "closed", _("closed by the board")


class Report(models.Model):
    """What a resident tells a board (art. 38(7)): anything, or a discrepancy in a decided matter's
    execution. Never public: the author and the board's notes are read by the board, the commune Front
    committee and the author."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reports", verbose_name=_("board"))
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discrepancy_reports",
        verbose_name=_("about the decided matter"),
    )
    execution = models.ForeignKey(
        Execution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discrepancy_reports",
        verbose_name=_("about the execution step"),
    )
    text = models.TextField(_("what you saw"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.RECEIVED)
    board_note = models.TextField(_("the board's note"), blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report to a board")
        verbose_name_plural = _("reports to a board")
        ordering = ["-created_at"]
        constraints = [
            # A report on one step is a report on that step's matter: the board reads both together.
            models.CheckConstraint(
                condition=Q(execution__isnull=True) | Q(matter__isnull=False), name="report_step_has_matter"
            ),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def commune(self):
        return self.board.commune


class SupervisionNote(models.Model):
    """The commune Fatherland Front committee's note on what it supervised (art. 5, 39): about a
    consultation, a decided matter, a recommendation, or the commune's work in general."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("note"))
    consultation = models.ForeignKey(
        "democracy.Consultation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_notes",
        verbose_name=_("about the consultation"),
    )
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_notes",
        verbose_name=_("about the matter residents decide"),
    )
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_notes",
        verbose_name=_("about the recommendation"),
    )
    document = models.FileField(_("document (PDF)"), upload_to="democracy/supervision/%Y/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Front supervision note")
        verbose_name_plural = _("Front supervision notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
