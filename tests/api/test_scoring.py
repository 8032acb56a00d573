"""The scoring API: public results (a commune's history and a year explained), the province's rankings,
and sealed documents verified by serial, by file and by hash.

One scene for the module: a province with two districts; commune A's final result recognised by an
approved decision (its star certificate issued, the decision's document still being issued), commune
B's provisional result; a unit formed from both in the 2025 reform, whose own assessment is a draft.
The certificate's PDF is issued by the real service with WeasyPrint and the seal stubbed out (8 s
saved): what is checked here is the lookup by serial and by hash, not the PDF, which tests/scoring
covers.
"""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from scoring.models import Certificate, Status
from scoring.services import decision_approve
from scoring.services.certificates import certificate_issue, certificate_revoke, certificates_plan
from scoring.services.certificates import issue as issuing
from scoring.services.certificates.signing import SignerInfo
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.portal.factories import user_with_role
from tests.scoring.factories import YEAR, advance, fill_self, open_assessment, pdf_bytes
from tests.scoring.test_decisions import draft, final, recognisable_set

SELF_NOTE = "Đã thực hiện đầy đủ."  # the commune's explanations: on the staff pages only
NUMBER = "125/QĐ-UBND"


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        province = ProvinceFactory()
        north, south = DistrictFactory(province=province), DistrictFactory(province=province)
        a = CommuneFactory(province=province, district=north)
        b = CommuneFactory(province=province, district=south)
        merged = CommuneFactory(province=province, district=None)
        merged.predecessors.add(a, b)
        doha = user_with_role(Role.DOHA_STAFF, province)
        criteria_set = recognisable_set(province)
        recognised = final(a, criteria_set)
        provisional = advance(fill_self(open_assessment(b, criteria_set)), Status.PROVISIONAL)
        open_assessment(merged, criteria_set)  # its own result of the year, still a draft: not public
        decision = decision_approve(
            decision=draft(province, [recognised], doha, number=NUMBER),
            by=user_with_role(Role.PROVINCIAL_LEADER, province),
        )
        certificates_plan(decision)
        patch.setattr(issuing, "render_pdf", lambda template, context: pdf_bytes("Giấy chứng nhận"))
        patch.setattr(issuing, "sign_pdf", lambda pdf, **kwargs: pdf)
        patch.setattr(issuing, "signer_info", lambda: SignerInfo("Cổng thử nghiệm", "ab" * 32, True))
        certificate = certificate_issue(decision.certificates.get(kind=Certificate.Kind.CERTIFICATE).pk)
        with certificate.file.open("rb") as file:
            sealed = file.read()
        yield SimpleNamespace(
            province=province,
            north=north,
            a=a,
            b=b,
            merged=merged,
            doha=doha,
            recognised=recognised,
            provisional=provisional,
            decision=decision,
            certificate=certificate,
            sealed=sealed,
            document=decision.certificates.get(kind=Certificate.Kind.DECISION),
        )
        transaction.set_rollback(True)


@pytest.fixture
def client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def results_url(commune) -> str:
    return reverse("api:scoring:commune-results", kwargs={"pk": commune.pk})


def result_url(commune, year: int = YEAR) -> str:
    return reverse("api:scoring:commune-result", kwargs={"pk": commune.pk, "year": year})


def rankings_url(province, year: int = YEAR) -> str:
    return reverse("api:scoring:province-rankings", kwargs={"pk": province.pk, "year": year})


def verify(client, data, **kwargs):
    return client.post(reverse("api:scoring:certificate-verify"), data, **kwargs)


# --- Results -------------------------------------------------------------------------------------


def test_the_star_history_lists_the_results_of_the_unit_and_those_it_took_over(db, scene, client):
    with CaptureQueriesContext(connection) as one:
        own = client.get(results_url(scene.a))
    with CaptureQueriesContext(connection) as two:
        merged = client.get(results_url(scene.merged))

    assert own.status_code == merged.status_code == 200
    assert len(one) == len(two)  # two results cost what one does
    (result,) = own.json()["results"]
    assert result["year"] == YEAR and result["taken_over"] is False
    assert result["points"] == float(scene.recognised.total) and result["stars"] == scene.recognised.stars
    assert result["standing"]["status"] == "final"
    assert result["standing"]["decision"]["number"] == NUMBER
    assert result["standing"]["decision"]["signed_on"] == "2025-12-30"
    assert [c["serial"] for c in own.json()["certificates"]] == [scene.certificate.serial]
    taken = {row["commune_id"]: row for row in merged.json()["results"]}
    assert set(taken) == {scene.a.pk, scene.b.pk} and all(row["taken_over"] for row in taken.values())
    provisional = taken[scene.b.pk]["standing"]
    assert provisional["status"] == "provisional" and provisional["decision"] is None
    assert provisional["comments_until"] == scene.provisional.comments_until.isoformat()


def test_a_result_explained_gives_groups_and_criteria_as_the_public_page(db, scene, client):
    response = client.get(result_url(scene.a))

    assert response.status_code == 200
    body = response.json()
    assert body["points"] == float(scene.recognised.total) and body["stars"] == scene.recognised.stars
    assert body["standing"]["decision"]["document_url"].endswith("/document.pdf")
    groups = body["groups"]
    assert [group["code"] for group in groups] == [
        g.code for g in scene.recognised.criteria_set.groups.order_by("position", "code")
    ]
    for group in groups:
        assert round(sum(line["points"] for line in group["criteria"]), 2) == group["points"]
    lines = [line for group in groups for line in group["criteria"]]
    self_line = next(line for line in lines if line["measure"] == "self")
    assert set(self_line["evidence"]) == {"evidence_index", "evidence"}
    assert self_line["evidence"]["evidence"].startswith(body["page_url"] + "?line=")
    computed = next(line for line in lines if line["measure"] != "self")
    assert computed["appraised_score"] is not None  # DoHA appraised it at full points
    assert computed["evidence"] == {}


def test_a_result_shows_no_explanation_and_no_one_who_acted(db, scene, client):
    text = client.get(result_url(scene.a)).content.decode()

    assert SELF_NOTE not in text
    assert scene.doha.email not in text and str(scene.doha.pk) not in client.get(result_url(scene.a)).json()


def test_a_result_not_public_or_unknown_is_not_found(db, scene, client):
    assert client.get(result_url(scene.merged)).status_code == 404  # a draft
    assert client.get(result_url(scene.a, YEAR + 1)).status_code == 404
    assert client.get(results_url(SimpleNamespace(pk=999_999_999))).json()["code"] == "not-found"


# --- Rankings ------------------------------------------------------------------------------------


def test_rankings_rank_every_public_result_in_constant_queries(db, scene, client, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as every:
        response = client.get(rankings_url(scene.province))
    with django_assert_max_num_queries(len(every)):
        one = client.get(rankings_url(scene.province) + f"?district={scene.north.pk}")

    body = response.json()
    assert body["criteria_set"] == scene.recognised.criteria_set.name
    assert [row["commune"]["id"] for row in body["rows"]] == [scene.a.pk, scene.b.pk]
    first = body["rows"][0]
    assert first["rank"] == 1 and first["district"]["id"] == scene.north.pk
    assert list(first["group_points"]) == [group["code"] for group in body["groups"]]
    assert first["points"] == float(scene.recognised.total)
    assert sum(count["count"] for count in body["distribution"]) == 2
    assert [row["commune"]["id"] for row in one.json()["rows"]] == [scene.a.pk]
    assert one.json()["district"]["id"] == scene.north.pk


def test_rankings_sort_by_a_whitelisted_column_only(db, scene, client):
    by_name = client.get(rankings_url(scene.province) + "?sort=name").json()
    unknown = client.get(rankings_url(scene.province) + "?sort=password&district=x").json()

    assert by_name["sort"] == "name" and "name" in by_name["sorts"]
    assert unknown["sort"] == "rank" and len(unknown["rows"]) == 2


def test_the_years_with_rankings_and_a_year_without(db, scene, client):
    years = client.get(reverse("api:scoring:province-ranking-years", kwargs={"pk": scene.province.pk})).json()
    empty = client.get(rankings_url(scene.province, YEAR + 1))

    assert [entry["year"] for entry in years["years"]] == [YEAR]
    assert years["years"][0]["rankings_url"] == rankings_url(scene.province)
    assert empty.status_code == 200
    assert empty.json()["criteria_set"] is None and empty.json()["rows"] == []
    assert client.get(rankings_url(SimpleNamespace(pk=999_999_999))).status_code == 404


# --- Sealed documents ----------------------------------------------------------------------------


def test_a_certificate_by_serial_gives_what_its_verification_page_shows(db, scene, client):
    certificate = scene.certificate

    body = client.get(reverse("api:scoring:certificate-detail", kwargs={"serial": certificate.serial})).json()

    assert body["status"] == "valid" and body["kind"] == "certificate"
    assert body["commune"]["id"] == scene.a.pk and body["stars"] == certificate.stars
    assert body["sha256"] == hashlib.sha256(scene.sealed).hexdigest()
    assert body["sealed"] is True and body["development_key"] is True
    assert body["decision"]["number"] == NUMBER and body["decision"]["signer_name"]
    assert body["pdf_url"] == reverse("scoring:certificate_download", kwargs={"serial": certificate.serial})
    assert body["verify_url"] == certificate.get_absolute_url()


def test_a_document_being_issued_has_no_hash_and_an_unknown_serial_is_not_found(db, scene, client):
    pending = client.get(reverse("api:scoring:certificate-detail", kwargs={"serial": scene.document.serial}))
    unknown = client.get(reverse("api:scoring:certificate-detail", kwargs={"serial": "2025-KHONGCO"}))

    assert pending.json()["status"] == "pending"
    assert pending.json()["sha256"] is None and pending.json()["pdf_url"] is None
    assert pending.json()["unit_name"]  # the issuing province, as the page names it
    assert unknown.status_code == 404


def test_a_file_or_its_hash_is_recognised_as_the_certificate_issued(db, scene, client):
    upload = SimpleUploadedFile("giay-chung-nhan.pdf", scene.sealed, content_type="application/pdf")

    by_file = verify(client, {"file": upload}, format="multipart")
    by_hash = verify(client, {"sha256": hashlib.sha256(scene.sealed).hexdigest().upper()}, format="json")

    assert by_file.status_code == 200
    assert by_file.json()["verdict"] == "authentic" and by_file.json()["issued_by_portal"] is True
    assert by_file.json()["document"]["serial"] == scene.certificate.serial
    assert by_hash.json() == by_file.json()


def test_a_file_the_portal_did_not_issue_is_said_so_and_a_revoked_one_too(db, scene, client):
    other = SimpleUploadedFile("khac.pdf", pdf_bytes("Bản khác"), content_type="application/pdf")
    not_issued = verify(client, {"file": other}, format="multipart").json()
    certificate_revoke(certificate=scene.certificate, by=scene.doha, reason="Sai sót khi phúc tra")

    revoked = verify(client, {"sha256": hashlib.sha256(scene.sealed).hexdigest()}, format="json").json()

    assert not_issued["verdict"] == "not-issued" and not_issued["document"] is None
    assert not_issued["message"] == "The file matches no document the portal issued. Do not rely on it."
    assert revoked["verdict"] == "revoked" and revoked["document"]["revoked_reason"] == "Sai sót khi phúc tra"


def test_verify_takes_one_of_a_file_or_a_hash_and_a_pdf_only(db, scene, client):
    both = verify(client, {"sha256": "0" * 64, "file": SimpleUploadedFile("a.pdf", b"x")}, format="multipart")
    neither = verify(client, {}, format="json")
    not_pdf = verify(client, {"file": SimpleUploadedFile("a.pdf", b"<html></html>")}, format="multipart")
    bad_hash = verify(client, {"sha256": "xyz"}, format="json")

    assert [r.status_code for r in (both, neither, not_pdf, bad_hash)] == [400] * 4
    assert both.json()["code"] == neither.json()["code"] == "invalid"
    assert "file" in not_pdf.json()["fields"] and "sha256" in bad_hash.json()["fields"]


def test_verify_changes_nothing_and_accepts_an_idempotency_key(db, scene, client):
    body = {"sha256": hashlib.sha256(scene.sealed).hexdigest()}

    first = verify(client, body, format="json", HTTP_IDEMPOTENCY_KEY="kiem-tra-1")
    again = verify(client, body, format="json", HTTP_IDEMPOTENCY_KEY="kiem-tra-1")

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
