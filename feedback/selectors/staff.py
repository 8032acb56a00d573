"""Staff reads of feedback: a commune's queue, one item with its timeline, the overdue and disputed items
of a user's scope, a province's categories.

Public reads and figures live in ``feedback.selectors``; everything here may show personal data, so
the views that call it check ``feedback.view_feedback_private`` (or ``feedback.view_overdue``) first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from accounts.models import Role
from accounts.selectors import user_scope
from communes.models import Commune, Province
from core.workdays import working_days_between
from feedback.models import OPEN_STATUSES, Category, Event, Feedback, Photo
from feedback.rules import PhotoAccess

# The status filter's value for "every open status".
OPEN = "open"
# The overdue page lists at most this many disputed items; the rest wait for the first ones.
DISPUTED_LIMIT = 100


# --- A commune's queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueUnits:
    """The communes whose items a commune's queue shows: itself and the pre-2025 communes it replaced,
    whose officers' records it keeps."""

    commune_ids: tuple[int, ...]
    province_ids: tuple[int, ...]

    @property
    def several(self) -> bool:
        return len(self.commune_ids) > 1


def queue_units(*, commune: Commune) -> QueueUnits:
    rows = list(
        Commune.objects.filter(Q(pk=commune.pk) | Q(successors=commune))
        .distinct()
        .order_by("pk")
        .values_list("pk", "province_id")
    )
    return QueueUnits(
        commune_ids=tuple(pk for pk, _province in rows),
        province_ids=tuple(sorted({province for _pk, province in rows})),
    )


def categories_for_provinces(*, province_ids) -> QuerySet[Category]:
    return Category.objects.filter(province_id__in=province_ids).order_by("position", "name", "pk")


def with_urgency(queryset: QuerySet[Feedback], *, today: datetime.date) -> QuerySet[Feedback]:
    """Annotate ``late`` (open and past its due date) and ``urgency`` (0 late, 1 open, 2 finished)."""
    late = Q(status__in=OPEN_STATUSES, due_date__lt=today)
    return queryset.annotate(
        late=Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField()),
        urgency=Case(
            When(late, then=Value(0)),
            When(status__in=OPEN_STATUSES, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )


def feedback_queue(
    *,
    commune_ids,
    today: datetime.date,
    status: str = "",
    category: Category | None = None,
    overdue: bool = False,
    q: str = "",
    search_original: bool = False,
) -> QuerySet[Feedback]:
    """The items of a queue, filtered; late ones first, then open ones, each by due date. The text
    search reads the original title only with ``search_original`` (who may see it), else the public one."""
    items = Feedback.objects.filter(commune_id__in=commune_ids)
    if status == OPEN:
        items = items.open()
    elif status:
        items = items.filter(status=status)
    if category is not None:
        items = items.filter(category=category)
    if overdue:
        items = items.overdue(today)
    q = (q or "").strip()
    if q:
        code = "".join(char for char in q if char.isalnum()).upper()
        match = Q(public_title__icontains=q) | Q(
            title__icontains=q, **({} if search_original else {"public_title": ""})
        )
        if code:
            match |= Q(code__icontains=code)
        items = items.filter(match)
    return (
        with_urgency(items, today=today)
        .select_related("category", "commune__district")
        .order_by("urgency", "due_date", "pk")
    )


# --- One item ---------------------------------------------------------------------------------------


def feedback_for_staff() -> QuerySet[Feedback]:
    """Items with what every staff page and permission check reads (the commune and its parents)."""
    return Feedback.objects.select_related(
        "commune__province", "commune__district", "category", "duplicate_of", "redacted_by", "submitter"
    )


def feedback_timeline(*, feedback: Feedback) -> list[Event]:
    """Every event of an item, oldest first, with who acted; notes are for staff only."""
    return list(Event.objects.filter(feedback=feedback).select_related("by").order_by("at", "pk"))


@dataclass(frozen=True)
class DueState:
    due_date: datetime.date
    days_left: int  # working days after today up to the due date
    days_late: int  # working days after the due date up to today
    is_open: bool

    @property
    def late(self) -> bool:
        return self.is_open and self.days_late > 0

    @property
    def due_today(self) -> bool:
        return self.is_open and not self.days_left and not self.days_late


def due_state(*, feedback: Feedback, today: datetime.date) -> DueState:
    return DueState(
        due_date=feedback.due_date,
        days_left=working_days_between(today, feedback.due_date),
        days_late=working_days_between(feedback.due_date, today),
        is_open=feedback.is_open,
    )


# --- Overdue and disputed items of a user's scope ---------------------------------------------------


def scope_filter(user) -> Q | None:
    """The items a user's roles cover, as a filter; None when they cover none. Communes include the
    ones their assigned unit replaced (``user_scope`` adds predecessors)."""
    scope = user_scope(user)
    if scope.is_admin:
        return Q()
    parts = []
    if scope.officer_communes:
        parts.append(Q(commune_id__in=scope.officer_communes))
    if scope.reviewer_districts:
        parts.append(Q(commune__district_id__in=scope.reviewer_districts))
    provinces = set()
    for role in (Role.DOHA_STAFF, Role.PROVINCIAL_LEADER):
        provinces |= scope.province_roles.get(role, frozenset())
    if provinces:
        parts.append(Q(commune__province_id__in=provinces))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def _in_scope(user, province_id: int | None = None) -> QuerySet[Feedback]:
    condition = scope_filter(user)
    if condition is None:
        return Feedback.objects.none()
    items = Feedback.objects.filter(condition)
    if province_id is not None:
        # The province and those it replaced, as a DoHA role over it covers them (a subquery: a join on
        # the successors would repeat an item once per successor).
        covered = Province.objects.filter(Q(pk=province_id) | Q(successors=province_id)).values("pk")
        items = items.filter(commune__province_id__in=covered)
    return items


def overdue_for_user(*, user, today: datetime.date, province_id: int | None = None) -> QuerySet[Feedback]:
    """Open items past their due date in the user's scope (in one province and those it replaced, when
    ``province_id`` is given), by province, commune and due date."""
    return (
        _in_scope(user, province_id)
        .overdue(today)
        .select_related("commune__province", "commune__district", "category")
        .order_by("commune__province__name", "commune__name", "commune_id", "due_date", "pk")
    )


def disputed_for_user(*, user, province_id: int | None = None) -> QuerySet[Feedback]:
    """Items a dispute reopened and nobody answered since: open, and the latest dispute is newer than
    the latest status change (events are numbered in the order they happen). ``province_id`` as for
    ``overdue_for_user``."""
    events = Event.objects.filter(feedback=OuterRef("pk")).order_by("-pk").values("pk")
    disputed = events.filter(kind=Event.Kind.DISPUTED)[:1]
    acted = events.filter(kind__in=[Event.Kind.STATUS, Event.Kind.FORWARDED])[:1]
    return (
        _in_scope(user, province_id)
        .open()
        .filter(disputes__gt=0)
        .annotate(disputed_event=Subquery(disputed), acted_event=Coalesce(Subquery(acted), Value(0)))
        .filter(disputed_event__gt=F("acted_event"))
        .select_related("commune__province", "commune__district", "category")
        .order_by("commune__province__name", "commune__name", "commune_id", "pk")
    )


# --- Categories -------------------------------------------------------------------------------------


def categories_of_province(*, province: Province) -> list[Category]:
    return list(Category.objects.filter(province=province).order_by("position", "name", "pk"))


def item_photos(*, feedback: Feedback, access: str) -> list[Photo]:
    """The photos of ``feedback`` that ``access`` (feedback.rules.photo_access for the viewer) lets one
    see, in one query: the rule is decided once for the item, the filter is the database's."""
    if access == PhotoAccess.ALL:
        return list(Photo.objects.filter(feedback=feedback))
    if access == PhotoAccess.SHOWN:
        return list(Photo.objects.filter(feedback=feedback, hidden=False))
    return []
