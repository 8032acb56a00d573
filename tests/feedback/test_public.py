"""The citizens' side of feedback: send it, keep the receipt, look it up, follow it, rate and dispute it."""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from feedback.forms.public import NEED_BOTH_COORDINATES, OUTSIDE_VIETNAM
from feedback.models import Feedback, Photo, Status
from feedback.services import (
    feedback_accept,
    feedback_close_unresolved,
    feedback_redact,
    feedback_resolve,
)
from feedback.services.common import action_url
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


def jpeg_with_gps(name: str = "den-duong.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[GPS_IFD] = {1: "N", 2: (21.0, 17.0, 0.0), 3: "E", 4: (106.0, 11.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(buffer, format="JPEG", exif=exif)
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
    [("21.2", "", NEED_BOTH_COORDINATES), ("106.1", "21.2", OUTSIDE_VIETNAM)],
)
def test_coordinates_come_in_pairs_and_inside_vietnam(client, commune, category, latitude, longitude, message):
    response = client.post(submit_url(commune), form_data(category, latitude=latitude, longitude=longitude))

    assert not Feedback.objects.exists()
    assert str(message) in response.context["form"].errors.as_text()
    assertContains(response, str(message))


def test_a_service_refusal_is_shown_on_the_form(client, commune, category):
    # The sixth item in an hour from one address is refused by the service.
    for number in range(5):
        client.post(submit_url(commune), form_data(category, submission_token=f"token-{number:02d}" + "x" * 20))

    response = client.post(submit_url(commune), form_data(category, submission_token="token-06" + "x" * 20))

    assert Feedback.objects.count() == 5
    assertContains(response, 'class="alert alert--error"')
    assert response.context["form"].non_field_errors()


def test_an_ended_commune_still_takes_feedback_but_points_to_its_successor(client):
    successor = CommuneFactory()
    ended = CommuneFactory(legacy=True)
    ended.successors.add(successor)
    category = CategoryFactory(province=ended.province)

    response = client.get(submit_url(ended))
    sent = client.post(submit_url(ended), form_data(category))

    assertContains(response, 'id="unit-ended"')
    assertContains(response, reverse("feedback:submit", kwargs={"pk": successor.pk}))
    assert sent.status_code == 302
    assert Feedback.objects.get().commune == ended


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
