"""Formatting for the dashboards: the table behind a chart (``includes/_chart.html``), sparklines, shares
and changes. They format what the template gives them; none queries.

Figures are written the active language's way through Django's ``floatformat`` (82,4 and 1.234 in
Vietnamese, 82.4 and 1,234 in English). USE_THOUSAND_SEPARATOR is off in the settings, so counts and
days ask for grouping themselves (the "g" suffix).
"""

from __future__ import annotations

import functools
import html
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.dashboards.charts import Chart

register = template.Library()

DASH = "—"
PK_MARK = 987654321  # stands for a commune's id in an address reversed once
# The sparkline's drawing box (its viewBox): wide and low like a word. The padding keeps the line's
# ends and the last value's dot inside the box.
WIDTH, HEIGHT, PAD_X, PAD_Y = 100, 24, 3, 3


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@functools.cache
def _separators(language: str) -> dict[int, str]:
    """How the language writes a number's decimal point and groups of thousands, as a str.translate
    table from Python's own ("." and ",")."""
    with translation.override(language):
        decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    return {ord("."): decimal, ord(","): thousands}


def current_separators() -> dict[int, str]:
    return _separators(translation.get_language() or settings.LANGUAGE_CODE)


def _written(value: float, decimals: int, *, grouped: bool, separators: dict | None = None) -> str:
    # Django's floatformat does this through Decimal and the locale machinery for each cell: a table
    # of 209 communes × 17 figures spent about 27 ms there, and under 1 ms here.
    # Rounded half up from the shortest decimal form, as floatformat rounds (88.25 → 88,3).
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}" if grouped else f"{rounded:f}"
    return text.translate(separators or current_separators())


def figure(value, unit: str = "", separators: dict | None = None) -> str:
    """A chart's figure as the reader's language writes it: a percentage (0–100) with one decimal and
    "%", days with one decimal, a count as a whole number; "—" when there is none."""
    number = _number(value)
    if number is None:
        return DASH
    if unit == "%":
        return f"{_written(number, 1, grouped=False, separators=separators)}%"
    if unit == "days":
        return _written(number, 1, grouped=True, separators=separators)
    return _written(number, 0, grouped=True, separators=separators)


def _spoken(value, unit: str) -> str:
    """A figure with its unit in words, for a label that is read out."""
    text = figure(value, unit)
    if unit == "days":
        return _("%(days)s days") % {"days": text}
    return text


def _machine(value) -> str:
    """The figure for scripts and spreadsheets: a dot for the decimals, no grouping, whatever the language."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@register.filter
def chart_figure(value, unit: str = "") -> str:
    """``{{ value|chart_figure:chart.unit }}``: 82,4% · 12,5 · 1.234 · —."""
    return figure(value, unit)


@register.filter
def chart_table(chart: Chart) -> dict:
    """The table behind ``chart``: its columns (a series' values, then its 95% interval's bounds when it
    has one) and its rows, each cell with its figure for the eye and for machines."""
    banded = [series.low is not None or series.high is not None for series in chart.series]
    columns = []
    for series, band in zip(chart.series, banded, strict=True):
        columns.append({"label": series.label, "role": "value"})
        if band:
            columns += [{"label": series.label, "role": "low"}, {"label": series.label, "role": "high"}]
    rows = []
    for label, values in chart.rows:
        cells = []
        for (value, low, high), band in zip(values, banded, strict=True):
            bounds = (("value", value), ("low", low), ("high", high)) if band else (("value", value),)
            cells += [
                {
                    "role": role,
                    "text": figure(number, chart.unit),
                    "value": None if _number(number) is None else _machine(number),
                }
                for role, number in bounds
            ]
        rows.append({"label": label, "cells": cells})
    return {"columns": columns, "rows": rows}


def _runs(values: list[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of consecutive known values: a gap (None) breaks the line."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


@register.simple_tag
def sparkline(values, unit: str = "", label: str = "") -> str:
    """A trend the size of a word: ``{% sparkline row.monthly unit="%" label=_("Satisfaction") %}``.

    An inline SVG (attributes only: the CSP allows no style), one line per stretch of known values, a
    dot on the last; read out as "Satisfaction: from 71,2% to 84,0%". The line is drawn from the lowest
    to the highest value, so it shows the direction, not the size."""
    numbers = [_number(value) for value in values or []]
    known = [(index, value) for index, value in enumerate(numbers) if value is not None]
    if not known:
        spoken = _("No figures for this period.")
    elif len(known) == 1:
        spoken = _spoken(known[0][1], unit)
    else:
        spoken = _("from %(start)s to %(end)s") % {
            "start": _spoken(known[0][1], unit),
            "end": _spoken(known[-1][1], unit),
        }
    if label:
        spoken = f"{label}: {spoken}"

    lowest = min((value for _index, value in known), default=0.0)
    highest = max((value for _index, value in known), default=0.0)
    steps = max(len(numbers) - 1, 1)

    def x(index: int) -> str:
        if len(numbers) == 1:
            return f"{WIDTH / 2:.2f}"
        return f"{PAD_X + index * (WIDTH - 2 * PAD_X) / steps:.2f}"

    def y(value: float) -> str:
        if highest == lowest:
            return f"{HEIGHT / 2:.2f}"
        return f"{HEIGHT - PAD_Y - (value - lowest) * (HEIGHT - 2 * PAD_Y) / (highest - lowest):.2f}"

    # Plain f-strings: the coordinates are numbers written here, the label is escaped once. A province's
    # table draws 209 of these on every live render.
    runs = _runs(numbers)
    lines = "".join(
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"'
        ' stroke-linecap="round" vector-effect="non-scaling-stroke"/>'.format(
            " ".join(f"{x(index)},{y(value)}" for index, value in run)
        )
        for run in runs
        if len(run) > 1
    )
    # A value alone between two gaps would draw nothing as a line: a small dot shows it.
    last = known[-1] if known else None
    dots = "".join(
        f'<circle cx="{x(run[0][0])}" cy="{y(run[0][1])}" r="1.5" fill="currentColor"/>'
        for run in runs
        if len(run) == 1 and run[0] != last
    )
    end = ""
    if last:
        end = f'<circle class="sparkline__last" cx="{x(last[0])}" cy="{y(last[1])}" r="2.5" fill="currentColor"/>'
    return mark_safe(  # noqa: S308 - numbers written here, and the label escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}"'
        f' height="{HEIGHT}" role="img" aria-label="{html.escape(str(spoken))}" focusable="false">'
        f"{lines}{dots}{end}</svg>"
    )


def _cells(cells, few: str, separators: dict) -> str:
    # The figures are written by figure() (digits, separators, "%", "—") and the keys are the columns'
    # names: nothing to escape, and Django's escape() per cell cost more than the rest of the row.
    return "".join(
        f'<td data-key="{cell.column.key}"{few if cell.few_answers else ""}>'
        f"{figure(cell.value, cell.column.unit, separators)}</td>"
        for cell in cells
    )


@register.simple_tag
def commune_rows(rows, *, public: bool, start: str, end: str) -> str:
    """The body of the communes' table: a row per commune, its name opening its dashboard for the same
    period, its district, its figures and its sparkline. One tag in plain string joins, not a loop of
    template nodes and format_html per cell: a province's table has 209 rows of 17 cells (and the
    database of a period across the 2025 reorganisation twice as many), and the page is rendered live
    for staff."""
    view = "portal:commune_dashboard" if public else "portal:commune_dashboard_staff"
    query = escape(f"?start={start}&end={end}")
    few = f' class="few-answers" title="{escape(_("Fewer than 30 answers"))}"'
    label = _("Satisfaction")
    separators = current_separators()
    # One address reversed, the others made from it: reverse() for each of 209 rows showed in the profile.
    address = reverse(view, kwargs={"pk": PK_MARK})
    return mark_safe(  # noqa: S308 - names escaped here, figures written by figure(), the label escaped in sparkline()
        "".join(
            f'<tr id="commune-{row.figures.commune.pk}">'
            f'<th scope="row"><a href="{address.replace(str(PK_MARK), str(row.figures.commune.pk))}{query}">'
            f"{html.escape(row.figures.name)}</a></th>"
            f'<td class="text">{html.escape(row.figures.district or DASH)}</td>'
            f"{_cells(row.cells, few, separators)}"
            f"<td>{sparkline(row.spark, unit='%', label=label)}</td></tr>"
            for row in rows
        )
    )
