"""Residents who follow a village by e-mail: double opt-in, one-click unsubscribe, and the mails that
tell them a matter opened or its result was ruled on.

An address is personal data: no page says whether it follows a village, so asking again answers the
same way as asking the first time, and the mail itself (sent only to that address) says what happened.
Mails go out from Celery tasks queued after the commit; a stopped broker loses a mail, never a request
(the resident asks again, and the address is mailed again).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
import secrets
from collections.abc import Iterator
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communes.models import Village
from core.counters import keyed_hash, window_count
from core.errors import ServiceError
from core.tasks import enqueue_on_commit
from core.web import absolute_url
from democracy.models import Decision, Matter, MatterStatus, Subscription

logger = logging.getLogger(__name__)

SEND_ERRORS = (SMTPException, OSError, ConnectionError)
# An unconfirmed request is forgotten after this many days (its link stops working).
CONFIRM_VALID_DAYS = 7
# One confirmation mail per address and village in this window, however often the form is sent:
# the form must not become a way to flood someone's mailbox.
RESEND_AFTER_SECONDS = 600

EVENT_OPENED = "opened"
EVENT_RECOGNISED = "recognised"
EVENT_REFUSED = "refused"
EVENTS = (EVENT_OPENED, EVENT_RECOGNISED, EVENT_REFUSED)


class SubscriptionError(ServiceError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_muted = contextvars.ContextVar("democracy_mails_muted", default=False)


@contextlib.contextmanager
def mails_muted() -> Iterator[None]:
    """Queue no mail inside the block: demo data and imports tell nobody."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def mails_are_muted() -> bool:
    """Whether the current block is inside ``mails_muted`` (the boards' escalation mails ask too)."""
    return _muted.get()


def _language(language: str | None) -> str:
    languages = {code for code, _name in settings.LANGUAGES}
    return language if language in languages else settings.LANGUAGE_CODE


def _expired(subscription: Subscription) -> bool:
    return subscription.confirmed_at is None and subscription.created_at < timezone.now() - datetime.timedelta(
        days=CONFIRM_VALID_DAYS
    )


def _queue(template: str, subscription_id: int, matter_id: int | None = None) -> None:
    if _muted.get():
        return
    from democracy import tasks  # the tasks module imports this one

    enqueue_on_commit(tasks.send_subscription_mail, template, subscription_id, matter_id)


# --- Asking, confirming, leaving -----------------------------------------------------------------------


def subscription_request(*, village: Village, email: str, language: str | None = None) -> None:
    """Someone asks to follow ``village`` at ``email``: the address receives a link to confirm (or, if it
    already follows the village, a reminder of how to stop). Returns nothing a page could tell apart."""
    if not village.is_current:
        raise SubscriptionError(_("This village no longer exists; follow the village that took it over."))
    email = email.strip().lower()
    language = _language(language)
    throttle = f"democracy:subscribe:{keyed_hash('subscribe', f'{village.pk}:{email}')}"
    if window_count(throttle, RESEND_AFTER_SECONDS) > 1:
        return  # the mail of the first request is on its way, and its link still works
    with transaction.atomic():
        subscription = Subscription.objects.filter(village=village, email=email).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        village=village, email=email, language=language, token=secrets.token_urlsafe(32)
                    )
            except IntegrityError:  # the same address asked twice at once: one row, the other request's
                subscription = Subscription.objects.get(village=village, email=email)
        elif subscription.confirmed_at is None:
            # Asking again starts the confirmation period again, with a fresh link.
            Subscription.objects.filter(pk=subscription.pk).update(
                created_at=timezone.now(), language=language, token=secrets.token_urlsafe(32)
            )
        _queue("already" if subscription.confirmed_at else "confirm", subscription.pk)


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """The address owner confirmed; confirming twice is harmless."""
    subscription = Subscription.objects.select_for_update().select_related("village").filter(token=token[:64]).first()
    if subscription is None or _expired(subscription):
        raise SubscriptionError(
            _("This link has expired or is not valid. Ask again on the village's page to receive a new one.")
        )
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def subscription_for_token(*, token: str) -> Subscription | None:
    return Subscription.objects.select_related("village").filter(token=token[:64]).first()


def subscription_cancel(*, token: str) -> Village | None:
    """Stop every mail to the address for this village; the village it followed, or None if the link
    was used before (leaving twice is harmless)."""
    subscription = subscription_for_token(token=token)
    if subscription is None:
        return None
    Subscription.objects.filter(pk=subscription.pk).delete()
    return subscription.village


def subscriptions_expire() -> int:
    """Forget requests never confirmed: an address someone typed stays only as long as the link works."""
    cutoff = timezone.now() - datetime.timedelta(days=CONFIRM_VALID_DAYS)
    deleted, _rows = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


# --- Telling followers ------------------------------------------------------------------------------


def subscribers_notify(matter: Matter, event: str) -> None:
    """Tell the confirmed followers of the village(s) concerned that ``matter`` opened (``"opened"``) or
    that the commune recognised (``"recognised"``) or refused (``"refused"``) its result. Call it in the
    service's transaction: one task is queued after the commit, and it mails each follower."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    if _muted.get():
        return
    from democracy import tasks  # the tasks module imports this one

    enqueue_on_commit(tasks.notify_subscribers, matter.pk, event)


def subscribers_mail(*, matter_id: int, event: str) -> int:
    """Queue one mail per confirmed follower of the villages deciding the matter; how many."""
    matter = Matter.objects.filter(pk=matter_id).first()
    if matter is None or matter.status == MatterStatus.DRAFT:
        return 0
    if matter.village_id:
        villages = [matter.village_id]
    else:
        villages = list(Decision.objects.filter(matter=matter).values_list("village_id", flat=True))
    followers = list(
        Subscription.objects.filter(village_id__in=villages, confirmed_at__isnull=False).values_list("pk", flat=True)
    )
    for subscription_id in followers:
        _queue(event, subscription_id, matter_id)
    return len(followers)


def _context(subscription: Subscription, matter: Matter | None) -> dict:
    village = subscription.village
    context = {
        "village": str(village),
        "commune": str(village.commune),
        "village_url": absolute_url(reverse("democracy:village_detail", kwargs={"pk": village.pk})),
        "confirm_url": absolute_url(reverse("democracy:subscription_confirm", kwargs={"token": subscription.token})),
        "unsubscribe_url": absolute_url(reverse("democracy:subscription_cancel", kwargs={"token": subscription.token})),
        "valid_days": CONFIRM_VALID_DAYS,
    }
    if matter is not None:
        context |= {
            "matter": matter,
            "matter_url": absolute_url(reverse("democracy:matter_detail", kwargs={"pk": matter.pk})),
            "rows": list(matter.decisions.filter(village=village).order_by("starts_at")),
        }
    return context


def subscription_mail_send(*, template: str, subscription_id: int, matter_id: int | None = None) -> bool:
    """Send one mail; False when there is nothing to send (the address left, or the matter is gone)."""
    subscription = Subscription.objects.select_related("village__commune").filter(pk=subscription_id).first()
    if subscription is None:
        return False
    if template in EVENTS and subscription.confirmed_at is None:
        return False
    matter = None
    if matter_id is not None:
        matter = Matter.objects.select_related("commune").filter(pk=matter_id).first()
        if matter is None:
            return False
    with translation.override(_language(subscription.language)):
        context = _context(subscription, matter)
        prefix = f"democracy/email/{template}"
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        body = render_to_string(f"{prefix}_body.txt", context)
    headers = {}
    if template != "confirm":
        # RFC 8058: mail programs offer "unsubscribe" and post to the link themselves.
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    EmailMessage(subject, body, None, [subscription.email], headers=headers).send()
    return True
