"""Every public page type on a 360 px phone, in Debian's Chromium: the page never scrolls sideways,
with its folds closed or open; a wide table scrolls inside its own box with its key column in view;
the rankings' sort headings are tap targets of at least 44 px; the long pages open with a summary.

The data are the demo's (`manage.py setup_demo`, the `demo` fixture of tests/e2e/conftest.py): the one-stop
shops of today's phường Vân Hà and of the units it took over, a year of feedback, the survey campaigns,
tỉnh Bắc Giang's complete 2024 cycle with its sealed certificates and Bắc Ninh's 2025 cycle under way.
The public dossier statistics live on the commune page (#statistics).
"""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse
from playwright.sync_api import expect

from communes.models import Commune, CommuneProcedure, DisclosureList, Province
from democracy.models import (
    Board,
    Conference,
    ConferenceStatus,
    Consultation,
    ConsultationStatus,
    Convention,
    Matter,
    MatterStatus,
    Recommendation,
    RecommendationStatus,
)
from feedback.models import Feedback
from scoring.models import Assessment, Certificate, Status
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: tasks run in the test process

PHONE_WIDTH = 360
TAP_TARGET = 44

# The page's width against the window's, and every element that reaches past the window's right edge
# outside a box that scrolls on its own (what makes the page scroll sideways), named for the message.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const culprits = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-scroll, .visually-hidden"))
    .slice(0, 3)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${[...e.classList].join(".")}`);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits};
}"""
OPEN_FOLDS = "() => document.querySelectorAll('details').forEach((fold) => { fold.open = true; })"


def public_pages() -> dict[str, str]:
    """One address of every public page type, on the demo's busiest records."""
    van_ha = Commune.objects.current().get(code="07798")
    quang_minh = Commune.objects.get(code="07792", valid_until__isnull=False)
    bac_ninh = Province.objects.current().get(code="24")
    bac_giang = quang_minh.province
    procedure = (
        CommuneProcedure.objects.filter(commune=van_ha).select_related("procedure").order_by("procedure__code").first()
    )
    feedback = Feedback.objects.filter(commune=van_ha).annotate(steps=Count("events")).order_by("-steps", "pk").first()
    final = Assessment.objects.filter(year=2024, status=Status.FINAL).order_by("-total").first()
    certificate = Certificate.objects.filter(kind=Certificate.Kind.CERTIFICATE, status=Certificate.Status.VALID).first()
    # Grassroots democracy: the demo's recognised meeting and its convention, in Vân Cốc 1.
    decided = Matter.objects.filter(commune=van_ha, status=MatterStatus.RECOGNISED).select_related("village").first()
    convention = Convention.objects.filter(village__commune=van_ha).first()
    assert procedure and feedback and final and certificate, "the demo has every kind of record"
    assert decided and convention, "the demo has grassroots-democracy records"
    # Consulted and overseeing: the demo's closed and open consultations, its conference, its boards.
    carried_out = Matter.objects.filter(commune=van_ha, executions__isnull=False).first()
    synthesised = Consultation.objects.get(commune=van_ha, status=ConsultationStatus.SYNTHESISED)
    taking_comments = Consultation.objects.get(commune=van_ha, status=ConsultationStatus.OPEN)
    conference = Conference.objects.get(commune=van_ha, status=ConferenceStatus.PUBLISHED)
    board = Board.objects.filter(commune=van_ha, recommendations__isnull=False).first()
    answered = Recommendation.objects.filter(board=board, status=RecommendationStatus.ANSWERED).first()
    quarterly = DisclosureList.objects.filter(commune=van_ha).first()
    assert carried_out and board and answered and quarterly, "the demo has records of consultation and oversight"
    return {
        "home": reverse("portal:home"),
        "province page": reverse("portal:province_detail", kwargs={"pk": bac_ninh.pk}),
        "province page before 2025": reverse("portal:province_detail", kwargs={"pk": bac_giang.pk}),
        "commune page (with its statistics)": van_ha.get_absolute_url(),
        "page of a unit that ended": quang_minh.get_absolute_url(),
        "procedures": reverse("communes:procedure_list", kwargs={"pk": van_ha.pk}),
        "one procedure": reverse(
            "communes:procedure_detail", kwargs={"pk": van_ha.pk, "code": procedure.procedure.code}
        ),
        "disclosures": reverse("communes:disclosure_list", kwargs={"pk": van_ha.pk}),
        "ranking with districts": reverse("scoring:rankings", kwargs={"pk": bac_giang.pk, "year": 2024}),
        "ranking of today's province": reverse("scoring:rankings", kwargs={"pk": bac_ninh.pk, "year": 2025}),
        "one result": reverse("scoring:result", kwargs={"pk": final.commune_id, "year": 2024}),
        "star history": reverse("scoring:star_history", kwargs={"pk": van_ha.pk}),
        "feedback list": reverse("feedback:commune_feedback", kwargs={"pk": van_ha.pk}),
        "tracking page": reverse("feedback:track", kwargs={"code": feedback.code}),
        "survey page": reverse("surveys:commune_survey", kwargs={"pk": van_ha.pk}),
        "verification page": certificate.get_absolute_url(),
        "search results": reverse("communes:commune_search") + "?q=quang",
        "residents decide (commune)": reverse("democracy:commune_democracy", kwargs={"pk": van_ha.pk}),
        "village page": decided.village.get_absolute_url(),
        "a decided matter": decided.get_absolute_url(),
        "village convention": reverse("democracy:convention_detail", kwargs={"pk": convention.pk}),
        "ballot code form": reverse("democracy:ballot_lookup"),
        "a decided matter being carried out": carried_out.get_absolute_url(),
        "a consultation with its synthesis": synthesised.get_absolute_url(),
        "a consultation taking comments": taking_comments.get_absolute_url(),
        "a dialogue conference with its answers": conference.get_absolute_url(),
        "the People's Inspection Board": board.get_absolute_url(),
        "an answered recommendation": answered.get_absolute_url(),
        "a quarterly list of disclosures": reverse(
            "communes:disclosure_quarterly_list",
            kwargs={"pk": van_ha.pk, "year": quarterly.year, "quarter": quarterly.quarter},
        ),
        "a provisional result with computed criteria": reverse(
            "scoring:result", kwargs={"pk": van_ha.pk, "year": 2026}
        ),
        # Issue 19: the dashboards (charts, tiles, the communes' wide table) and the open data pages.
        "province dashboard": reverse("portal:province_dashboard", kwargs={"pk": bac_ninh.pk}),
        "commune dashboard": reverse("portal:commune_dashboard", kwargs={"pk": van_ha.pk}),
        "open data catalogue": reverse("portal:open_data"),
        "an open dataset with its dictionary": reverse("portal:open_data_dataset", kwargs={"slug": "feedback"}),
    }


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_public_page_scrolls_sideways_on_a_phone(demo, live_server, browser_page):
    page = browser_page
    assert page.viewport_size["width"] == PHONE_WIDTH
    too_wide = {}
    for name, path in public_pages().items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        closed = page.evaluate(OVERFLOW)
        page.evaluate(OPEN_FOLDS)
        opened = page.evaluate(OVERFLOW)
        for state, found in (("", closed), (" (folds open)", opened)):
            if found["scrollWidth"] > found["innerWidth"]:
                too_wide[name + state] = found
    assert too_wide == {}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_wide_tables_slide_in_their_box_and_long_pages_open_with_a_summary(demo, live_server, browser_page):
    page = browser_page
    van_ha = Commune.objects.current().get(code="07798")
    bac_giang = Commune.objects.get(code="07792", valid_until__isnull=False).province

    # The ranking's eleven columns: the rank and the unit stay while the figures slide under them.
    page.goto(live_server.url + reverse("scoring:rankings", kwargs={"pk": bac_giang.pk, "year": 2024}))
    box = page.locator("#rankings").locator("xpath=..")
    expect(page.locator("#rankings caption")).to_be_visible()
    expect(page.locator(".table-hint")).to_be_visible()  # the table is wider than the phone
    assert page.locator("#rankings th[scope=col]").count() == 11
    for heading in page.locator("#rankings thead a.sort").all():
        size = heading.bounding_box()
        assert size["height"] >= TAP_TARGET and size["width"] >= TAP_TARGET, heading.inner_text()
    row = page.locator("#rankings tbody tr").first
    unit = row.locator("th[scope=row]")
    before = unit.bounding_box()
    box.evaluate("(element) => { element.scrollLeft = element.scrollWidth; }")
    page.wait_for_function("(element) => element.scrollLeft > 0", arg=box.element_handle())
    after = unit.bounding_box()
    last = row.locator("td").last.bounding_box()
    assert abs(after["x"] - before["x"]) < 1  # the unit's name stays where it was
    assert after["x"] + after["width"] <= last["x"]  # the last column came in beside it
    assert last["x"] + last["width"] <= box.bounding_box()["x"] + box.bounding_box()["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    # The commune page opens with its summary; the long details are folded below, opened by a tap.
    page.goto(live_server.url + van_ha.get_absolute_url())
    summary = page.locator("#summary")
    for part in ("#today-status", "#today-hours", "#summary-address", "#summary-stars"):
        expect(summary.locator(part)).to_be_visible()
    for task in ("#task-feedback", "#task-survey", "#task-procedures"):
        assert summary.locator(task).bounding_box()["height"] >= TAP_TARGET, task
    assert summary.bounding_box()["y"] < page.locator("#opening-hours").bounding_box()["y"]
    officers = page.locator("#officers details")
    expect(officers.locator(".officer-list")).to_be_hidden()
    officers.locator("summary").click()
    expect(officers.locator(".officer-list")).to_be_visible()
    # The statistics table, opened: the month column stays while the figures slide in their box.
    statistics = page.locator("#statistics details")
    statistics.locator("summary").click()
    month = statistics.locator("tbody th[scope=row]").first
    expect(month).to_be_visible()
    before = month.bounding_box()
    statistics.locator(".table-scroll").evaluate("(element) => { element.scrollLeft = element.scrollWidth; }")
    assert abs(month.bounding_box()["x"] - before["x"]) < 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    # The stars over the years: one line a year, its results folded; on a phone, a card each.
    page.goto(live_server.url + reverse("scoring:star_history", kwargs={"pk": van_ha.pk}))
    year = page.locator("#year-2024")
    expect(year.locator("summary")).to_contain_text("2024")
    expect(year.locator("table")).to_be_hidden()
    year.locator("summary").click()
    rows = year.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 2
    first, second = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"]  # one under the other
    assert first["x"] + first["width"] <= PHONE_WIDTH
