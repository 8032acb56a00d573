"""The PDFs of an assessment (evidence, dossier documents), served through the portal: media files are
not published by the web server, so each download is checked against who may read the assessment."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from core.files import pdf_response
from scoring.models import Assessment

FILE_FIELDS = ("evidence_index", "evidence")
_UNSAFE_FILENAME = re.compile(r"[^\w.-]+")


def stored_file(assessment: Assessment, query, *, documents: bool = True) -> FileResponse:
    """``?line=<id>&file=evidence|evidence_index`` or ``?document=<id>``: a PDF of the assessment."""
    if "document" in query:
        if not documents:
            raise Http404
        attached = get_object_or_404(
            assessment.documents.select_related("document"), document_id=_number(query["document"])
        )
        stored, name = attached.file, attached.document.code
    else:
        kind = query.get("file")
        if kind not in FILE_FIELDS:
            raise Http404
        line = get_object_or_404(assessment.lines.select_related("criterion"), pk=_number(query.get("line")))
        stored, name = getattr(line, kind), f"{line.criterion.code}-{kind.replace('_', '-')}"
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = _UNSAFE_FILENAME.sub("-", f"{assessment.year}-{name}")
    response = pdf_response(handle, filename=f"{filename}.pdf")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _number(value) -> int:
    if not (value or "").isdigit():
        raise Http404
    return int(value)
