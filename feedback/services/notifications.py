"""The mail outbox: a row written in the caller's transaction, sent once by a Celery task or the sweep."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import hashlib
import logging
from collections.abc import Iterator
from smtplib import SMTPException

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.tasks import enqueue_on_commit
from feedback.models import Feedback, Notification, RefusalReason, Status
from feedback.services.common import format_code, language_of

logger = logging.getLogger(__name__)

SEND_ERRORS = (SMTPException, OSError, ConnectionError)
SWEEP_DELAY = datetime.timedelta(minutes=1)
# After this many failed attempts a row is left for an operator (last_error says why).
MAX_ATTEMPTS = 24


_muted = contextvars.ContextVar("feedback_notifications_muted", default=False)


@contextlib.contextmanager
def notifications_muted() -> Iterator[None]:
    """Queue no mail inside the block: demo data and imports tell nobody."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notification_key(feedback: Feedback, event, to: str) -> str:
    """A unique key per item, event and recipient that fits the column whatever the address's length."""
    digest = hashlib.sha256(to.strip().lower().encode()).hexdigest()[:24]
    return f"{feedback.pk}:{event.pk if event is not None else 0}:{digest}"


def notification_queue(
    *, feedback: Feedback, to: str, template: str, key: str, context: dict, language: str | None = None
) -> Notification | None:
    """Write one mail to the outbox in the caller's transaction and send it after commit.

    The mail is written in ``language`` (default: the item's). A key already used means the mail was
    queued before: nothing is written again and None is returned."""
    to = (to or "").strip()
    if not to or _muted.get():
        return None
    language = language or language_of(feedback)
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={"feedback": feedback, "to": to, "template": template, "context": context, "language": language},
    )
    if not created:
        return None
    from feedback import tasks  # the tasks module imports the services

    enqueue_on_commit(tasks.send_notification, notification.pk)  # a dead broker leaves the row to the sweep
    return notification


def _render(notification: Notification) -> tuple[str, str]:
    context = dict(notification.context)
    if context.get("due_date"):
        context["due_date"] = datetime.date.fromisoformat(context["due_date"])
    with translation.override(notification.language):
        if context.get("status"):
            context["status_label"] = Status(context["status"]).label
        if context.get("refusal_reason"):
            context["refusal_reason_label"] = RefusalReason(context["refusal_reason"]).label
        context["code_display"] = format_code(context.get("code", ""))
        prefix = "feedback/email/" + notification.template
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        body = render_to_string(f"{prefix}_body.txt", context)
    return subject, body


def notification_send(*, notification_id: int) -> bool:
    """Send one outbox row unless it was sent already; False when there was nothing to send.

    The row stays locked while the mail goes out, so a task and the sweep never both send it.
    A mail server error is recorded on the row and raised again, so the task retries."""
    failure = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.sent_at is not None:
            return False
        subject, body = _render(notification)
        try:
            send_mail(subject, body, None, [notification.to])
        except SEND_ERRORS as error:
            failure = error
            notification.attempts += 1
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            notification.save(update_fields=["attempts", "last_error"])
        else:
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["sent_at", "last_error"])
    if failure is not None:
        raise failure
    return True


def notifications_send_pending() -> int:
    """Send every row left unsent for over a minute (its enqueue failed or its task gave up); the count sent."""
    cutoff = timezone.now() - SWEEP_DELAY
    pending = Notification.objects.filter(
        sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", flat=True)
    sent = 0
    for notification_id in list(pending):
        try:
            sent += notification_send(notification_id=notification_id)
        except SEND_ERRORS as error:
            logger.warning("Notification %s not sent (%s); it will be tried again.", notification_id, error)
        except Exception:  # one broken row (a template error) must not hold back the others
            logger.exception("Notification %s could not be sent.", notification_id)
    return sent
