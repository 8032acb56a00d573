"""The annual report as a workbook: the summary, the districts, the communes and feedback by category,
in the reader's language, written with core.spreadsheets' small writer. Numbers stay numbers (a share
as a percentage with one decimal, the unit in its header), so DoHA's Excel sums and sorts them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.spreadsheets import Sheet, cell_value, xlsx_bytes
from portal.dashboards.figures import Column
from portal.reports.annual import AnnualReport, Line


def number(value, unit: str):
    """A figure as its cell: shares and days rounded to one decimal, counts whole, text made safe."""
    if value is None:
        return ""
    if unit in ("%", "days"):
        return round(float(value), 1)
    if unit in ("n", "stars"):
        return int(value)
    return cell_value(value)


def unit_name(unit: str) -> str:
    return {"%": "%", "days": _("days"), "stars": _("stars")}.get(unit, "")


def header(column: Column) -> str:
    unit = unit_name(column.unit) if column.unit in ("%", "days") else ""
    return f"{column.label} ({unit})" if unit else str(column.label)


def _summary(report: AnnualReport) -> Sheet:
    rows: list[list] = [
        [
            _("Section"),
            _("Figure"),
            _("Value"),
            _("Unit"),
            str(report.year - 1),
            # xgettext:no-python-format
            _("95% interval: from"),
            # xgettext:no-python-format
            _("95% interval: to"),
        ]
    ]
    about = _("About this report")
    refreshed = report.refreshed_at
    rows += [
        [about, _("Province"), cell_value(report.province_name)],
        [about, _("Year"), report.year],
        [about, _("Figures as of"), cell_value(refreshed) if refreshed else _("not computed yet")],
    ]
    if report.provisional:
        rows.append([about, _("Stars"), _("Provisional: the year's results are not all public yet.")])
    for section in report.sections:
        rows += [_line(section.title, line) for line in section.lines]
    return Sheet(pgettext("annual report sheet", "Summary"), rows, widths=(34, 46, 16, 8, 10, 12, 12))


def _line(title: str, line: Line) -> list:
    return [
        cell_value(title),
        cell_value(line.label),
        number(line.value, line.unit),
        unit_name(line.unit),
        "" if line.previous is None else line.previous,
        number(line.low, "%"),
        number(line.high, "%"),
    ]


def _districts(report: AnnualReport) -> Sheet:
    title = pgettext("annual report sheet", "Districts")
    rows: list[list] = [
        [_("District"), _("Number of communes"), *(header(column) for column in report.district_columns)]
    ]
    if not report.districts:
        rows.append(
            [
                _("No commune belonged to a district in %(year)s: the district level ended on 1 July 2025.")
                % {"year": report.year}
            ]
        )
    for district in report.districts:
        values = [number(district.value(column.key), column.unit) for column in report.district_columns]
        rows.append([cell_value(district.name), district.communes, *values])
    return Sheet(title, rows, widths=(28, 10))


def _communes(report: AnnualReport) -> Sheet:
    rows: list[list] = [[_("Code"), _("Commune"), _("District"), *(header(column) for column in report.columns)]]
    for commune in report.communes:
        values = [number(commune.value(column.key), column.unit) for column in report.columns]
        rows.append([cell_value(commune.code), cell_value(commune.name), cell_value(commune.district), *values])
    return Sheet(pgettext("annual report sheet", "Communes"), rows, widths=(8, 28, 24))


def _categories(report: AnnualReport) -> Sheet:
    rows: list[list] = [
        [_("Category"), _("Received"), _("Handled on time"), _("Late or overdue"), f"{_('On time')} (%)"]
    ]
    for row in report.categories:
        share = number(row.on_time_share, "%")
        rows.append([cell_value(row.name), row.received, row.on_time, row.late, share])
    return Sheet(pgettext("annual report sheet", "Feedback by category"), rows, widths=(36, 12, 14, 14, 12))


def annual_report_sheets(report: AnnualReport) -> list[Sheet]:
    return [_summary(report), _districts(report), _communes(report), _categories(report)]


def annual_report_xlsx(report: AnnualReport) -> bytes:
    """The workbook, in the active language."""
    return xlsx_bytes(annual_report_sheets(report))
