"""Thin Celery wrappers around the democracy services; each is safe to run twice."""

from smtplib import SMTPException

from celery import shared_task

from democracy.services.matters import decisions_count_due
from democracy.services.subscriptions import subscribers_mail, subscription_mail_send, subscriptions_expire


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError, ConnectionError),
    retry_backoff=True,
    max_retries=8,
    acks_late=True,
)
def send_subscription_mail(self, template: str, subscription_id: int, matter_id: int | None = None) -> bool:
    """One mail to one follower (a confirmation link, or news of a matter)."""
    return subscription_mail_send(template=template, subscription_id=subscription_id, matter_id=matter_id)


@shared_task(acks_late=True)
def notify_subscribers(matter_id: int, event: str) -> int:
    """Fan a matter's news out into one mail task per follower, so one bad address delays no other."""
    return subscribers_mail(matter_id=matter_id, event=event)


@shared_task(acks_late=True)
def count_due_decisions() -> int:
    """Every 5 minutes: count the ballots and online votes whose time is over."""
    return decisions_count_due()


@shared_task(acks_late=True)
def expire_subscriptions() -> int:
    """Daily: forget the e-mail addresses of requests never confirmed."""
    return subscriptions_expire()


# Oversight boards (art. 36-40): the commune answers a board's recommendation within 15 days.
@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError, ConnectionError),
    retry_backoff=True,
    max_retries=8,
    acks_late=True,
)
def send_escalation_mail(self, recommendation_id: int) -> bool:
    """One mail to the province's Department of Home Affairs about one overdue recommendation; a second
    run finds it mailed and does nothing."""
    from democracy.services.boards import escalation_mail_send

    return escalation_mail_send(recommendation_id=recommendation_id)


@shared_task(acks_late=True)
def escalate_overdue_recommendations() -> int:
    """Daily: escalate, once each, the recommendations the commune has not answered by their due date."""
    from democracy.services.boards import recommendations_escalate

    return recommendations_escalate()


# Consultations (art. 25-29).
@shared_task(acks_late=True)
def close_due_consultations() -> int:
    """Hourly: close the consultations whose last day is over (residents' comments end with it)."""
    from democracy.services.consultations import consultations_close_due

    return consultations_close_due()
