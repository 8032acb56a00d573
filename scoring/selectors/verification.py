"""What a document's verification says (the public verification page and the API ask the same): its
status by serial, and the verdict on a copy someone holds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from scoring.models import Certificate
from scoring.services import ScoringError
from scoring.services.certificates import AUTHENTIC, MODIFIED, REVOKED, certificate_check
from scoring.services.certificates.issue import ISSUED
from scoring.services.decisions.signed import NO_SIGNATURE, signed_pdf_report


def document_issued(certificate: Certificate) -> bool:
    """Whether the document's file exists: a revoked one stays readable, and says it is revoked."""
    return certificate.status in ISSUED and bool(certificate.file)


# The page's one verdict. About the document, when no file was uploaded: VALID, REVOKED, PENDING (being
# issued), SUPERSEDED (a decision's sealed copy whose copy signed in the e-office system was published
# in its place) or UNKNOWN (no such serial). About the file uploaded: certificate_check's AUTHENTIC,
# OTHER or REVOKED; SUPERSEDED (the genuine sealed copy of such a decision); SIGNED (the decision's
# signed copy itself); MODIFIED (its seal no longer matches its content) or NOT_ISSUED (no seal, or one
# the portal did not make).
VALID, PENDING, SUPERSEDED, UNKNOWN = "valid", "pending", "superseded", "unknown"
SIGNED, NOT_ISSUED = "signed", "not-issued"


@dataclass(frozen=True)
class Verdict:
    """What the verification page says, once: ``checked`` when it is about an uploaded file, and
    ``document`` the issued document that file is, when it is one."""

    code: str
    checked: bool = False
    document: Certificate | None = None


def status_verdict(certificate: Certificate) -> Verdict:
    if certificate.is_revoked:
        return Verdict(REVOKED)
    if not document_issued(certificate):
        return Verdict(PENDING)
    if certificate.kind == Certificate.Kind.DECISION and certificate.decision.has_signed_copy:
        return Verdict(SUPERSEDED)
    return Verdict(VALID)


def seal_broken(data: bytes) -> bool:
    """Whether the file carries a signature that no longer holds (changed after it was signed); False
    for a file with no signature or with intact ones (a seal the portal did not make)."""
    try:
        signed_pdf_report(data)
    except ScoringError as error:
        # The check says why in one of its constant messages: no signature at all is not a broken one.
        return str(error) != str(NO_SIGNATURE)
    return False


def file_verdict(certificate: Certificate, data: bytes) -> Verdict:
    verdict = certificate_check(certificate=certificate, data=data)
    decision = certificate.decision
    replaced = certificate.kind == Certificate.Kind.DECISION and decision.has_signed_copy
    if verdict.code == MODIFIED:
        if replaced and hashlib.sha256(data).hexdigest() == decision.signed_sha256:
            return Verdict(SIGNED, checked=True)
        return Verdict(MODIFIED if seal_broken(data) else NOT_ISSUED, checked=True)
    if verdict.code == AUTHENTIC and replaced:
        return Verdict(SUPERSEDED, checked=True, document=verdict.document)
    return Verdict(verdict.code, checked=True, document=verdict.document)
