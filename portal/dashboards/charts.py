"""What a dashboard chart is, apart from how it is drawn: the template ``includes/_chart.html`` renders it
as a figure whose table holds every number, and ``static/js/dashboard-charts.js`` draws the chart from
that table (Chart.js, vendored). Without JavaScript, on a screen reader or in a spreadsheet, the table
is the chart."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]
    # A 95% interval drawn as a band around the line, one bound per label (None where unknown).
    low: list[float | None] | None = None
    high: list[float | None] | None = None


@dataclass(frozen=True)
class Chart:
    """``kind``: "line" (months on the x axis, intervals as bands), "bar" (one bar per label, horizontal
    when there are many labels) or "stacked" (the series stacked per label, e.g. stars by year).
    ``unit``: "%" (values are percentages 0–100), "days" or "" (counts)."""

    id: str
    kind: str
    title: str
    labels: list[str]
    series: list[Series]
    unit: str = ""
    description: str = ""  # one sentence under the title: what is counted and from where
    rows_label: str = ""  # the table's first column header ("Month", "Category", "Year")

    @property
    def empty(self) -> bool:
        return not self.labels or all(v is None for s in self.series for v in s.values)

    @property
    def rows(self) -> list[tuple[str, list[tuple[float | None, float | None, float | None]]]]:
        """The table's rows: (label, [(value, low, high) per series])."""
        return [
            (
                label,
                [
                    (
                        s.values[i],
                        s.low[i] if s.low is not None else None,
                        s.high[i] if s.high is not None else None,
                    )
                    for s in self.series
                ],
            )
            for i, label in enumerate(self.labels)
        ]
