"""What core/api gives every endpoint: idempotent POSTs, one error format in the language asked, rate
limits, ETags, JSON 404s under /api/, and the documentation served from the portal itself."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from core.api import idempotency
from core.models import IdempotentRequest
from tests.core import api_urls
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.api_urls")]
URL = "/api/test/groups/"


@pytest.fixture
def client():
    return APIClient()


def post(client, body, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, format=extra.pop("format", "json"), **headers, **extra)


def test_a_replay_gets_the_first_answer_and_creates_nothing_more(client):
    first = post(client, {"name": "Tổ 1"}, key="k-1")
    again = post(client, {"name": "Tổ 1"}, key="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"] and again["Idempotent-Replayed"] == "true"
    assert Group.objects.filter(name="Tổ 1").count() == 1


def test_the_same_key_with_another_body_is_a_conflict_in_the_language_asked(client):
    post(client, {"name": "Tổ 1"}, key="k-1")
    vietnamese = post(client, {"name": "Tổ 2"}, key="k-1")
    english = post(client, {"name": "Tổ 2"}, key="k-1", HTTP_ACCEPT_LANGUAGE="en")
    assert vietnamese.status_code == english.status_code == 409
    assert vietnamese.json()["code"] == english.json()["code"] == "idempotency-key-reused"
    assert english.json()["message"] == "This Idempotency-Key was already used for a different request."
    assert vietnamese.json()["message"] != english.json()["message"]
    assert not Group.objects.filter(name="Tổ 2").exists()


def test_a_refused_request_frees_its_key_for_the_corrected_one(client):
    refused = post(client, {"name": "taken"}, key="k-1")
    invalid = post(client, {"name": "x" * 21}, key="k-1", HTTP_ACCEPT_LANGUAGE="en")
    corrected = post(client, {"name": "Tổ 3"}, key="k-1")
    assert refused.status_code == 400 and refused.json()["code"] == "name-taken"
    assert invalid.status_code == 400 and invalid.json()["code"] == "invalid"
    assert list(invalid.json()["fields"]) == ["name"]
    assert corrected.status_code == 201 and Group.objects.filter(name="Tổ 3").exists()


def test_a_multipart_body_sent_again_with_another_boundary_is_the_same_request(client):
    photo = b"\x89PNG fake bytes"
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload():
        return SimpleUploadedFile("a.png", photo, content_type="image/png")

    first = post(client, {"name": "Tổ 4", "photo": upload()}, key="k-m", format="multipart")
    # The test client's boundary is fixed; a phone's is not: encode the second one by hand.
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\n' + "Tổ 4".encode() + b"\r\n"
        b'--XyZ\r\nContent-Disposition: form-data; name="photo"; filename="other-name.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + photo + b"\r\n--XyZ--\r\n"
    )
    again = client.generic(
        "POST", URL, body, content_type="multipart/form-data; boundary=XyZ", HTTP_IDEMPOTENCY_KEY="k-m"
    )
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and Group.objects.filter(name="Tổ 4").count() == 1


def test_a_request_still_running_is_not_run_twice_but_a_dead_one_is_taken_over(client):
    post(client, {"name": "Tổ 5"}, key="k-5")
    claim = IdempotentRequest.objects.get(key="k-5")
    claim_body = {"name": "Tổ 6"}
    # Another request with key k-6 is still running:
    running = post(client, claim_body, key="k-6")
    IdempotentRequest.objects.filter(key="k-6").update(status=None, body=None)
    Group.objects.filter(name="Tổ 6").delete()
    busy = post(client, claim_body, key="k-6")
    assert running.status_code == 201 and busy.status_code == 409
    assert busy.json()["code"] == "idempotency-in-progress"
    IdempotentRequest.objects.filter(key="k-6").update(created_at=timezone.now() - datetime.timedelta(minutes=3))
    taken_over = post(client, claim_body, key="k-6")
    assert taken_over.status_code == 201 and claim.status == 201


def test_keys_belong_to_whoever_sent_them(client):
    other = APIClient()
    other.force_login(UserFactory())
    post(client, {"name": "Tổ 7"}, key="shared")
    mine = post(other, {"name": "Tổ 8"}, key="shared")
    assert mine.status_code == 201 and Group.objects.filter(name__in=["Tổ 7", "Tổ 8"]).count() == 2


def test_services_get_a_token_of_their_own_from_the_key(client):
    api_urls.CALLS.clear()
    post(client, {"name": "Tổ 9"}, key="k-9")
    post(client, {"name": "Tổ 10"})
    assert re.fullmatch(r"api-[0-9a-f]{40}", api_urls.CALLS[0]) and api_urls.CALLS[1] is None


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "khóa"])
def test_a_key_that_is_not_one_is_refused(client, key):
    response = post(client, {"name": "Tổ 11"}, key=key)
    assert response.status_code == 400 and response.json()["code"] == "idempotency-key-invalid"
    assert not Group.objects.exists()


def test_answers_are_forgotten_after_a_day(client):
    post(client, {"name": "Tổ 12"}, key="old")
    post(client, {"name": "Tổ 13"}, key="new")
    IdempotentRequest.objects.filter(key="old").update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert idempotency.expire() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]


def test_reads_carry_an_etag_and_an_unchanged_one_costs_no_body(client):
    Group.objects.create(name="Tổ 14")
    first = client.get(URL)
    same = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    Group.objects.create(name="Tổ 15")
    changed = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200 and same.status_code == 304 and not same.content
    assert changed.status_code == 200 and len(changed.json()) == 2
    assert "Accept-Language" in first["Vary"]


@override_settings(API_THROTTLE_RATES={"address": (2, 60)})
def test_an_address_past_its_rate_is_told_when_to_come_back(client):
    statuses = [client.get(URL, HTTP_ACCEPT_LANGUAGE="en").status_code for _ in range(3)]
    refused = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert statuses == [200, 200, 429] and refused["Retry-After"] == "60"
    assert refused.json() == {"code": "rate-limited", "message": "Too many requests. Please try again later."}


def test_a_path_under_the_api_that_names_nothing_answers_in_the_apis_format(client):
    response = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response.json() == {"code": "not-found", "message": "Not found."}
    assert client.get("/api/test/groups/999/").json()["code"] == "not-found"


def test_the_documentation_is_served_by_the_portal_itself(client):
    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    html = page.content.decode()
    assert page.status_code == 200 and script.status_code == 200 and schema.status_code == 200
    assert not re.search(r'(src|href)="(https?:)?//', html), "no file from another origin"
    assert "'unsafe-inline'" not in re.search(r"script-src[^;]*", page["Content-Security-Policy"]).group()
    assert schema.json()["openapi"].startswith("3.")
