"""The feedback form on a 360 px phone: a citizen sends a phản ánh with a photo and one mistake, fixes the
mistake without choosing the photo again, and finds the photo on the item's tracking page; the
device's position is added with one button; and a unit that ended leads to today's form in one step."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from communes.models import Commune
from feedback.models import Category, Feedback
from feedback.services import feedback_accept
from tests.portal.factories import UserFactory


@pytest.fixture
def van_ha(real_units):
    """Today's phường Vân Hà (Bắc Ninh), with one category open for feedback."""
    commune = Commune.objects.current().get(code="07798")
    Category.objects.get_or_create(
        province=commune.province, name="Cơ sở hạ tầng, giao thông", defaults={"time_limit_days": 15}
    )
    return commune


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "cong-cho.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "gray").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def wait_until_loaded(page, image) -> None:
    # An image loads after the page: wait for it (a loaded image has a width), do not sample it once.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10_000)


def form_url(live_server, commune) -> str:
    return live_server.url + reverse("feedback:submit", kwargs={"pk": commune.pk})


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_photo_sent_with_a_mistake_is_kept_and_reaches_the_tracking_page(
    live_server, van_ha, browser_page, photo_file
):
    page = browser_page
    page.goto(form_url(live_server, van_ha))
    page.locator("select[name=category]").select_option(label="Cơ sở hạ tầng, giao thông")
    page.locator("input[name=title]").fill("Ổ gà lớn trước cổng chợ")
    # The description is forgotten: the one mistake.
    page.locator("input[name=address]").fill("Gần cổng chợ Vân Hà, thôn Trung")
    page.locator("input[type=file][name=photos]").set_input_files(str(photo_file))
    consent = page.locator("#feedback-consent")
    expect(consent).to_be_hidden()  # no personal data given yet: no consent asked
    page.locator("input[name=contact_email]").fill("nguoi.gui@example.com")
    expect(consent).to_be_visible()
    page.locator("input[name=consent]").check()
    page.locator("main form button[type=submit]").last.click()

    # The form comes back: the summary has the focus and names the field; the photo is attached.
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile("^Nội dung: "))
    expect(link).to_have_attribute("href", "#id_description")
    expect(page.locator("#id_description")).to_have_attribute("aria-invalid", "true")
    thumbnail = page.locator(".feedback-kept img")
    expect(thumbnail).to_have_count(1)
    wait_until_loaded(page, thumbnail)
    assert not Feedback.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll

    link.click()
    expect(page.locator("#id_description")).to_be_focused()
    page.locator("#id_description").fill("Ổ gà sâu khoảng 20 cm, xe máy dễ ngã khi trời tối.")
    page.locator("main form button[type=submit]").last.click()  # the photo is not chosen again

    expect(page).to_have_url(re.compile(r"/feedback/[A-Z0-9]+/receipt/"))
    feedback = Feedback.objects.get()
    assert feedback.photos.count() == 1
    assert feedback.consent is True

    # Once the commune accepts the item, its tracking page shows the photo.
    feedback_accept(feedback=feedback, by=UserFactory(full_name="Cán bộ phường"))
    page.goto(live_server.url + feedback.get_absolute_url())
    photos = page.locator(".feedback-photos img")
    expect(photos).to_have_count(1)
    wait_until_loaded(page, photos)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_use_my_location_adds_the_position_and_can_take_it_out(live_server, van_ha, browser_page):
    page = browser_page
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 21.2745123, "longitude": 106.0861234})
    page.goto(form_url(live_server, van_ha))
    use = page.get_by_role("button", name="Dùng vị trí của tôi")
    remove = page.get_by_role("button", name="Bỏ vị trí")
    status = page.locator("#feedback-location-status")

    use.click()
    expect(status).to_have_text("Đã thêm vị trí.")
    expect(remove).to_be_focused()
    expect(page.locator("#feedback-consent")).to_be_visible()  # a position is personal data
    remove.click()
    expect(status).to_have_text("Đã bỏ vị trí.")
    expect(page.locator("input[name=latitude]")).to_have_value("")
    expect(page.locator("#feedback-consent")).to_be_hidden()
    use.click()
    expect(status).to_have_text("Đã thêm vị trí.")

    page.locator("select[name=category]").select_option(label="Cơ sở hạ tầng, giao thông")
    page.locator("input[name=title]").fill("Cột đèn đổ")
    page.locator("#id_description").fill("Cột đèn đổ chắn nửa lòng đường.")
    page.locator("input[name=consent]").check()
    page.locator("main form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(r"/feedback/[A-Z0-9]+/receipt/"))
    feedback = Feedback.objects.get()
    assert (str(feedback.latitude), str(feedback.longitude)) == ("21.274512", "106.086123")
    assert "21.2745" not in page.content()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_from_quang_minh_one_tap_reaches_van_has_form(live_server, van_ha, browser_page):
    quang_minh = Commune.objects.get(code="07792")
    page = browser_page
    page.goto(live_server.url + reverse("feedback:commune_feedback", kwargs={"pk": quang_minh.pk}))

    page.get_by_role("link", name="Gửi phản ánh, kiến nghị đến phường Vân Hà").click()

    expect(page).to_have_url(re.compile(rf"{reverse('feedback:submit', kwargs={'pk': van_ha.pk})}\?from="))
    expect(page.locator("#unit-takeover")).to_have_text(
        "Phường Quảng Minh đã được sáp nhập vào phường Vân Hà từ 01/07/2025."
    )
    expect(page.locator("select[name=category]")).to_be_visible()

    # An old link to Quảng Minh's own form lands on the same page.
    page.goto(form_url(live_server, quang_minh))
    expect(page.locator("h1")).to_have_text("Gửi phản ánh, kiến nghị đến phường Vân Hà")
    expect(page.locator("#unit-takeover")).to_be_visible()
