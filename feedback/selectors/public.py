"""Public reads of citizen feedback, and the per-commune figures that pages and the scoring share.

Nothing here returns personal data: the public views get dataclasses built from the public columns
only, so a template cannot print a contact name, phone, e-mail or the exact coordinates even by
mistake. Every read costs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Func,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import BooleanField as BooleanOutput
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from core import clock
from core.clock import VIETNAM
from feedback.models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Category,
    Event,
    Feedback,
    Photo,
    RefusalReason,
    Status,
    dispute_window_end,
    may_be_rated,
    photos_are_public,
)
from feedback.services.common import format_code

SECONDS_PER_DAY = 86400


# --- Figures ------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True)
class Figures:
    """What a commune did with its feedback. Shares are percentages, None when their base is zero.

    ``handled`` counts final items (refused, forwarded, resolved, closed unresolved); ``resolved`` and
    ``closed_unresolved`` are counted apart so that closing an item is never mistaken for solving it.
    """

    count: int = 0
    open: int = 0
    handled: int = 0
    resolved: int = 0
    closed_unresolved: int = 0
    refused: int = 0
    forwarded: int = 0
    answered: int = 0
    answered_on_time: int = 0
    disputed: int = 0
    rated: int = 0
    average_rating: float | None = None
    overdue: int = 0
    median_days_to_answer: float | None = None

    @property
    def on_time_share(self) -> float | None:
        """Answered no later than the due date (Vietnam's calendar day), among answered items."""
        return _share(self.answered_on_time, self.answered)

    @property
    def resolved_share(self) -> float | None:
        return _share(self.resolved, self.handled)

    @property
    def disputed_share(self) -> float | None:
        return _share(self.disputed, self.answered)


def _window(queryset: QuerySet[Feedback], since, until) -> QuerySet[Feedback]:
    """Items submitted in [since, until]: dates are whole days in Vietnam, both included; datetimes are
    taken as given (``until`` excluded)."""
    if since is not None:
        if not isinstance(since, datetime.datetime):
            since = datetime.datetime.combine(since, datetime.time.min, tzinfo=VIETNAM)
        queryset = queryset.filter(submitted_at__gte=since)
    if until is not None:
        if not isinstance(until, datetime.datetime):
            until = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=VIETNAM)
        queryset = queryset.filter(submitted_at__lt=until)
    return queryset


class _Median(Aggregate):
    """PostgreSQL's exact median of the non-null values (the mean of the two middle ones when even)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()


def _days_to_answer() -> Func:
    """PostgreSQL: the days from submission to answer (a negative duration, from a clock's drift, is 0)."""
    return Func(
        F("answered_at"),
        F("submitted_at"),
        arg_joiner=" - ",
        template=f"GREATEST(EXTRACT(EPOCH FROM %(expressions)s), 0) / {SECONDS_PER_DAY}.0",
        output_field=FloatField(),
    )


# SQLite has no median: number the answered items of each commune by duration, keep the middle one
# (or two) and average them. Set-based: the database returns one row per commune.
SQLITE_MEDIANS = """
    SELECT commune_id, AVG(days) FROM (
        SELECT commune_id, days,
               ROW_NUMBER() OVER (PARTITION BY commune_id ORDER BY days) AS position,
               COUNT(*) OVER (PARTITION BY commune_id) AS answered
        FROM (SELECT commune_id, MAX(julianday(answered_at) - julianday(submitted_at), 0) AS days
              FROM ({items}) AS items) AS durations
    ) AS numbered
    WHERE position IN ((answered + 1) / 2, (answered + 2) / 2)
    GROUP BY commune_id
"""


def _sqlite_answer_medians(answered_items: QuerySet[Feedback]) -> dict[int, float]:
    """Each commune's median time from submission to answer, in days (a negative duration, from a
    clock's drift, counts as zero), computed by SQLite in one query."""
    sql, params = (
        answered_items.order_by().values_list("commune_id", "answered_at", "submitted_at").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_MEDIANS.format(items=sql), params)
        return dict(cursor.fetchall())


def feedback_figures(
    *,
    commune_ids: list[int] | None = None,
    since: datetime.date | datetime.datetime | None = None,
    until: datetime.date | datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> dict[int, Figures]:
    """The figures of each commune's feedback submitted in the window, in one grouped aggregate for any
    number of communes (two on SQLite: the median is a query of its own).

    With ``commune_ids`` every id is in the result (empty figures for a commune without feedback);
    without, every commune that has feedback is. ``overdue`` counts open items past their due date
    on ``today`` (Vietnam's date by default).

    The median is computed by the database, one row per commune whatever the number of items:
    PostgreSQL's ``percentile_cont`` in the same aggregate, and on SQLite (no median aggregate) the
    middle rows picked by window functions (see ``_sqlite_answer_medians``).
    """
    today = today or clock.today()
    items = _window(Feedback.objects.all(), since, until)
    if commune_ids is not None:
        items = items.filter(commune_id__in=commune_ids)
    answered = Q(answered_at__isnull=False)
    # The due date is a calendar day in Vietnam, so the answer's moment is read on that calendar.
    on_time = answered & Q(LessThanOrEqual(TruncDate("answered_at", tzinfo=VIETNAM), F("due_date")))
    rows = (
        items.order_by()
        .values("commune_id")
        .annotate(
            count=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            handled=Count("pk", filter=Q(status__in=FINAL_STATUSES)),
            resolved=Count("pk", filter=Q(status=Status.RESOLVED)),
            closed_unresolved=Count("pk", filter=Q(status=Status.CLOSED_UNRESOLVED)),
            refused=Count("pk", filter=Q(status=Status.REFUSED)),
            forwarded=Count("pk", filter=Q(status=Status.FORWARDED)),
            answered=Count("pk", filter=answered),
            answered_on_time=Count("pk", filter=on_time),
            disputed=Count("pk", filter=answered & Q(disputes__gt=0)),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            average_rating=Avg("rating"),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        )
    )
    if connection.vendor == "postgresql":
        rows = rows.annotate(median_days_to_answer=_Median(_days_to_answer(), filter=answered))
        medians = {}
    else:
        medians = _sqlite_answer_medians(items.filter(answered))

    figures = {commune_id: Figures() for commune_id in commune_ids or []}
    for row in rows:
        commune_id = row.pop("commune_id")
        row.setdefault("median_days_to_answer", medians.get(commune_id))
        figures[commune_id] = Figures(**row)
    return figures


def feedback_figures_for_commune(*, commune: Commune) -> Figures:
    """All of a commune's feedback, for its pages."""
    return feedback_figures(commune_ids=[commune.pk])[commune.pk]


# --- The commune's public list -----------------------------------------------------------------

# Columns a public list or page may read; contact details, coordinates, the submitter and the
# action key are never loaded.
LIST_COLUMNS = ("code", "title", "public_title", "status", "submitted_at", "due_date", "commune_id", "category__name")


def public_feedback_for_commune(
    *,
    commune: Commune,
    status: str | None = None,
    category: Category | int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Feedback]:
    """The commune's feedback as the public sees it, newest first, each row with ``is_overdue``."""
    today = today or clock.today()
    items = Feedback.objects.filter(commune=commune)
    if status:
        items = items.filter(status=status)
    if category:
        items = items.filter(category=category)
    return (
        items.select_related("category")
        .only(*LIST_COLUMNS)
        .annotate(
            is_overdue=Case(
                When(Q(status__in=OPEN_STATUSES, due_date__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanOutput(),
            )
        )
        .order_by("-submitted_at", "-pk")
    )


def categories_for_commune(*, commune: Commune) -> list[Category]:
    """The categories of the commune's province, for the filter: inactive ones still name old items."""
    return list(Category.objects.filter(province_id=commune.province_id).order_by("position", "name"))


def categories_open_for_commune(*, commune: Commune) -> QuerySet[Category]:
    """The categories a citizen may choose for new feedback to this commune."""
    return Category.objects.filter(province_id=commune.province_id, active=True).order_by("position", "name")


# --- One item, as the public sees it --------------------------------------------------------------

ACTOR_COMMUNE = _("the commune")
ACTOR_CITIZEN = _("the citizen")
ACTOR_PORTAL = _("the portal")
# Who did a step, said as a role: a timeline names no officer and no citizen.
ACTORS = {
    Event.Kind.SUBMITTED: ACTOR_CITIZEN,
    Event.Kind.STATUS: ACTOR_COMMUNE,
    Event.Kind.EXTENDED: ACTOR_COMMUNE,
    Event.Kind.FORWARDED: ACTOR_COMMUNE,
    Event.Kind.REDACTED: ACTOR_COMMUNE,
    Event.Kind.RATED: ACTOR_CITIZEN,
    Event.Kind.DISPUTED: ACTOR_CITIZEN,
    Event.Kind.OVERDUE: ACTOR_PORTAL,
}


@dataclass(frozen=True)
class TimelineStep:
    kind: str
    label: str
    status: str
    status_label: str
    actor: str
    public_text: str
    at: datetime.datetime


@dataclass(frozen=True)
class PublicFeedback:
    """An item without its personal data: what the tracking page, the receipt and the QR code show."""

    code: str
    display_code: str
    title: str
    description: str
    commune: Commune
    category_name: str
    category_time_limit_days: int
    status: str
    status_label: str
    address: str
    submitted_at: datetime.datetime
    due_date: datetime.date
    extension_reason: str
    forwarded_to: str
    refusal_reason: str
    refusal_reason_label: str
    refusal_text: str
    duplicate_of_code: str
    answer: str
    answered_at: datetime.datetime | None
    rating: int | None
    disputes: int
    is_overdue: bool
    photo_ids: list[int] = field(default_factory=list)
    timeline: list[TimelineStep] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def can_be_rated(self) -> bool:
        """Once answered; rating again replaces the rating."""
        return may_be_rated(self.status)

    def dispute_window_ends(self) -> datetime.datetime | None:
        return dispute_window_end(self.status, self.answered_at)

    def can_be_disputed(self, now: datetime.datetime) -> bool:
        ends = self.dispute_window_ends()
        return ends is not None and now <= ends

    @property
    def dispute_until(self) -> datetime.datetime | None:
        return self.dispute_window_ends()


@dataclass(frozen=True)
class Access:
    """What decides whether a viewer may rate or dispute; never passed to a template."""

    action_key: str
    submitter_id: int | None


def _public_item_queryset() -> QuerySet[Feedback]:
    return (
        Feedback.objects.select_related("commune__province", "commune__district", "category", "duplicate_of")
        .defer(
            "contact_name",
            "contact_phone",
            "contact_email",
            "latitude",
            "longitude",
            "redacted_by",
            "submission_token",
            "language",
        )
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.filter(hidden=False).only("pk", "feedback_id")),
            Prefetch("events", queryset=Event.objects.only("feedback_id", "kind", "status", "public_text", "at")),
        )
    )


def _refusal_text(events: list[Event]) -> str:
    for event in reversed(events):
        if event.status == Status.REFUSED and event.public_text:
            return event.public_text
    return ""


def feedback_public(*, code: str, today: datetime.date | None = None) -> tuple[PublicFeedback, Access]:
    """The item with this (normalised) code as the public sees it, in three queries; raises
    Feedback.DoesNotExist."""
    today = today or clock.today()
    item = _public_item_queryset().get(code=code)
    events = list(item.events.all())
    public = PublicFeedback(
        code=item.code,
        display_code=format_code(item.code),
        title=item.shown_title,
        description=item.shown_description,
        commune=item.commune,
        category_name=item.category.name,
        category_time_limit_days=item.category.time_limit_days,
        status=item.status,
        status_label=item.get_status_display(),
        address=item.address,
        submitted_at=item.submitted_at,
        due_date=item.due_date,
        extension_reason=item.extension_reason,
        forwarded_to=item.forwarded_to,
        refusal_reason=item.refusal_reason,
        refusal_reason_label=RefusalReason(item.refusal_reason).label if item.refusal_reason else "",
        refusal_text=_refusal_text(events) if item.status == Status.REFUSED else "",
        duplicate_of_code=item.duplicate_of.code if item.duplicate_of_id else "",
        answer=item.answer,
        answered_at=item.answered_at,
        rating=item.rating,
        disputes=item.disputes,
        is_overdue=item.is_open and item.due_date < today,
        # The photos the officer left visible, once the item is accepted (feedback.rules.photo_access).
        photo_ids=[photo.pk for photo in item.photos.all()] if photos_are_public(item.status) else [],
        timeline=[
            TimelineStep(
                kind=event.kind,
                label=Event.Kind(event.kind).label if event.kind in Event.Kind.values else event.kind,
                status=event.status,
                status_label=Status(event.status).label if event.status in Status.values else "",
                actor=ACTORS.get(event.kind, ACTOR_COMMUNE),
                public_text=event.public_text,
                at=event.at,
            )
            for event in events
        ],
    )
    return public, Access(action_key=item.action_key, submitter_id=item.submitter_id)


def feedback_for_action(*, code: str) -> Feedback:
    """The item a citizen rates or disputes, for the service; raises Feedback.DoesNotExist."""
    return Feedback.objects.select_related("commune", "category").get(code=code)


def feedback_exists(*, code: str) -> bool:
    return Feedback.objects.filter(code=code).exists()


def photo_to_serve(*, pk: int) -> Photo:
    """A photo with what feedback.rules.can_view_photo reads (its item's status and commune), in one
    query; raises Photo.DoesNotExist. The caller asks the rule before serving it."""
    return (
        Photo.objects.select_related("feedback__commune")
        .only(
            "pk",
            "image",
            "hidden",
            "feedback",
            "feedback__status",
            "feedback__commune",
            "feedback__commune__province_id",
            "feedback__commune__district_id",
        )
        .get(pk=pk)
    )
