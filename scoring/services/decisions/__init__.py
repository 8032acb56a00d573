"""The recognition decision: its steps (``workflow``), its number (``register``), its text as an
administrative document (``document``) and as a Word file (``docx``), and the copy signed in the
province's e-office system uploaded back (``signed``)."""

from scoring.services.decisions.register import decision_issue, number_format, number_parse
from scoring.services.decisions.signed import SignatureReport, decision_signed_upload, signed_pdf_report
from scoring.services.decisions.workflow import (
    NOT_ISSUED,
    Recognition,
    decision_approve,
    decision_approved,
    decision_defaults,
    decision_delete,
    decision_draft,
    decision_recognitions,
    decision_update,
)

__all__ = [
    "NOT_ISSUED",
    "Recognition",
    "SignatureReport",
    "decision_approve",
    "decision_approved",
    "decision_defaults",
    "decision_delete",
    "decision_draft",
    "decision_issue",
    "decision_recognitions",
    "decision_signed_upload",
    "decision_update",
    "number_format",
    "number_parse",
    "signed_pdf_report",
]
