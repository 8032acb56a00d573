"""A citizen and an officer in Debian's Chromium, driven by Playwright, against a live server."""

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_citizen_browses_in_vietnamese_switches_to_english_and_officer_signs_in(
    live_server, demo_accounts, browser_page
):
    page = browser_page
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chính quyền thân thiện, gần gũi với người dân")
    # Styles come from our own server: the header is red.
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(163, 29, 21)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Province → district → commune.
    page.get_by_role("link", name="Thị xã Việt Yên").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thị xã Việt Yên")
    page.get_by_role("link", name="Phường Quảng Minh").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phường Quảng Minh")
    expect(page.locator("#unit-ended").get_by_role("link", name="phường Vân Hà", exact=True)).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "/en/communes/" in page.url

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(demo_accounts["commune_officer"].email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Workspace")
    expect(page.locator("main")).to_contain_text("Commune officer")  # its inbox panel names the role
    page.get_by_role("link", name="Phường Vân Hà").click()
    expect(page.get_by_role("heading", name="Who holds a role here")).to_be_visible()
    expect(page.get_by_role("cell", name=demo_accounts["commune_officer"].email)).to_be_visible()
