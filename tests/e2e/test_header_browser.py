"""The header on a phone and on a desktop: every control a 44 px target, no sideways scroll, and the
reader's text size kept from page to page."""

import pytest
from playwright.sync_api import expect

from tests.portal.factories import UserFactory


def small_targets(page) -> list[str]:
    """The header's links and buttons smaller than 44 × 44 CSS pixels, named by their text."""
    return page.eval_on_selector_all(
        ".site-header a, .site-header button",
        """elements => elements
            .filter(element => element.offsetParent !== null)
            .map(element => [element.innerText.trim(), element.getBoundingClientRect()])
            .filter(([name, box]) => box.width < 44 || box.height < 44)
            .map(([name, box]) => `${name}: ${Math.round(box.width)}×${Math.round(box.height)}`)""",
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [360, 1366])
def test_every_header_control_is_a_44_pixel_target_and_nothing_scrolls_sideways(live_server, browser_page, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(live_server.url + "/")

    expect(page.get_by_role("group", name="Cỡ chữ")).to_be_visible()
    assert small_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_signed_in_citizens_menu_keeps_44_pixel_targets(live_server, browser_page, client):
    user = UserFactory()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])

    page.goto(live_server.url + "/")

    expect(page.get_by_role("link", name="Phản ánh, kiến nghị của tôi")).to_be_visible()
    assert small_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_text_size_chosen_is_kept_on_the_next_page(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")

    page.get_by_role("button", name="A++ lớn nhất").click()
    expect(page.get_by_role("button", name="A++ lớn nhất")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("link", name="Tra cứu phản ánh, kiến nghị").first.click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.textSize") == "130"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == pytest.approx(normal * 1.3, 0.02)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
