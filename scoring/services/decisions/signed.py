"""The decision signed in the province's e-office system, uploaded back: its PDF signatures are checked
with pyHanko (intact, who signed, when, and whether the chain reaches a trusted root), and the file is
kept as the published decision.

The portal's own key seals what the portal issues; this file carries the signature of its signer (the
Chairman or a Vice-Chairman, and the body's seal from the government CA): a "văn bản đã ký số".
Trust: the roots are ``settings.SIGNED_DECISION_TRUST_ROOTS`` (PEM or DER files, e.g. the government
CA's); without them a signature is reported "not verified against a trusted root", not refused.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.models import Decision
from scoring.services.common import ScoringError

logger = logging.getLogger(__name__)

NO_SIGNATURE = _("The file carries no digital signature. Upload the decision as signed in the e-office system.")
BROKEN_SIGNATURE = _(
    "A signature of the file is broken: the file was changed after it was signed, or the signature is damaged. "
    "Upload the file exactly as the e-office system gave it."
)
NOT_WHOLE_FILE = _("The file was changed after its last signature. Upload the file exactly as it was signed.")
WRONG_NUMBER = _("The file does not carry the decision's number %(number)s: is it the right decision?")
NOT_ISSUED_YET = _("Upload the signed decision once it has its number and date.")


@dataclass(frozen=True)
class SignatureReport:
    """What the check found: each signature's signer (certificate subject CN) and time, in signing order,
    and whether every chain reached a configured trusted root."""

    signers: list[dict]  # {"name": CN, "signed_at": ISO time or "", "intact": True}
    trusted: bool

    @property
    def last_signer(self) -> str:
        return self.signers[-1]["name"] if self.signers else ""


def _trust_roots() -> list:
    from pyhanko.keys import load_certs_from_pemder

    paths = getattr(settings, "SIGNED_DECISION_TRUST_ROOTS", None) or []
    if isinstance(paths, str):
        paths = [p for p in paths.split(",") if p.strip()]
    return list(load_certs_from_pemder([p.strip() for p in paths])) if paths else []


def _common_name(certificate) -> str:
    return certificate.subject.native.get("common_name") or certificate.subject.human_friendly


def _signed_at(status) -> datetime.datetime | None:
    timestamp = getattr(status, "timestamp_validity", None)
    return timestamp.timestamp if timestamp is not None else status.signer_reported_dt


def signed_pdf_report(data: bytes) -> SignatureReport:
    """Check every signature of the PDF ``data``; ScoringError with a clear message when there is none,
    one is broken, or the file changed after the last one."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # an unreadable file has no signature we could trust
        logger.info("An unreadable PDF was uploaded as a signed decision.", exc_info=True)
        raise ScoringError(str(NO_SIGNATURE)) from None
    if not signatures:
        raise ScoringError(str(NO_SIGNATURE))
    roots = _trust_roots()
    signers, trusted = [], bool(roots)
    for index, signature in enumerate(signatures):
        try:
            # Integrity first, with the signer's own certificate as the root: no chain to build.
            own = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
            status = validate_pdf_signature(signature, own)
        except Exception:
            logger.info("A damaged signature in an uploaded decision.", exc_info=True)
            raise ScoringError(str(BROKEN_SIGNATURE)) from None
        if not (status.intact and status.valid):
            raise ScoringError(str(BROKEN_SIGNATURE))
        last = index == len(signatures) - 1
        if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            raise ScoringError(str(NOT_WHOLE_FILE))
        if roots:
            try:
                checked = validate_pdf_signature(
                    signature, ValidationContext(trust_roots=roots, allow_fetching=False), skip_diff=True
                )
                trusted = trusted and checked.trusted
            except Exception:
                logger.info("The chain of an uploaded decision's signature could not be built.", exc_info=True)
                trusted = False
        when = _signed_at(status)
        signers.append(
            {
                "name": _common_name(signature.signer_cert),
                "signed_at": when.isoformat() if when else "",
                "intact": True,
            }
        )
    return SignatureReport(signers=signers, trusted=trusted)


def _carries_number(data: bytes, number: str) -> bool | None:
    """Whether the first page's text shows ``number``; None when the page has no text (a scan)."""
    from pypdf import PdfReader

    try:
        text = PdfReader(io.BytesIO(data), strict=False).pages[0].extract_text() or ""
    except Exception:  # the signature check has read the file; a text layer we cannot read is no text
        logger.info("The text of an uploaded decision could not be read.", exc_info=True)
        return None
    compact = "".join(text.split())
    if not compact:
        return None
    # The digits and the slash are enough: some e-office fonts map "Đ" to nothing readable.
    return number in compact or number.split("/")[0] + "/Q" in compact


@transaction.atomic
def decision_signed_upload(*, decision: Decision, data: bytes, by) -> tuple[Decision, SignatureReport]:
    """Keep the decision as signed in the e-office system once its signatures check out; it replaces
    the generated one wherever the decision is published. Uploading again replaces the file."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_issued:
        raise ScoringError(str(NOT_ISSUED_YET))
    report = signed_pdf_report(data)
    if _carries_number(data, decision.number) is False:
        raise ScoringError(WRONG_NUMBER % {"number": decision.number})
    if decision.signed_file:
        decision.signed_file.delete(save=False)
    decision.signed_file.save(f"{decision.pk}-signed.pdf", ContentFile(data), save=False)
    decision.signed_sha256 = hashlib.sha256(data).hexdigest()
    decision.signed_signers = report.signers
    decision.signed_trusted = report.trusted
    decision.signed_uploaded_by, decision.signed_uploaded_at = by, timezone.now()
    decision.save()
    return decision, report
