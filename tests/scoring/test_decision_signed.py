"""The decision signed in the province's e-office system, uploaded back: pyHanko checks its signature
(intact, who signed, when, trusted or not), the page shows who signed it, and the public decision link
serves that file. Signed here with a throw-away key, as the e-office system would sign it."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from scoring.models import Certificate, Decision
from scoring.services import ScoringError, decision_approve, decision_signed_upload
from scoring.services.certificates import certificate_issue, certificates_plan
from scoring.services.certificates.documents import render_pdf
from scoring.services.certificates.signing import self_signed_certificate
from scoring.services.decisions.document import decision_text
from scoring.services.decisions.signed import BROKEN_SIGNATURE, NO_SIGNATURE, NOT_WHOLE_FILE, WRONG_NUMBER
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.factories import pdf_bytes
from tests.scoring.test_decisions import cycle, draft  # noqa: F401 - cycle is a fixture

pytestmark = pytest.mark.django_db

SIGNER = "Trần Thị Hạnh"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    """A throw-away key and self-signed certificate in the signer's name, as a PKCS#12 file and a PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SIGNER), x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    certificate = self_signed_certificate(private, name, days=30)
    folder = tmp_path_factory.mktemp("key")
    (folder / "key.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(b"t", private, certificate, None, serialization.NoEncryption())
    )
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return folder


def signed(data: bytes, key) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(key / "key.p12"), passphrase=None)
    metadata = signers.PdfSignatureMetadata(field_name="ChuTich")
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    return signers.sign_pdf(writer, metadata, signer=signer).getvalue()


@pytest.fixture
def decision(places, cycle) -> Decision:  # noqa: F811
    return draft(places.province, [cycle.first, cycle.second], cycle.doha)


def signed_decision(decision: Decision, key) -> bytes:
    return signed(render_pdf("scoring/pdf/decision.html", {"text": decision_text(decision)}), key)


def test_doha_uploads_the_signed_decision_and_the_page_shows_who_signed_it(client, cycle, decision, key):  # noqa: F811
    data = signed_decision(decision, key)
    client.force_login(cycle.doha)

    response = client.post(
        reverse("scoring:decision_signed", kwargs={"pk": decision.pk}),
        {"document": SimpleUploadedFile("qd.pdf", data, content_type="application/pdf")},
    )
    decision.refresh_from_db()
    with translation.override("en"):
        page = client.get(reverse("scoring:decision", kwargs={"pk": decision.pk}), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert decision.signed_sha256 == hashlib.sha256(data).hexdigest()
    assert [s["name"] for s in decision.signed_signers] == [SIGNER]
    assert decision.signed_signatures[0]["signed_at"] is not None
    assert decision.signed_trusted is False
    assert decision.signed_uploaded_by == cycle.doha
    html = page.content.decode()
    assert SIGNER in html
    assert 'id="decision-signed-report"' in html


def test_a_signature_is_trusted_when_its_chain_reaches_a_configured_root(decision, key, settings, cycle):  # noqa: F811
    settings.SIGNED_DECISION_TRUST_ROOTS = [str(key / "cert.pem")]

    decision, report = decision_signed_upload(decision=decision, data=signed_decision(decision, key), by=cycle.doha)

    assert report.trusted and decision.signed_trusted
    assert report.last_signer == SIGNER


def tampered(data: bytes) -> bytes:
    at = data.index(b"/Producer") + len(b"/Producer ") + 2
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no signature", NO_SIGNATURE),
        ("one byte changed", BROKEN_SIGNATURE),
        ("changed after signing", NOT_WHOLE_FILE),
        ("another decision", WRONG_NUMBER),
    ],
)
def test_a_file_whose_signature_does_not_hold_is_refused_with_a_clear_message(decision, key, cycle, case, message):  # noqa: F811
    good = signed_decision(decision, key)
    data = {
        "no signature": lambda: pdf_bytes(),
        "one byte changed": lambda: tampered(good),
        "changed after signing": lambda: good + b"\n% a line added after the signature\n",
        "another decision": lambda: signed(render_pdf("scoring/pdf/decision.html", {"text": _other(decision)}), key),
    }[case]()

    with pytest.raises(ScoringError) as refused:
        decision_signed_upload(decision=decision, data=data, by=cycle.doha)

    decision.refresh_from_db()
    expected = message % {"number": decision.number} if case == "another decision" else str(message)
    assert str(refused.value) == expected
    assert not decision.signed_file and decision.signed_signers == []


def _other(decision: Decision):
    decision.number = "999/QĐ-UBND"
    text = decision_text(decision)
    decision.refresh_from_db()
    return text


def test_the_page_refuses_an_unsigned_file_and_keeps_nothing(client, cycle, decision):  # noqa: F811
    client.force_login(cycle.leader)

    response = client.post(
        reverse("scoring:decision_signed", kwargs={"pk": decision.pk}),
        {"document": SimpleUploadedFile("qd.pdf", pdf_bytes(), content_type="application/pdf")},
    )

    decision.refresh_from_db()
    assert response.status_code == 400
    with translation.override("vi"):
        assert str(NO_SIGNATURE) in response.content.decode()
    assert not decision.signed_file


def test_the_public_link_serves_the_signed_copy_once_approved_else_the_sealed_one(client, cycle, decision, key):  # noqa: F811
    url = reverse("scoring:decision_document", kwargs={"pk": decision.pk})
    assert client.get(url).status_code == 404  # not approved yet
    decision = decision_approve(decision=decision, by=cycle.leader)
    sealed = next(c for c in certificates_plan(decision) if c.kind == Certificate.Kind.DECISION)
    sealed = certificate_issue(sealed.pk)

    response = client.get(url)
    assert response["Content-Security-Policy"] == "sandbox"
    generated = b"".join(response.streaming_content)
    data = signed_decision(decision, key)
    decision_signed_upload(decision=decision, data=data, by=cycle.doha)
    uploaded = b"".join(client.get(url).streaming_content)

    assert hashlib.sha256(generated).hexdigest() == sealed.sha256
    assert uploaded == data
