"""The dashboards' figures: a province's communes over a period of months, read from the maintained
aggregates (``CommuneMonth``, ``CategoryMonth``, the scoring results) in
a constant number of queries, whatever the number of communes or of responses and items behind them.

One set of rules turns additive counts into figures (``Sums``), for a commune, a month or the whole
province alike; the pages, the annual report and the tests read the same ``ProvinceFigures``.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, Province
from communes.selectors.units import units_replaced
from core import clock, pagecache
from core.clock import month_end, month_start, months_between
from portal.models import ANSWER_DAYS_KEPT, MONTH_COUNTS, SIPAS_FIELDS, SIPAS_SLOTS, CategoryMonth, CommuneMonth
from scoring.models import Assessment
from scoring.models.assessments import PUBLIC_STATUSES, Status
from scoring.services.computation.metrics import SIPAS
from surveys.models import Factor
from surveys.selectors.figures import wilson_interval

FACTOR_SLOTS = (1, 2, 3, 4, 5)
# Below this many answers a satisfaction figure is not shown to the public (the survey campaigns'
# default minimum); staff see it, marked as resting on few answers.
MIN_ANSWERS = 30
MOVERS = 5  # communes listed as moving up, and down
COUNT_FIELDS = SIPAS_FIELDS + MONTH_COUNTS
# What a commune's monthly satisfaction index is computed from: the five factors' answers, then satisfied.
SPARK_FIELDS = [f"sipas_answered_{s}" for s in (1, 2, 3, 4, 5)] + [f"sipas_satisfied_{s}" for s in (1, 2, 3, 4, 5)]


@dataclass(frozen=True)
class Column:
    """A figure the dashboards show: its key, its label, its unit ("%", "n", "days", "stars") and
    whether more is better (True), worse (False) or neither (None)."""

    key: str
    label: str
    unit: str
    better: bool | None = None
    short: str = ""  # the table's header where the label is long


COLUMNS = [
    Column("satisfaction", _("Satisfaction index"), "%", True, _("Satisfaction")),
    Column("answers", _("Verified survey answers"), "n", None, _("Answers")),
    Column("feedback_received", _("Feedback received"), "n", None, _("Feedback")),
    Column("feedback_on_time", _("Feedback handled on time"), "%", True, _("On time")),
    Column("feedback_overdue", _("Feedback open past its due date"), "n", False, _("Overdue")),
    Column("feedback_disputed", _("Feedback answers disputed"), "n", False, _("Disputed")),
    Column("feedback_median_days", _("Median days to answer"), "days", False, _("Median days")),
    Column("dossiers_on_time", _("Dossiers resolved on time"), "%", True, _("Dossiers on time")),
    Column("dossiers_same_day", _("Dossiers resolved within the day"), "%", True, _("Same day")),
    Column("dossiers_online", _("Dossiers submitted online"), "%", True, _("Online")),
    Column("disclosures_on_time", _("Items disclosed on time"), "%", True, _("Disclosed on time")),
    Column("matters_recognised", _("Residents' decisions recognised"), "n", None, _("Decisions")),
    Column("consultations_on_time", _("Consultations run in full with a synthesis"), "%", True, _("Consultations")),
    Column("recommendations_on_time", _("Recommendations answered on time"), "%", True, _("Recommendations")),
    Column("stars", _("Stars (latest result)"), "stars", True, _("Stars")),
]
COLUMN_KEYS = [c.key for c in COLUMNS]


def _share(numerator: int, denominator: int) -> float | None:
    return 100 * numerator / denominator if denominator else None


def median_of(histogram: Counter) -> float | None:
    """The median of values given as value → how many (days to answer)."""
    n = sum(histogram.values())
    if not n:
        return None
    middle, seen, lower = (n - 1) // 2, 0, None
    for value in sorted(histogram):
        seen += histogram[value]
        if lower is None and seen > middle:
            lower = value
        if seen > n // 2:
            return (lower + value) / 2
    return None  # pragma: no cover - the loop always returns


def satisfaction_index(answered: list[int], satisfied: list[int]) -> float | None:
    """The mean of the factors' shares satisfied (%), or None while a factor has no answer."""
    if not all(answered):
        return None
    return 100 * sum(s / a for a, s in zip(answered, satisfied, strict=True)) / len(answered)


@dataclass
class Sums:
    """Additive counts of some communes over some months, and the figures they give."""

    counts: Counter = field(default_factory=Counter)
    days: Counter = field(default_factory=Counter)  # days to answer → items

    def add(self, other: Sums) -> None:
        self.counts.update(other.counts)
        self.days.update(other.days)

    def factor(self, slot: int) -> tuple[float | None, float | None, float | None]:
        """A SIPAS factor's share satisfied (%) with its 95% Wilson interval."""
        answered, satisfied = self.counts[f"sipas_answered_{slot}"], self.counts[f"sipas_satisfied_{slot}"]
        interval = wilson_interval(satisfied, answered)
        if interval is None:
            return None, None, None
        return _share(satisfied, answered), 100 * interval[0], 100 * interval[1]

    @property
    def dossiers_resolved(self) -> int:
        c = self.counts
        return c["dossiers_resolved_early"] + c["dossiers_resolved_on_time"] + c["dossiers_resolved_late"]

    @property
    def answers(self) -> int:
        """Respondents: the most answers any factor had (a respondent may skip a question)."""
        return max(self.counts[f"sipas_answered_{slot}"] for slot in SIPAS_SLOTS)

    @property
    def few_answers(self) -> bool:
        return min(self.counts[f"sipas_answered_{slot}"] for slot in FACTOR_SLOTS) < MIN_ANSWERS

    @property
    def satisfaction(self) -> float | None:
        """The SIPAS index: the mean of the five factors' shares satisfied, once all five have answers."""
        c = self.counts
        return satisfaction_index(
            [c[f"sipas_answered_{s}"] for s in FACTOR_SLOTS], [c[f"sipas_satisfied_{s}"] for s in FACTOR_SLOTS]
        )

    def value(self, key: str) -> float | None:
        c = self.counts
        match key:
            case "satisfaction":
                return self.satisfaction
            case "answers":
                return self.answers
            case "feedback_received":
                return c["feedback_received"]
            case "feedback_on_time":
                return _share(c["feedback_on_time"], c["feedback_on_time"] + c["feedback_late"])
            case "feedback_overdue":
                return c["feedback_open_overdue"]
            case "feedback_disputed":
                return c["feedback_disputed"]
            case "feedback_median_days":
                return median_of(self.days)
            case "dossiers_on_time":
                return _share(c["dossiers_resolved_early"] + c["dossiers_resolved_on_time"], self.dossiers_resolved)
            case "dossiers_same_day":
                return _share(c["dossiers_resolved_same_day"], self.dossiers_resolved)
            case "dossiers_online":
                return _share(c["dossiers_submitted_online"], c["dossiers_received"])
            case "disclosures_on_time":
                return _share(c["disclosures_on_time"], c["disclosures"])
            case "matters_recognised":
                return c["matters_recognised"]
            case "consultations_on_time":
                return _share(c["consultations_on_time"], c["consultations"])
            case "recommendations_on_time":
                return _share(c["recommendations_on_time"], c["recommendations"])
        raise KeyError(key)


@dataclass(frozen=True)
class Period:
    """Whole months, from ``first`` to ``last`` (both the first day of their month)."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def default(cls, today: datetime.date | None = None) -> Period:
        """The twelve months up to this one."""
        today = today or clock.today()
        return cls(month_start(today, 11), month_start(today))

    @property
    def months(self) -> list[datetime.date]:
        return months_between(self.first, self.last)

    @property
    def end(self) -> datetime.date:
        return month_end(self.last)

    @property
    def name_day(self) -> datetime.date:
        """The day units are named as of: the period's last day, or today while it lasts."""
        return min(self.end, clock.today())


@dataclass
class CommuneFigures:
    commune: Commune
    name: str  # as named on the period's last day
    district: str
    sums: Sums
    # The satisfaction index month by month (the sparkline), each with whether it rests on few answers.
    spark: list[tuple[float | None, bool]] = field(default_factory=list)
    stars: int | None = None
    stars_year: int | None = None

    def value(self, key: str) -> float | None:
        return self.stars if key == "stars" else self.sums.value(key)


@dataclass(frozen=True)
class Mover:
    commune: Commune
    name: str
    year: int
    stars: int | None
    previous_stars: int | None
    points: float | None
    previous_points: float | None

    @property
    def change(self) -> float:
        return float((self.points or 0) - (self.previous_points or 0))


@dataclass
class ProvinceFigures:
    province: Province
    period: Period
    communes: list[CommuneFigures]
    total: Sums
    months: dict[datetime.date, Sums]
    factors: dict[int, str]  # slot → the factor's name
    categories: list[tuple[str, Counter]]  # (category, received / on_time / late), most received first
    stars_by_year: dict[int, Counter]  # year → stars → communes
    provisional_years: set[int]  # years whose results are not public yet (staff only)
    movers_up: list[Mover]
    movers_down: list[Mover]
    refreshed_at: datetime.datetime | None

    def commune(self, pk: int) -> CommuneFigures | None:
        return next((row for row in self.communes if row.commune.pk == pk), None)


def province_units(province: Province) -> list[int]:
    """The province and those it replaced in the 2025 reorganisation: a period before it reads them."""
    replaced = units_replaced(province_ids=[province.pk]).provinces.get(province.pk, [])
    return [province.pk] + [p.pk for p in replaced]


def _sums_by(queryset, group: str, names) -> dict:
    """Additive columns summed in the database, per value of ``group``."""
    rows = queryset.values(group).order_by().annotate(**{name: Sum(name) for name in names})
    return {row.pop(group): row for row in rows}


def province_figures(*, province: Province, period: Period, staff: bool = False) -> ProvinceFigures:
    """Every commune of the province (and of those it replaced) that existed in the period, with its
    figures over the period and its satisfaction month by month; the province's totals and months;
    stars by year and the movers. ``staff`` adds
    the results not yet public (marked provisional). The sums are the database's, in a constant number
    of grouped queries; Python only adds the days-to-answer histograms and names the units."""
    province_ids = province_units(province)
    first, end = period.first, period.end
    units = (
        Commune.objects.filter(province_id__in=province_ids)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first))
    )
    communes = list(units.select_related("district").order_by("code"))
    ids = [c.pk for c in communes]
    # The communes as a subquery, not a list of their ids: 300 parameters in each of six queries cost
    # more to send than the database takes to find them again.
    in_period = {"commune_id__in": units.values("pk"), "month__gte": first, "month__lte": period.last}
    figures = CommuneMonth.objects.filter(**in_period)
    by_commune = _sums_by(figures, "commune_id", COUNT_FIELDS)
    months = {month: Sums(Counter(counts)) for month, counts in _sums_by(figures, "month", COUNT_FIELDS).items()}

    # Per commune and month: the sparklines' index and the answers' days (a median adds up only as counts).
    index = {month: i for i, month in enumerate(period.months)}
    sparks: dict[int, list] = {pk: [(None, True)] * len(index) for pk in ids}
    days: dict[int, list[int]] = {}
    refreshed_at = None
    details = figures.values_list("commune_id", "month", "refreshed_at", "feedback_answer_days", *SPARK_FIELDS)
    for commune_id, month, refreshed, answer_days, *sipas in details:
        answered, satisfied = sipas[: len(FACTOR_SLOTS)], sipas[len(FACTOR_SLOTS) :]
        sparks[commune_id][index[month]] = (satisfaction_index(answered, satisfied), min(answered) < MIN_ANSWERS)
        if answer_days:  # added up in a list: a Counter per row cost more than the rest of the loop
            counts = days.get(commune_id) or days.setdefault(commune_id, [0] * (ANSWER_DAYS_KEPT + 1))
            for day_index, n in enumerate(answer_days):
                counts[day_index] += n
        refreshed_at = max(refreshed_at or refreshed, refreshed)

    stars_by_year, provisional_years, latest, movers_up, movers_down = _results(province_ids, staff, communes)
    day = period.name_day
    result, total = [], Sums()
    for commune in communes:
        answered_in = Counter({d: n for d, n in enumerate(days.get(commune.pk, ())) if n})
        sums = Sums(Counter(by_commune.get(commune.pk, {})), answered_in)
        total.add(sums)
        stars, year = latest.get(commune.pk, (None, None))
        result.append(
            CommuneFigures(
                commune=commune,
                name=unit_name(commune, day),
                district=unit_name(commune.district, day) if commune.district_id else "",
                sums=sums,
                spark=sparks[commune.pk],
                stars=stars,
                stars_year=year,
            )
        )
    return ProvinceFigures(
        province=province,
        period=period,
        communes=result,
        total=total,
        months=months,
        factors=_factor_names(),
        categories=_categories(units.values("pk"), period),
        stars_by_year=stars_by_year,
        provisional_years=provisional_years,
        movers_up=movers_up,
        movers_down=movers_down,
        refreshed_at=refreshed_at,
    )


def unit_name(unit, day: datetime.date) -> str:
    """A unit as named on ``day``, as a heading or a table writes it ("Phường Vân Hà")."""
    name = unit.name_on(day)
    return name[:1].upper() + name[1:]


def _factor_names() -> dict[int, str]:
    """The SIPAS factors' names, in the reader's language, from the latest questionnaire version."""
    factors = Factor.objects.filter(questionnaire__code=SIPAS, slot__in=FACTOR_SLOTS).order_by(
        "slot", "-questionnaire__version"
    )
    english = (get_language() or "vi").startswith("en")
    names: dict[int, str] = {}
    for factor in factors.only("slot", "name_vi", "name_en"):
        names.setdefault(factor.slot, (factor.name_en if english and factor.name_en else factor.name_vi))
    return {slot: names.get(slot, f"F{slot}") for slot in FACTOR_SLOTS}


def _categories(ids, period: Period) -> list[tuple[str, Counter]]:
    rows = list(
        CategoryMonth.objects.filter(commune_id__in=ids, month__gte=period.first, month__lte=period.last)
        .values("category__name")
        .order_by()
        .annotate(n_received=Sum("received"), n_on_time=Sum("on_time"), n_late=Sum("late"))
    )
    result = [
        (r["category__name"], Counter(received=r["n_received"], on_time=r["n_on_time"], late=r["n_late"])) for r in rows
    ]
    return sorted(result, key=lambda item: (-item[1]["received"], item[0]))


def _results(province_ids: list[int], staff: bool, known: list[Commune]):
    """Stars by year, each commune's latest stars, and the movers between the last two years."""
    statuses = list(PUBLIC_STATUSES) + ([Status.APPRAISED] if staff else [])
    rows = list(
        Assessment.objects.filter(commune__province_id__in=province_ids, status__in=statuses, stars__isnull=False)
        .values_list("commune_id", "year", "stars", "total", "status")
        .order_by("year")
    )
    by_year: dict[int, Counter] = defaultdict(Counter)
    provisional_years = set()
    latest: dict[int, tuple[int, int]] = {}
    for commune_id, year, stars, _total, status in rows:
        by_year[year][stars] += 1
        if status not in PUBLIC_STATUSES:
            provisional_years.add(year)
        latest[commune_id] = (stars, year)
    years = sorted(by_year)
    up: list[Mover] = []
    down: list[Mover] = []
    if len(years) >= 2:
        this, before = years[-1], years[-2]
        points = {(c, y): (s, t) for c, y, s, t, _ in rows if y in (this, before)}
        commune_ids = {c for c, y in points if y == this}
        # The communes of the period are at hand; only those of a year outside it are read.
        names = {c.pk: c for c in known if c.pk in commune_ids}
        names |= {c.pk: c for c in Commune.objects.filter(pk__in=commune_ids - names.keys())}
        for commune_id in commune_ids:
            if (commune_id, before) not in points:
                continue  # a unit made in the reorganisation has no result of its own the year before
            (stars, total), (old_stars, old_total) = points[commune_id, this], points[commune_id, before]
            commune = names[commune_id]
            name = unit_name(commune, datetime.date(this, 12, 31))
            mover = Mover(commune, name, this, stars, old_stars, total, old_total)
            if mover.change > 0:
                up.append(mover)
            elif mover.change < 0:
                down.append(mover)
        up.sort(key=lambda m: -m.change)
        down.sort(key=lambda m: m.change)
    return dict(by_year), provisional_years, latest, up[:MOVERS], down[:MOVERS]


FIGURES_PREFIX = "dashboard-figures:"
FIGURES_SECONDS = 3600


def province_figures_cached(*, province: Province, period: Period, staff: bool = False) -> ProvinceFigures:
    """``province_figures`` kept in the cache under the "site" scope's version (core/pagecache.py): a
    province's figures change only when something bumps it (the hourly rebuild, a result), while every
    sort of the table, both languages, the staff page and each of its communes' dashboards (which
    compare the commune with the province's median) would otherwise compute them again. The commune
    dashboards' months are their own and are not kept here. A cache that fails answers None and the
    figures are computed, as without it."""
    if not settings.PAGE_CACHE:  # nothing bumps the versions then (core/pagecache.py): keep nothing
        return province_figures(province=province, period=period, staff=staff)
    version = pagecache.versions(["site"])["site"]
    asked = f"{province.pk}:{period.first:%Y%m}:{period.last:%Y%m}:{int(staff)}:{get_language()}"
    key = f"{FIGURES_PREFIX}{asked}:{version}"
    figures = cache.get(key)
    if figures is None:
        figures = province_figures(province=province, period=period, staff=staff)
        cache.set(key, figures, timeout=FIGURES_SECONDS)
    return figures


def commune_months(*, commune: Commune, period: Period) -> dict[datetime.date, Sums]:
    """One commune's figures month by month, for its dashboard's charts: one grouped query."""
    rows = CommuneMonth.objects.filter(commune=commune, month__gte=period.first, month__lte=period.last)
    return {month: Sums(Counter(counts)) for month, counts in _sums_by(rows, "month", COUNT_FIELDS).items()}
