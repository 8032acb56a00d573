"""Thin Celery wrappers around the certificate services; each takes ids and is safe to run twice."""

from celery import shared_task

from scoring.models import Certificate
from scoring.services.certificates import certificate_issue, certificates_requeue_stalled


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(Certificate.DoesNotExist,),
    retry_backoff=True,
    max_retries=5,
)
def issue_certificate(self, certificate_id: int, force: bool = False) -> str | None:
    """Render, sign and store one document; a valid one is left alone unless ``force``. Returns its status."""
    try:
        return certificate_issue(certificate_id, force=force).status
    except Certificate.DoesNotExist:
        return None  # deleted meanwhile: nothing to issue, nothing to retry


@shared_task(acks_late=True)
def issue_pending_certificates() -> int:
    """Every 15 minutes: queue again the documents whose issue stalled."""
    return certificates_requeue_stalled()
