"""The citizens' side of feedback: send it, keep the receipt, look it up, follow it, rate and dispute it."""

import datetime
import io
import os
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from communes.models import Commune
from core.uploads import clean_image
from feedback.forms.public import LOCATION_UNUSABLE, OUTSIDE_VIETNAM, TOO_MANY_WITH_KEPT
from feedback.models import Feedback, Photo, Status
from feedback.services import (
    feedback_accept,
    feedback_close_unresolved,
    feedback_redact,
    feedback_resolve,
    pending_key_read,
    pending_photos_expire,
    pending_photos_list,
)
from feedback.services.common import action_url
from feedback.services.pending_photos import PENDING_FOLDER, content_name
from feedback.services.submission import DESCRIPTION_MISSING, TITLE_MISSING
from feedback.views.public import LOOKUPS_PER_MINUTE, NOT_FOUND, TOO_MANY_LOOKUPS
from tests.communes.factories import CommuneFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
CONTACT = {
    "contact_name": "Lê Thị Kín Đáo",
    "contact_phone": "0912 345 678",
    "contact_email": "kin.dao@example.com",
}


def jpeg_with_gps(name: str = "den-duong.jpg", colour: str = "orange") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[GPS_IFD] = {1: "N", 2: (21.0, 17.0, 0.0), 3: "E", 4: (106.0, 11.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def category(commune):
    return CategoryFactory(province=commune.province, name="Môi trường", time_limit_days=5)


@pytest.fixture
def officer():
    return UserFactory()


def submit_url(commune) -> str:
    return reverse("feedback:submit", kwargs={"pk": commune.pk})


def form_data(category, **overrides) -> dict:
    return {
        "category": category.pk,
        "title": "Đèn đường hỏng ở thôn Trung",
        "description": "Ba cột đèn trước nhà văn hóa không sáng từ đầu tuần.",
        "address": "Trước nhà văn hóa thôn Trung",
        "latitude": "21.283456",
        "longitude": "106.194321",
        "consent": "on",
        "website": "",
        "submission_token": "tok-" + "a" * 30,
        **CONTACT,
        **overrides,
    }


def without_personal_data(category, **overrides) -> dict:
    """The form as an anonymous sender who gives no name, phone, e-mail or position fills it."""
    data = {**form_data(category), "latitude": "", "longitude": "", **dict.fromkeys(CONTACT, "")}
    del data["consent"]
    return {**data, **overrides}


def kept_key(response) -> str:
    return re.search(r'name="photos_key" value="([^"]+)"', response.content.decode()).group(1)


def kept_names(response) -> list[str]:
    return re.findall(r'name="photos_remove" value="([^"]+)"', response.content.decode())


def thumbnail_url(response, name: str) -> str:
    return reverse("feedback:pending_photo", kwargs={"key": kept_key(response), "name": name})


def track_url(feedback, **query) -> str:
    url = reverse("feedback:track", kwargs={"code": feedback.code})
    return f"{url}?key={query['key']}" if "key" in query else url


def resolved(commune, category, officer, **kwargs) -> Feedback:
    feedback = submitted(commune=commune, category=category, **kwargs)
    feedback_accept(feedback=feedback, by=officer)
    feedback_resolve(feedback=feedback, by=officer, answer="Đã thay bóng đèn.")
    return feedback


# --- Sending ------------------------------------------------------------------------------------


def test_the_form_offers_the_provinces_open_categories_and_explains_the_use_of_personal_data(client, commune, category):
    CategoryFactory(province=commune.province, name="Đã đóng", active=False)
    CategoryFactory(name="Tỉnh khác")

    response = client.get(submit_url(commune))

    assertContains(response, "Môi trường")
    assertNotContains(response, "Đã đóng")
    assertNotContains(response, "Tỉnh khác")
    html = response.content.decode()
    assert 'type="file" name="photos"' in html and "multiple" in html and 'accept="image/*"' in html
    assert re.search(r'<div class="feedback-trap" aria-hidden="true">.*?tabindex="-1"', html, re.DOTALL)
    assert 'aria-describedby="id_consent_helptext"' in html
    assert re.search(r'name="submission_token" value="[A-Za-z0-9_-]{30,}"', html)
    assert "style=" not in html
    assert re.search(r'<script src="[^"]*/js/feedback-form[.\w]*\.js" defer></script>', html)
    assert "<script>" not in html and " onclick=" not in html


def test_a_signed_in_citizens_name_and_address_are_filled_in(client, commune, category):
    user = UserFactory(full_name="Phạm Văn Đăng", email="dang@example.com")
    client.force_login(user)

    response = client.get(submit_url(commune))

    assertContains(response, 'value="Phạm Văn Đăng"')
    assertContains(response, 'value="dang@example.com"')


def test_submitting_makes_the_item_strips_the_photo_and_sends_to_the_receipt_without_the_key(client, commune, category):
    response = client.post(submit_url(commune), {**form_data(category), "photos": [jpeg_with_gps()]})

    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:receipt", kwargs={"code": feedback.code})
    assert feedback.contact_email == CONTACT["contact_email"]
    assert str(feedback.latitude) == "21.283456"
    assert feedback.language == "vi"
    stored = Photo.objects.get(feedback=feedback).image.read()
    assert b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert client.session["feedback_action_keys"] == {feedback.code: feedback.action_key}


def test_a_signed_in_citizen_is_the_submitter(client, commune, category):
    user = UserFactory()
    client.force_login(user)

    client.post(submit_url(commune), form_data(category))

    assert Feedback.objects.get().submitter == user


def test_posting_the_same_form_twice_makes_one_item(client, commune, category):
    first = client.post(submit_url(commune), form_data(category))
    second = client.post(submit_url(commune), form_data(category))

    assert Feedback.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_filled_honeypot_pretends_success_and_makes_nothing(client, commune, category):
    response = client.post(submit_url(commune), form_data(category, website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:commune_feedback", kwargs={"pk": commune.pk})
    assert not Feedback.objects.exists()


def test_without_consent_the_form_says_so_and_keeps_the_input(client, commune, category):
    data = form_data(category)
    del data["consent"]

    response = client.post(submit_url(commune), data)

    assert response.status_code == 200
    assert not Feedback.objects.exists()
    assertContains(response, 'id="id_consent_error"')
    assertContains(response, 'aria-invalid="true"')
    assertContains(response, 'value="Đèn đường hỏng ở thôn Trung"')


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [("21.2", "", LOCATION_UNUSABLE), ("abc", "106.1", LOCATION_UNUSABLE), ("106.1", "21.2", OUTSIDE_VIETNAM)],
)
def test_a_position_comes_as_a_pair_inside_vietnam_or_is_refused_on_the_place(
    client, commune, category, latitude, longitude, message
):
    response = client.post(submit_url(commune), form_data(category, latitude=latitude, longitude=longitude))

    assert not Feedback.objects.exists()
    assert response.context["form"].errors["latitude"] == [str(message)]
    assert "longitude" not in response.context["form"].errors
    html = response.content.decode()
    assert f'<a href="#feedback-location">Vị trí của Ông/Bà: {message}</a>' in html
    # The refused position is not sent again with the corrected form.
    assert '<input type="hidden" name="latitude" id="id_latitude" value="">' in html


# --- Consent only for personal data ----------------------------------------------------------------


def test_an_anonymous_sender_who_gives_no_personal_data_is_not_asked_for_consent(client, commune, category):
    response = client.post(submit_url(commune), without_personal_data(category))

    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert feedback.consent is False
    assert (feedback.contact_name, feedback.contact_email, feedback.latitude) == ("", "", None)


@pytest.mark.parametrize(
    "given",
    [
        {"contact_name": "Lê Thị Kín Đáo"},
        {"contact_phone": "0912 345 678"},
        {"contact_email": "kin.dao@example.com"},
        {"latitude": "21.283456", "longitude": "106.194321"},
    ],
)
def test_each_kind_of_personal_data_needs_consent(client, commune, category, given):
    response = client.post(submit_url(commune), without_personal_data(category, **given))

    assert not Feedback.objects.exists()
    html = response.content.decode()
    assert 'id="id_consent_error"' in html
    box = re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in box
    assert re.search(r'aria-describedby="[^"]*id_consent_error', box)
    assert '<a href="#id_consent">' in html


def test_a_signed_in_sender_is_asked_for_consent_even_without_contact_details(client, commune, category):
    client.force_login(UserFactory())

    page = client.get(submit_url(commune))
    refused = client.post(submit_url(commune), without_personal_data(category))
    sent = client.post(submit_url(commune), without_personal_data(category, consent="on"))

    assertContains(page, "data-consent-always")
    assertContains(refused, 'id="id_consent_error"')
    assert sent.status_code == 302
    assert Feedback.objects.get().consent is True


def test_without_javascript_the_consent_box_says_when_it_is_needed(client, commune, category):
    html = client.get(submit_url(commune)).content.decode()

    block = re.search(r'<fieldset[^>]*id="feedback-consent".*?</fieldset>', html, re.DOTALL).group(0)
    opening = block.split(">", 1)[0]
    assert "data-consent" in opening and "data-consent-always" not in opening
    assert "hidden" not in opening  # shown; the script hides it until personal data are given
    assert "Chỉ cần thiết nếu Ông/Bà cung cấp họ tên, số điện thoại, e-mail hoặc vị trí" in block


# --- The error summary -------------------------------------------------------------------------------


def test_the_error_summary_names_each_field_in_error_links_to_it_and_takes_the_focus(client, commune, category):
    response = client.post(submit_url(commune), form_data(category, title="", contact_email="khong-phai-email"))

    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert--error error-summary"[^>]*>.*?</div>', html, re.DOTALL).group(0)
    opening = summary.split(">", 1)[0]
    assert 'tabindex="-1"' in opening and "autofocus" in opening and 'role="alert"' in opening
    assert f'<a href="#id_title">Tiêu đề: {TITLE_MISSING}</a>' in summary
    assert '<a href="#id_contact_email">' in summary
    assert summary.index("#id_title") < summary.index("#id_contact_email")  # in the page's order
    title = re.search(r'<input type="text" name="title"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in title and 'aria-describedby="id_title_helptext id_title_error"' in title
    assert f'<ul class="errorlist" id="id_title_error"><li>{TITLE_MISSING}' in html


def test_the_error_summary_shows_a_services_refusal_and_names_the_fields(client, commune, category):
    for number in range(5):
        client.post(submit_url(commune), form_data(category, submission_token=f"token-{number:02d}" + "x" * 20))

    refused = client.post(submit_url(commune), form_data(category, submission_token="token-06" + "x" * 20))
    empty = client.post(submit_url(commune), form_data(category, description=""))

    assertContains(refused, 'class="alert alert--error error-summary"')
    assert refused.context["form"].non_field_errors()
    assertContains(empty, f'<a href="#id_description">Nội dung: {DESCRIPTION_MISSING}</a>', html=True)


# --- Photos kept across errors ---------------------------------------------------------------------


def test_a_photo_sent_with_an_error_is_kept_and_attached_without_choosing_it_again(
    client, commune, category, django_capture_on_commit_callbacks, settings
):
    first = client.post(submit_url(commune), {**form_data(category, title=""), "photos": [jpeg_with_gps()]})

    assert first.status_code == 200
    assert not Feedback.objects.exists()
    [name] = kept_names(first)
    assertContains(first, thumbnail_url(first, name))
    assertContains(first, "Đã đính kèm 1 ảnh: Ông/Bà không cần chọn lại.")
    thumbnail = client.get(thumbnail_url(first, name))
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert b"SecretCam" not in b"".join(thumbnail.streaming_content)  # kept cleaned, as an attached photo is

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(submit_url(commune), {**form_data(category), "photos_key": kept_key(first)})

    feedback = Feedback.objects.get()
    assert second["Location"] == reverse("feedback:receipt", kwargs={"code": feedback.code})
    stored = feedback.photos.get().image
    assert stored.name.startswith("private/feedback/")
    assert not Image.open(io.BytesIO(stored.read())).getexif()
    # Removed from where it was kept once the item was saved.
    token = pending_key_read(kept_key(first)).token
    assert not (settings.MEDIA_ROOT / PENDING_FOLDER / token).exists()
    assert client.get(thumbnail_url(first, name)).status_code == 404


def test_a_kept_photo_ticked_remove_is_not_attached(client, commune, category):
    first = client.post(
        submit_url(commune),
        {**form_data(category, title=""), "photos": [jpeg_with_gps("a.jpg", "red"), jpeg_with_gps("b.jpg", "blue")]},
    )
    names = kept_names(first)
    red = content_name(clean_image(jpeg_with_gps("a.jpg", "red")))  # a kept photo is named by its content

    client.post(submit_url(commune), {**form_data(category), "photos_key": kept_key(first), "photos_remove": [red]})

    stored = Feedback.objects.get().photos.get().image.read()
    assert len(names) == 2 and red in names
    assert Image.open(io.BytesIO(stored)).getpixel((5, 5))[2] > 200  # the blue one


def test_sending_again_twice_with_the_photo_chosen_again_makes_one_item_with_the_photo_once(client, commune, category):
    first = client.post(submit_url(commune), {**form_data(category, title=""), "photos": [jpeg_with_gps()]})
    again = {**form_data(category), "photos_key": kept_key(first)}

    client.post(submit_url(commune), {**again, "photos": [jpeg_with_gps()]})  # chosen again out of habit
    client.post(submit_url(commune), {**again, "photos": [jpeg_with_gps()]})  # a double click

    assert Feedback.objects.count() == 1
    assert Photo.objects.count() == 1


def test_a_kept_photo_is_shown_only_with_its_signed_key(client, commune, category):
    first = client.post(submit_url(commune), {**form_data(category, title=""), "photos": [jpeg_with_gps()]})
    other = client.post(
        submit_url(commune), {**form_data(category, title=""), "photos": [jpeg_with_gps("x.jpg", "red")]}
    )
    [name] = kept_names(first)
    key = kept_key(first)
    forged = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")

    shown = client.get(thumbnail_url(first, name))

    assert shown["Cache-Control"] == "private, max-age=600"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("feedback:pending_photo", kwargs={"key": forged, "name": name})).status_code == 404
    # Another form's key does not reach this form's photo.
    assert (
        client.get(reverse("feedback:pending_photo", kwargs={"key": kept_key(other), "name": name})).status_code == 404
    )


def test_a_file_that_is_no_photo_is_refused_on_the_field_at_once_and_not_kept(client, commune, category):
    fake = SimpleUploadedFile("anh.jpg", b"MZ not a picture", content_type="image/jpeg")

    response = client.post(submit_url(commune), {**form_data(category), "photos": [fake]})

    assert not Feedback.objects.exists()
    assert response.context["form"].errors["photos"]
    assert kept_names(response) == []
    assertContains(response, '<a href="#id_photos">')


def test_photos_kept_and_new_photos_together_are_at_most_three(client, commune, category):
    colours = ("red", "green", "blue")
    first = client.post(
        submit_url(commune),
        {**form_data(category, title=""), "photos": [jpeg_with_gps(f"{c}.jpg", c) for c in colours]},
    )

    response = client.post(
        submit_url(commune), {**form_data(category), "photos_key": kept_key(first), "photos": [jpeg_with_gps()]}
    )

    assert len(kept_names(first)) == 3
    assertContains(first, "Không thể thêm ảnh.")
    assert not Feedback.objects.exists()
    assert response.context["form"].errors["photos"] == [str(TOO_MANY_WITH_KEPT % {"count": 3, "kept": 3})]


def test_kept_photos_expire_after_a_day(client, commune, category, settings, monkeypatch):
    first = client.post(submit_url(commune), {**form_data(category, title=""), "photos": [jpeg_with_gps()]})
    pending = pending_key_read(kept_key(first))
    folder = settings.MEDIA_ROOT / PENDING_FOLDER / pending.token
    assert pending_photos_expire() == 0

    day_ago = time.time() - 24 * 3600 - 60
    for path in folder.iterdir():
        os.utime(path, (day_ago, day_ago))

    assert pending_photos_list(token=pending.token) == []  # no longer offered, even before the sweep
    assert pending_photos_expire() == 1
    assert not folder.exists()
    # And the key itself names nothing a day later.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 24 * 3600 + 60)
    assert pending_key_read(kept_key(first)) is None


# --- The place ------------------------------------------------------------------------------------


def test_the_place_is_said_in_words_with_a_location_button_and_hidden_coordinates(client, commune, category):
    html = client.get(submit_url(commune)).content.decode()

    assert '<input type="hidden" name="latitude" id="id_latitude">' in html
    assert '<input type="hidden" name="longitude" id="id_longitude">' in html
    assert "Gần cổng chợ Vân Hà, thôn Trung" in html
    assert re.search(r'<button type="button"[^>]*data-location-use hidden[^>]*>Dùng vị trí của tôi</button>', html)
    assert re.search(r'<p[^>]*id="feedback-location-status" role="status"', html)
    assert "Vĩ độ" not in html and "Kinh độ" not in html


def test_the_devices_position_reaches_the_officers_and_no_public_page(client, commune, category, officer):
    client.post(submit_url(commune), form_data(category, latitude="21.2834567", longitude="106.1943214"))
    feedback = Feedback.objects.get()
    feedback_accept(feedback=feedback, by=officer)
    stranger = client.__class__()

    assert (str(feedback.latitude), str(feedback.longitude)) == ("21.283457", "106.194321")
    pages = [
        track_url(feedback),
        reverse("feedback:receipt", kwargs={"code": feedback.code}),
        reverse("feedback:commune_feedback", kwargs={"pk": commune.pk}),
        commune.get_absolute_url(),
    ]
    for url in pages:
        for viewer in (client, stranger):
            html = viewer.get(url, follow=True).content.decode()
            for secret in ("21.283457", "21,283457", "106.194321", "106,194321"):
                assert secret not in html, (url, secret)


# --- Ended units --------------------------------------------------------------------------------------


def ended_with(*successors):
    ended = CommuneFactory(legacy=True, name="Quảng Minh")
    ended.successors.add(*successors)
    return ended


def test_the_form_of_an_ended_unit_leads_to_its_successors_form_in_one_step(client, commune, category):
    ended = ended_with(commune)

    response = client.get(submit_url(ended))
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == f"{submit_url(commune)}?from={ended.pk}"
    line = re.search(r'<p class="alert alert--notice" role="note" id="unit-takeover">(.*?)</p>', page.content.decode())
    assert line.group(1) == f"Xã Quảng Minh đã được sáp nhập vào {commune.official_name} từ 01/07/2025."
    assertContains(page, f'action="{submit_url(commune)}?from={ended.pk}"')
    assertContains(page, 'name="title"')
    assertNotContains(page, 'id="no-categories"')


def test_feedback_sent_after_the_redirect_goes_to_the_unit_of_today(client, commune, category):
    ended = ended_with(commune)

    stale = client.post(submit_url(ended), form_data(category))  # a form opened before the change
    sent = client.post(f"{submit_url(commune)}?from={ended.pk}", form_data(category))

    assert stale.status_code == 302 and stale["Location"].startswith(submit_url(commune))
    assert sent.status_code == 302
    assert Feedback.objects.get().commune == commune


def test_an_ended_unit_followed_through_two_reorganisations_leads_to_todays_unit(client, commune, category):
    middle = ended_with(commune)
    first = CommuneFactory(legacy=True)
    first.successors.add(middle)

    response = client.get(submit_url(first))

    assert response["Location"] == f"{submit_url(commune)}?from={first.pk}"


def test_a_divided_unit_offers_one_clear_choice_of_its_successors_forms(client, commune, category):
    other = CommuneFactory(province=commune.province, name="Vân Trung")
    ended = ended_with(commune, other)

    response = client.get(submit_url(ended))
    chosen = client.get(f"{submit_url(other)}?from={ended.pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="title"' not in html  # a choice, not a form
    assert f'href="{submit_url(commune)}?from={ended.pk}"' in html
    assert f'href="{submit_url(other)}?from={ended.pk}"' in html
    assertContains(chosen, "Xã Quảng Minh đã được chia tách từ 01/07/2025")


def test_an_ended_unit_without_a_known_successor_says_so_and_offers_the_search(client):
    ended = ended_with()

    response = client.get(submit_url(ended))

    assertContains(response, 'id="unit-no-successor"')
    assertContains(response, reverse("communes:commune_search"))
    assertNotContains(response, 'name="title"')


def test_a_from_that_is_not_a_predecessor_adds_no_line(client, commune, category):
    unrelated = CommuneFactory(legacy=True)

    for given in (str(unrelated.pk), str(commune.pk), "abc", "9" * 30):
        response = client.get(submit_url(commune), {"from": given})
        assertNotContains(response, 'id="unit-takeover"')


def test_an_ended_units_list_sends_new_feedback_straight_to_todays_unit(client, commune, category):
    ended = ended_with(commune)

    response = client.get(reverse("feedback:commune_feedback", kwargs={"pk": ended.pk}))

    assertContains(response, f'href="{submit_url(commune)}?from={ended.pk}"')
    assertContains(response, f"Xã Quảng Minh đã được sáp nhập vào {commune.official_name} từ 01/07/2025.")
    assertNotContains(response, f'href="{submit_url(ended)}"')


def test_quang_minh_leads_to_van_has_form_with_one_line_saying_why(client, real_units):
    quang_minh = Commune.objects.get(code="07792")
    van_ha = Commune.objects.current().get(code="07798")
    CategoryFactory(province=van_ha.province, name="Cơ sở hạ tầng, giao thông")

    response = client.get(submit_url(quang_minh), follow=True)

    assert response.redirect_chain == [(f"{submit_url(van_ha)}?from={quang_minh.pk}", 302)]
    assertContains(response, "Phường Quảng Minh đã được sáp nhập vào phường Vân Hà từ 01/07/2025.")
    assertContains(response, "<h1>Gửi phản ánh, kiến nghị đến phường Vân Hà</h1>", html=True)
    assertContains(response, "Cơ sở hạ tầng, giao thông")


# --- Wording -----------------------------------------------------------------------------------------


def test_the_feedback_pages_address_the_citizen_as_ong_ba_never_ban(client, commune, category, officer):
    feedback = resolved(commune, category, officer)
    client.get(track_url(feedback, key=feedback.action_key))
    pages = [
        client.get(submit_url(commune)),
        client.post(submit_url(commune), {**form_data(category, title=""), "photos": [jpeg_with_gps()]}),
        client.get(reverse("feedback:commune_feedback", kwargs={"pk": commune.pk})),
        client.get(reverse("feedback:lookup")),
        client.get(reverse("feedback:receipt", kwargs={"code": feedback.code})),
        client.get(track_url(feedback)),
    ]

    for response in pages:
        text = re.sub(r"<[^>]+>", " ", response.content.decode()).lower()
        assert not re.search(r"\bbạn\b", text), response.request["PATH_INFO"]
    assert "Ông/Bà" in pages[0].content.decode()
    assert "Phản ánh, kiến nghị" in pages[0].content.decode()


# --- Receipt and QR -------------------------------------------------------------------------------


def test_the_receipt_shows_the_code_the_qr_code_and_the_private_link_to_its_holder(client, commune, category):
    response = client.post(submit_url(commune), form_data(category), follow=True)
    feedback = Feedback.objects.get()
    printed = f"{feedback.code[:4]}-{feedback.code[4:]}"

    assertContains(response, printed)
    assertContains(response, reverse("feedback:qr", kwargs={"code": feedback.code}))
    assertContains(response, feedback.due_date.strftime("%d/%m/%Y"))
    assertContains(response, f"?key={feedback.action_key}")

    stranger = client.__class__().get(reverse("feedback:receipt", kwargs={"code": feedback.code}))
    assertContains(stranger, printed)
    assertNotContains(stranger, feedback.action_key)


def test_the_qr_code_is_an_svg_of_the_tracking_page(client, commune, category):
    feedback = submitted(commune=commune, category=category)

    response = client.get(reverse("feedback:qr", kwargs={"code": feedback.code}))

    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert client.get(reverse("feedback:qr", kwargs={"code": "ZZZZZZZZ"})).status_code == 404


# --- Looking up and following ------------------------------------------------------------------


def test_lookup_finds_a_code_typed_in_lower_case_with_a_space(client, commune, category):
    feedback = submitted(commune=commune, category=category)
    typed = f"{feedback.code[:4].lower()} {feedback.code[4:].lower()}"

    response = client.get(reverse("feedback:lookup"), {"code": typed})

    assert response.status_code == 302
    assert response["Location"] == track_url(feedback)


def test_lookup_of_an_unknown_code_says_so(client):
    response = client.get(reverse("feedback:lookup"), {"code": "ABCD-EFGH"})

    assertContains(response, str(NOT_FOUND))
    assertContains(response, 'id="id_code_error"')


def test_lookups_are_limited_per_address(client):
    for _ in range(LOOKUPS_PER_MINUTE):
        client.get(reverse("feedback:lookup"), {"code": "ABCD-EFGH"})

    response = client.get(reverse("feedback:lookup"), {"code": "ABCD-EFGH"})

    assert response.status_code == 429
    assertContains(response, str(TOO_MANY_LOOKUPS), status_code=429)


def test_a_dashed_or_lower_case_code_in_the_address_goes_to_the_stored_one(client, commune, category):
    feedback = submitted(commune=commune, category=category)
    dashed = f"{feedback.code[:4]}-{feedback.code[4:]}".lower()

    response = client.get(reverse("feedback:track", kwargs={"code": dashed}))

    assert response.status_code == 302
    assert response["Location"] == track_url(feedback)
    assert client.get(reverse("feedback:track", kwargs={"code": "zzzz-zzzz"}), follow=True).status_code == 404


def test_the_tracking_page_never_shows_contact_details_or_coordinates(client, commune, category, officer):
    feedback = submitted(
        commune=commune,
        category=category,
        address="Ngõ 3 thôn Trung",
        latitude="21.283456",
        longitude="106.194321",
        **CONTACT,
    )
    feedback_accept(feedback=feedback, by=officer)

    for viewer_url in (track_url(feedback), track_url(feedback, key=feedback.action_key)):
        html = client.get(viewer_url, follow=True).content.decode()
        assert "Ngõ 3 thôn Trung" in html
        for secret in (*CONTACT.values(), "0912345678", "21.283456", "21,283456", "106.194321", "106,194321"):
            assert secret not in html


def test_the_tracking_page_shows_the_redacted_title_not_the_original(client, commune, category, officer):
    feedback = submitted(commune=commune, category=category, title="Ông Trần Văn Bình đổ rác ra đường")
    feedback_redact(feedback=feedback, by=officer, public_title="Đổ rác ra đường", public_description="Có rác.")

    response = client.get(track_url(feedback))

    assertContains(response, "Đổ rác ra đường")
    assertNotContains(response, "Trần Văn Bình")


def test_the_tracking_page_shows_the_answer_status_and_timeline(client, commune, category, officer):
    feedback = resolved(commune, category, officer)

    response = client.get(track_url(feedback))

    assertContains(response, "Đã thay bóng đèn.")
    assertContains(response, 'class="timeline"')
    assertContains(response, feedback.due_date.strftime("%d/%m/%Y"))
    assertNotContains(response, 'id="rate-form"')


def test_hidden_photos_are_not_served_and_visible_ones_are(client, commune, category, officer):
    feedback = submitted(commune=commune, category=category, photos=[jpeg_with_gps("a.jpg"), jpeg_with_gps("b.jpg")])
    shown, hidden = Photo.objects.filter(feedback=feedback)
    feedback_redact(feedback=feedback, by=officer, public_title="", public_description="", hidden_photo_ids=[hidden.pk])
    feedback_accept(feedback=feedback, by=officer)  # photos are public once the item is accepted

    page = client.get(track_url(feedback))
    visible = client.get(reverse("feedback:photo", kwargs={"photo_pk": shown.pk}))

    assert visible.status_code == 200
    assert visible["Content-Type"] == "image/jpeg"
    assert client.get(reverse("feedback:photo", kwargs={"photo_pk": hidden.pk})).status_code == 404
    assertContains(page, reverse("feedback:photo", kwargs={"photo_pk": shown.pk}))
    assertNotContains(page, reverse("feedback:photo", kwargs={"photo_pk": hidden.pk}))


# --- Rating and disputing -------------------------------------------------------------------------


def rate_url(feedback) -> str:
    return reverse("feedback:rate", kwargs={"code": feedback.code})


def dispute_url(feedback) -> str:
    return reverse("feedback:dispute", kwargs={"code": feedback.code})


def test_someone_with_only_the_code_cannot_rate_but_the_key_holder_can(client, commune, category, officer):
    feedback = resolved(commune, category, officer)

    assertNotContains(client.get(track_url(feedback)), 'id="rate-form"')
    assert client.post(rate_url(feedback), {"rating": 1}).status_code == 403
    assert client.post(rate_url(feedback), {"rating": 1, "key": "not-the-key"}).status_code == 403
    assert client.post(rate_url(feedback), {"rating": 1, "key": feedback.action_key}).status_code == 403

    page = client.get(track_url(feedback, key=feedback.action_key), follow=True)
    response = client.post(rate_url(feedback), {"rating": 4})

    assertContains(page, 'id="rate-form"')
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.rating == 4


def test_the_private_link_is_remembered_by_the_browser(client, commune, category, officer):
    feedback = resolved(commune, category, officer)
    client.get(track_url(feedback, key=feedback.action_key))

    response = client.post(rate_url(feedback), {"rating": 5})

    assert response.status_code == 302
    assert response["Location"] == track_url(feedback)


def test_the_private_link_puts_the_key_in_the_session_and_redirects_to_an_address_without_it(
    client, commune, category, officer
):
    feedback = resolved(commune, category, officer)

    response = client.get(track_url(feedback, key=feedback.action_key))

    assert response.status_code == 302
    assert response["Location"] == track_url(feedback)
    assert feedback.action_key not in response["Location"]
    assert response["Cache-Control"] == "no-store"
    assert client.session["feedback_action_keys"] == {feedback.code: feedback.action_key}
    page = client.get(response["Location"])
    assertContains(page, 'id="rate-form"')
    assertNotContains(page, feedback.action_key)  # not in the forms either


def test_the_actions_work_from_the_session_after_the_private_link(client, commune, category, officer):
    feedback = resolved(commune, category, officer)
    client.get(track_url(feedback, key=feedback.action_key))

    rated = client.post(rate_url(feedback), {"rating": 4})
    disputed = client.post(dispute_url(feedback), {"reason": "Vẫn hỏng."})

    assert rated["Location"] == disputed["Location"] == track_url(feedback)
    feedback.refresh_from_db()
    assert (feedback.rating, feedback.disputes) == (4, 1)


def test_a_wrong_key_in_the_link_is_dropped_and_gives_nothing(client, commune, category, officer):
    feedback = resolved(commune, category, officer)

    response = client.get(track_url(feedback, key="not-the-key"))

    assert response["Location"] == track_url(feedback)
    assert "feedback_action_keys" not in client.session
    assert client.post(rate_url(feedback), {"rating": 1}).status_code == 403


def test_the_receipt_link_with_the_key_is_redirected_without_it(client, commune, category):
    feedback = submitted(commune=commune, category=category)
    receipt = reverse("feedback:receipt", kwargs={"code": feedback.code})

    response = client.get(f"{receipt}?key={feedback.action_key}")

    assert response["Location"] == receipt
    assertContains(client.get(receipt), f"?key={feedback.action_key}")  # the link to keep, shown to its holder


def test_the_e_mailed_link_works_in_a_new_browser(client, commune, category, officer):
    feedback = resolved(commune, category, officer)
    link = action_url(feedback)

    page = client.get(urlsplit(link).path + "?" + urlsplit(link).query, follow=True)

    assert page.redirect_chain == [(track_url(feedback), 302)]
    assertContains(page, 'id="rate-form"')


def test_the_browser_that_submitted_and_the_signed_in_submitter_may_rate(client, commune, category, officer):
    client.post(submit_url(commune), form_data(category))
    feedback = Feedback.objects.get()
    feedback_accept(feedback=feedback, by=officer)
    feedback_close_unresolved(feedback=feedback, by=officer, reason="Ngoài thẩm quyền.")
    user = UserFactory()
    own = resolved(commune, category, officer, submitter=user)
    signed_in = client.__class__()
    signed_in.force_login(user)

    assert client.post(rate_url(feedback), {"rating": 2}).status_code == 302
    assert signed_in.post(rate_url(own), {"rating": 3}).status_code == 302
    assert signed_in.post(rate_url(feedback), {"rating": 3}).status_code == 403
    assert Feedback.objects.get(pk=feedback.pk).rating == 2
    assert Feedback.objects.get(pk=own.pk).rating == 3


def test_rating_an_open_item_is_refused_with_a_message(client, commune, category):
    feedback = submitted(commune=commune, category=category)
    client.get(track_url(feedback, key=feedback.action_key))

    response = client.post(rate_url(feedback), {"rating": 5}, follow=True)

    assert Feedback.objects.get(pk=feedback.pk).rating is None
    assert [str(message) for message in response.context["messages"]]


def test_an_invalid_rating_is_shown_on_the_form(client, commune, category, officer):
    feedback = resolved(commune, category, officer)
    client.get(track_url(feedback, key=feedback.action_key))

    response = client.post(rate_url(feedback), {"rating": 9})

    assert response.status_code == 200
    assertContains(response, 'id="id_rating_error"')


def test_rate_and_dispute_take_only_posts(client, commune, category, officer):
    feedback = resolved(commune, category, officer)

    assert client.get(rate_url(feedback)).status_code == 405
    assert client.get(dispute_url(feedback)).status_code == 405


def test_the_submitter_may_dispute_within_the_window_only(client, commune, category, officer, monkeypatch):
    feedback = resolved(commune, category, officer)
    answered_at = Feedback.objects.get(pk=feedback.pk).answered_at
    client.get(track_url(feedback, key=feedback.action_key))
    mine = track_url(feedback)

    stranger = client.__class__()
    assert stranger.post(dispute_url(feedback), {"reason": "Vẫn hỏng."}).status_code == 403
    assertContains(client.get(mine), 'id="dispute-form"')

    later = answered_at + datetime.timedelta(days=7, hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assertNotContains(client.get(mine), 'id="dispute-form"')
    late = client.post(dispute_url(feedback), {"reason": "Vẫn hỏng."}, follow=True)
    assert Feedback.objects.get(pk=feedback.pk).disputes == 0
    assert [str(message) for message in late.context["messages"]]

    monkeypatch.setattr(timezone, "now", lambda: answered_at + datetime.timedelta(days=6))
    response = client.post(dispute_url(feedback), {"reason": "Vẫn hỏng."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.disputes, feedback.status) == (1, Status.IN_PROGRESS)
    assertContains(client.get(track_url(feedback)), "Vẫn hỏng.")


# --- A commune's list and the commune page --------------------------------------------------------


def test_the_commune_list_shows_figures_rows_and_filters(client, commune, category, officer):
    done = resolved(commune, category, officer)
    waiting = submitted(commune=commune, category=category, title="Ổ gà trên tỉnh lộ")
    other = CategoryFactory(province=commune.province, name="Giao thông")

    response = client.get(reverse("feedback:commune_feedback", kwargs={"pk": commune.pk}))
    only_resolved = client.get(
        reverse("feedback:commune_feedback", kwargs={"pk": commune.pk}), {"status": Status.RESOLVED}
    )
    empty_category = client.get(reverse("feedback:commune_feedback", kwargs={"pk": commune.pk}), {"category": other.pk})

    assertContains(response, 'class="figures"')
    assertContains(response, f'id="feedback-{done.code}"')
    assertContains(response, f'id="feedback-{waiting.code}"')
    assertNotContains(only_resolved, f'id="feedback-{waiting.code}"')
    assertContains(empty_category, 'id="no-feedback"')
    assertNotContains(response, "Nguyễn Văn An")  # the factory's contact name


def test_the_commune_list_costs_the_same_queries_for_two_rows_as_for_twenty_five(
    client, commune, category, django_assert_max_num_queries, django_assert_num_queries
):
    for _ in range(2):
        submitted(commune=commune, category=category)
    url = reverse("feedback:commune_feedback", kwargs={"pk": commune.pk})

    with django_assert_max_num_queries(8) as two:
        client.get(url)
    for _ in range(23):
        submitted(commune=commune, category=category)
    with django_assert_num_queries(len(two)):
        response = client.get(url)

    assert response.content.decode().count('id="feedback-') == 20
    assertContains(response, 'rel="next"')


def test_the_commune_page_has_a_feedback_panel_for_one_or_two_more_queries(
    client, commune, category, django_assert_max_num_queries
):
    submitted(commune=commune, category=category)

    with django_assert_max_num_queries(20) as captured:
        response = client.get(commune.get_absolute_url())

    html = response.content.decode()
    panel = re.search(r'<section class="panel" id="feedback".*?</section>', html, re.DOTALL).group(0)
    assert reverse("feedback:commune_feedback", kwargs={"pk": commune.pk}) in panel
    assert reverse("feedback:submit", kwargs={"pk": commune.pk}) in panel
    assert 'class="figures"' in panel
    # PostgreSQL takes the median in the same aggregate; SQLite has no median aggregate.
    expected = 1 if connection.vendor == "postgresql" else 2
    assert sum("feedback_feedback" in query["sql"] for query in captured.captured_queries) == expected


def test_the_pages_speak_english_under_en(client, commune, category):
    feedback = submitted(commune=commune, category=category)

    with translation.override("en"):
        response = client.get(reverse("feedback:track", kwargs={"code": feedback.code}))

    assertContains(response, "What has happened so far")
