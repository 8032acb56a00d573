"""Open311 GeoReport v2 at /open311/v2/, driven by a client written from the specification alone
(tests/api/open311_client.py): a city's app finds the services, posts a citizen's request with its key,
the commune works it through the portal, and the app follows it; refusals come in the spec's errors;
the public representation carries no personal data; a list costs the same queries for 1 row or many."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import override
from PIL import Image

from accounts.api_keys import api_key_issue, api_key_revoke
from accounts.models import ApiCall, ApiScope, Role
from core import clock
from core.api.errors import MESSAGES as API_MESSAGES
from feedback.models import Feedback, RefusalReason, Status
from feedback.open311 import views
from feedback.services import (
    feedback_accept,
    feedback_redact,
    feedback_refuse,
    feedback_resolve,
    format_code,
)
from feedback.services.submission import DESCRIPTION_MISSING
from tests.api.open311_client import GeoReportClient, GeoReportError
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, ProvinceFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import user_with_role

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = ("Trần Thị", "Bình"), "0912 345 678", "binh.tran@example.com"
DESCRIPTION = "Ổ gà lớn trước cổng trường tiểu học.\nXe máy tránh nhau rất nguy hiểm vào giờ tan học."
ANSWER = "Xã đã vá ổ gà ngày 5/12; đội giao thông kiểm tra lại hằng tuần."


@dataclass
class Scene:
    province: object
    commune: object
    other_commune: object
    ended_commune: object
    commune_elsewhere: object
    category: object
    closed_category: object
    category_elsewhere: object
    key: str
    officer: object


@pytest.fixture
def scene() -> Scene:
    province = ProvinceFactory()
    elsewhere = ProvinceFactory()
    commune = CommuneFactory(province=province)
    return Scene(
        province=province,
        commune=commune,
        other_commune=CommuneFactory(province=province),
        ended_commune=CommuneFactory(province=province, valid_until=LEGACY_UNTIL),
        commune_elsewhere=CommuneFactory(province=elsewhere),
        category=CategoryFactory(province=province, name="Hạ tầng giao thông", time_limit_days=10),
        closed_category=CategoryFactory(province=province, name="Đã đóng", active=False),
        category_elsewhere=CategoryFactory(province=elsewhere, name="Môi trường"),
        key=api_key_issue(province=province, name="Ứng dụng của tỉnh", scopes=[ApiScope.OPEN311], by=None)[1],
        officer=user_with_role(Role.COMMUNE_OFFICER, commune),
    )


def django_transport(client):
    """The spec client's transport over Django's test client; a POST is form-encoded, as the spec says."""

    def send(method, path, query, form, headers):
        if method == "GET":
            response = client.get(path, query, headers=headers)
        else:
            url = f"{path}?{urlencode(query)}" if query else path
            body = urlencode(form or {})
            response = client.post(url, body, content_type="application/x-www-form-urlencoded", headers=headers)
        return response.status_code, response["Content-Type"], response.content

    return send


def open311(client, scene: Scene, **options) -> GeoReportClient:
    options = {"jurisdiction_id": scene.province.code, "api_key": scene.key, **options}
    return GeoReportClient(django_transport(client), **options)


def image() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")


def refused(call) -> GeoReportError:
    with pytest.raises(GeoReportError) as caught:
        call()
    return caught.value


def test_a_request_posted_by_an_app_reaches_the_commune_and_its_answer_comes_back(client, scene):
    api = open311(client, scene)
    endpoint = api.discovery()["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}

    # The province's open categories only: not the closed one, nor another province's.
    [service] = api.services()
    assert service["service_name"] == "Hạ tầng giao thông"
    assert (service["metadata"], service["type"]) == (True, "realtime")
    [attribute] = api.service_definition(service["service_code"])["attributes"]
    assert (attribute["code"], attribute["datatype"], attribute["required"]) == ("commune", "singlevaluelist", True)
    # The communes in force today, by official code and official name; not the one that ended.
    assert attribute["values"] == [
        {"key": unit.code, "name": unit.official_name}
        for unit in sorted([scene.commune, scene.other_commune], key=lambda unit: unit.code)
    ]

    post = {
        "lat": 21.2731,
        "long": 106.1946,
        "address_string": "Cổng trường tiểu học thôn Trung",
        "attributes": {"commune": scene.commune.code},
        "description": DESCRIPTION,
        "email": EMAIL,
        "last_name": NAME[0],
        "first_name": NAME[1],
        "phone": PHONE,
        "idempotency_key": "ung-dung-1",
    }
    [created] = api.post_request(service["service_code"], **post)
    assert api.last_status == 200  # GeoReport v2 answers a new request with 200
    code = created["service_request_id"]
    assert created["account_id"] is None and code in created["service_notice"]
    # The app sends again, not knowing the first one arrived: the same request, not a second one.
    assert api.post_request(service["service_code"], **post) == [created]
    assert Feedback.objects.count() == 1
    assert ApiCall.objects.filter(method="POST", status=200, path="/open311/v2/requests.json").count() == 2

    item = Feedback.objects.get(code=code)
    assert (item.commune, item.category, item.submitter) == (scene.commune, scene.category, None)
    assert (item.contact_name, item.contact_phone, item.contact_email) == ("Trần Thị Bình", PHONE, EMAIL)
    assert item.consent  # the app sent contact data and a position: it asserts the citizen's consent
    assert item.title == "Hạ tầng giao thông: Ổ gà lớn trước cổng trường tiểu học."

    # The commune's officer finds it in the commune's queue, and works it through the portal.
    client.force_login(scene.officer)
    queue = client.get(reverse("feedback:queue", kwargs={"pk": scene.commune.pk}))
    assert format_code(code) in queue.content.decode()
    client.logout()
    [shown] = api.request(code)
    assert shown["status"] == "open"
    feedback_accept(feedback=item, by=scene.officer)
    feedback_resolve(feedback=item, by=scene.officer, answer=ANSWER)

    [shown] = api.request(code)
    assert shown["status"] == "closed"
    assert shown["status_notes"].splitlines() == [capfirst(str(Status.RESOLVED.label)), ANSWER]
    assert shown["service_code"] == service["service_code"] and shown["agency_responsible"] == str(scene.commune)
    assert shown["address"] == post["address_string"] and shown["description"] == DESCRIPTION
    # Never the citizen's name, phone, e-mail or position: the public page shows none of them.
    assert (shown["lat"], shown["long"]) == (None, None)
    body = api.last_body.decode()
    assert not any(text in body for text in (*NAME, PHONE, EMAIL, "21.27", "106.19"))

    assert api.requests(status=["closed"]) == [shown]
    assert api.requests(status=["open"]) == []
    assert api.requests(service_code=[service["service_code"]], status=["open", "closed"]) == [shown]
    assert api.requests(service_request_id=[format_code(code).lower(), "KHONGCO2"]) == [shown]
    assert api.token(code) == [{"service_request_id": code, "token": code}]


def test_xml_answers_have_the_spec_s_elements_and_say_what_json_says(client, scene):
    item = submitted(commune=scene.commune, category=scene.category, address="Chợ xã", photos=[image()])
    feedback_accept(feedback=item, by=scene.officer)
    as_json, as_xml = open311(client, scene), open311(client, scene, format="xml")
    code, service_code = item.code, str(scene.category.pk)
    for call in (
        lambda api: api.discovery(),
        lambda api: api.services(),
        lambda api: api.service_definition(service_code),
        lambda api: api.requests(),
        lambda api: api.request(code),
        lambda api: api.token(code),
    ):
        assert call(as_xml) == call(as_json)
        assert as_xml.last_body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        assert as_xml.last_content_type == "text/xml; charset=utf-8"

    as_xml.services()
    root = ElementTree.fromstring(as_xml.last_body)  # noqa: S314
    assert root.tag == "services" and root.findtext("service/service_code") == service_code
    assert root.findtext("service/metadata") == "true"
    as_xml.service_definition(service_code)
    root = ElementTree.fromstring(as_xml.last_body)  # noqa: S314
    assert root.tag == "service_definition"
    assert root.findtext("attributes/attribute/code") == "commune"
    assert scene.commune.code in [key.text for key in root.iterfind("attributes/attribute/values/value/key")]
    as_xml.request(code)
    root = ElementTree.fromstring(as_xml.last_body)  # noqa: S314
    assert (root.tag, root.findtext("request/service_request_id")) == ("service_requests", code)
    assert root.findtext("request/status") == "open"
    # Accepted: the photo is public, on the portal's photo page.
    assert root.findtext("request/media_url").endswith(f"/feedback/photos/{item.photos.get().pk}/")

    error = refused(lambda: as_xml.service_definition("999999"))
    root = ElementTree.fromstring(as_xml.last_body)  # noqa: S314
    assert (error.status, root.tag, root.findtext("error/code")) == (404, "errors", "404")
    assert root.findtext("error/description") == str(views.UNKNOWN_SERVICE)


def test_posting_is_refused_in_the_spec_s_errors_and_in_the_language_asked(client, scene):
    code = str(scene.category.pk)
    place = {"address_string": "Thôn Đông", "attributes": {"commune": scene.commune.code}, "description": "Cống tắc."}
    revoked = api_key_issue(province=scene.province, name="Cũ", scopes=[ApiScope.OPEN311], by=None)
    api_key_revoke(key=revoked[0], by=None)
    statistics_only = api_key_issue(province=scene.province, name="Một cửa", scopes=[ApiScope.PROCEDURES], by=None)
    other_province = api_key_issue(
        province=scene.commune_elsewhere.province, name="Tỉnh khác", scopes=[ApiScope.OPEN311], by=None
    )
    cases = [
        ({"api_key": None}, code, place, 403, views.KEY_MISSING),
        ({"api_key": revoked[1]}, code, place, 403, views.KEY_MISSING),
        ({"api_key": statistics_only[1]}, code, place, 403, views.KEY_SCOPE),
        ({"api_key": other_province[1]}, code, place, 403, views.KEY_PROVINCE),
        ({}, str(scene.closed_category.pk), place, 400, views.UNKNOWN_SERVICE),
        ({}, str(scene.category_elsewhere.pk), place, 400, views.UNKNOWN_SERVICE),
        ({}, code, {**place, "address_string": None}, 400, views.LOCATION_REQUIRED),
        ({}, code, {**place, "attributes": {"commune": scene.ended_commune.code}}, 400, views.COMMUNE_REQUIRED),
        ({}, code, {**place, "attributes": {"commune": scene.commune_elsewhere.code}}, 400, views.COMMUNE_REQUIRED),
        ({}, code, {**place, "description": " "}, 400, DESCRIPTION_MISSING),
        ({}, code, {**place, "media_url": "javascript:alert(1)"}, 400, views.BAD_MEDIA_URL),
    ]
    for options, service_code, fields, status, message in cases:
        for language in ("vi", "en"):
            api = open311(client, scene, language=language, **options)
            error = refused(partial(api.post_request, service_code, **fields))
            with override(language):
                assert (error.status, error.errors) == (status, [{"code": status, "description": str(message)}])
    assert not Feedback.objects.exists()
    # The key of another province was used, and its call is in its log with the refusal.
    assert ApiCall.objects.filter(key=other_province[0], status=403).count() == 2


def test_an_anonymous_request_needs_no_consent_and_keeps_its_media_as_a_link(scene):
    # A system's POST carries its key, no cookie: no CSRF token is asked for.
    client = Client(enforce_csrf_checks=True)
    [created] = open311(client, scene).post_request(
        str(scene.category.pk),
        address_string="Nhà văn hóa thôn Bắc",
        attributes={"commune": scene.other_commune.code},
        description="Loa truyền thanh hỏng.",
        media_url="https://anh.example.vn/loa.jpg",
    )
    item = Feedback.objects.get(code=created["service_request_id"])
    assert (item.consent, item.contact_email, item.latitude) == (False, "", None)
    assert item.description.startswith("Loa truyền thanh hỏng.\n\n")
    assert item.description.endswith("https://anh.example.vn/loa.jpg")
    assert not item.photos.exists()  # never fetched


def test_the_jurisdiction_the_format_and_the_method_are_checked(client, scene):
    api = open311(client, scene, jurisdiction_id=None)
    # Two provinces are in force: a client must say which.
    assert refused(api.services).errors == [{"code": 400, "description": str(views.JURISDICTION_REQUIRED)}]
    api.jurisdiction_id = "99999"
    assert refused(api.services).status == 404
    api.jurisdiction_id = scene.commune_elsewhere.province.code
    assert [service["service_name"] for service in api.services()] == ["Môi trường"]
    # A request of another province is not found through this one.
    item = submitted(commune=scene.commune, category=scene.category)
    assert refused(lambda: api.request(item.code)).status == 404
    assert refused(lambda: api.token(item.code)).status == 404

    response = client.get("/open311/v2/services.html")
    assert (response.status_code, response["Content-Type"]) == (404, "text/xml; charset=utf-8")
    response = client.post("/open311/v2/services.json", {"jurisdiction_id": scene.province.code})
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
    assert response.json()[0]["code"] == 405


def test_the_api_s_rate_limits_hold_here_too(client, scene, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "address": (2, 60)}
    api = open311(client, scene)
    api.services()
    api.services()
    error = refused(api.services)
    assert error.errors == [{"code": 429, "description": str(API_MESSAGES["rate-limited"])}]
    assert client.get("/open311/v2/services.json")["Retry-After"] == "60"


def test_dates_and_statuses_filter_the_list_and_the_default_is_the_last_90_days(client, scene, monkeypatch):
    item = submitted(commune=scene.commune, category=scene.category)
    api = open311(client, scene)
    today = clock.today()
    assert [row["service_request_id"] for row in api.requests()] == [item.code]
    assert api.requests(end_date=(today - datetime.timedelta(days=1)).isoformat()) == []
    assert len(api.requests(start_date=f"{today.isoformat()}T00:00:00+07:00")) == 1
    assert len(api.requests(start_date=f"{today - datetime.timedelta(days=1)}T17:00:00Z")) == 1
    assert refused(lambda: api.requests(start_date="2026-01-01", end_date="2026-06-01")).errors == [
        {"code": 400, "description": str(views.WINDOW_TOO_LONG)}
    ]
    assert refused(lambda: api.requests(start_date="hôm qua")).status == 400
    assert refused(lambda: api.requests(status=["pending"])).status == 400

    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + datetime.timedelta(days=91))
    assert api.requests() == []  # past the default window
    assert len(api.requests(start_date=today.isoformat())) == 1


def test_a_list_shows_only_what_the_public_page_shows_in_constant_queries(client, scene, django_assert_max_num_queries):
    api = open311(client, scene)
    first = submitted(commune=scene.commune, category=scene.category, photos=[image()], latitude=21.1, longitude=106.1)
    with django_assert_max_num_queries(4):
        assert len(api.requests()) == 1

    accepted = submitted(commune=scene.commune, category=scene.category, photos=[image()])
    feedback_accept(feedback=accepted, by=scene.officer)
    hidden = submitted(commune=scene.other_commune, category=scene.category, photos=[image()])
    feedback_accept(feedback=hidden, by=scene.officer)
    feedback_redact(
        feedback=hidden,
        by=scene.officer,
        public_title="Phản ánh về đường",
        public_description="Đường hỏng (đã ẩn thông tin cá nhân).",
        hidden_photo_ids=[hidden.photos.get().pk],
    )
    rejected = submitted(commune=scene.commune, category=scene.category)
    feedback_refuse(
        feedback=rejected, by=scene.officer, reason=RefusalReason.OUT_OF_SCOPE, public_text="Thuộc thẩm quyền huyện."
    )
    submitted(commune=scene.commune_elsewhere, category=scene.category_elsewhere)  # another jurisdiction
    with django_assert_max_num_queries(4):
        rows = {row["service_request_id"]: row for row in api.requests()}

    assert set(rows) == {first.code, accepted.code, hidden.code, rejected.code}
    assert rows[first.code]["media_url"] is None  # not yet accepted: its photo is not public
    assert rows[accepted.code]["media_url"].endswith(f"/feedback/photos/{accepted.photos.get().pk}/")
    assert rows[hidden.code]["media_url"] is None  # the officer hid it
    assert rows[hidden.code]["description"] == "Đường hỏng (đã ẩn thông tin cá nhân)."
    assert rows[rejected.code]["status"] == "closed"
    assert rows[rejected.code]["status_notes"].splitlines() == [
        capfirst(str(Status.REFUSED.label)),
        capfirst(str(RefusalReason.OUT_OF_SCOPE.label)),
        "Thuộc thẩm quyền huyện.",
    ]
    assert {(row["lat"], row["long"]) for row in rows.values()} == {(None, None)}
    body = api.last_body.decode()
    assert not any(text in body for text in ("Nguyễn Văn An", "an@example.com", "21.1", "106.1"))
