"""The province at a glance, in a real browser (issue 19): the provincial leader opens the dashboard from
the workspace, picks a period, drills into phường Vân Hà, prints its dashboard as an A4 report (the
charts are in it), and every open dataset is downloaded in each format and checked against its data
dictionary, as published in the DCAT catalogue."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from communes.models import Commune, Province
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: tasks run in the server thread
from tests.conftest import DEMO_PASSWORD

DESKTOP = {"width": 1280, "height": 900}
CHARTS_READY = "html[data-charts-ready='1']"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# How a value of each dictionary type must read in each format (JSON keeps types; CSV is text).
JSON_TYPES = {
    "xsd:string": lambda v: isinstance(v, str),
    "xsd:integer": _is_int,
    "xsd:decimal": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "xsd:date": lambda v: isinstance(v, str) and bool(datetime.date.fromisoformat(v)),
    "xsd:dateTime": lambda v: isinstance(v, str) and bool(datetime.datetime.fromisoformat(v)),
    "xsd:boolean": lambda v: isinstance(v, bool),
}
CSV_TYPES = {
    "xsd:string": lambda v: True,
    "xsd:integer": lambda v: re.fullmatch(r"-?\d+", v) is not None,
    "xsd:decimal": lambda v: re.fullmatch(r"-?\d+(\.\d+)?", v) is not None,
    "xsd:date": lambda v: bool(datetime.date.fromisoformat(v)),
    "xsd:dateTime": lambda v: bool(datetime.datetime.fromisoformat(v)),
    "xsd:boolean": lambda v: v in {"0", "1"},
}


def signed_in(browser_page, live_server, email):
    page = browser_page.context.browser.new_context(viewport=DESKTOP, locale="vi-VN", accept_downloads=True).new_page()
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))
    return page


def downloaded(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def check_against_dictionary(fmt: str, body: bytes, columns: list[dict]) -> int:
    """The file's columns are the dictionary's, in its order, and every value reads as its type says;
    returns the number of rows."""
    names = [column["csvw:name"] for column in columns]
    types = [column["csvw:datatype"] for column in columns]
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads the Vietnamese"
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows[0] == names
        for row in rows[1:]:
            for value, kind, name in zip(row, types, names, strict=True):
                assert value == "" or CSV_TYPES[kind](value), (name, kind, value)
        return len(rows) - 1
    if fmt == "json":
        document = json.loads(body)
        assert [field["name"] for field in document["fields"]] == names
        for row in document["rows"]:
            assert list(row) == names
            for name, kind in zip(names, types, strict=True):
                assert row[name] is None or JSON_TYPES[kind](row[name]), (name, kind, row[name])
        return len(document["rows"])
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == names
    for row in rows[1:]:
        for value, kind, name in zip(row, types, names, strict=True):
            if value is None or kind == "xsd:string":
                continue
            if kind == "xsd:integer":
                assert _is_int(value) or (isinstance(value, float) and value.is_integer()), (name, value)
            elif kind == "xsd:decimal":
                assert isinstance(value, int | float), (name, value)
            elif kind in ("xsd:date", "xsd:dateTime"):
                assert isinstance(value, datetime.date | str), (name, value)
    return len(rows) - 1


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_leader_reads_the_province_drills_into_van_ha_prints_it_and_every_dataset_downloads(
    demo, live_server, browser_page, tmp_path
):
    bac_ninh = Province.objects.current().get(code="24")
    van_ha = Commune.objects.current().get(code="07798")
    page = signed_in(browser_page, live_server, demo["provincial_leader"].email)

    # From the workspace to the province's dashboard (staff version).
    page.goto(live_server.url + reverse("portal:unit_workspace", kwargs={"kind": "province", "pk": bac_ninh.pk}))
    page.get_by_role("link", name="Bảng theo dõi", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/manage/provinces/{bac_ninh.pk}/dashboard/$"))
    page.wait_for_selector(CHARTS_READY, state="attached")
    expect(page.locator("h1")).to_contain_text("Tỉnh Bắc Ninh")
    figures = page.locator("figure.chart")
    assert figures.count() == 6
    # Every chart drawn, each with its table behind it.
    assert page.locator("figure.chart canvas").count() == page.locator("figure.chart table").count() > 0

    # A period: the first half of 2026.
    page.locator("input[name=start]").fill("2026-01")
    page.locator("input[name=end]").fill("2026-06")
    page.locator("form.dashboard-filter button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"start=2026-01&end=2026-06"))
    expect(page.locator("main")).to_contain_text("Từ 01/2026 đến 06/2026")
    page.wait_for_selector(CHARTS_READY, state="attached")
    months = page.locator("#chart-satisfaction table tbody th")
    assert [months.nth(i).text_content().strip() for i in range(months.count())] == [
        f"{m:02d}/2026" for m in range(1, 7)
    ]

    # Drill into phường Vân Hà: its dashboard, the same period, against the province's median commune.
    page.locator(f"#commune-{van_ha.pk} th a").click()
    expect(page).to_have_url(re.compile(rf"/manage/communes/{van_ha.pk}/dashboard/\?start=2026-01&end=2026-06"))
    expect(page.locator("h1")).to_contain_text("Phường Vân Hà")
    page.wait_for_selector(CHARTS_READY, state="attached")
    received = page.locator("#tile-feedback_received .tile__value").inner_text()
    assert int(received.replace(".", "")) > 0, "the demo's feedback reached the ward in 2026"
    expect(page.locator("#tile-feedback_received")).to_contain_text("Trung vị của tỉnh")

    # Printed: an A4 report with the charts and their figures. Chromium prints a canvas as vector drawing
    # (its axes are text in the PDF: each percentage chart has its "100%" tick on a line of its own, the
    # tables write one decimal) or, under load, as an image: either way the charts are on paper.
    pdf = tmp_path / "van-ha.pdf"
    page.pdf(path=str(pdf), format="A4")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 84[12]\.\d+", info), info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Phường Vân Hà" in text and "Từ 01/2026 đến 06/2026" in text
    assert not re.search(r"^\s*Xem\s+In\s*$", text, re.M), "the filter form and its buttons are not printed"
    ticks = len(re.findall(r"^\s*100%\s*$", text, re.M))
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = len(listed.strip().splitlines()) - 2
    assert ticks >= 3 or images >= 3, "the satisfaction, factors and dossiers charts are printed"

    # Open data: every dataset of the catalogue, in each format, against the dictionary the catalogue gives.
    catalog = json.loads(page.request.get(live_server.url + reverse("portal:open_data_catalog")).body())
    datasets = catalog["dcat:dataset"]
    assert len(datasets) >= 10
    page.goto(live_server.url + reverse("portal:open_data"))
    checked = {}
    for dataset in datasets:
        slug = dataset["dct:identifier"]
        page.goto(live_server.url + reverse("portal:open_data_dataset", kwargs={"slug": slug}))
        columns = dataset["csvw:tableSchema"]["csvw:column"]
        # The dataset's page shows the same dictionary, column by column.
        main = page.locator("main").inner_text()
        assert all(column["csvw:name"] in main for column in columns), slug
        for fmt in ("csv", "json", "xlsx"):
            link = page.locator(f"a[href$='/{slug}.{fmt}']").first
            checked[slug, fmt] = check_against_dictionary(fmt, downloaded(page, link), columns)
    assert len(checked) == 3 * len(datasets)
    # The three formats of a dataset hold the same rows.
    for dataset in datasets:
        slug = dataset["dct:identifier"]
        assert checked[slug, "csv"] == checked[slug, "json"] == checked[slug, "xlsx"], slug
    assert checked["units", "csv"] > 100, "the units of two provinces, with those that ended"
