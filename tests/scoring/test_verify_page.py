"""The public verification page gives exactly one verdict, whatever the case: about the document when
nothing is uploaded (valid, revoked, being issued, replaced by the signed decision, unknown serial), about
the file when one is (genuine, the signed decision, another document, revoked, changed after it was
sealed, not issued by the portal). A green "valid" never stands above a red "modified" again.

Real PDFs, rendered and sealed by scoring.services.certificates; the e-office signature is a throw-away
key's, as in test_decision_signed.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Certificate, Decision
from scoring.services import decision_signed_upload
from scoring.services.certificates import certificate_revoke
from tests.portal.test_permissions import make_user, places  # noqa: F401 - places is a fixture
from tests.scoring.factories import pdf_bytes
from tests.scoring.test_certificate_views import (  # noqa: F401 - decision, issued, two_issued are fixtures
    REASON,
    check,
    decision,
    in_english,
    issued,
    star_certificate,
    the_two,
    two_issued,
)
from tests.scoring.test_decision_signed import key, media, signed, signed_decision  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

VERDICT = re.compile(r'<div [^>]*data-verdict="(?P<code>[^"]+)"[^>]*>(?P<body>.*?)</div>', re.DOTALL)


def verdicts(page: str) -> list[tuple[str, str]]:
    """Every verdict on the page: its code and its text, tags removed and spaces joined."""
    return [
        (match["code"], " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match["body"])).split()))
        for match in VERDICT.finditer(page)
    ]


def the_verdict(page: str) -> tuple[str, str]:
    found = verdicts(page)
    assert len(found) == 1, found
    assert page.count("data-verdict=") == 1
    return found[0]


def document_of(approved: Decision) -> Certificate:
    return approved.certificates.get(kind=Certificate.Kind.DECISION)


def replaced(approved: Decision, key) -> bytes:  # noqa: F811
    """Upload the decision as signed in the e-office system; the signed file."""
    data = signed_decision(approved, key)
    decision_signed_upload(decision=approved, data=data, by=None)
    return data


# --- Nothing uploaded: the document's own status ---------------------------------------------------


def test_a_valid_document_has_one_green_verdict(client, issued):  # noqa: F811
    page = client.get(star_certificate(issued).get_absolute_url()).content.decode()

    code, text = the_verdict(page)
    assert code == "valid"
    assert text == "Valid: issued by the portal, sealed with the portal's digital seal, and not revoked."
    assert 'id="certificate-status"' in page and "verdict--yes" in page


def test_a_revoked_document_has_one_red_verdict_with_its_day_and_reason(client, places, issued):  # noqa: F811
    certificate = star_certificate(issued)
    certificate_revoke(certificate=certificate, by=make_user("doha_here", places), reason=REASON)
    certificate.refresh_from_db()

    page = client.get(certificate.get_absolute_url()).content.decode()

    code, text = the_verdict(page)
    day = f"{timezone.localtime(certificate.revoked_at):%d/%m/%Y}"
    assert code == "revoked"
    assert text == f"Revoked: no longer valid. Revoked on {day}. Reason: {REASON}"
    assert "verdict--no" in page and 'role="alert"' in page


def test_a_document_being_issued_has_one_verdict_saying_so(client, decision):  # noqa: F811
    page = client.get(star_certificate(decision).get_absolute_url()).content.decode()

    assert the_verdict(page) == ("pending", "Being issued: not ready yet. Please come back later.")


def test_the_sealed_decision_replaced_by_its_signed_copy_says_so_and_links_it(client, issued, key):  # noqa: F811
    replaced(issued, key)
    issued.refresh_from_db()

    page = client.get(document_of(issued).get_absolute_url()).content.decode()

    code, text = the_verdict(page)
    assert code == "superseded"
    assert text == (
        f"Replaced by the signed decision : this copy of decision {issued.number} was sealed by the portal and is "
        "unchanged, but the decision as signed in the province's e-office system has since been published in "
        "its place. Read the signed decision (PDF)"
    )
    assert reverse("scoring:decision_document", kwargs={"pk": issued.pk}) in page
    # A star certificate of the same decision is not replaced by it.
    assert the_verdict(client.get(star_certificate(issued).get_absolute_url()).content.decode())[0] == "valid"


def test_an_unknown_serial_is_a_not_found_page_with_one_verdict(client, issued):  # noqa: F811
    response = client.get(reverse("scoring:verify", kwargs={"serial": "2025-KHONGCO"}))

    page = response.content.decode()
    code, text = the_verdict(page)
    assert response.status_code == 404
    assert code == "unknown"
    assert text == (
        "Unknown : No document was issued under the serial number 2025-KHONGCO. Check the number, or scan the QR "
        "code of the document again: a document that claims this number is not authentic."
    )
    assert "<h1>This certificate is unknown</h1>" in page
    assert 'type="file"' not in page


# --- A file uploaded: one answer about the file, instead of the document's status ---------------


def test_the_genuine_file_is_one_green_verdict_without_the_status(client, issued):  # noqa: F811
    certificate = star_certificate(issued)

    page = check(client, certificate, certificate.file.open("rb").read())

    assert the_verdict(page) == (
        "authentic",
        "Genuine : your file is exactly the document issued under this serial number, sealed by the portal and "
        "unchanged.",
    )
    assert 'id="certificate-status"' not in page


def test_a_file_changed_after_it_was_sealed_is_one_red_verdict_and_never_valid_beside_it(client, issued):  # noqa: F811
    certificate = star_certificate(issued)
    data = bytearray(certificate.file.open("rb").read())
    data[len(data) // 2] ^= 0x01

    page = check(client, certificate, bytes(data))

    assert the_verdict(page) == (
        "modified",
        "Modified : your file carries a digital seal that no longer matches its content: it was changed after it "
        "was sealed. Do not rely on it.",
    )
    assert "Valid:" not in page and "verdict--yes" not in page


@pytest.mark.parametrize("seal", ["none", "someone else's"])
def test_a_file_without_the_portal_s_seal_is_not_issued_by_the_portal(client, issued, key, seal):  # noqa: F811
    data = pdf_bytes("Làm giả") if seal == "none" else signed(pdf_bytes("Làm giả"), key)

    page = check(client, star_certificate(issued), data)

    assert the_verdict(page) == (
        "not-issued",
        "Not issued by the portal, or modified : your file matches no document the portal issued. Do not rely on it.",
    )


def test_another_genuine_document_is_named_in_one_verdict(client, two_issued):  # noqa: F811
    first, second = the_two(two_issued)

    page = check(client, second, first.file.open("rb").read())

    code, text = the_verdict(page)
    assert code == "other"
    assert text == (
        f"Another document : This is the genuine certificate {first.serial} of {first.unit_name}, not "
        f"{second.serial}. The verification page of {first.serial}"
    )


def test_any_file_on_a_revoked_document_s_page_is_one_revoked_verdict(client, places, issued):  # noqa: F811
    certificate = star_certificate(issued)
    data = certificate.file.open("rb").read()
    certificate_revoke(certificate=certificate, by=make_user("doha_here", places), reason=REASON)
    certificate.refresh_from_db()

    page = check(client, certificate, data)

    day = f"{timezone.localtime(certificate.revoked_at):%d/%m/%Y}"
    assert the_verdict(page) == (
        "revoked",
        f"Revoked : this document was revoked on {day}: whatever file you hold, it is no longer valid. "
        f"Reason: {REASON}",
    )


def test_the_signed_decision_uploaded_on_its_document_s_page_is_genuine(client, issued, key):  # noqa: F811
    data = replaced(issued, key)
    issued.refresh_from_db()

    page = check(client, document_of(issued), data)

    assert the_verdict(page) == (
        "signed",
        f"Genuine : your file is decision {issued.number} exactly as signed in the province's e-office system: "
        "the copy the portal publishes.",
    )


def test_the_sealed_copy_of_a_replaced_decision_is_genuine_but_replaced(client, issued, key):  # noqa: F811
    document = document_of(issued)
    sealed = document.file.open("rb").read()
    replaced(issued, key)
    issued.refresh_from_db()

    page = check(client, document, sealed)

    code, text = the_verdict(page)
    assert code == "superseded"
    assert text.startswith(f"Replaced by the signed decision : your file is the copy of decision {issued.number} ")
    assert "verdict--notice" in page
