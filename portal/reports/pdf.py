"""The annual report as DoHA's official report (báo cáo, Decree 30/2020/NĐ-CP): the heading of the
Department under the provincial People's Committee, a number left for the records office, numbered
parts with the report's tables, "Nơi nhận" and the place for the Director's signature. A4 portrait,
laid out by the one function that makes the portal's PDFs (scoring's ``render_pdf``).

The document is the state's and Vietnamese whatever the reader's language: the report is built in
Vietnamese for it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from communes.models import Province
from core import clock
from portal.reports.annual import AnnualReport, annual_report
from scoring.services.certificates.documents import render_pdf
from scoring.services.decisions.document import BLANK, body_name_on, vn_date

TEMPLATE = "portal/reports/annual_report_pdf.html"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
# The communes' figures in two tables: a portrait page holds about eight figures across.
COMMUNE_PARTS = [
    [
        "satisfaction",
        "answers",
        "feedback_received",
        "feedback_on_time",
        "feedback_overdue",
        "feedback_disputed",
        "feedback_median_days",
    ],
    [
        "dossiers_on_time",
        "dossiers_same_day",
        "dossiers_online",
        "disclosures_on_time",
        "matters_recognised",
        "consultations_on_time",
        "recommendations_on_time",
        "stars",
    ],
]
# The stars chart's drawing box (SVG units: one a millimetre at the width it is printed).
CHART_LABEL, CHART_BAR, ROW_HEIGHT, BAR_HEIGHT = 30, 110, 9, 3.5


def _svg(value: float) -> str:
    """A coordinate as SVG reads it: a dot for the decimals, whatever the language renders numbers with."""
    return f"{value:.2f}"


@dataclass(frozen=True)
class Bar:
    y: str
    width: str
    text_x: str
    text_y: str
    count: int
    previous: bool


@dataclass(frozen=True)
class Table:
    """A table as printed: its columns and its rows of (label, [(value, unit), ...])."""

    columns: list
    rows: list[tuple[str, str, list[tuple]]]  # (name, the second column: district or communes, cells)


def _stars_chart(report: AnnualReport) -> dict:
    """Bars for this year and the year before, for each number of stars: drawn as inline SVG."""
    rows = [row for row in report.stars if row.stars is not None]
    top = max([row.count for row in rows] + [row.previous for row in rows] + [1])
    labels, bars = [], []
    for index, row in enumerate(rows):
        y = index * ROW_HEIGHT
        labels.append((_svg(y + ROW_HEIGHT / 2 + 1.2), row.label))
        for offset, count, previous in ((0.5, row.count, False), (0.5 + BAR_HEIGHT, row.previous, True)):
            width = CHART_BAR * count / top
            text_y = y + offset + BAR_HEIGHT - 0.8
            bars.append(
                Bar(_svg(y + offset), _svg(width), _svg(CHART_LABEL + width + 1.5), _svg(text_y), count, previous)
            )
    height = ROW_HEIGHT * len(rows)
    return {
        "width": CHART_LABEL + CHART_BAR + 14,
        "height": _svg(height + 8),
        "legend_y": _svg(height + 5),
        "labels": labels,
        "bars": bars,
        "bar_x": CHART_LABEL,
        "bar_height": _svg(BAR_HEIGHT),
    }


def _tables(report: AnnualReport) -> list[Table]:
    by_key = {column.key: column for column in report.columns}
    tables = []
    for keys in COMMUNE_PARTS:
        columns = [by_key[key] for key in keys]
        rows = [
            (row.name, row.district, [(row.value(column.key), column.unit) for column in columns])
            for row in report.communes
        ]
        tables.append(Table(columns, rows))
    return tables


def _districts(report: AnnualReport) -> list[Table]:
    if not report.districts:
        return []
    by_key = {column.key: column for column in report.district_columns}
    parts = [[key for key in keys if key in by_key] for keys in COMMUNE_PARTS]
    parts[-1].append("recognised")
    tables = []
    for keys in parts:
        columns = [by_key[key] for key in keys]
        rows = [
            (row.name, str(row.communes), [(row.value(column.key), column.unit) for column in columns])
            for row in report.districts
        ]
        tables.append(Table(columns, rows))
    return tables


def pdf_context(report: AnnualReport) -> dict:
    today = clock.today()
    # The heading names the bodies as they are on the day the report is sent; the figures name the
    # units as they were at the end of the year.
    body = body_name_on(report.province, today)
    parts = ["cycle", "satisfaction", "feedback", "dossiers", "disclosures", "democracy"]
    parts += ["districts"] if report.districts else []
    parts += ["communes"]
    return {
        "report": report,
        "sections": {section.key: section for section in report.sections},
        "numerals": dict(zip(parts, ROMAN, strict=False)),
        "superior": f"UBND {body.full.upper()}",
        "number_line": f"Số:{BLANK}/BC-SNV",
        "place_date": f"{body.place}, {vn_date(None, blank_year=today.year)}",
        "chart": _stars_chart(report),
        "commune_tables": _tables(report),
        "district_tables": _districts(report),
    }


def annual_report_pdf(*, province: Province, year: int) -> bytes:
    """The report of ``year`` as a PDF, in Vietnamese."""
    with translation.override("vi"):
        report = annual_report(province=province, year=year)
        return render_pdf(TEMPLATE, pdf_context(report))
