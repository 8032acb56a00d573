"""The province and commune dashboards' pages, public and staff: what each reader may see, the units as
named in the period, their cost in queries and the page cache they are served from.

The pages are tested from aggregates written as the rebuild writes them (``month_row``): they read
nothing else, and a case then says in one line what each commune's figures are. The rebuild itself is
tested in test_dashboard_figures.py. Pages are read in Vietnamese, the default."""

from __future__ import annotations

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role
from core import clock
from portal.dashboards.figures import Period
from portal.dashboards.pages import TILES
from portal.dashboards.refresh import dashboard_refresh
from portal.models import MONTH_COUNTS, SIPAS_SLOTS, CategoryMonth, CommuneMonth
from scoring.models import Status
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import UserFactory, user_with_role
from tests.portal.test_permissions import ROLES, Places, make_user, places_build
from tests.scoring.factories import advance, fill_self, open_assessment

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_2025 = {"start": "2025-01", "end": "2025-12"}


# --- Pages ----------------------------------------------------------------------------------------


def month_row(commune, month: D, *, answered: int = 0, satisfied: int = 0, **counts) -> CommuneMonth:
    """A commune's stored figures of a month, as the rebuild writes them: ``answered`` and ``satisfied``
    for every SIPAS slot, and the other counts by name."""
    sipas = {f"sipas_answered_{slot}": answered for slot in SIPAS_SLOTS}
    sipas |= {f"sipas_satisfied_{slot}": satisfied for slot in SIPAS_SLOTS}
    return CommuneMonth.objects.create(commune=commune, month=month, refreshed_at=timezone.now(), **sipas, **counts)


def page(client, name: str, pk: int, params: dict | None = None):
    response = client.get(reverse(name, args=[pk]), params or {})
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def words(element) -> str:
    return " ".join(element.text_content().split())


def order(doc) -> list[int]:
    """The communes' table, top to bottom, as commune ids."""
    return [int(tr.get("id").removeprefix("commune-")) for tr in doc.xpath('//table[@id="communes"]/tbody/tr')]


def cell(doc, commune, key: str):
    (td,) = doc.xpath(f'//tr[@id="commune-{commune.pk}"]/td[@data-key="{key}"]')
    return td


def tile_value(doc, key: str) -> str:
    (value,) = doc.get_element_by_id(f"tile-{key}").xpath('span[contains(@class, "__value")]')
    return words(value)


def chart_rows(doc, chart_id: str) -> dict[str, list[str]]:
    """A chart's table: row label → the cells' machine values."""
    figure = doc.get_element_by_id(f"chart-{chart_id}")
    return {
        words(tr.xpath("th")[0]): [td.get("data-value") for td in tr.xpath("td")]
        for tr in figure.xpath('.//table[contains(@class, "chart-table")]/tbody/tr')
    }


@pytest.fixture
def province():
    return ProvinceFactory(name="Bắc Ninh")


@pytest.fixture
def staff(province):
    client = Client()
    client.force_login(user_with_role(Role.DOHA_STAFF, province))
    return client


def test_the_public_province_dashboard_shows_tiles_charts_and_every_commune(client, province):
    communes = [CommuneFactory(province=province) for _ in range(3)]
    month_row(communes[0], D(2025, 3, 1), feedback_received=4, feedback_on_time=3, feedback_late=1)
    month_row(communes[1], D(2025, 5, 1), feedback_received=2, feedback_on_time=2)
    category = CategoryFactory(province=province, name="Điện chiếu sáng")
    CategoryMonth.objects.create(
        commune=communes[0], month=D(2025, 3, 1), category=category, received=4, on_time=3, late=1
    )

    doc = page(client, "portal:province_dashboard", province.pk, YEAR_2025)

    assert [li.get("id") for li in doc.xpath('//li[starts-with(@id, "tile-")]')] == [f"tile-{key}" for key in TILES]
    charts = {"satisfaction", "factors", "feedback", "dossiers", "categories", "stars"}
    assert {figure.get("id") for figure in doc.xpath('//figure[starts-with(@id, "chart-")]')} == {
        f"chart-{chart}" for chart in charts
    }
    assert tile_value(doc, "feedback_received") == "6"
    assert tile_value(doc, "feedback_on_time") == "83,3%"
    feedback = chart_rows(doc, "feedback")
    assert list(feedback) == [f"{month:02d}/2025" for month in range(1, 13)]
    assert feedback["03/2025"] == ["3", "1", "0"]  # on time, late, other
    assert chart_rows(doc, "categories") == {"Điện chiếu sáng": ["4", "3"]}
    assert set(order(doc)) == {c.pk for c in communes}


def test_the_communes_are_sorted_by_the_figure_asked_for_those_without_it_last(client, province):
    more, fewer, none = (CommuneFactory(province=province, name=name) for name in ("Vân Hà", "Tự Lạn", "Nếnh"))
    month_row(more, D(2025, 2, 1), feedback_received=10, feedback_on_time=9, feedback_late=1)
    month_row(fewer, D(2025, 2, 1), feedback_received=4, feedback_on_time=1, feedback_late=3)

    def sorted_by(**params):
        return page(client, "portal:province_dashboard", province.pk, YEAR_2025 | params)

    assert order(sorted_by(sort="feedback_received")) == [more.pk, fewer.pk, none.pk]
    assert order(sorted_by(sort="feedback_received", order="asc")) == [none.pk, fewer.pk, more.pk]
    # On time: 90%, 25%, and none handled, so no figure: last both ways.
    on_time = sorted_by(sort="feedback_on_time")
    assert order(on_time) == [more.pk, fewer.pk, none.pk]
    assert order(sorted_by(sort="feedback_on_time", order="asc")) == [fewer.pk, more.pk, none.pk]
    assert words(cell(on_time, none, "feedback_on_time")) == "—"
    (heading,) = on_time.xpath('//table[@id="communes"]//th[@aria-sort]')
    assert (heading.get("aria-sort"), heading.xpath("a/@href")[0].endswith("order=asc")) == ("descending", True)


def test_a_satisfaction_on_few_answers_is_kept_from_the_public_and_marked_for_staff(client, staff, province):
    enough, few = CommuneFactory(province=province), CommuneFactory(province=province)
    month_row(enough, D(2025, 4, 1), answered=40, satisfied=30)
    month_row(few, D(2025, 4, 1), answered=20, satisfied=13)

    public = page(client, "portal:province_dashboard", province.pk, YEAR_2025)
    staff_page = page(staff, "portal:province_dashboard_staff", province.pk, YEAR_2025)

    assert words(cell(public, enough, "satisfaction")) == "75,0%"
    assert words(cell(public, few, "satisfaction")) == "—"
    assert cell(public, few, "satisfaction").get("class") is None
    assert words(cell(staff_page, few, "satisfaction")) == "65,0%"
    assert cell(staff_page, few, "satisfaction").get("class") == "few-answers"
    assert order(public) == [enough.pk, few.pk]  # sorted by satisfaction: the hidden one last
    assert tile_value(page(client, "portal:commune_dashboard", few.pk, YEAR_2025), "satisfaction") == "—"
    staff_commune = page(staff, "portal:commune_dashboard_staff", few.pk, YEAR_2025)
    assert tile_value(staff_commune, "satisfaction") == "65,0%"
    assert "30" in words(
        staff_commune.get_element_by_id("tile-satisfaction").xpath('span[contains(@class, "__note")]')[0]
    )


def test_the_public_median_leaves_out_satisfaction_on_few_answers(client, province):
    few, other = CommuneFactory(province=province), CommuneFactory(province=province)
    month_row(few, D(2025, 4, 1), answered=20, satisfied=13)  # 65% on 20 answers: not for the public
    month_row(other, D(2025, 4, 1), feedback_received=3)

    for commune in (few, other):
        tile = page(client, "portal:commune_dashboard", commune.pk, YEAR_2025).get_element_by_id("tile-satisfaction")
        assert "65,0" not in words(tile)
        assert tile.xpath('span[contains(@class, "__note")]') == []  # no commune the public may compare with


def assessed(commune, to: str):
    """The commune's 2025 assessment, filled in and taken to ``to``."""
    return advance(fill_self(open_assessment(commune)), to)


def test_results_not_yet_public_are_on_the_staff_dashboard_only_as_provisional(client, staff, province):
    commune = CommuneFactory(province=province)
    assessment = assessed(commune, Status.APPRAISED)
    assert assessment.stars is not None

    public = page(client, "portal:province_dashboard", province.pk, YEAR_2025)
    staff_page = page(staff, "portal:province_dashboard_staff", province.pk, YEAR_2025)

    assert chart_rows(public, "stars") == {}
    assert words(cell(public, commune, "stars")) == "—"
    assert list(chart_rows(staff_page, "stars")) == [f"2025 ({gettext('provisional')})"]
    assert words(cell(staff_page, commune, "stars")) == str(assessment.stars)


def test_a_communes_row_leads_to_its_dashboard_for_the_same_period(client, staff, province):
    commune = CommuneFactory(province=province)
    period = {"start": "2024-07", "end": "2025-06"}

    for viewer, name, target in (
        (client, "portal:province_dashboard", "portal:commune_dashboard"),
        (staff, "portal:province_dashboard_staff", "portal:commune_dashboard_staff"),
    ):
        (link,) = page(viewer, name, province.pk, period).xpath(f'//tr[@id="commune-{commune.pk}"]/th/a/@href')
        assert link == reverse(target, args=[commune.pk]) + "?start=2024-07&end=2025-06"


def test_the_commune_dashboard_shows_the_province_median_beside_the_communes_figure(client, province):
    here, *others = (CommuneFactory(province=province) for _ in range(3))
    for commune, received in zip([here, *others], (2, 5, 9), strict=True):
        month_row(commune, D(2025, 8, 1), feedback_received=received)

    doc = page(client, "portal:commune_dashboard", here.pk, YEAR_2025)

    tile = doc.get_element_by_id("tile-feedback_received")
    assert tile_value(doc, "feedback_received") == "2"
    assert words(tile.xpath('span[contains(@class, "__note")]')[0]) == f"{gettext('Province median:')} 5"


# --- Units named as of the period -----------------------------------------------------------------


def test_todays_ward_has_its_dashboards_under_its_name(client, van_ha):
    month_row(van_ha, clock.today().replace(day=1), feedback_received=7)

    province = page(client, "portal:province_dashboard", van_ha.province_id)
    commune = page(client, "portal:commune_dashboard", van_ha.pk)

    assert words(province.xpath(f'//tr[@id="commune-{van_ha.pk}"]/th')[0]) == "Phường Vân Hà"
    assert "Phường Vân Hà" in words(commune.xpath("//h1")[0])
    assert tile_value(commune, "feedback_received") == "7"


def test_a_dissolved_commune_is_on_its_provinces_successors_dashboard_under_the_name_it_bore(
    client, van_ha, quang_minh
):
    month_row(quang_minh, D(2024, 5, 1), feedback_received=7)
    url = "portal:province_dashboard"

    year_2024 = page(client, url, van_ha.province_id, {"start": "2024-01", "end": "2024-12"})
    year_2023 = page(client, url, van_ha.province_id, {"start": "2023-01", "end": "2023-12"})

    row = year_2024.xpath(f'//tr[@id="commune-{quang_minh.pk}"]')[0]
    assert (words(row.xpath("th")[0]), words(row.xpath("td")[0])) == ("Phường Quảng Minh", "Thị xã Việt Yên")
    assert words(cell(year_2024, quang_minh, "feedback_received")) == "7"
    assert van_ha.pk not in order(year_2024)  # made on 01/07/2025
    assert words(year_2023.xpath(f'//tr[@id="commune-{quang_minh.pk}"]/th')[0]) == "Xã Quảng Minh"


def test_a_dissolved_communes_dashboard_reads_its_period_for_the_public_and_its_successors_officer(
    client, van_ha, quang_minh
):
    month_row(quang_minh, D(2024, 5, 1), feedback_received=7)
    year_2024 = {"start": "2024-01", "end": "2024-12"}
    officer = Client()
    officer.force_login(user_with_role(Role.COMMUNE_OFFICER, van_ha))

    for viewer, name in ((client, "portal:commune_dashboard"), (officer, "portal:commune_dashboard_staff")):
        doc = page(viewer, name, quang_minh.pk, year_2024)
        assert "Phường Quảng Minh" in words(doc.xpath("//h1")[0])
        assert tile_value(doc, "feedback_received") == "7"


# --- The period asked for -------------------------------------------------------------------------


def test_a_period_that_cannot_be_read_shows_the_last_twelve_months_with_the_reason(client, province):
    doc = page(client, "portal:province_dashboard", province.pk, {"start": "2025-13", "end": "2025-06"})

    (alert,) = doc.xpath('//form//*[@role="alert"]')
    with_vietnamese = gettext("Give a month as year-month, for example 2026-01.")
    assert with_vietnamese in words(alert)
    assert with_vietnamese != "Give a month as year-month, for example 2026-01."  # translated
    last_twelve = Period.default()
    assert doc.xpath('//input[@name="start"]/@value') == [f"{last_twelve.first:%Y-%m}"]
    assert doc.xpath('//input[@name="end"]/@value') == [f"{last_twelve.last:%Y-%m}"]


# --- Queries --------------------------------------------------------------------------------------


def communes_with_data(province, n: int) -> list:
    category = CategoryFactory(province=province, name="Điện chiếu sáng")
    made = []
    for _ in range(n):
        commune = CommuneFactory(province=province)
        for month in (D(2025, 3, 1), D(2025, 4, 1)):
            month_row(
                commune, month, answered=35, satisfied=30, feedback_received=3, feedback_on_time=2, **DOSSIER_COUNTS
            )
            CategoryMonth.objects.create(commune=commune, month=month, category=category, received=3, on_time=2)
        made.append(commune)
    return made


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
# The same, as the dashboards' monthly rows copy them.
DOSSIER_COUNTS = {f"dossiers_{name}": n for name, n in DOSSIERS.items() if f"dossiers_{name}" in MONTH_COUNTS}


def queries(client, url: str) -> int:
    """The queries of rendering the page (live: the page cache would answer the second request)."""
    with override_settings(PAGE_CACHE=False):
        client.get(url)  # what a first request reads once (the questionnaire, the session's user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
    return len(captured)


def test_the_staff_province_dashboard_costs_the_same_queries_for_two_communes_and_for_six(staff, province):
    url = reverse("portal:province_dashboard_staff", args=[province.pk]) + "?start=2025-01&end=2025-12"
    communes_with_data(province, 2)
    two = queries(staff, url)

    communes_with_data(province, 4)
    six = queries(staff, url)

    assert two == six


def test_the_staff_commune_dashboard_costs_the_same_queries_for_two_communes_and_for_six(staff, province):
    here, _other = communes_with_data(province, 2)
    url = reverse("portal:commune_dashboard_staff", args=[here.pk]) + "?start=2025-01&end=2025-12"
    two = queries(staff, url)

    communes_with_data(province, 4)
    six = queries(staff, url)

    assert two == six


# --- Who may read which dashboard -----------------------------------------------------------------

# Expected status per (view, role), in the permission matrix's roles and places (test_permissions.py):
# 200 allowed, 403 signed in but refused, 302 sent to sign in.
EVERYONE = dict.fromkeys(ROLES, 200)
MATRIX = {
    "portal:province_dashboard": EVERYONE,
    "portal:commune_dashboard": EVERYONE,
    "portal:province_dashboard_staff": {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 302,
        "doha_here": 200,
        "doha_of_successor": 200,
        "leader_here": 200,
        "site_admin": 200,
    },
    "portal:commune_dashboard_staff": {
        "anonymous": 302,
        "citizen": 403,
        "officer_here": 200,
        "officer_elsewhere": 403,
        "officer_of_successor": 200,
        "reviewer_here": 200,
        "reviewer_elsewhere": 403,
        "doha_here": 200,
        "doha_of_successor": 200,
        "doha_elsewhere": 403,
        "leader_here": 200,
        "leader_elsewhere": 403,
        "site_admin": 200,
    },
}


def dashboard_url(view: str, p: Places) -> str:
    place = p.province if "province" in view else p.commune
    return reverse(view, args=[place.pk])


@pytest.fixture
def places(db) -> Places:
    return places_build()


@pytest.mark.parametrize("view", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer_from_dashboard(client, places, view, role):
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)

    response = client.get(dashboard_url(view, places))

    assert response.status_code == MATRIX[view][role]
    if response.status_code == 302:
        assert "login" in response.headers["Location"]


def test_a_dashboard_of_a_place_that_does_not_exist_is_not_found(client):
    client.force_login(UserFactory(is_superuser=True))
    for view in MATRIX:
        assert client.get(reverse(view, args=[999999])).status_code == 404


# --- The page cache -------------------------------------------------------------------------------


def test_the_public_dashboard_shows_the_rebuilt_figures_on_the_next_request(client, province):
    commune = CommuneFactory(province=province)
    submitted(commune=commune, category=CategoryFactory(province=province))
    url = "portal:province_dashboard"
    assert words(cell(page(client, url, province.pk), commune, "feedback_received")) == "0"

    dashboard_refresh()

    assert words(cell(page(client, url, province.pk), commune, "feedback_received")) == "1"


def test_the_staff_dashboard_kept_in_the_page_cache_is_still_refused_to_who_may_not_see_it(client, staff, province):
    commune = CommuneFactory(province=province)
    url = reverse("portal:province_dashboard_staff", args=[province.pk]) + "?start=2025-01&end=2025-12"
    assert staff.get(url).status_code == 200
    assert staff.get(url).status_code == 200  # from the page cache now

    # Without a cookie (answered before sessions for a public page), and signed in without the right.
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, commune))
    assert client.get(url).status_code == 403
