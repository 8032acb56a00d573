"""The feedback API: what the public pages show and do, the citizen's own items, the back-office's queue
and item, under the pages' rules; personal data never in a public answer; lists at a constant cost."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import Role
from feedback.models import Feedback, Status
from feedback.services import feedback_accept, feedback_redact, feedback_resolve
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: mails sent in the test
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
CONTACT = {"contact_name": "Lê Thị Kín Đáo", "contact_phone": "0912345678", "contact_email": "kin.dao@example.com"}
PERSONAL = ["Kín Đáo", "0912345678", "kin.dao@example.com", "21.28", "106.19"]


@pytest.fixture(autouse=True)
def mail_and_media(settings, tmp_path):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def commune():
    province = ProvinceFactory()
    return CommuneFactory(province=province, district=DistrictFactory(province=province))


@pytest.fixture
def category(commune):
    return CategoryFactory(province=commune.province, name="Môi trường", time_limit_days=5)


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def item(commune, category, **kwargs) -> Feedback:
    values = {**CONTACT, "latitude": "21.283456", "longitude": "106.194321", "address": "Cổng chợ Vân Hà", **kwargs}
    return submitted(commune=commune, category=category, **values)


def body(commune, category, **overrides) -> dict:
    return {
        "commune": commune.pk,
        "category": category.pk,
        "title": "Đèn đường hỏng ở thôn Trung",
        "description": "Ba cột đèn trước nhà văn hóa không sáng từ đầu tuần.",
        "address": "Trước nhà văn hóa thôn Trung",
        "consent": True,
        **CONTACT,
        **overrides,
    }


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(buffer, format="JPEG")
    return SimpleUploadedFile("den.jpg", buffer.getvalue(), content_type="image/jpeg")


def url(name: str, **kwargs) -> str:
    return reverse(f"api:feedback:{name}", kwargs=kwargs)


# --- Categories and the public list -------------------------------------------------------------------


def test_a_provinces_categories_are_its_open_ones_with_their_time_limits(
    commune, category, django_assert_max_num_queries
):
    path = url("province-feedback-categories", pk=commune.province_id)
    with django_assert_max_num_queries(2):
        one = api().get(path)
    CategoryFactory(province=commune.province, name="Đã đóng", active=False)
    CategoryFactory(province=commune.province, name="Xây dựng", time_limit_days=10)
    CategoryFactory(name="Tỉnh khác")
    with django_assert_max_num_queries(2):
        many = api().get(path)
    unknown = api().get(url("province-feedback-categories", pk=0))

    assert one.status_code == 200
    assert one.json() == [{"id": category.pk, "name": "Môi trường", "time_limit_days": 5}]
    assert [row["name"] for row in many.json()] == ["Môi trường", "Xây dựng"]
    assert unknown.status_code == 404


def test_the_public_list_shows_what_the_page_shows_filtered_and_no_personal_data(
    commune, category, officer, django_assert_max_num_queries
):
    first = item(commune, category)
    feedback_redact(feedback=first, by=officer, public_title="Đèn đường hỏng", public_description="")
    path = f"{url('feedback-list')}?commune={commune.pk}"
    with django_assert_max_num_queries(3):
        one = api().get(path)
    for _ in range(5):
        item(commune, category)
    feedback_accept(feedback=first, by=officer)
    item(CommuneFactory(province=commune.province), category)  # another commune's
    with django_assert_max_num_queries(3):
        many = api().get(path)
    accepted = api().get(f"{path}&status=accepted")
    wrong = api().get(f"{path}&status=lost")

    assert one.json()["count"] == 1 and many.json()["count"] == 6
    assert accepted.json()["count"] == 1
    row = accepted.json()["results"][0]
    assert row["code"] == first.code and row["title"] == "Đèn đường hỏng"  # the public version
    assert row["status_label"] == "accepted" and row["is_overdue"] is False
    assert set(row) == {
        "code",
        "title",
        "commune_id",
        "category_name",
        "status",
        "status_label",
        "is_overdue",
        "submitted_at",
        "due_date",
        "page_url",
    }
    assert not any(secret in many.content.decode() for secret in [*PERSONAL, first.action_key])
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid" and list(wrong.json()["fields"]) == ["status"]


# --- One item -------------------------------------------------------------------------------------


def test_the_public_detail_takes_the_code_as_typed_and_shows_photos_once_accepted(commune, category, officer):
    feedback = item(commune, category, photos=[jpeg()])
    typed = f"{feedback.code[:4].lower()}-{feedback.code[4:].lower()}"

    received = api().get(url("feedback-detail", code=typed))
    feedback_accept(feedback=feedback, by=officer)
    accepted = api().get(url("feedback-detail", code=feedback.code))
    missing = api().get(url("feedback-detail", code="2222-2222"))

    assert received.status_code == 200 and received.json()["code"] == feedback.code
    assert received.json()["photos"] == []
    photo = feedback.photos.get()
    assert accepted.json()["photos"] == [{"id": photo.pk, "url": reverse("feedback:photo", args=[photo.pk])}]
    assert [step["kind"] for step in accepted.json()["timeline"]] == ["submitted", "status"]
    assert accepted.json()["timeline"][0]["actor"] == "the citizen"
    assert accepted.json()["address"] == "Cổng chợ Vân Hà" and accepted.json()["due_date"]
    text = accepted.content.decode()
    assert not any(secret in text for secret in [*PERSONAL, feedback.action_key, "action_key"])
    assert missing.status_code == 404 and missing.json()["code"] == "not-found"


# --- Sending ----------------------------------------------------------------------------------------


def test_sending_answers_the_receipt_with_the_action_key_and_a_replay_makes_one_item(commune, category):
    client = api()
    path = url("feedback-list")

    first = client.post(path, body(commune, category), format="json", HTTP_IDEMPOTENCY_KEY="phone-1")
    again = client.post(path, body(commune, category), format="json", HTTP_IDEMPOTENCY_KEY="phone-1")
    other = client.post(path, body(commune, category, title="Khác"), format="json", HTTP_IDEMPOTENCY_KEY="phone-1")

    assert first.status_code == again.status_code == 201
    feedback = Feedback.objects.get()
    receipt = first.json()
    assert receipt["code"] == feedback.code and receipt["action_key"] == feedback.action_key
    assert receipt["status"] == "received" and receipt["due_date"] == feedback.due_date.isoformat()
    assert receipt["tracking_url"].endswith(reverse("feedback:track", kwargs={"code": feedback.code}))
    assert first["Location"] == receipt["url"] == f"http://testserver{url('feedback-detail', code=feedback.code)}"
    assert again.json() == receipt and again["Idempotent-Replayed"] == "true"
    assert other.status_code == 409 and other.json()["code"] == "idempotency-key-reused"
    assert feedback.contact_name == "Lê Thị Kín Đáo" and feedback.consent and feedback.language == "en"


def test_photos_come_as_multipart_and_are_stored_without_their_metadata(commune, category):
    data = {**body(commune, category), "photos": [jpeg(), jpeg()], "latitude": "21.283456", "longitude": "106.194321"}

    response = api().post(url("feedback-list"), data, format="multipart")

    assert response.status_code == 201, response.json()
    feedback = Feedback.objects.get()
    assert feedback.photos.count() == 2
    assert str(feedback.latitude) == "21.283456"


def test_the_services_refusals_and_an_ended_unit_answer_400_with_the_message(commune, category):
    client = api()
    no_consent = client.post(url("feedback-list"), body(commune, category, consent=False), format="json")
    outside = client.post(url("feedback-list"), body(commune, category, latitude=48.85, longitude=2.35), format="json")
    ended = CommuneFactory(legacy=True, name="Quảng Minh")
    ended.successors.add(commune)
    to_ended = client.post(url("feedback-list"), body(ended, category), format="json")
    anonymous_without_data = client.post(
        url("feedback-list"), body(commune, category, consent=False, **dict.fromkeys(CONTACT, "")), format="json"
    )

    assert no_consent.status_code == 400
    assert no_consent.json() == {
        "code": "refused",
        "message": "Please agree to the use of your personal data to send your feedback.",
    }
    assert outside.status_code == 400 and list(outside.json()["fields"]) == ["latitude"]
    assert to_ended.status_code == 400 and to_ended.json()["code"] == "unit-ended"
    assert to_ended.json()["message"] == (
        f"Xã Quảng Minh no longer exists. Send the feedback to the unit that took it over: {commune.official_name}."
    )
    assert anonymous_without_data.status_code == 201
    assert Feedback.objects.get().commune == commune


# --- Rating and disputing ---------------------------------------------------------------------------


def test_rating_and_disputing_need_the_action_key_or_the_signed_in_submitter(commune, category, officer):
    citizen = UserFactory()
    feedback = item(commune, category, submitter=citizen)
    feedback_accept(feedback=feedback, by=officer)
    feedback_resolve(feedback=feedback, by=officer, answer="Đã thay bóng đèn.")

    without = api().post(url("feedback-rating", code=feedback.code), {"rating": 5}, format="json")
    wrong = api().post(url("feedback-rating", code=feedback.code), {"action_key": "x", "rating": 5}, format="json")
    keyed = {"action_key": feedback.action_key, "rating": 2, "comment": "Chậm"}
    rated = api().post(url("feedback-rating", code=feedback.code), keyed, format="json")
    bad = api().post(url("feedback-rating", code=feedback.code), {**keyed, "rating": 9}, format="json")
    disputed = api(citizen).post(url("feedback-dispute", code=feedback.code), {"reason": "Vẫn tối."}, format="json")

    assert without.status_code == wrong.status_code == 403
    assert wrong.json()["code"] == "forbidden"
    assert rated.status_code == 200 and rated.json()["rating"] == 2
    assert bad.status_code == 400 and bad.json()["fields"] == {"rating": ["Please choose a rating from 1 to 5 stars."]}
    assert disputed.status_code == 200 and disputed.json()["status"] == Status.IN_PROGRESS
    assert disputed.json()["timeline"][-1]["public_text"] == "Vẫn tối."


def test_my_feedback_is_the_signed_in_citizens_own(commune, category, django_assert_max_num_queries):
    citizen = UserFactory()
    mine = item(commune, category, submitter=citizen)
    item(commune, category)
    client = api(citizen)
    with django_assert_max_num_queries(4):
        one = client.get(url("feedback-mine"))
    for _ in range(4):
        elsewhere = CommuneFactory()
        item(elsewhere, CategoryFactory(province=elsewhere.province), submitter=citizen)
    with django_assert_max_num_queries(4):
        many = client.get(url("feedback-mine"))
    anonymous = api().get(url("feedback-mine"))

    assert [row["code"] for row in one.json()["results"]] == [mine.code]
    assert many.json()["count"] == 5
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not-authenticated"


# --- The staff side -----------------------------------------------------------------------------------


def test_the_queue_is_the_back_offices_with_its_filters_for_those_who_follow_the_commune(
    commune, category, officer, django_assert_max_num_queries
):
    first = item(commune, category)
    client = api(officer)
    path = url("commune-feedback-queue", pk=commune.pk)
    filtered = f"{path}?status=open&category={category.pk}"
    with django_assert_max_num_queries(9):
        one = client.get(filtered)
    for _ in range(4):
        item(commune, category)
    feedback_accept(feedback=first, by=officer)
    with django_assert_max_num_queries(9):
        many = client.get(filtered)
    accepted = client.get(f"{path}?status=accepted&q={first.code[:5]}")
    reviewer = api(user_with_role(Role.DISTRICT_REVIEWER, commune.district)).get(path)
    elsewhere = api(user_with_role(Role.COMMUNE_OFFICER, CommuneFactory())).get(path)

    assert one.json()["count"] == 1 and many.json()["count"] == 5
    assert [row["code"] for row in accepted.json()["results"]] == [first.code]
    assert accepted.json()["results"][0]["url"] == url("feedback-staff", code=first.code)
    assert reviewer.status_code == 200 and reviewer.json()["count"] == 5
    assert elsewhere.status_code == 403


def test_the_staff_item_shows_the_contact_to_the_communes_officers_only(commune, category, officer):
    citizen = UserFactory(full_name="Trần Văn Công Dân")
    feedback = item(commune, category, submitter=citizen, photos=[jpeg()])
    feedback_redact(
        feedback=feedback,
        by=officer,
        public_title="Đèn hỏng",
        public_description="",
        hidden_photo_ids=[feedback.photos.get().pk],
    )
    path = url("feedback-staff", code=feedback.code)

    as_officer = api(officer).get(path).json()
    as_reviewer = api(user_with_role(Role.DISTRICT_REVIEWER, commune.district)).get(path).json()
    as_doha = api(user_with_role(Role.DOHA_STAFF, commune.province)).get(path).json()
    citizen_refused = api(citizen).get(path)

    assert as_officer["contact"] == {
        "name": "Lê Thị Kín Đáo",
        "phone": "0912345678",
        "email": "kin.dao@example.com",
        "account_email": citizen.email,
        "latitude": 21.283456,
        "longitude": 106.194321,
    }
    assert as_officer["title"] == "Đèn hỏng"
    assert as_officer["original_title"] == "Đèn đường hỏng trên đường Nguyễn Thị Lưu"
    assert as_officer["can_work"] and as_officer["actions"][:3] == ["accept", "forward", "refuse"]
    assert [photo["hidden"] for photo in as_officer["photos"]] == [True]
    assert as_officer["timeline"][0]["by"] == "Trần Văn Công Dân"
    assert as_reviewer["contact"] is None and as_reviewer["original_title"] is None
    assert as_reviewer["photos"] == [] and as_reviewer["actions"] == [] and not as_reviewer["can_work"]
    assert as_reviewer["timeline"][0]["by"] is None  # the submitter's account is personal data
    assert not any(secret in json.dumps(as_reviewer, ensure_ascii=False) for secret in PERSONAL)
    assert as_doha["contact"] is None and as_doha["original_title"] == as_officer["original_title"]
    assert citizen_refused.status_code == 403


def test_officers_accept_and_answer_and_a_step_the_status_forbids_is_refused(commune, category, officer):
    feedback = item(commune, category)
    client = api(officer)

    accepted = client.post(url("feedback-acceptance", code=feedback.code), HTTP_IDEMPOTENCY_KEY="acc-1")
    again = client.post(url("feedback-acceptance", code=feedback.code))
    answered = client.post(url("feedback-answer", code=feedback.code), {"answer": "Đã sửa."}, format="json")
    reviewer = api(user_with_role(Role.DISTRICT_REVIEWER, commune.district))
    not_allowed = reviewer.post(url("feedback-answer", code=feedback.code), {"answer": "x"}, format="json")

    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert again.status_code == 400
    assert again.json() == {"code": "refused", "message": "This feedback cannot be accepted now."}
    assert answered.status_code == 200 and answered.json()["status"] == "resolved"
    assert answered.json()["answer"] == "Đã sửa."
    assert not_allowed.status_code == 403
