"""Serving files users uploaded: a PDF a citizen or an officer sent is shown in the portal's origin, so
it is sandboxed (no script, no form, no top navigation) whatever it contains."""

from __future__ import annotations

from django.http import FileResponse

# Browsers' PDF viewers honour it: a script that slipped through core.uploads.clean_pdf cannot run with
# the portal's cookies. The CSP middleware leaves a header a view set alone.
PDF_POLICY = "sandbox"


def pdf_response(handle, *, filename: str, as_attachment: bool = False) -> FileResponse:
    """A user-uploaded (or stored) PDF, served with a sandboxing Content-Security-Policy."""
    response = FileResponse(handle, content_type="application/pdf", as_attachment=as_attachment, filename=filename)
    response["Content-Security-Policy"] = PDF_POLICY
    return response
