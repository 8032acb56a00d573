"""The certificates part: the documents the portal prints (certificates, the decision's document, the
HS3 sheet), rendered by WeasyPrint (``documents``), sealed with the portal's key by pyHanko (``signing``),
numbered in the province's register (``register``), issued by Celery (``issue``)."""

from scoring.services.certificates.issue import (
    AUTHENTIC,
    MODIFIED,
    OTHER,
    REVOKED,
    TEMPLATES,
    Progress,
    Verdict,
    batch_progress,
    certificate_check,
    certificate_context,
    certificate_issue,
    certificate_revoke,
    certificates_plan,
    certificates_queue,
    certificates_requeue_stalled,
    new_serial,
)

__all__ = [
    "AUTHENTIC",
    "MODIFIED",
    "OTHER",
    "REVOKED",
    "TEMPLATES",
    "Progress",
    "Verdict",
    "batch_progress",
    "certificate_check",
    "certificate_context",
    "certificate_issue",
    "certificate_revoke",
    "certificates_plan",
    "certificates_queue",
    "certificates_requeue_stalled",
    "new_serial",
]
