"""The one-stop-shop page in a real browser: a citizen looks for the commune they knew, is led to
today's ward that took it over and reads a procedure there; an officer changes the opening hours and
the public page shows the change."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from communes.models import Commune
from demo.communes import communes_demo_ensure
from tests.conftest import DEMO_PASSWORD


@pytest.fixture
def demo_communes(demo_accounts):
    """Today's phường Vân Hà, with the demo's live one-stop shop; phường Quảng Minh is one of the units
    it took over on 1 July 2025."""
    communes_demo_ensure()
    return Commune.objects.current().get(code="07798")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_citizen_finds_quang_minh_without_accents_is_led_to_van_ha_and_reads_a_procedure_with_its_qr(
    live_server, demo_communes, browser_page
):
    page = browser_page
    page.goto(live_server.url + "/")
    # The search box suggests as one types (a combobox); Enter with no suggestion chosen searches.
    search = page.get_by_label("Tìm xã, phường, thị trấn theo tên")
    search.fill("quang minh")
    search.press("Enter")
    page.get_by_role("link", name="Phường Quảng Minh", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phường Quảng Minh")
    # The ward has ended: its page says so first and shows nothing live.
    expect(page.locator("#unit-ended")).to_be_visible()
    expect(page.locator("#today-status")).to_have_count(0)
    expect(page.locator("#leader-today")).to_have_count(0)

    page.locator("#unit-ended").get_by_role("link", name="phường Vân Hà", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phường Vân Hà")
    expect(page.locator("#today-status")).to_be_visible()
    expect(page.locator("#opening-hours")).to_contain_text("07:30")

    page.locator("#procedures").get_by_role("link").last.click()
    page.get_by_role("link", name=re.compile("khai sinh", re.IGNORECASE)).first.click()
    steps = page.locator("ol li")
    expect(steps.first).to_be_visible()
    assert steps.count() >= 2
    qr = page.locator("img[src$='qr.svg']")
    expect(qr).to_be_visible()
    # The image loads after the page: wait for it (a loaded SVG has a width), do not sample it once.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle(), timeout=10_000)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_officer_changes_the_opening_hours_and_citizens_see_them(
    live_server, demo_communes, demo_accounts, browser_page
):
    page = browser_page
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill(demo_accounts["commune_officer"].email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))

    page.goto(live_server.url + reverse("communes:manage_hours", kwargs={"pk": demo_communes.pk}))
    closes = page.locator("input[name$='-0-closes']")
    closes.fill("11:45")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()

    page.goto(live_server.url + demo_communes.get_absolute_url())
    expect(page.locator("#opening-hours")).to_contain_text("07:30–11:45")
