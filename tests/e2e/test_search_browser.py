"""The commune search box on a 360 px phone in Debian's Chromium: suggestions as one types, chosen with
the keyboard, and the plain form without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from communes.models import Commune


def _option_named(page, name: str):
    return (
        page.get_by_role("listbox")
        .get_by_role("option")
        .filter(has=page.locator(".search-suggest__name", has_text=re.compile(f"^{name}$")))
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_citizen_types_xa_quang_minh_on_the_home_page_and_picks_it_with_the_keyboard(
    live_server, real_units, browser_page
):
    quang_minh = Commune.objects.get(code="07792")
    page = browser_page
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Tìm xã, phường, thị trấn theo tên")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("xã quảng minh", delay=30)

    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    wanted = _option_named(page, "Phường Quảng Minh")
    expect(wanted).to_contain_text("Đã sáp nhập vào phường Vân Hà")
    # Today's ward that took it over is offered too, and says why.
    expect(_option_named(page, "Phường Vân Hà")).to_contain_text("phường Quảng Minh (thị xã Việt Yên)")
    first = listbox.get_by_role("option").first
    expect(page.get_by_role("status").filter(has_text="đơn vị phù hợp")).to_contain_text(
        f"Có {listbox.get_by_role('option').count()} đơn vị phù hợp"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Escape closes the list and keeps what was typed; Down opens it again on the first option.
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("xã quảng minh")
    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")

    # Down until the option of phường Quảng Minh is the active one, then Enter opens its page.
    target = wanted.get_attribute("id")
    for _ in range(listbox.get_by_role("option").count()):
        if box.get_attribute("aria-activedescendant") == target:
            break
        box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", target)
    expect(wanted).to_have_attribute("aria-selected", "true")
    expect(box).to_be_focused()
    box.press("Enter")

    expect(page).to_have_url(live_server.url + quang_minh.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phường Quảng Minh")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_search_box_submits_to_the_results_page(live_server, real_units, browser_page):
    context = browser_page.context.browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 780}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    box = page.get_by_label("Tìm xã, phường, thị trấn theo tên")
    expect(box).not_to_have_attribute("role", "combobox")

    box.fill("UBND xã Quảng Minh")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/communes/\?q=UBND"))
    results = page.locator(".result-list")
    expect(results.get_by_role("link", name="Phường Quảng Minh", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Phường Vân Hà", exact=True)).to_be_visible()
    context.close()
