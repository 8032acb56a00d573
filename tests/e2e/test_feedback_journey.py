"""Feedback in a real browser: a citizen sends a phản ánh with a photo and gets its code; the commune's
officer accepts and answers it; the citizen follows the timeline and rates the answer."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from communes.models import Commune
from feedback.models import Category, Feedback, Status
from tests.conftest import DEMO_PASSWORD


@pytest.fixture
def van_ha(demo_accounts):
    """Today's phường Vân Hà, whose officer is the demo commune officer."""
    commune = Commune.objects.current().get(code="07798")
    Category.objects.get_or_create(
        province=commune.province, name="Cơ sở hạ tầng, giao thông", defaults={"time_limit_days": 15}
    )
    return commune


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "o-ga.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "gray").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_citizen_submits_with_a_photo_officer_answers_citizen_follows_and_rates(
    live_server, van_ha, demo_accounts, browser_page, photo_file
):
    page = browser_page
    page.goto(live_server.url + reverse("feedback:submit", kwargs={"pk": van_ha.pk}))
    page.locator("select[name=category]").select_option(label="Cơ sở hạ tầng, giao thông")
    page.locator("input[name=title]").fill("Ổ gà lớn trên đường vào chợ")
    page.locator("textarea[name=description]").fill("Ổ gà sâu khoảng 20 cm trước cổng chợ, rất nguy hiểm khi trời tối.")
    page.locator("input[name=address]").fill("Cổng chợ Vân Hà")
    page.locator("input[type=file][name=photos]").set_input_files(str(photo_file))
    page.locator("input[name=contact_email]").fill("nguoi.gui@example.com")
    page.locator("input[name=consent]").check()
    page.locator("main form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(r"/feedback/[A-Z0-9]+/receipt/"))
    feedback = Feedback.objects.get()
    expect(page.locator("main")).to_contain_text(f"{feedback.code[:4]}-{feedback.code[4:]}")
    qr = page.locator("img[src$='qr.svg']")
    expect(qr).to_be_visible()
    # The image loads after the page: wait for it (a loaded SVG has a width), do not sample it once.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle(), timeout=10_000)
    assert feedback.photos.count() == 1
    receipt_url = page.url

    # The commune's officer works the item in another browser context.
    officer = page.context.browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    officer.goto(live_server.url + reverse("account_login"))
    officer.locator("#id_login").fill(demo_accounts["commune_officer"].email)
    officer.locator("#id_password").fill(DEMO_PASSWORD)
    officer.locator("main button[type=submit]").click()
    expect(officer).to_have_url(re.compile(r"/workspace/$"))
    detail = live_server.url + reverse("feedback:detail", kwargs={"code": feedback.code})
    officer.goto(detail)
    expect(officer.locator("main")).to_contain_text("nguoi.gui@example.com")
    officer.locator("form[action$='/accept/'] button[type=submit]").click()
    officer.locator("form[action$='/resolve/'] textarea[name=answer]").fill(
        "UBND phường đã bố trí lấp ổ gà ngày 20/11; đề nghị người dân đi lại cẩn thận trong thời gian thi công."
    )
    officer.locator("form[action$='/resolve/'] button[type=submit]").click()
    expect(officer.locator("main ul.messages")).to_be_visible()
    feedback.refresh_from_db()
    assert feedback.status == Status.RESOLVED

    # Back in the citizen's browser: the timeline and the answer, then a rating.
    page.goto(receipt_url)
    page.goto(live_server.url + feedback.get_absolute_url())
    expect(page.locator("main")).to_contain_text("lấp ổ gà")
    assert "nguoi.gui@example.com" not in page.content()
    page.locator("form[action$='/rate/'] input[name=rating][value='5']").check()
    page.locator("form[action$='/rate/'] button[type=submit]").click()
    feedback.refresh_from_db()
    assert feedback.rating == 5
