"""Certificate pages: anyone verifies a signed document by its serial number (and may check a copy of
it, with one verdict on the page whatever the case); DoHA and the provincial leader follow the batch of
an approved decision, issue the failed ones again and download them all; DoHA revokes a certificate
with a reason.

Every staff view loads its object from the URL and checks a permission on it before running; writes
are POSTs that call scoring.services.certificates and end in a redirect.
"""

from __future__ import annotations

import shutil
import zipfile

from django.contrib import messages
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import pdf_response
from core.permissions import object_permission_required
from core.web import workspace_trail
from scoring.forms.certificates import CertificateCheckForm, RevokeForm
from scoring.models import Certificate
from scoring.rules import REVOKE_CERTIFICATE, VIEW_CERTIFICATES
from scoring.selectors.verification import (
    UNKNOWN,
    Verdict,
    document_issued,
    file_verdict,
    status_verdict,
)
from scoring.services import ScoringError
from scoring.services.certificates import (
    batch_progress,
    certificate_revoke,
    certificates_queue,
)
from scoring.services.decisions.document import body_name_on
from scoring.views.access import decision_permission_required


def _crumbs(decision) -> list[tuple[str, str]]:
    return [
        *workspace_trail(decision.province),
        (_("Recognition decisions"), reverse("scoring:decisions", kwargs={"pk": decision.province_id})),
        (
            _("Decision %(number)s") % {"number": decision.number},
            reverse("scoring:decision", kwargs={"pk": decision.pk}),
        ),
    ]


# --- Public: verification -----------------------------------------------------------------------


def verify(request, serial):
    """The document's data, status, hash and the portal's seal, or a visitor's copy checked: one
    verdict either way, never a document's status beside a different answer about the file."""
    certificate = (
        Certificate.objects.select_related("decision__province", "commune", "register").filter(serial=serial).first()
    )
    if certificate is None:
        context = {"certificate": None, "serial": serial, "verdict": Verdict(UNKNOWN)}
        return render(request, "scoring/certificates/certificate_verify.html", context, status=404)
    issued = document_issued(certificate)
    form = CertificateCheckForm(request.POST or None, request.FILES or None) if issued else None
    verdict = status_verdict(certificate)
    if request.method == "POST" and form is not None and form.is_valid():
        verdict = file_verdict(certificate, form.data_bytes())
        form = CertificateCheckForm()  # the file is not kept: the form comes back empty
    return render(
        request,
        "scoring/certificates/certificate_verify.html",
        {
            "certificate": certificate,
            "serial": serial,
            "decision": certificate.decision,
            # The issuing province as the decision's date named it (a 2024 decision: tỉnh Bắc Giang).
            "issuer_name": body_name_on(certificate.decision.province, certificate.decision.signed_on).full
            if certificate.decision.signed_on
            else certificate.decision.province.official_name,
            "issued": issued,
            "form": form,
            "verdict": verdict,
        },
    )


def download(request, serial):
    """The issued PDF, valid or revoked; nothing while it is being issued."""
    certificate = get_object_or_404(Certificate, serial=serial)
    if not document_issued(certificate):
        raise Http404
    return pdf_response(certificate.file.open("rb"), filename=f"{certificate.serial}.pdf")


# --- Staff: the batch of a decision --------------------------------------------------------------


@decision_permission_required(VIEW_CERTIFICATES)
def batch(request, decision):
    """The documents of an approved decision as they are issued: progress, failures, and the revocations."""
    approved = decision.is_approved
    rows = (
        list(decision.certificates.select_related("commune").order_by("kind", "register_number", "serial"))
        if approved
        else []
    )
    progress = batch_progress(decision) if approved else None
    can_revoke = request.user.has_perm(REVOKE_CERTIFICATE, decision)
    return render(
        request,
        "scoring/certificates/certificate_batch.html",
        {
            "page_title": _("Certificates of decision %(number)s") % {"number": decision.number},
            "crumbs": _crumbs(decision),
            "province": decision.province,
            "decision": decision,
            "approved": approved,
            "rows": rows,
            "progress": progress,
            "all_valid": bool(progress and progress.done and progress.valid == progress.total),
            "can_revoke": can_revoke,
            "revoke_form": RevokeForm() if can_revoke else None,
        },
    )


def _progress_data(progress) -> dict:
    return {
        "total": progress.total,
        "valid": progress.valid,
        "failed": progress.failed,
        "pending": progress.pending,
        "percent": progress.percent,
        "done": progress.done,
    }


@decision_permission_required(VIEW_CERTIFICATES)
def progress(request, decision):
    """What the batch page's progress bar reads every two seconds."""
    if decision.is_approved:
        data = _progress_data(batch_progress(decision))
    else:  # nothing to issue, and nothing will be until the leader approves
        data = {"total": 0, "valid": 0, "failed": 0, "pending": 0, "percent": 0, "done": False}
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


class _Chunks:
    """A write-only file for ZipFile: what was written since the last ``take`` (no seek, so ZipFile
    writes data descriptors and never goes back)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _zip_stream(certificates: list[Certificate]):
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            with certificate.file.open("rb") as source, archive.open(f"{certificate.serial}.pdf", "w") as target:
                shutil.copyfileobj(source, target, 64 * 1024)
            yield sink.take()
    yield sink.take()


@decision_permission_required(VIEW_CERTIFICATES)
def archive(request, decision):
    """Every valid PDF of the decision in one ZIP, each named by its serial, streamed as it is read."""
    certificates = [
        c for c in decision.certificates.filter(status=Certificate.Status.VALID).order_by("kind", "serial") if c.file
    ]
    if not decision.is_approved or not certificates:
        raise Http404
    response = StreamingHttpResponse(_zip_stream(certificates), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{decision.year}-{decision.pk}.zip"'
    return response


@decision_permission_required(VIEW_CERTIFICATES)
@require_POST
def reissue(request, decision):
    """Queue again every document of the decision that is not valid (the failed ones, mostly)."""
    if not decision.is_approved:
        messages.error(request, _("Only an approved decision has certificates."))
        return redirect("scoring:certificates_batch", pk=decision.pk)
    try:
        queued = certificates_queue(decision)
    except ScoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Documents queued to be issued again: %(count)s.") % {"count": queued})
    return redirect("scoring:certificates_batch", pk=decision.pk)


def _certificate(serial: str, **kwargs):
    certificate = get_object_or_404(Certificate.objects.select_related("decision__province"), serial=serial)
    return certificate, {"certificate": certificate, **kwargs}


@object_permission_required(REVOKE_CERTIFICATE, _certificate)
@require_POST
def revoke(request, certificate):
    """DoHA withdraws a certificate with its reason; its verification page then says so."""
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
    else:
        try:
            certificate_revoke(certificate=certificate, by=request.user, reason=form.cleaned_data["reason"])
        except ScoringError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Certificate %(serial)s is revoked.") % {"serial": certificate.serial})
    return redirect("scoring:certificates_batch", pk=certificate.decision_id)
