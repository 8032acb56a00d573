"""The annual report DoHA sends upward: built from the staff dashboard's figures of January–December and
the year's scoring cycle, and printed as a page, a workbook and an official PDF that all say the same.

The workbook and the page are read in English (so that the assertions do not wait for the translations);
the PDF is Vietnamese whatever the reader's language."""

from __future__ import annotations

import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Role
from communes.services import statistics_save
from core import clock
from portal.dashboards.figures import province_figures
from portal.dashboards.refresh import dashboard_refresh
from portal.reports.annual import annual_report, year_period
from scoring.models import Status
from scoring.services import decision_approve, decision_draft, decision_issue
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import ROLES, Places, make_user, places_build
from tests.scoring.test_decisions import final as final_result
from tests.scoring.test_decisions import recognisable_set
from tests.scoring.test_documents import tool

pytestmark = pytest.mark.django_db

YEAR = clock.today().year  # feedback is sent today: the report of this year counts it
# One month of a commune's one-stop dossiers: 38 resolved, 35 of them early or on time.
DOSSIERS = {
    "received": 40,
    "resolved_early": 10,
    "resolved_on_time": 25,
    "resolved_late": 3,
    "late_with_apology": 2,
    "resolved_same_day": 20,
    "submitted_online": 15,
    "paid_online": 5,
    "digitised": 30,
    "pending": 2,
}


def final(commune, year: int):
    """A final result of ``year`` with stars (DoHA appraises every line at full points)."""
    return final_result(commune, recognisable_set(commune.province, year))


def activity(commune, *, feedback: int, category=None) -> None:
    """Feedback sent today and a month of dossiers in January of the report's year."""
    category = category or CategoryFactory(province=commune.province, name="Môi trường")
    for _ in range(feedback):
        submitted(commune=commune, category=category)
    statistics_save(commune=commune, month=f"{YEAR}-01", figures=DOSSIERS, by=None)


def refresh() -> None:
    dashboard_refresh(since=datetime.date(YEAR - 1, 1, 1), today=clock.today())


def province_with(communes: int):
    """A province of today (no districts) whose communes each sent feedback and reported dossiers."""
    province = ProvinceFactory()
    category = CategoryFactory(province=province, name="Môi trường")
    for index in range(communes):
        activity(CommuneFactory(province=province), feedback=index + 1, category=category)
    return province


def url(name: str, province, year: int = YEAR) -> str:
    return reverse(f"portal:{name}", args=[province.pk, year])


@pytest.fixture
def scene():
    """Two communes: the first recognised this year (by an approved decision) and last year; the second
    with feedback only."""
    province = ProvinceFactory(name="Hà Nam")
    first, second = CommuneFactory(province=province, name="An Lão"), CommuneFactory(province=province)
    activity(first, feedback=3)
    activity(second, feedback=2)
    final(first, YEAR - 1)
    this_year = final(first, YEAR)
    leader = user_with_role(Role.PROVINCIAL_LEADER, province)
    decision = decision_draft(province=province, year=YEAR, signer_name="Lê Văn Ký", assessments=[this_year], by=None)
    decision = decision_issue(decision=decision, number="125/QĐ-UBND", signed_on=clock.today(), by=None)
    decision_approve(decision=decision, by=leader)
    refresh()
    return province, first, second, leader


# --- The figures ------------------------------------------------------------------------------------


def test_the_report_reads_the_staff_dashboard_figures_of_the_year_and_the_year_s_cycle(scene):
    province, first, second, _leader = scene

    report = annual_report(province=province, year=YEAR)

    figures = province_figures(province=province, period=year_period(YEAR), staff=True)
    assert report.total.value("feedback_received") == figures.total.value("feedback_received") == 5
    assert report.total.value("dossiers_on_time") == pytest.approx(100 * 70 / 76)
    stars = figures.stars_by_year[YEAR]
    assert [(row.stars, row.count, row.previous) for row in report.stars if row.count or row.previous] == [
        (max(stars), 1, 1)
    ]
    assert report.cycle.assessed == 1
    assert {status: count for status, _label, count in report.cycle.statuses}[Status.FINAL] == 1
    [decision] = report.cycle.decisions
    assert (decision.number, decision.signer_name, decision.communes) == ("125/QĐ-UBND", "Lê Văn Ký", 1)
    rows = {row.figures.commune.pk: row for row in report.communes}
    assert rows[first.pk].stars == max(stars)
    assert rows[second.pk].stars is None
    assert rows[second.pk].value("feedback_received") == 2
    assert report.districts == []  # a province of today has no districts


def test_the_report_costs_the_same_queries_for_two_communes_as_for_five():
    small, large = province_with(2), province_with(5)
    final(small.communes.first(), YEAR)
    final(large.communes.first(), YEAR)
    refresh()

    def count(province) -> int:
        with CaptureQueriesContext(connection) as queries:
            annual_report(province=province, year=YEAR)
        return len(queries)

    assert count(small) == count(large)


def test_the_report_page_costs_the_same_queries_for_two_communes_as_for_five(client):
    small, large = province_with(2), province_with(5)
    refresh()
    client.force_login(user_with_role(Role.DOHA_STAFF, small))
    client.get(url("annual_report", small))  # the session's first queries are not the page's

    def count(province) -> int:
        client.force_login(user_with_role(Role.DOHA_STAFF, province))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("annual_report", province)).status_code == 200
        return len(queries)

    assert count(small) == count(large)


def test_communes_merged_in_2025_are_grouped_under_their_district_and_the_new_wards_under_none(quang_minh, van_ha):
    statistics_save(commune=quang_minh, month="2025-03", figures=DOSSIERS, by=None)
    statistics_save(commune=van_ha, month="2025-09", figures=DOSSIERS, by=None)
    dashboard_refresh(since=datetime.date(2025, 1, 1))

    with translation.override("en"):
        report = annual_report(province=van_ha.province, year=2025)

    names = {row.figures.commune.pk: (row.name, row.district) for row in report.communes}
    assert names[van_ha.pk] == ("Phường Vân Hà", "")
    old_name, district = names[quang_minh.pk]
    assert old_name == "Phường Quảng Minh" and district.startswith("Thị xã Việt Yên")
    groups = {row.name: row for row in report.districts}
    assert groups[district].sums.counts["dossiers_received"] == 40
    assert report.districts[-1].name == "No district"
    assert report.districts[-1].sums.counts["dossiers_received"] == 40
    assert report.province_name == "tỉnh Bắc Ninh"


# --- The workbook --------------------------------------------------------------------------------


def test_the_workbook_s_numbers_are_the_report_s_figures(client, scene):
    province, _first, _second, leader = scene
    client.force_login(leader)
    with translation.override("en"):
        response = client.get(url("annual_report_xlsx", province))
        report = annual_report(province=province, year=YEAR)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-chinh-quyen-than-thien-{province.code}-{YEAR}.xlsx"'
    )
    assert response["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Districts", "Communes", "Feedback by category"]

    summary = {(row[0], row[1]): row for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    feedback = summary["Citizens' feedback", "Feedback received"]
    assert feedback[2] == report.total.value("feedback_received") == 5
    dossiers = summary["One-stop dossiers", "Dossiers resolved on time"]
    assert dossiers[2:4] == (round(100 * 70 / 76, 1), "%")
    stars = next(row for row in report.stars if row.count)
    with translation.override("en"):  # the label is translated when read, as the workbook's was
        star_row = next(row for key, row in summary.items() if key[1] == str(stars.label))
    assert star_row[2] == stars.count == 1
    assert star_row[4] == stars.previous == 1

    header, *communes = book["Communes"].iter_rows(values_only=True)
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in communes}
    assert by_name["Xã An Lão"]["Feedback received"] == 3
    assert by_name["Xã An Lão"]["Stars (result of the year)"] == stars.stars
    assert by_name["Xã An Lão"]["Dossiers resolved on time (%)"] == round(100 * 35 / 38, 1)
    assert list(book["Feedback by category"].iter_rows(min_row=2, values_only=True)) == [("Môi trường", 5, 0, 0, None)]


# --- The PDF -------------------------------------------------------------------------------------


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_is_an_official_report_naming_today_s_units_with_their_figures(client, van_ha, tmp_path):
    activity(van_ha, feedback=7)
    refresh()
    province = van_ha.province
    client.force_login(user_with_role(Role.DOHA_STAFF, province))

    with translation.override("en"):  # the document is Vietnamese whatever the reader's language
        response = client.get(url("annual_report_pdf", province))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = f"bao-cao-chinh-quyen-than-thien-{province.code}-{YEAR}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    text = pdf_text(response.content, tmp_path)
    for element in [
        "UBND TỈNH BẮC NINH",
        "SỞ NỘI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-SNV",
        "BÁO CÁO",
        f"Kết quả xây dựng chính quyền thân thiện năm {YEAR}",
        "tỉnh Bắc Ninh",
        "Nơi nhận:",
        "GIÁM ĐỐC",
    ]:
        assert element in text
    # The first table of the communes: satisfaction, answers, feedback received, on time, overdue,
    # disputed, median days.
    row = next(line for line in text.splitlines() if "Phường Vân Hà" in line)
    assert row.split("Phường Vân Hà")[1].split() == ["—", "0", "7", "—", "0", "0", "—"]


# --- Who may read it -----------------------------------------------------------------------------

FORMATS = ["annual_report", "annual_report_xlsx", "annual_report_pdf"]


@pytest.fixture
def small_province():
    province = province_with(1)
    refresh()
    return province


# Expected status per (view, role), in the permission matrix's roles and places (test_permissions.py):
# the staff dashboard's rule. 200 allowed, 403 signed in but refused, 302 sent to sign in.
READERS = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "doha_here": 200,
    "doha_of_successor": 200,
    "leader_here": 200,
    "site_admin": 200,
}
MATRIX = {f"portal:{name}": READERS for name in FORMATS}


@pytest.fixture
def places(db) -> Places:
    return places_build()


@pytest.mark.parametrize("view", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer_from_the_annual_report(client, places, view, role):
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)

    # The province before the 2025 reorganisation, in its last year: DoHA of today's province reads it too.
    response = client.get(reverse(view, args=[places.province.pk, 2025]))

    assert response.status_code == MATRIX[view][role]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("year", [2014, YEAR + 1])
def test_a_year_before_2015_or_after_this_one_is_not_found(client, small_province, year):
    client.force_login(user_with_role(Role.DOHA_STAFF, small_province))

    assert client.get(url("annual_report", small_province, year)).status_code == 404


def test_the_year_picker_leads_to_the_chosen_year_s_report(client, small_province):
    client.force_login(user_with_role(Role.DOHA_STAFF, small_province))

    response = client.get(url("annual_report", small_province), {"year": YEAR - 1})

    assert response.status_code == 302
    assert response["Location"] == url("annual_report", small_province, YEAR - 1)


def test_the_page_shows_the_summary_and_links_to_both_files(client, scene):
    province, first, _second, leader = scene
    client.force_login(leader)

    with translation.override("en"):
        response = client.get(url("annual_report", province))

    content = response.content.decode()
    assert url("annual_report_pdf", province) in content
    assert url("annual_report_xlsx", province) in content
    assert "125/QĐ-UBND" in content
    assert f'id="commune-{first.pk}"' in content
    # Citizens' contact details stay in the feedback app: the report holds figures only.
    assert "Nguyễn Văn An" not in content
    assert "an@example.com" not in content
