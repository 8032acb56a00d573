"""Thin Celery wrappers around the feedback services; each is safe to run twice."""

from smtplib import SMTPException

from celery import shared_task

from feedback.services import (
    feedback_mark_overdue,
    notification_send,
    notifications_send_pending,
    pending_photos_expire,
)
from feedback.services.monthly import feedback_monthly_refresh


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError, ConnectionError),
    retry_backoff=True,
    max_retries=8,
    acks_late=True,
)
def send_notification(self, notification_id: int) -> bool:
    """Send one outbox row; a second run finds it sent and does nothing."""
    return notification_send(notification_id=notification_id)


@shared_task(acks_late=True)
def sweep_notifications() -> int:
    """Every 5 minutes: send rows whose task was never queued (broker down) or gave up."""
    return notifications_send_pending()


@shared_task(acks_late=True)
def mark_overdue_feedback() -> int:
    """Hourly: flag items past their due date and tell the reviewers, once per item."""
    return feedback_mark_overdue()


@shared_task(acks_late=True)
def refresh_monthly_figures() -> int:
    """Hourly: rebuild the monthly figures that scoring reads."""
    return feedback_monthly_refresh()


@shared_task(acks_late=True)
def expire_pending_photos() -> int:
    """Hourly: remove the photos kept for a feedback form that was never sent again, a day after."""
    return pending_photos_expire()
