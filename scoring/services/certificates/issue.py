"""Certificates of an approved decision: planned once, issued by Celery tasks (render, sign, store),
revoked by DoHA, checked against an uploaded copy."""

from __future__ import annotations

import base64
import datetime
import hashlib
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.qr import qr_svg
from core.tasks import enqueue_on_commit
from core.web import absolute_url
from scoring.models import Certificate, Decision, ProvinceEmblem
from scoring.models.certificates import document_path
from scoring.services.certificates.documents import (
    STAMP_BOXES_MM,
    place_and_date,
    render_pdf,
    stamp_box,
)
from scoring.services.certificates.register import register_assign, register_day, register_locked
from scoring.services.certificates.signing import sign_pdf, signer_info
from scoring.services.common import ScoringError
from scoring.services.decisions.document import body_name_on, decision_text, signature_titles, vn_date

logger = logging.getLogger(__name__)

# The verdicts on an uploaded file: the exact document of the page; another issued document (named);
# a revoked document (the page's, whatever the file, or the one the file is); nothing the portal issued.
AUTHENTIC, OTHER, REVOKED, MODIFIED = "authentic", "other", "revoked", "modified"
ISSUED = (Certificate.Status.VALID, Certificate.Status.REVOKED)
EMBLEM_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
TEMPLATES = {
    Certificate.Kind.CERTIFICATE: "scoring/pdf/certificate.html",
    Certificate.Kind.DECISION: "scoring/pdf/decision.html",
}


@dataclass(frozen=True)
class Progress:
    total: int
    valid: int
    failed: int
    pending: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.valid + self.failed) / self.total)

    @property
    def done(self) -> bool:
        return self.total > 0 and self.pending == 0


def new_serial(year: int) -> str:
    """``2025-K7Q2M4XA``: the year, then 40 random bits in base32 (no 0/1/8/9 to misread), so serials
    cannot be guessed from one another yet are easy to read out and type."""
    return f"{year}-{base64.b32encode(secrets.token_bytes(5)).decode()}"


@transaction.atomic
def certificates_plan(decision: Decision) -> list[Certificate]:
    """One pending row per recognised commune, numbered in the province's register, plus one for the
    decision; idempotent."""
    decision = Decision.objects.get(pk=decision.pk)
    if not decision.is_approved:
        raise ScoringError(_("Only an approved decision produces certificates."))
    # The register's lock first: a second plan of this decision (or a batch of another decision of the
    # province and year) waits here, then finds the rows and numbers this one made.
    register = register_locked(decision)
    planned = []
    # get_or_create on the unique keys (the entry; the decision's one document): two concurrent plans
    # meet at the constraint and the loser reads the winner's row.
    for entry in decision.entries.select_related("assessment").order_by("position", "pk"):
        certificate, _created = Certificate.objects.get_or_create(
            entry=entry,
            defaults={
                "kind": Certificate.Kind.CERTIFICATE,
                "decision": decision,
                "serial": new_serial(decision.year),
                "commune_id": entry.assessment.commune_id,
                "unit_name": entry.unit_name,
                "year": decision.year,
                "stars": entry.stars,
            },
        )
        planned.append(certificate)
    register_assign(register, planned)
    document, _created = Certificate.objects.get_or_create(
        decision=decision,
        kind=Certificate.Kind.DECISION,
        defaults={"serial": new_serial(decision.year), "year": decision.year},
    )
    planned.append(document)
    return planned


def certificates_queue(decision: Decision, *, force: bool = False) -> int:
    """Plan, then queue one task per document not yet valid (or every one with ``force``) after commit."""
    from scoring.tasks import issue_certificate

    with transaction.atomic():
        planned = certificates_plan(decision)
        ids = [
            c.pk
            for c in planned
            if c.status != Certificate.Status.REVOKED and (force or c.status != Certificate.Status.VALID)
        ]
        for pk in ids:
            enqueue_on_commit(issue_certificate, pk, force)
    return len(ids)


def certificates_requeue_stalled(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Queue again the documents still pending or failed a while after they were planned: their task was
    lost (broker down at the commit) or ran out of retries. Running a document twice is harmless."""
    from scoring.tasks import issue_certificate

    stalled = list(
        Certificate.objects.filter(
            status__in=[Certificate.Status.PENDING, Certificate.Status.FAILED],
            created_at__lt=timezone.now() - older_than,
        ).values_list("pk", flat=True)
    )
    for pk in stalled:
        issue_certificate.delay(pk)
    return len(stalled)


def _stored_sha256(certificate: Certificate) -> str | None:
    if not certificate.file:
        return None
    try:
        with certificate.file.storage.open(certificate.file.name, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def _emblem_src(province) -> str:
    """The emblem the province configured, as a data: address (the PDF is rendered with no network and
    whatever the storage), or empty: the portal draws no emblem of its own."""
    emblem = ProvinceEmblem.objects.filter(province=province).first()
    if emblem is None or not emblem.image:
        return ""
    kind = EMBLEM_TYPES.get(Path(emblem.image.name).suffix.lower())
    try:
        with emblem.image.storage.open(emblem.image.name, "rb") as file:
            data = file.read()
    except OSError:
        logger.warning("The emblem of %s cannot be read; the certificate is printed without it.", province)
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}" if kind else ""


def certificate_context(certificate: Certificate) -> dict:
    decision = certificate.decision
    province = decision.province
    # Every name as it was on the day the document bears: a 2024 certificate of Bắc Giang says "tỉnh
    # Bắc Giang" even after the province merged into Bắc Ninh.
    day = register_day(decision)
    province_name = province.name_on(day)
    verify_url = absolute_url(reverse("scoring:verify", kwargs={"serial": certificate.serial}))
    x0, y0, x1, y1 = STAMP_BOXES_MM[certificate.kind]
    context = {
        "certificate": certificate,
        "decision": decision,
        "issuer": f"ỦY BAN NHÂN DÂN {province_name.upper()}",
        "issuer_lines": ["ỦY BAN NHÂN DÂN", province_name.upper()],
        "issuer_name": f"Ủy ban nhân dân {province_name}",
        "province_name": province_name,
        "place": body_name_on(province, day).place,
        "place_and_date": place_and_date(province, day),
        "decision_date": vn_date(decision.signed_on) if decision.signed_on else "",
        "signer_title": decision.signer_title.upper(),
        "signature_titles": signature_titles(decision.signer_role),
        "verify_url": verify_url,
        # Written here, not with the template's number formats, which would print "197,0" in Vietnamese.
        "stamp_css": f"left: {x0}mm; bottom: {y0}mm; width: {x1 - x0}mm; height: {y1 - y0}mm;",
    }
    if certificate.kind == Certificate.Kind.CERTIFICATE:
        context["stars_drawn"] = "★" * (certificate.stars or 0)
        context["qr"] = mark_safe(qr_svg(verify_url, scalable=True))  # noqa: S308 - segno's markup of our own address
        context["emblem_src"] = _emblem_src(province)
    else:
        context["text"] = decision_text(decision)
    return context


def stamp_lines(subject: str, at: datetime.datetime) -> list[str]:
    """The visible stamp's text: the portal's seal, in those words. The portal's key seals what the
    portal issues; it does not sign in the Chairman's name."""
    return ["Đóng dấu số của Cổng thông tin", subject, f"Thời gian: {at:%d/%m/%Y %H:%M}"]


def _store(certificate: Certificate, data: bytes) -> None:
    """Write the file under its fixed name, replacing an earlier one: a re-issue never leaves a second
    file, and a reader never sees half a file."""
    name = document_path(certificate, f"{certificate.serial}.pdf")
    storage = certificate.file.storage
    try:
        path = Path(storage.path(name))
    except NotImplementedError:  # a remote storage: no rename, delete then save
        storage.delete(name)
        certificate.file.save(name, ContentFile(data), save=False)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{certificate.serial}-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    certificate.file.name = name


def certificate_issue(certificate_id: int, *, force: bool = False) -> Certificate:
    """Render, sign and store one document; a valid one whose file still matches its hash is left alone
    unless ``force``."""
    try:
        with transaction.atomic():
            # A certificate planned before the register existed gets its number now. The register is
            # locked before the certificate, in the order the plan takes them, so neither waits forever.
            peek = Certificate.objects.select_related("decision").get(pk=certificate_id)
            unnumbered = peek.kind == Certificate.Kind.CERTIFICATE and peek.register_number is None
            register = register_locked(peek.decision) if unnumbered else None
            # The lock makes a second run of the same task wait, then find the document valid.
            certificate = (
                Certificate.objects.select_for_update(of=("self",))
                .select_related("decision__province")
                .get(pk=certificate_id)
            )
            if certificate.status == Certificate.Status.REVOKED:
                return certificate
            if register is not None:
                register_assign(register, [certificate])
            if not force and certificate.is_valid and _stored_sha256(certificate) == certificate.sha256:
                return certificate
            info = signer_info()
            pdf = render_pdf(TEMPLATES[certificate.kind], certificate_context(certificate))
            now = timezone.localtime()
            signed = sign_pdf(
                pdf,
                stamp_lines=stamp_lines(info.subject, now),
                box=stamp_box(certificate.kind),
            )
            _store(certificate, signed)
            certificate.sha256 = hashlib.sha256(signed).hexdigest()
            certificate.signer_fingerprint = info.fingerprint
            certificate.signer_name = info.subject
            certificate.development_key = info.development
            certificate.issued_at = now
            certificate.status = Certificate.Status.VALID
            certificate.error = ""
            certificate.save()
            return certificate
    except Certificate.DoesNotExist:
        raise
    except Exception as error:
        logger.exception("Certificate %s could not be issued.", certificate_id)
        Certificate.objects.filter(pk=certificate_id).exclude(status=Certificate.Status.REVOKED).update(
            attempts=F("attempts") + 1,
            error=f"{type(error).__name__}: {error}"[:2000],
            status=Certificate.Status.FAILED,
        )
        raise


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """DoHA withdraws a certificate; the verification page says so from then on. A second call keeps the
    first revocation."""
    reason = (reason or "").strip()
    if not reason:
        raise ScoringError(_("Give the reason for the revocation."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        return certificate
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at, certificate.revoked_by, certificate.revoked_reason = timezone.now(), by, reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
    return certificate


@dataclass(frozen=True)
class Verdict:
    """One answer about an uploaded file: ``code`` is one of AUTHENTIC, OTHER, REVOKED, MODIFIED, and
    ``document`` the issued document the file is, when it is one."""

    code: str
    document: Certificate | None = None


def certificate_check(*, certificate: Certificate, data: bytes) -> Verdict:
    """What the file uploaded on ``certificate``'s page is, in one verdict. Its SHA-256 is looked up
    among every issued document (one indexed query): the page's own file is authentic; another one's
    is named, not called modified; no match is a file the portal did not issue (or one changed since).
    A revoked certificate is revoked whatever the file.

    An exact hash match needs no signature check: the hash was taken of the sealed file as issued."""
    digest = hashlib.sha256(data).hexdigest()
    match = (
        Certificate.objects.select_related("decision__province")
        .filter(sha256=digest, status__in=ISSUED)
        .order_by("pk")
        .first()
    )
    if certificate.is_revoked:
        return Verdict(REVOKED, certificate)
    if match is None:
        return Verdict(MODIFIED)
    if match.pk == certificate.pk:
        return Verdict(AUTHENTIC, match)
    return Verdict(REVOKED if match.is_revoked else OTHER, match)


def batch_progress(decision: Decision) -> Progress:
    """How far the decision's documents are; revoked ones have left the batch and are not counted."""
    counts = Certificate.objects.filter(decision=decision).aggregate(
        total=Count("pk", filter=~Q(status=Certificate.Status.REVOKED)),
        valid=Count("pk", filter=Q(status=Certificate.Status.VALID)),
        failed=Count("pk", filter=Q(status=Certificate.Status.FAILED)),
        pending=Count("pk", filter=Q(status=Certificate.Status.PENDING)),
    )
    return Progress(**counts)
