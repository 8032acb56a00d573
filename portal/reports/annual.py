"""The annual report DoHA sends upward: a province's year in friendly government (the scoring cycle and
its decision, the stars against the year before, satisfaction, feedback, one-stop dossiers, disclosures,
grassroots democracy), for the province, each district and each commune.

Its figures are the dashboards' own: ``province_figures`` over January–December of the year, staff
version, so the report never disagrees with the staff dashboard of the same months. Scoring adds two
grouped queries (the year's assessments, its approved decisions): a report costs the same number of
queries for five communes as for five hundred. Built in the reader's language; the PDF builds it in
Vietnamese.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communes.models import Province
from core import clock
from core.text import fold
from portal.dashboards.figures import (
    COLUMNS,
    FACTOR_SLOTS,
    Column,
    CommuneFigures,
    Period,
    ProvinceFigures,
    Sums,
    province_figures,
    province_units,
)
from scoring.models import Assessment, Decision
from scoring.models.assessments import PUBLIC_STATUSES, Status

FIRST_YEAR = 2015
MAX_STARS = 5
# The results a staff report counts, as ``province_figures(staff=True)`` counts them: public ones and
# those DoHA has appraised but not yet published.
COUNTED_STATUSES = [*PUBLIC_STATUSES, Status.APPRAISED]
# The cycle's steps in the order a commune goes through them.
CYCLE_STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.REVIEWED, Status.APPRAISED, Status.PROVISIONAL, Status.FINAL]

# The communes' table shows the stars of the report's year, not the latest result of the dashboards.
STARS_OF_THE_YEAR = Column("stars", gettext_lazy("Stars (result of the year)"), "stars", True, gettext_lazy("Stars"))
REPORT_COLUMNS = [STARS_OF_THE_YEAR if column.key == "stars" else column for column in COLUMNS]
RECOGNISED = Column(
    "recognised", gettext_lazy("Communes recognised in the year"), "n", True, gettext_lazy("Recognised")
)
DISTRICT_COLUMNS = [column for column in COLUMNS if column.key != "stars"] + [RECOGNISED]


def years() -> list[int]:
    """The years a report may cover, newest first: from 2015 to this year."""
    return list(range(clock.today().year, FIRST_YEAR - 1, -1))


def file_name(province: Province, year: int, extension: str) -> str:
    """``bao-cao-chinh-quyen-than-thien-24-2026.xlsx``: the province's code and the year."""
    return f"bao-cao-chinh-quyen-than-thien-{province.code}-{year}.{extension}"


def year_period(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 1))


@dataclass(frozen=True)
class Line:
    """One figure of the summary. ``unit``: "%", "n", "days", "stars" as the dashboards' columns, or
    "text" and "date"; a satisfaction figure carries its 95% interval, a star count the year before's."""

    key: str
    label: str
    value: float | int | str | datetime.date | None
    unit: str = "n"
    low: float | None = None
    high: float | None = None
    previous: int | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[Line]

    @property
    def has_interval(self) -> bool:
        return any(line.low is not None or line.high is not None for line in self.lines)

    @property
    def has_previous(self) -> bool:
        return any(line.previous is not None for line in self.lines)


@dataclass(frozen=True)
class DecisionRow:
    number: str
    signed_on: datetime.date
    signer_name: str
    signer_title: str
    communes: int


@dataclass(frozen=True)
class Cycle:
    statuses: list[tuple[str, str, int]]  # (status, its label, communes), in the order of the steps
    decisions: list[DecisionRow]  # approved, oldest first (before 2025 each former province had its own)

    @property
    def assessed(self) -> int:
        return sum(count for _status, _label, count in self.statuses)


@dataclass(frozen=True)
class StarsRow:
    stars: int | None  # None: assessed but not recognised
    count: int
    previous: int

    @property
    def label(self) -> str:
        if self.stars is None:
            return _("Not recognised")
        return ngettext("%(stars)d star", "%(stars)d stars", self.stars) % {"stars": self.stars}


@dataclass(frozen=True)
class CategoryRow:
    name: str
    received: int
    on_time: int
    late: int

    @property
    def on_time_share(self) -> float | None:
        handled = self.on_time + self.late
        return 100 * self.on_time / handled if handled else None


@dataclass(frozen=True)
class CommuneRow:
    figures: CommuneFigures
    stars: int | None  # the result of the report's year

    @property
    def name(self) -> str:
        return self.figures.name

    @property
    def district(self) -> str:
        return self.figures.district

    @property
    def code(self) -> str:
        return self.figures.commune.code

    def value(self, key: str) -> float | None:
        return self.stars if key == "stars" else self.figures.sums.value(key)


@dataclass
class DistrictRow:
    name: str
    communes: int = 0
    recognised: int = 0
    sums: Sums = field(default_factory=Sums)

    def value(self, key: str) -> float | None:
        return self.recognised if key == "recognised" else self.sums.value(key)


@dataclass
class AnnualReport:
    province: Province
    year: int
    province_name: str  # "tỉnh Bắc Ninh", as on the last day of the year (today while it lasts)
    figures: ProvinceFigures
    cycle: Cycle
    stars: list[StarsRow]  # five stars down to one, then those not recognised
    provisional: bool  # the year's results are not all public yet
    sections: list[Section]  # the summary, in the order the report prints it
    categories: list[CategoryRow]
    districts: list[DistrictRow]  # empty when no commune of the year belonged to a district
    communes: list[CommuneRow]
    columns: list[Column] = field(default_factory=lambda: REPORT_COLUMNS)
    district_columns: list[Column] = field(default_factory=lambda: DISTRICT_COLUMNS)

    @property
    def period(self) -> Period:
        return self.figures.period

    @property
    def total(self) -> Sums:
        return self.figures.total

    @property
    def refreshed_at(self) -> datetime.datetime | None:
        return self.figures.refreshed_at

    @property
    def headline(self) -> list[Line]:
        """The figures the page shows first."""
        lines = {line.key: line for section in self.sections for line in section.lines}
        recognised = sum(row.count for row in self.stars if row.stars is not None)
        return [
            lines["assessed"],
            Line("recognised", str(RECOGNISED.label), recognised),
            *(lines[key] for key in ("satisfaction", "feedback_received", "feedback_on_time", "dossiers_on_time")),
        ]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    @property
    def commune_cells(self) -> list[tuple[CommuneRow, list[tuple[Column, float | None]]]]:
        """Each commune with its value in each column, for the tables."""
        return [(row, [(column, row.value(column.key)) for column in self.columns]) for row in self.communes]

    @property
    def district_cells(self) -> list[tuple[DistrictRow, list[tuple[Column, float | None]]]]:
        return [(row, [(column, row.value(column.key)) for column in self.district_columns]) for row in self.districts]


def annual_report(*, province: Province, year: int) -> AnnualReport:
    """The province's report of ``year``, from the staff dashboard's figures of that year and the year's
    scoring cycle, in a fixed number of queries."""
    period = year_period(year)
    figures = province_figures(province=province, period=period, staff=True)
    province_ids = province_units(province)
    statuses, results = _assessments(province_ids, year)
    cycle = Cycle(
        statuses=[(status.value, capfirst(status.label), statuses[year, status.value]) for status in CYCLE_STATUSES],
        decisions=_decisions(province_ids, year),
    )
    stars = _stars(figures, statuses, year)
    communes = [CommuneRow(row, results.get(row.commune.pk)) for row in figures.communes]
    return AnnualReport(
        province=province,
        year=year,
        province_name=province.name_on(period.name_day),
        figures=figures,
        cycle=cycle,
        stars=stars,
        provisional=year in figures.provisional_years,
        sections=_sections(figures, cycle, stars, year),
        categories=[CategoryRow(name, c["received"], c["on_time"], c["late"]) for name, c in figures.categories],
        districts=_districts(communes),
        communes=communes,
    )


def _assessments(province_ids: list[int], year: int) -> tuple[Counter, dict[int, int]]:
    """(year, status) → communes, for the year and the one before, and each commune's stars of the
    year where its result counts: one query."""
    rows = Assessment.objects.filter(commune__province_id__in=province_ids, year__in=[year - 1, year]).values_list(
        "commune_id", "year", "status", "stars"
    )
    statuses: Counter = Counter()
    results: dict[int, int] = {}
    for commune_id, row_year, status, stars in rows:
        statuses[row_year, status] += 1
        if stars is None and status in COUNTED_STATUSES:
            statuses[row_year, "unrecognised"] += 1
        if row_year == year and status in COUNTED_STATUSES and stars is not None:
            results[commune_id] = stars
    return statuses, results


def _decisions(province_ids: list[int], year: int) -> list[DecisionRow]:
    rows = (
        Decision.objects.filter(province_id__in=province_ids, year=year, status=Decision.Status.APPROVED)
        .annotate(n_entries=Count("entries"))
        .order_by("signed_on", "pk")
        .values_list("number", "signed_on", "signer_name", "signer_title", "n_entries")
    )
    return [DecisionRow(*row) for row in rows]


def _stars(figures: ProvinceFigures, statuses: Counter, year: int) -> list[StarsRow]:
    this, before = figures.stars_by_year.get(year, Counter()), figures.stars_by_year.get(year - 1, Counter())
    rows = [StarsRow(stars, this[stars], before[stars]) for stars in range(MAX_STARS, 0, -1)]
    rows.append(StarsRow(None, statuses[year, "unrecognised"], statuses[year - 1, "unrecognised"]))
    return rows


def _sections(figures: ProvinceFigures, cycle: Cycle, stars: list[StarsRow], year: int) -> list[Section]:
    total = figures.total
    c = total.counts

    def column(key: str) -> Line:
        found = next(col for col in COLUMNS if col.key == key)
        return Line(key, str(found.label), total.value(key), found.unit)

    def factor(key: str, label: str, slot: int) -> Line:
        share, low, high = total.factor(slot)
        return Line(key, label, share, "%", low, high)

    cycle_lines = [Line("assessed", _("Communes assessed"), cycle.assessed)]
    cycle_lines += [Line(f"status_{status}", label, count) for status, label, count in cycle.statuses]
    for index, decision in enumerate(cycle.decisions, start=1):
        cycle_lines += [
            Line(f"decision_{index}_number", _("Recognition decision: number"), decision.number, "text"),
            Line(f"decision_{index}_date", _("Recognition decision: date"), decision.signed_on, "date"),
            Line(f"decision_{index}_signer", _("Recognition decision: signed by"), decision.signer_name, "text"),
            Line(f"decision_{index}_communes", _("Recognition decision: communes recognised"), decision.communes),
        ]
    if not cycle.decisions:
        cycle_lines.append(Line("decision", _("Recognition decision"), _("None approved yet"), "text"))

    star_lines = [Line(f"stars_{row.stars or 0}", row.label, row.count, "n", previous=row.previous) for row in stars]
    resolved = total.dossiers_resolved
    return [
        Section("cycle", _("The year's assessment and recognition"), cycle_lines),
        Section("stars", _("Communes recognised by stars, compared with %(year)s") % {"year": year - 1}, star_lines),
        Section(
            "satisfaction",
            _("Satisfaction of the one-stop shops' visitors"),
            [
                column("satisfaction"),
                factor("satisfied_overall", _("Satisfied overall"), 0),
                *(factor(f"factor_{slot}", figures.factors[slot], slot) for slot in FACTOR_SLOTS),
                column("answers"),
            ],
        ),
        Section(
            "feedback",
            _("Citizens' feedback"),
            [
                column("feedback_received"),
                Line("feedback_in_competence", _("Feedback within competence"), c["feedback_in_competence"]),
                Line("feedback_answered", _("Feedback answered"), c["feedback_answered"]),
                column("feedback_on_time"),
                column("feedback_overdue"),
                column("feedback_disputed"),
                column("feedback_median_days"),
            ],
        ),
        Section(
            "dossiers",
            _("One-stop dossiers"),
            [
                Line("dossiers_received", _("Dossiers received"), c["dossiers_received"]),
                Line("dossiers_resolved", _("Dossiers resolved"), resolved),
                column("dossiers_on_time"),
                column("dossiers_same_day"),
                column("dossiers_online"),
            ],
        ),
        Section(
            "disclosures",
            _("Public disclosure"),
            [Line("disclosures", _("Items disclosed"), c["disclosures"]), column("disclosures_on_time")],
        ),
        Section(
            "democracy",
            _("Grassroots democracy"),
            [
                column("matters_recognised"),
                Line("matters_refused", _("Residents' decisions not recognised"), c["matters_refused"]),
                Line("consultations", _("Consultations closing"), c["consultations"]),
                column("consultations_on_time"),
                Line("recommendations", _("Recommendations received"), c["recommendations"]),
                column("recommendations_on_time"),
            ],
        ),
    ]


def _districts(communes: list[CommuneRow]) -> list[DistrictRow]:
    """The communes' sums per district as named on the year's last day; those without one (made after the
    2025 reform) under "no district". None at all when no commune of the year had a district."""
    if not any(row.district for row in communes):
        return []
    groups: dict[str, DistrictRow] = defaultdict(lambda: DistrictRow(""))
    for row in communes:
        group = groups[row.district]
        group.communes += 1
        group.recognised += row.stars is not None
        group.sums.add(row.figures.sums)
    named = sorted((name for name in groups if name), key=fold)
    result = [DistrictRow(name, groups[name].communes, groups[name].recognised, groups[name].sums) for name in named]
    if "" in groups:
        group = groups[""]
        result.append(DistrictRow(_("No district"), group.communes, group.recognised, group.sums))
    return result
