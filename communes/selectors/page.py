"""Reads for the public pages of a commune: its one-stop shop, procedures, disclosures, code of conduct.

Each page costs a fixed number of queries whatever the number of rows: the commune page loads the
commune with its shop and the shop's rows in one select plus one query per related list, and every
other list is a bounded query of its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from communes.models import (
    CodeOfConduct,
    Commune,
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    DossierStatistics,
    DutyLeader,
    Facility,
    FacilityKind,
    OneStopShop,
    OpeningException,
    OpeningHours,
    Province,
    Weekday,
)
from core import clock
from core.clock import VIETNAM
from core.text import fold
from core.workdays import public_holidays_between

HOLIDAYS_AHEAD = datetime.timedelta(days=60)
EXCEPTIONS_AHEAD = datetime.timedelta(days=366)
EXCEPTIONS_SHOWN = 10
STATISTICS_MONTHS = 12
LATEST_DISCLOSURES = 5
COMMON_FIELDS = 6
SEARCH_LIMIT = 50


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
class FieldCount:
    field: str
    count: int


@dataclass(frozen=True)
class CommunePage:
    commune: Commune
    shop: OneStopShop | None
    predecessors: list[Commune]
    successors: list[Commune]
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


def opening_week(*, shop: OneStopShop, today: datetime.date) -> list[DaySchedule]:
    """Monday to Sunday with their sessions; a day without sessions is closed."""
    sessions: dict[int, list[Session]] = {day: [] for day in Weekday.values}
    for hours in shop.opening_hours.all():
        sessions[hours.weekday].append(Session(hours.opens, hours.closes))
    return [
        DaySchedule(weekday=day, label=Weekday(day).label, sessions=sessions[day], is_today=day == today.weekday())
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


def duty_week(*, shop: OneStopShop, today: datetime.date) -> list[DutyDay]:
    leaders = {leader.weekday: leader for leader in shop.duty_leaders.all()}
    return [
        DutyDay(weekday=day, label=Weekday(day).label, leader=leaders.get(day), is_today=day == today.weekday())
        for day in Weekday.values
    ]


def procedure_fields_for_commune(*, commune: Commune) -> list[FieldCount]:
    """The fields of the procedures a commune handles with their counts, most common first."""
    rows = (
        CommuneProcedure.objects.filter(commune=commune)
        .values("procedure__field")
        .annotate(count=Count("pk"))
        .order_by("-count", "procedure__field")
    )
    return [FieldCount(field=row["procedure__field"], count=row["count"]) for row in rows]


def statistics_recent(*, commune: Commune, months: int = STATISTICS_MONTHS) -> list[DossierStatistics]:
    """The latest reported months, newest first, each with ``resolved_total`` and ``on_time_percent``
    (None when nothing was resolved)."""
    resolved = F("resolved_early") + F("resolved_on_time") + F("resolved_late")
    return list(
        DossierStatistics.objects.filter(commune=commune)
        .annotate(
            resolved_total=resolved,
            on_time_percent=Value(100.0)
            * Cast(F("resolved_early") + F("resolved_on_time"), FloatField())
            / Cast(NullIf(resolved, Value(0)), FloatField()),
        )
        .order_by("-month")[:months]
    )


def disclosure_latest(*, commune: Commune, limit: int = LATEST_DISCLOSURES) -> list[Disclosure]:
    return list(Disclosure.objects.filter(commune=commune).order_by("-published_on", "-pk")[:limit])


def code_of_conduct_in_force(*, province: Province, day: datetime.date) -> CodeOfConduct | None:
    return CodeOfConduct.objects.filter(province=province, in_force_from__lte=day).order_by("-in_force_from").first()


def commune_page(*, pk: int, now: datetime.datetime | None = None) -> CommunePage:
    """Everything the commune page shows, in a fixed number of queries; raises Commune.DoesNotExist."""
    now = timezone.localtime(now, VIETNAM) if now else clock.now()
    today = now.date()
    commune = _commune_with_shop(pk=pk, today=today)
    shop = _shop_of(commune)
    fields = procedure_fields_for_commune(commune=commune)
    duty = duty_week(shop=shop, today=today) if shop else []
    holidays = public_holidays_between(today, today + HOLIDAYS_AHEAD)
    return CommunePage(
        commune=commune,
        shop=shop,
        predecessors=list(commune.predecessors.all()),
        successors=list(commune.successors.all()),
        now=now,
        today=opening_today(shop=shop, now=now, holidays=holidays) if shop else None,
        week=opening_week(shop=shop, today=today) if shop else [],
        special_days=special_days_ahead(shop=shop, today=today, holidays=holidays),
        leader_today=next((day.leader for day in duty if day.is_today), None),
        duty_week=duty,
        facilities=facility_checklist(shop=shop) if shop else [],
        officers=list(shop.officers.all()) if shop else [],
        procedure_count=sum(field.count for field in fields),
        procedure_fields=fields[:COMMON_FIELDS],
        statistics=statistics_recent(commune=commune),
        disclosures=disclosure_latest(commune=commune),
        code_of_conduct=code_of_conduct_in_force(province=commune.province, day=today),
    )


# --- Search -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneSearchResult:
    communes: list[Commune]
    has_more: bool
    limit: int


def _former_name_matches(folded: str) -> list[int]:
    # Former names are few (renames and regradings inside a unit's life) and stored as written, so
    # they are folded here rather than in the database.
    rows = Commune.objects.exclude(former_names=[]).values_list("pk", "former_names")
    return [pk for pk, names in rows if any(folded in fold(former.get("name", "")) for former in names)]


def commune_search(*, query: str, limit: int = SEARCH_LIMIT) -> CommuneSearchResult:
    """Communes whose name, former name or successor's name contains ``query``, ignoring case and
    diacritics: "quang minh" finds Phường Quảng Minh and, through its successor, so does "vân hà".
    Units in force first."""
    folded = fold(query)
    if not folded:
        return CommuneSearchResult(communes=[], has_more=False, limit=limit)
    matches = (
        Commune.objects.filter(
            Q(search_name__icontains=folded)
            | Q(successors__search_name__icontains=folded)
            | Q(pk__in=_former_name_matches(folded))
        )
        .values("pk")
        .distinct()
    )
    communes = list(
        Commune.objects.filter(pk__in=matches)
        .select_related("province", "district")
        .prefetch_related(Prefetch("successors", queryset=Commune.objects.order_by("code")))
        .order_by(F("valid_until").asc(nulls_first=True), "search_name", "code")[: limit + 1]
    )
    return CommuneSearchResult(communes=communes[:limit], has_more=len(communes) > limit, limit=limit)


# --- Procedures ---------------------------------------------------------------------------------


def commune_for_public_page(*, pk: int) -> Commune:
    """The commune with what its breadcrumbs need; raises Commune.DoesNotExist."""
    return Commune.objects.select_related("province", "district").get(pk=pk)


def procedure_list_for_commune(*, commune: Commune, field: str = "") -> QuerySet[CommuneProcedure]:
    """The procedures a commune handles, by field then name, optionally of one field."""
    procedures = CommuneProcedure.objects.filter(commune=commune).select_related("procedure")
    if field:
        procedures = procedures.filter(procedure__field=field)
    return procedures.order_by("procedure__field", "procedure__name", "pk")


def commune_procedure(*, commune_pk: int, code: str) -> CommuneProcedure:
    """A procedure as one commune handles it; raises CommuneProcedure.DoesNotExist if it does not."""
    return CommuneProcedure.objects.select_related("procedure", "commune__province", "commune__district").get(
        commune_id=commune_pk, procedure__code=code
    )


def commune_handles_procedure(*, commune_pk: int, code: str) -> bool:
    return CommuneProcedure.objects.filter(commune_id=commune_pk, procedure__code=code).exists()


# --- Disclosures --------------------------------------------------------------------------------


def disclosure_list_for_commune(*, commune: Commune, category: str = "") -> QuerySet[Disclosure]:
    disclosures = Disclosure.objects.filter(commune=commune)
    if category:
        disclosures = disclosures.filter(category=category)
    return disclosures.order_by("-published_on", "-pk")


def commune_disclosure(*, commune_pk: int, pk: int) -> Disclosure:
    """A disclosure of that commune; raises Disclosure.DoesNotExist otherwise."""
    return Disclosure.objects.get(commune_id=commune_pk, pk=pk)


# --- Code of conduct ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeVersion:
    code: CodeOfConduct
    status: str
    """"in_force", "future" (not yet in force) or "replaced"."""


@dataclass(frozen=True)
class CodeOfConductPage:
    province: Province
    successors: list[Province]
    versions: list[CodeVersion]
    shown: CodeVersion | None
    in_force: CodeOfConduct | None


def code_of_conduct_page(*, province_pk: int, version: int | None = None, today: datetime.date) -> CodeOfConductPage:
    """The province's codes of conduct, newest first, the one in force on ``today`` and the one asked for
    (the one in force by default). Raises Province.DoesNotExist, or CodeOfConduct.DoesNotExist when the
    province has no code or not the asked version."""
    province = Province.objects.prefetch_related(
        Prefetch("successors", queryset=Province.objects.order_by("code"))
    ).get(pk=province_pk)
    codes = list(province.codes_of_conduct.order_by("-in_force_from", "-version"))
    if not codes:
        raise CodeOfConduct.DoesNotExist
    in_force = next((code for code in codes if code.in_force_from <= today), None)
    versions = [
        CodeVersion(
            code=code,
            status="in_force" if code == in_force else "future" if code.in_force_from > today else "replaced",
        )
        for code in codes
    ]
    if version is None:
        shown = next((row for row in versions if row.code == in_force), None)
    else:
        shown = next((row for row in versions if row.code.version == version), None)
        if shown is None:
            raise CodeOfConduct.DoesNotExist
    return CodeOfConductPage(
        province=province,
        successors=list(province.successors.all()),
        versions=versions,
        shown=shown,
        in_force=in_force,
    )
