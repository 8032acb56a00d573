"""The drawing layer of the dashboards: the table behind a chart (templates/includes/_chart.html), the
formatting tags of portal/templatetags/dashboard.py, and the chart scripts under the strict CSP.

Only figures are checked in Vietnamese: their form comes from portal/formats, while the words wait for
their translations."""

from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import lxml.html
import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from portal.dashboards.charts import Chart, Series

SVG = "{http://www.w3.org/2000/svg}"
STATIC = Path(settings.BASE_DIR) / "static"

SATISFACTION = Chart(
    id="satisfaction",
    kind="line",
    title="Satisfaction by month",
    description="Share of visitors who answered 4 or 5.",
    labels=["1/2026", "2/2026", "3/2026"],
    unit="%",
    rows_label="Month",
    series=[Series("Satisfied", [82.4, None, 84.0], low=[78.1, None, 80.0], high=[86.0, None, 88.25])],
)
OVERDUE = Chart(
    id="overdue",
    kind="bar",
    title="Overdue dossiers by commune",
    labels=["Xã Tân Phú", "Phường Bến Thành"],
    rows_label="Commune",
    series=[Series("Overdue", [1234, 0])],
)


def render_chart(chart: Chart, language: str = "vi"):
    with translation.override(language):
        html = render_to_string("includes/_chart.html", {"chart": chart})
    return lxml.html.fragment_fromstring(html.strip())


def render(source: str, language: str = "vi", **context) -> str:
    with translation.override(language):
        return Template("{% load dashboard %}" + source).render(Context(context))


def texts(elements) -> list[str]:
    return [" ".join(element.text_content().split()) for element in elements]


# --- The chart include -------------------------------------------------------------------------------


def test_a_chart_is_a_figure_named_by_its_id_kind_and_unit_with_its_title_and_description():
    figure = render_chart(SATISFACTION)

    assert figure.tag == "figure"
    assert figure.get("id") == "chart-satisfaction"
    assert figure.get("data-chart") == "line"
    assert figure.get("data-unit") == "%"
    assert texts(figure.xpath("./figcaption")) == ["Satisfaction by month Share of visitors who answered 4 or 5."]
    box = figure.xpath(".//*[@data-chart-canvas]")
    assert len(box) == 1
    assert box[0].getchildren() == []  # the script draws in it
    assert "Satisfaction by month" in box[0].get("data-label")


def test_the_table_behind_a_line_chart_has_a_caption_headers_with_scope_and_the_interval_bounds():
    figure = render_chart(SATISFACTION, language="en")
    table = figure.xpath(".//details[contains(@class, 'chart-data')]//table[contains(@class, 'chart-table')]")[0]

    assert texts(table.xpath("./caption")) == ["Satisfaction by month"]
    headers = table.xpath("./thead/tr/th")
    assert [th.get("scope") for th in headers] == ["col"] * 4
    assert texts(headers)[:2] == ["Month", "Satisfied"]
    assert [th.get("data-role") for th in headers] == [None, None, "low", "high"]
    assert texts(headers)[2:] == ["95% interval from", "95% interval to"]
    assert [th.get("scope") for th in table.xpath("./tbody/tr/th")] == ["row"] * 3
    assert texts(table.xpath("./tbody/tr/th")) == ["1/2026", "2/2026", "3/2026"]


def test_each_figure_is_shown_the_vietnamese_way_and_kept_with_a_dot_for_machines():
    rows = render_chart(SATISFACTION).xpath(".//table/tbody/tr")

    first = rows[0].xpath("./td")
    assert [td.get("data-value") for td in first] == ["82.4", "78.1", "86.0"]
    assert texts(first) == ["82,4%", "78,1%", "86,0%"]
    assert [td.get("data-role") for td in first] == [None, "low", "high"]
    assert texts(rows[2].xpath("./td")) == ["84,0%", "80,0%", "88,3%"]


def test_a_month_without_figures_shows_a_dash_and_gives_no_value_to_draw():
    missing = render_chart(SATISFACTION).xpath(".//table/tbody/tr")[1].xpath("./td")

    assert texts(missing) == ["—", "—", "—"]
    assert all(td.get("data-value") is None for td in missing)


def test_figures_follow_the_reader_language_while_the_machine_value_stays_the_same():
    cells = render_chart(SATISFACTION, language="en").xpath(".//table/tbody/tr")[0].xpath("./td")

    assert texts(cells) == ["82.4%", "78.1%", "86.0%"]
    assert [td.get("data-value") for td in cells] == ["82.4", "78.1", "86.0"]


def test_counts_are_whole_numbers_grouped_by_thousands_and_a_series_without_interval_has_no_bounds():
    table = render_chart(OVERDUE).xpath(".//table")[0]

    assert texts(table.xpath(".//tbody/tr/td")) == ["1.234", "0"]
    assert [td.get("data-value") for td in table.xpath(".//tbody/tr/td")] == ["1234", "0"]
    assert table.xpath(".//*[@data-role]") == []
    assert render_chart(OVERDUE).get("data-unit") == ""


def test_days_have_one_decimal_and_decimals_from_the_database_keep_their_dot():
    chart = Chart(
        id="answer-days",
        kind="bar",
        title="Days to answer",
        labels=["Land", "Roads"],
        unit="days",
        series=[Series("Median", [Decimal("3.50"), 1234.5])],
    )
    cells = render_chart(chart).xpath(".//table/tbody/tr/td")

    assert texts(cells) == ["3,5", "1.234,5"]
    assert [td.get("data-value") for td in cells] == ["3.50", "1234.5"]


def test_each_interval_column_names_its_series_when_a_chart_has_several():
    chart = Chart(
        id="two",
        kind="line",
        title="Satisfaction and on time",
        labels=["1/2026"],
        unit="%",
        series=[Series("Satisfied", [80.0], low=[75.0], high=[85.0]), Series("On time", [95.5])],
    )
    table = render_chart(chart, language="en").xpath(".//table")[0]

    assert texts(table.xpath("./thead/tr/th"))[1:] == [
        "Satisfied",
        "Satisfied: 95% interval from",
        "Satisfied: 95% interval to",
        "On time",
    ]
    assert [td.get("data-value") for td in table.xpath(".//tbody/tr/td")] == ["80.0", "75.0", "85.0", "95.5"]


@pytest.mark.parametrize(
    "chart",
    [
        Chart(id="none", kind="line", title="Nothing yet", labels=[], series=[]),
        Chart(id="blank", kind="bar", title="Nothing counted", labels=["1/2026"], series=[Series("A", [None])]),
    ],
)
def test_an_empty_chart_says_there_are_no_figures_instead_of_drawing_an_empty_chart(chart):
    figure = render_chart(chart, language="en")

    assert texts(figure.xpath(".//p[@class='chart__empty']")) == ["No figures for this period."]
    assert figure.xpath(".//table") == []
    assert figure.xpath(".//*[@data-chart-canvas]") == []
    assert texts(figure.xpath("./figcaption")) == [chart.title]


def test_chart_titles_and_labels_are_escaped():
    chart = Chart(id="x", kind="bar", title="<b>Title</b>", labels=["<i>a</i>"], series=[Series("<s>", [1])])
    html = render_to_string("includes/_chart.html", {"chart": chart})

    assert "<b>" not in html and "<i>" not in html and "<s>" not in html
    assert "&lt;b&gt;Title&lt;/b&gt;" in html


# --- Sparklines --------------------------------------------------------------------------------------


def sparkline(values, language: str = "vi", **options) -> ElementTree.Element:
    context = {"values": values, "unit": "", "label": "", **options}
    html = render("{% sparkline values unit=unit label=label %}", language, **context)
    return ElementTree.fromstring(html)  # noqa: S314  (the tag's own output, parsed to prove it is well-formed XML)


def test_a_sparkline_is_an_svg_read_out_from_its_first_to_its_last_value():
    svg = sparkline([71.2, 75, 84], unit="%", label="Hài lòng")

    assert svg.tag == f"{SVG}svg"
    assert svg.get("class") == "sparkline"
    assert svg.get("viewBox") == "0 0 100 24"
    assert svg.get("role") == "img"
    label = svg.get("aria-label")
    assert label.startswith("Hài lòng: ")
    assert "71,2%" in label and "84,0%" in label
    assert sparkline([71.2, 75, 84], language="en", unit="%").get("aria-label") == "from 71.2% to 84.0%"


def test_a_sparkline_uses_attributes_only_which_the_csp_allows():
    svg = sparkline([1, 5, None, 3, 4])

    assert all("style" not in element.attrib for element in svg.iter())
    assert svg.findall(f".//{SVG}style") == []


def test_a_sparkline_breaks_its_line_at_a_gap_and_dots_its_last_value():
    svg = sparkline([1, 2, None, 3, 4, None])

    lines = svg.findall(f"{SVG}polyline")
    assert len(lines) == 2
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    last = svg.findall(f"{SVG}circle[@class='sparkline__last']")
    assert len(last) == 1
    # The last known value (4, the highest) sits at the top of the box, at the fourth of six places.
    assert last[0].get("cy") == "3.00"
    assert float(last[0].get("cx")) == pytest.approx(3 + 4 * 94 / 5, abs=0.01)


def test_a_value_alone_between_two_gaps_is_drawn_as_a_dot():
    svg = sparkline([1, None, 2, None, 3, 4])

    assert len(svg.findall(f"{SVG}polyline")) == 1
    assert len(svg.findall(f"{SVG}circle")) == 3  # 1 and 2 alone, and the last value


def test_a_sparkline_of_equal_values_or_one_value_is_a_flat_line_in_the_middle():
    flat = sparkline([5, 5, 5], language="en", unit="days")
    assert {point.split(",")[1] for point in flat.find(f"{SVG}polyline").get("points").split()} == {"12.00"}
    assert flat.get("aria-label") == "from 5.0 days to 5.0 days"

    one = sparkline([None, 7], language="en")
    assert one.find(f"{SVG}polyline") is None
    assert one.get("aria-label") == "7"


def test_a_sparkline_without_figures_draws_nothing_and_says_so():
    svg = sparkline([None, None], language="en", label="Feedback")

    assert list(svg) == []
    assert svg.get("aria-label") == "Feedback: No figures for this period."
    assert list(sparkline([])) == []


def test_a_sparkline_label_is_escaped():
    svg = sparkline([1, 2], language="en", label='"><script>alert(1)</script>')

    assert svg.get("aria-label") == '"><script>alert(1)</script>: from 1 to 2'
    assert svg.findall(f".//{SVG}script") == [] and svg.findall(".//script") == []


# --- The scripts under the CSP -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["js/dashboard-charts.js", "vendor/chartjs/chart.umd.min.js"])
def test_the_chart_scripts_evaluate_no_strings_which_the_csp_forbids(path):
    source = (STATIC / path).read_text(encoding="utf-8")

    assert "eval(" not in source
    assert "new Function" not in source


def test_the_vendored_chart_library_points_to_no_source_map_that_collectstatic_could_not_find():
    source = (STATIC / "vendor/chartjs/chart.umd.min.js").read_text(encoding="utf-8")

    assert source.startswith("/*!\n * Chart.js v4.")
    assert "sourceMappingURL" not in source
    assert (STATIC / "vendor/chartjs/LICENSE.md").exists()
