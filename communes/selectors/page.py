"""Reads for a commune's page: its one-stop shop (hours, today's status, special days, leaders on duty,
facilities, officers) with the latest of its procedures, statistics, disclosures and code of conduct.

A unit that has ended (``valid_until`` set) serves nobody today: its page is its history. It leads to
the units in force that took it over, and its records are read as they stood on its last day, with
nothing live (no open-now status, no leader on duty today, no coming special days).

The page costs a fixed number of queries whatever the number of rows: the commune with its shop and
the shop's rows in one select plus one query per related list, and every other list is a bounded
query of its own (an ended unit's chain of successors is one more).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from communes.models import (
    CodeOfConduct,
    Commune,
    CounterOfficer,
    Disclosure,
    DossierStatistics,
    DutyLeader,
    Facility,
    FacilityKind,
    OneStopShop,
    OpeningException,
    OpeningHours,
    Weekday,
)
from communes.selectors.code_of_conduct import code_of_conduct_in_force
from communes.selectors.disclosures import disclosure_latest
from communes.selectors.procedures import FieldCount, procedure_fields_for_commune
from communes.selectors.statistics import statistics_recent
from communes.selectors.units import successors_today
from core import clock
from core.clock import VIETNAM
from core.workdays import public_holidays_between

HOLIDAYS_AHEAD = datetime.timedelta(days=60)
EXCEPTIONS_AHEAD = datetime.timedelta(days=366)
EXCEPTIONS_SHOWN = 10
COMMON_FIELDS = 6


# --- Commune page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    opens: datetime.time
    closes: datetime.time


@dataclass(frozen=True)
class DaySchedule:
    weekday: int
    label: str
    sessions: list[Session]
    is_today: bool


@dataclass(frozen=True)
class TodayStatus:
    date: datetime.date
    sessions: list[Session]
    is_open: bool
    closes_at: datetime.time | None
    opens_next: datetime.time | None
    reason: str
    """Why today differs from the weekly hours: a special day's reason or a public holiday's name."""

    @property
    def changes_at(self) -> datetime.datetime | None:
        """When "open now" or "closed now" stops being true today (None: not before midnight)."""
        moment = self.closes_at if self.is_open else self.opens_next
        return datetime.datetime.combine(self.date, moment, VIETNAM) if moment else None


@dataclass(frozen=True)
class SpecialDay:
    date: datetime.date
    reason: str
    is_holiday: bool
    closed: bool
    opens: datetime.time | None = None
    closes: datetime.time | None = None


@dataclass(frozen=True)
class DutyDay:
    weekday: int
    label: str
    leader: DutyLeader | None
    is_today: bool


@dataclass(frozen=True)
class FacilityRow:
    kind: str
    label: str
    available: bool
    facility: Facility | None


@dataclass(frozen=True)
class CommunePage:
    commune: Commune
    shop: OneStopShop | None
    predecessors: list[Commune]
    successors: list[Commune]
    successors_today: list[Commune]
    """For an ended unit, the units in force that took it over, through every reorganisation."""
    is_history: bool
    """The unit has ended: the page shows its records until then, nothing live."""
    name_then: str
    """The unit's name on its last day (today's name for a unit in force), as inside a sentence."""
    ended_on: datetime.date | None
    """The first day the unit no longer existed (the day after ``valid_until``)."""
    now: datetime.datetime
    today: TodayStatus | None
    week: list[DaySchedule]
    special_days: list[SpecialDay]
    leader_today: DutyLeader | None
    duty_week: list[DutyDay]
    facilities: list[FacilityRow]
    officers: list[CounterOfficer]
    procedure_count: int
    procedure_fields: list[FieldCount]
    statistics: list[DossierStatistics]
    disclosures: list[Disclosure]
    code_of_conduct: CodeOfConduct | None


def _commune_with_shop(*, pk: int, today: datetime.date) -> Commune:
    units = Commune.objects.order_by("code")
    # At most one special day a day (a unique constraint), so a year ahead bounds the list.
    exceptions = OpeningException.objects.filter(date__range=(today, today + EXCEPTIONS_AHEAD)).order_by("date")
    return (
        Commune.objects.select_related("province", "district", "one_stop_shop")
        .prefetch_related(
            Prefetch("one_stop_shop__opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
            Prefetch("one_stop_shop__opening_exceptions", queryset=exceptions),
            Prefetch("one_stop_shop__facilities", queryset=Facility.objects.order_by("kind")),
            Prefetch("one_stop_shop__duty_leaders", queryset=DutyLeader.objects.order_by("weekday")),
            Prefetch("one_stop_shop__officers", queryset=CounterOfficer.objects.order_by("position", "full_name")),
            Prefetch("predecessors", queryset=units),
            Prefetch("successors", queryset=units),
        )
        .get(pk=pk)
    )


def _shop_of(commune: Commune) -> OneStopShop | None:
    try:
        return commune.one_stop_shop
    except OneStopShop.DoesNotExist:
        return None


def _weekday(today: datetime.date | None) -> int | None:
    return today.weekday() if today else None


def opening_week(*, shop: OneStopShop, today: datetime.date | None) -> list[DaySchedule]:
    """Monday to Sunday with their sessions; a day without sessions is closed. Without ``today`` (a
    unit that has ended) no day is marked as today."""
    sessions: dict[int, list[Session]] = {day: [] for day in Weekday.values}
    for hours in shop.opening_hours.all():
        sessions[hours.weekday].append(Session(hours.opens, hours.closes))
    return [
        DaySchedule(weekday=day, label=Weekday(day).label, sessions=sessions[day], is_today=day == _weekday(today))
        for day in Weekday.values
    ]


def opening_today(
    *, shop: OneStopShop, now: datetime.datetime, holidays: list[tuple[datetime.date, str]] | None = None
) -> TodayStatus:
    """Whether the shop is open at ``now`` (Vietnam's wall clock): special days first, then public
    holidays, then the weekly hours. ``holidays`` may pass a list already read that covers today."""
    today, time = now.date(), now.time()
    exception = next((e for e in shop.opening_exceptions.all() if e.date == today), None)
    if holidays is None:
        holidays = public_holidays_between(today, today)
    holiday = dict(holidays).get(today)
    if exception is not None:
        sessions = [] if exception.closed else [Session(exception.opens, exception.closes)]
        reason = exception.reason
    elif holiday:
        sessions, reason = [], holiday
    else:
        sessions = [Session(h.opens, h.closes) for h in shop.opening_hours.all() if h.weekday == today.weekday()]
        reason = ""
    current = next((s for s in sessions if s.opens <= time < s.closes), None)
    later = next((s for s in sessions if s.opens > time), None)
    return TodayStatus(
        date=today,
        sessions=sessions,
        is_open=current is not None,
        closes_at=current.closes if current else None,
        opens_next=later.opens if later and current is None else None,
        reason=reason,
    )


def special_days_ahead(
    *, shop: OneStopShop | None, today: datetime.date, holidays: list[tuple[datetime.date, str]] | None = None
) -> list[SpecialDay]:
    """The shop's own special days from today on and the public holidays of the next 60 days."""
    if holidays is None:
        holidays = public_holidays_between(today, today + HOLIDAYS_AHEAD)
    days = [SpecialDay(date=day, reason=name, is_holiday=True, closed=True) for day, name in holidays]
    if shop is not None:
        days += [
            SpecialDay(date=e.date, reason=e.reason, is_holiday=False, closed=e.closed, opens=e.opens, closes=e.closes)
            for e in shop.opening_exceptions.all()[:EXCEPTIONS_SHOWN]
        ]
    return sorted(days, key=lambda day: (day.date, not day.is_holiday))


def facility_checklist(*, shop: OneStopShop) -> list[FacilityRow]:
    """All the facilities the model requires, recorded or not, in the model's order."""
    recorded = {facility.kind: facility for facility in shop.facilities.all()}
    return [
        FacilityRow(
            kind=kind,
            label=kind.label,
            available=bool(recorded.get(kind) and recorded[kind].available),
            facility=recorded.get(kind),
        )
        for kind in FacilityKind
    ]


def duty_week(*, shop: OneStopShop, today: datetime.date | None) -> list[DutyDay]:
    leaders = {leader.weekday: leader for leader in shop.duty_leaders.all()}
    return [
        DutyDay(weekday=day, label=Weekday(day).label, leader=leaders.get(day), is_today=day == _weekday(today))
        for day in Weekday.values
    ]


def commune_page(*, pk: int, now: datetime.datetime | None = None) -> CommunePage:
    """Everything the commune page shows, in a fixed number of queries; raises Commune.DoesNotExist."""
    now = timezone.localtime(now, VIETNAM) if now else clock.now()
    today = now.date()
    commune = _commune_with_shop(pk=pk, today=today)
    shop = _shop_of(commune)
    fields = procedure_fields_for_commune(commune=commune)
    if commune.is_current:
        live_day, records_day, ended_on, later = today, today, None, []
    else:
        # Nothing of an ended unit is "today": its records read as they stood on its last day.
        live_day, records_day = None, commune.valid_until
        ended_on = commune.valid_until + datetime.timedelta(days=1)
        later = successors_today(units=[commune])[commune.pk]
    duty = duty_week(shop=shop, today=live_day) if shop else []
    holidays = public_holidays_between(today, today + HOLIDAYS_AHEAD) if live_day else []
    return CommunePage(
        commune=commune,
        shop=shop,
        predecessors=list(commune.predecessors.all()),
        successors=list(commune.successors.all()),
        successors_today=later,
        is_history=not commune.is_current,
        name_then=commune.name_on(records_day),
        ended_on=ended_on,
        now=now,
        today=opening_today(shop=shop, now=now, holidays=holidays) if shop and live_day else None,
        week=opening_week(shop=shop, today=live_day) if shop else [],
        special_days=special_days_ahead(shop=shop, today=today, holidays=holidays) if live_day else [],
        leader_today=next((day.leader for day in duty if day.is_today), None),
        duty_week=duty,
        facilities=facility_checklist(shop=shop) if shop else [],
        officers=list(shop.officers.all()) if shop else [],
        procedure_count=sum(field.count for field in fields),
        procedure_fields=fields[:COMMON_FIELDS],
        statistics=statistics_recent(commune=commune),
        disclosures=disclosure_latest(commune=commune),
        code_of_conduct=code_of_conduct_in_force(province=commune.province, day=records_day),
    )
