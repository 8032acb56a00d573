"""The certificates part: the documents the portal prints (certificates, the decision's document, the
HS3 sheet), rendered by WeasyPrint (``documents``), signed with pyHanko (``signing``), issued by Celery
(``issue``)."""

from scoring.services.certificates.issue import (
    TEMPLATES,
    Progress,
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
    "TEMPLATES",
    "Progress",
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
