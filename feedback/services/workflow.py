"""An item's life after it came in: the officers' decisions, the citizen's rating and dispute, and the
overdue sweep. Each change writes a timeline event and tells the people concerned through the outbox."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core import clock, pagecache
from core.workdays import add_working_days
from feedback.models import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    DISPUTE_WINDOW_DAYS,
    REASON_MAX,
    TITLE_MAX,
    Event,
    Feedback,
    Photo,
    RefusalReason,
    Status,
    dispute_window_end,
    may_be_rated,
)
from feedback.services.common import (
    FeedbackError,
    action_url,
    event_add,
    format_code,
    forwarded_in_time,
    lock,
    raise_validation,
    require_text,
    reviewer_emails,
    staff_url,
    submitter_email,
    sync,
    tracking_url,
)
from feedback.services.notifications import notification_key, notification_queue

MAX_EXTENSION_DAYS = 90

CANNOT = {
    Status.ACCEPTED: gettext_lazy("This feedback cannot be accepted now."),
    Status.REFUSED: gettext_lazy("This feedback cannot be refused now."),
    Status.IN_PROGRESS: gettext_lazy("This feedback cannot be started now."),
    Status.FORWARDED: gettext_lazy("This feedback cannot be forwarded now."),
    Status.RESOLVED: gettext_lazy("This feedback cannot be resolved now."),
    Status.CLOSED_UNRESOLVED: gettext_lazy("This feedback cannot be closed now."),
}
CANNOT_EXTEND = gettext_lazy("This feedback cannot be extended now.")
CANNOT_RATE = gettext_lazy("This feedback cannot be rated now.")
CANNOT_DISPUTE = gettext_lazy("This feedback cannot be disputed now.")
DISPUTE_WINDOW_OVER = gettext_lazy("An answer can be disputed only within %(days)d days.")

REASON_MISSING = gettext_lazy("Please give a reason.")
REASON_TOO_LONG = gettext_lazy("The reason may be at most %(limit)d characters long.")
PUBLIC_TEXT_MISSING = gettext_lazy("Please write an explanation for the public.")
PUBLIC_TEXT_TOO_LONG = gettext_lazy("The public explanation may be at most %(limit)d characters long.")
ANSWER_MISSING = gettext_lazy("Please write the answer.")
ANSWER_TOO_LONG = gettext_lazy("The answer may be at most %(limit)d characters long.")
UNIT_MISSING = gettext_lazy("Please name the unit the feedback is forwarded to.")
UNIT_TOO_LONG = gettext_lazy("The unit's name may be at most %(limit)d characters long.")
UNKNOWN_REFUSAL_REASON = gettext_lazy("Please choose a reason for the refusal.")
DUPLICATE_MISSING = gettext_lazy("Please give the tracking code of the feedback this one repeats.")
DUPLICATE_OF_ITSELF = gettext_lazy("A feedback cannot be a duplicate of itself.")
BAD_EXTENSION = gettext_lazy("The time limit can be extended by 1 to %(limit)d working days.")
BAD_RATING = gettext_lazy("Please choose a rating from 1 to 5 stars.")
COMMENT_TOO_LONG = gettext_lazy("The comment may be at most %(limit)d characters long.")
TITLE_TOO_LONG = gettext_lazy("The title may be at most %(limit)d characters long.")
DESCRIPTION_TOO_LONG = gettext_lazy("The description may be at most %(limit)d characters long.")


def _save(feedback: Feedback, by) -> None:
    feedback._history_user = by
    try:
        feedback.full_clean(exclude=["code", "submission_token"])
    except ValidationError as error:
        raise_validation(error)
    feedback.save()


def _notify_submitter(feedback: Feedback, event: Event, **extra) -> None:
    to = submitter_email(feedback)
    if not to:
        return
    context = {
        "code": feedback.code,
        "title": feedback.title,
        "commune": str(feedback.commune),
        "status": feedback.status,
        "public_text": event.public_text,
        "due_date": feedback.due_date.isoformat(),
        "tracking_url": tracking_url(feedback),
        **extra,
    }
    if may_be_rated(feedback.status):
        context.update(answer=feedback.answer, action_url=action_url(feedback), dispute_days=DISPUTE_WINDOW_DAYS)
    notification_queue(
        feedback=feedback, to=to, template="status_changed", key=notification_key(feedback, event, to), context=context
    )


def _notify_reviewers(feedback: Feedback, event: Event, *, reason: str) -> None:
    for to in reviewer_emails(feedback.commune):
        notification_queue(
            feedback=feedback,
            to=to,
            template="needs_review",
            key=notification_key(feedback, event, to),
            language=settings.LANGUAGE_CODE,
            context={
                "reason": reason,
                "code": feedback.code,
                "title": feedback.title,
                "commune": str(feedback.commune),
                "category": feedback.category.name,
                "status": feedback.status,
                "due_date": feedback.due_date.isoformat(),
                "disputes": feedback.disputes,
                "dispute_text": event.public_text if reason == "disputed" else "",
                "staff_url": staff_url(feedback),
            },
        )


def _transition(feedback: Feedback, *, to: str, by, public_text: str = "", **changes) -> tuple[Feedback, Event]:
    """Move the item to status ``to`` if its current status allows it; the locked, saved row and its event."""
    current = lock(feedback)
    if not current.may_move_to(to):
        raise FeedbackError(CANNOT[to])
    for name, value in changes.items():
        setattr(current, name, value)
    current.status = to
    _save(current, by)
    event = event_add(current, Event.Kind.STATUS, by=by, status=to, public_text=public_text)
    sync(feedback, current)
    return current, event


def _optional_text(text: str, *, limit: int, too_long) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise FeedbackError(too_long % {"limit": limit})
    return text


@transaction.atomic
def feedback_accept(*, feedback: Feedback, by) -> Feedback:
    """The commune takes the item on: it is within its competence and will be dealt with."""
    current, event = _transition(feedback, to=Status.ACCEPTED, by=by)
    _notify_submitter(current, event)
    return feedback


@transaction.atomic
def feedback_refuse(
    *, feedback: Feedback, by, reason: str, public_text: str, duplicate_of: Feedback | None = None
) -> Feedback:
    """Refuse the item for one of the set reasons, with an explanation the public reads."""
    if reason not in RefusalReason.values:
        raise FeedbackError(UNKNOWN_REFUSAL_REASON)
    public_text = require_text(
        public_text, limit=REASON_MAX, missing=PUBLIC_TEXT_MISSING, too_long=PUBLIC_TEXT_TOO_LONG
    )
    if reason == RefusalReason.DUPLICATE:
        if duplicate_of is None:
            raise FeedbackError(DUPLICATE_MISSING)
        if duplicate_of.pk == feedback.pk:
            raise FeedbackError(DUPLICATE_OF_ITSELF)
    else:
        duplicate_of = None
    current, event = _transition(
        feedback,
        to=Status.REFUSED,
        by=by,
        public_text=public_text,
        refusal_reason=reason,
        duplicate_of=duplicate_of,
    )
    duplicate_code = format_code(duplicate_of.code) if duplicate_of is not None else ""
    _notify_submitter(current, event, refusal_reason=reason, duplicate_code=duplicate_code)
    return feedback


@transaction.atomic
def feedback_start(*, feedback: Feedback, by, public_text: str = "") -> Feedback:
    """Work on an accepted item begins."""
    public_text = _optional_text(public_text, limit=REASON_MAX, too_long=PUBLIC_TEXT_TOO_LONG)
    current, event = _transition(feedback, to=Status.IN_PROGRESS, by=by, public_text=public_text)
    _notify_submitter(current, event)
    return feedback


@transaction.atomic
def feedback_forward(*, feedback: Feedback, by, to_unit: str, public_text: str) -> Feedback:
    """Send the item to the competent unit outside the commune. The timeline gets a FORWARDED event whose
    public text is the unit's name; ``forwarded_in_time(feedback, event.at)`` says whether it went within
    FORWARD_WITHIN_WORKING_DAYS working days of submission (also written in the event's staff note)."""
    to_unit = require_text(to_unit, limit=255, missing=UNIT_MISSING, too_long=UNIT_TOO_LONG)
    public_text = require_text(
        public_text, limit=REASON_MAX, missing=PUBLIC_TEXT_MISSING, too_long=PUBLIC_TEXT_TOO_LONG
    )
    current, event = _transition(feedback, to=Status.FORWARDED, by=by, public_text=public_text, forwarded_to=to_unit)
    in_time = forwarded_in_time(current, event.at)
    event_add(
        current,
        Event.Kind.FORWARDED,
        by=by,
        status=Status.FORWARDED,
        public_text=to_unit,
        note="in time" if in_time else "late",
    )
    _notify_submitter(current, event, forwarded_to=to_unit, forwarded_in_time=in_time)
    return feedback


@transaction.atomic
def feedback_extend(*, feedback: Feedback, by, working_days: int, reason: str) -> Feedback:
    """Move an open item's due date by ``working_days`` working days, for a public reason."""
    if isinstance(working_days, bool) or not isinstance(working_days, int):
        raise FeedbackError(BAD_EXTENSION % {"limit": MAX_EXTENSION_DAYS})
    if not 1 <= working_days <= MAX_EXTENSION_DAYS:
        raise FeedbackError(BAD_EXTENSION % {"limit": MAX_EXTENSION_DAYS})
    reason = require_text(reason, limit=REASON_MAX, missing=REASON_MISSING, too_long=REASON_TOO_LONG)
    current = lock(feedback)
    if not current.is_open:
        raise FeedbackError(CANNOT_EXTEND)
    current.due_date = add_working_days(current.due_date, working_days)
    current.extension_reason = reason
    if current.due_date >= clock.today():
        # Late no more: if it runs late again, the reviewers hear of it again.
        current.overdue_notified_at = None
    _save(current, by)
    event = event_add(current, Event.Kind.EXTENDED, by=by, public_text=reason)
    sync(feedback, current)
    _notify_submitter(current, event, extended=True)
    return feedback


@transaction.atomic
def feedback_resolve(*, feedback: Feedback, by, answer: str) -> Feedback:
    """Give the official answer: the item is resolved and the submitter may rate or dispute it."""
    answer = require_text(answer, limit=ANSWER_MAX, missing=ANSWER_MISSING, too_long=ANSWER_TOO_LONG)
    current, event = _transition(
        feedback, to=Status.RESOLVED, by=by, public_text=answer, answer=answer, answered_at=timezone.now()
    )
    _notify_submitter(current, event)
    return feedback


@transaction.atomic
def feedback_close_unresolved(*, feedback: Feedback, by, reason: str) -> Feedback:
    """Close the item without solving the problem, saying why (kept as the official answer)."""
    reason = require_text(reason, limit=REASON_MAX, missing=REASON_MISSING, too_long=REASON_TOO_LONG)
    current, event = _transition(
        feedback, to=Status.CLOSED_UNRESOLVED, by=by, public_text=reason, answer=reason, answered_at=timezone.now()
    )
    _notify_submitter(current, event)
    return feedback


@transaction.atomic
def feedback_redact(
    *, feedback: Feedback, by, public_title: str, public_description: str, hidden_photo_ids=()
) -> Feedback:
    """Set what the public sees instead of the original (which stays, for staff and history); an empty
    text shows the original again. ``hidden_photo_ids`` is the full set of the item's hidden photos."""
    public_title = _optional_text(public_title, limit=TITLE_MAX, too_long=TITLE_TOO_LONG)
    public_description = _optional_text(public_description, limit=DESCRIPTION_MAX, too_long=DESCRIPTION_TOO_LONG)
    hidden = {int(pk) for pk in hidden_photo_ids}
    current = lock(feedback)
    current.public_title = public_title
    current.public_description = public_description
    current.redacted_by = by
    current.redacted_at = timezone.now()
    _save(current, by)
    photos = Photo.objects.filter(feedback=current)
    photos.filter(pk__in=hidden).update(hidden=True)
    photos.exclude(pk__in=hidden).update(hidden=False)
    pagecache.bump(f"feedback:{current.code}", f"commune:{current.commune_id}")
    # The event says only that moderation happened: the original must not leak through the timeline.
    event_add(current, Event.Kind.REDACTED, by=by)
    sync(feedback, current)
    return feedback


@transaction.atomic
def feedback_rate(*, feedback: Feedback, rating: int, comment: str = "") -> Feedback:
    """The submitter rates the answer from 1 to 5; rating again replaces the rating. The comment is kept
    in the event's staff note, not on the public timeline."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise FeedbackError(BAD_RATING)
    comment = _optional_text(comment, limit=REASON_MAX, too_long=COMMENT_TOO_LONG)
    current = lock(feedback)
    if not may_be_rated(current.status):
        raise FeedbackError(CANNOT_RATE)
    current.rating = rating
    _save(current, None)
    event_add(current, Event.Kind.RATED, note=comment)
    sync(feedback, current)
    return feedback


@transaction.atomic
def feedback_dispute(*, feedback: Feedback, reason: str) -> Feedback:
    """The submitter disputes a resolution within DISPUTE_WINDOW_DAYS days: the item reopens with a fresh
    time limit and the reviewers above the commune are told."""
    reason = require_text(reason, limit=REASON_MAX, missing=REASON_MISSING, too_long=REASON_TOO_LONG)
    current = lock(feedback)
    window_end = dispute_window_end(current.status, current.answered_at)
    if window_end is None:
        raise FeedbackError(CANNOT_DISPUTE)
    if timezone.now() > window_end:
        raise FeedbackError(DISPUTE_WINDOW_OVER % {"days": DISPUTE_WINDOW_DAYS})
    current.status = Status.IN_PROGRESS
    current.disputes += 1
    # A reopened item gets the category's time limit again, counted from today.
    current.due_date = max(current.due_date, add_working_days(clock.today(), current.category.time_limit_days))
    current.overdue_notified_at = None
    _save(current, None)
    event = event_add(current, Event.Kind.DISPUTED, status=Status.IN_PROGRESS, public_text=reason)
    sync(feedback, current)
    _notify_submitter(current, event)
    _notify_reviewers(current, event, reason="disputed")
    return feedback


def overdue_flag(*, feedback_id: int, today: datetime.date) -> bool:
    """Flag one item as overdue and tell the reviewers, unless it is no longer open and late or was flagged."""
    with transaction.atomic():
        current = Feedback.objects.select_for_update().select_related("commune", "category").get(pk=feedback_id)
        if current.overdue_notified_at is not None or not current.is_open or current.due_date >= today:
            return False
        current.overdue_notified_at = timezone.now()
        _save(current, None)
        event = event_add(current, Event.Kind.OVERDUE, status=current.status)
        _notify_reviewers(current, event, reason="overdue")
    return True


def feedback_mark_overdue(*, today: datetime.date | None = None) -> int:
    """Flag open items past their due date once each and tell the reviewers; the number flagged."""
    today = today or clock.today()
    candidates = list(
        Feedback.objects.overdue(today).filter(overdue_notified_at__isnull=True).values_list("pk", flat=True)
    )
    return sum(overdue_flag(feedback_id=pk, today=today) for pk in candidates)
