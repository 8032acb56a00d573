"""From figures to what a dashboard page shows: tiles, charts (with their tables), the communes' table
sorted by any figure. The public pages and the staff pages differ in one thing: the public never sees a
satisfaction figure resting on fewer than ``MIN_ANSWERS`` answers, nor results not yet public."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.dashboards.charts import Chart, Series
from portal.dashboards.figures import COLUMNS, Column, CommuneFigures, ProvinceFigures, Sums

# The figures a tile shows, in order; the table shows every column.
TILES = [
    "satisfaction",
    "feedback_received",
    "feedback_on_time",
    "feedback_overdue",
    "feedback_disputed",
    "feedback_median_days",
    "dossiers_on_time",
    "dossiers_same_day",
    "dossiers_online",
    "disclosures_on_time",
    "matters_recognised",
    "consultations_on_time",
    "recommendations_on_time",
]
COLUMN = {c.key: c for c in COLUMNS}
SORTS = ["name", "district"] + [c.key for c in COLUMNS]
DEFAULT_SORT = "satisfaction"


def shown(sums: Sums, key: str, value: float | None, *, public: bool) -> float | None:
    """A figure as the reader may see it: the public gets no satisfaction figure on too few answers."""
    if public and key == "satisfaction" and sums.few_answers:
        return None
    return value


@dataclass(frozen=True)
class Tile:
    column: Column
    value: float | None
    median: float | None = None  # the province's median commune, on a commune's dashboard
    few_answers: bool = False  # staff only: a satisfaction figure resting on few answers


@dataclass(frozen=True)
class Cell:
    column: Column
    value: float | None
    few_answers: bool = False


@dataclass(frozen=True)
class TableRow:
    figures: CommuneFigures
    cells: list[Cell]
    spark: list[float | None]


def median(figures: ProvinceFigures, key: str, *, public: bool) -> float | None:
    """The province's median commune on a figure, among the communes whose figure the reader may see."""
    values = [v for row in figures.communes if (v := shown(row.sums, key, row.value(key), public=public)) is not None]
    return statistics.median(values) if values else None


def tiles(sums: Sums, *, public: bool, figures: ProvinceFigures | None = None) -> list[Tile]:
    return [
        Tile(
            COLUMN[key],
            shown(sums, key, sums.value(key), public=public),
            median(figures, key, public=public) if figures else None,
            few_answers=key == "satisfaction" and sums.few_answers and not public,
        )
        for key in TILES
    ]


def table(figures: ProvinceFigures, *, public: bool, sort: str, descending: bool) -> list[TableRow]:
    rows = []
    for row in figures.communes:
        cells = [
            Cell(
                c,
                shown(row.sums, c.key, row.value(c.key), public=public),
                c.key == "satisfaction" and not public and row.sums.few_answers,
            )
            for c in COLUMNS
        ]
        spark = [None if public and few else value for value, few in row.spark]
        rows.append(TableRow(row, cells, spark))

    if sort in ("name", "district"):
        rows.sort(key=lambda r: (getattr(r.figures, sort), r.figures.name), reverse=descending)
    else:
        index = [c.key for c in COLUMNS].index(sort)
        # Communes without the figure go last whichever way the column is sorted.
        present = [r for r in rows if r.cells[index].value is not None]
        missing = [r for r in rows if r.cells[index].value is None]
        present.sort(key=lambda r: (r.cells[index].value, r.figures.name), reverse=descending)
        rows = present + missing
    return rows


def _month_labels(months: list[datetime.date]) -> list[str]:
    return [date_format(month, "m/Y") for month in months]


def month_charts(
    months_sums: dict[datetime.date, Sums],
    months: list[datetime.date],
    factors: dict[int, str],
    *,
    public: bool,
    prefix: str = "",
) -> list[Chart]:
    """Satisfaction and its factors, feedback and dossiers, month by month."""
    empty = Sums()
    sums = [months_sums.get(m, empty) for m in months]
    labels = _month_labels(months)
    month = _("Month")

    def values(key):
        return [shown(s, key, s.value(key), public=public) for s in sums]

    def factor(slot):
        triples = [s.factor(slot) if not (public and s.few_answers) else (None, None, None) for s in sums]
        return Series(factors[slot], [t[0] for t in triples], [t[1] for t in triples], [t[2] for t in triples])

    overall = [s.factor(0) if not (public and s.few_answers) else (None, None, None) for s in sums]
    return [
        Chart(
            f"{prefix}satisfaction",
            "line",
            _("Satisfaction by month"),
            labels,
            [
                Series(_("Satisfaction index"), values("satisfaction")),
                Series(
                    _("Satisfied overall"), [t[0] for t in overall], [t[1] for t in overall], [t[2] for t in overall]
                ),
            ],
            unit="%",
            description=_(
                # xgettext:no-python-format
                "The index is the mean of the five factors' shares of visitors satisfied (4 or 5 of 5), "
                "from verified answers (visit code, kiosk); the band is the 95% interval."
            ),
            rows_label=month,
        ),
        Chart(
            f"{prefix}factors",
            "line",
            _("The five factors by month"),
            labels,
            [factor(slot) for slot in sorted(factors)],
            unit="%",
            # xgettext:no-python-format
            description=_("Share of visitors satisfied with each factor, with its 95% interval."),
            rows_label=month,
        ),
        Chart(
            f"{prefix}feedback",
            "stacked",
            _("Feedback by month of submission"),
            labels,
            [
                Series(_("Handled on time"), [s.counts["feedback_on_time"] for s in sums]),
                Series(_("Late or overdue"), [s.counts["feedback_late"] for s in sums]),
                Series(
                    _("Other (not yet due, refused, forwarded)"),
                    [
                        s.counts["feedback_received"] - s.counts["feedback_on_time"] - s.counts["feedback_late"]
                        for s in sums
                    ],
                ),
            ],
            description=_("Feedback items by the month they were sent, and how they were handled."),
            rows_label=month,
        ),
        Chart(
            f"{prefix}dossiers",
            "line",
            _("One-stop dossiers by month"),
            labels,
            [
                Series(_("Resolved on time"), values("dossiers_on_time")),
                Series(_("Resolved within the day"), values("dossiers_same_day")),
                Series(_("Submitted online"), values("dossiers_online")),
            ],
            unit="%",
            description=_("From the monthly dossier statistics the communes report."),
            rows_label=month,
        ),
    ]


def province_charts(figures: ProvinceFigures, *, public: bool) -> list[Chart]:
    charts = month_charts(figures.months, figures.period.months, figures.factors, public=public)
    categories = figures.categories
    charts.append(
        Chart(
            "categories",
            "bar",
            _("Feedback by category"),
            [name for name, _counts in categories],
            [
                Series(_("Received"), [counts["received"] for _name, counts in categories]),
                Series(_("Handled on time"), [counts["on_time"] for _name, counts in categories]),
            ],
            description=_("Feedback items sent in the period, by category."),
            rows_label=_("Category"),
        )
    )
    years = sorted(figures.stars_by_year)
    charts.append(
        Chart(
            "stars",
            "stacked",
            _("Stars by year"),
            [f"{year} ({_('provisional')})" if year in figures.provisional_years else str(year) for year in years],
            [
                Series(
                    ngettext("%(stars)d star", "%(stars)d stars", stars) % {"stars": stars},
                    [figures.stars_by_year[year][stars] for year in years],
                )
                for stars in range(1, 6)
            ],
            description=_("Communes recognised at each number of stars, by year of assessment."),
            rows_label=_("Year"),
        )
    )
    return charts
