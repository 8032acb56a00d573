"""A citizen's feedback comes in: checks, rate limit, tracking code, time limit and the first mails."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import phone_validator
from communes.models import Commune
from core import clock
from core.counters import rate_limit_exceeded
from core.uploads import clean_image, image_pixels_check
from core.workdays import add_working_days
from feedback.models import (
    DESCRIPTION_MAX,
    MAX_PHOTOS,
    TITLE_MAX,
    TOO_MANY_PHOTOS,
    Category,
    Event,
    Feedback,
    Photo,
)
from feedback.services.common import (
    FeedbackError,
    action_url,
    event_add,
    officer_emails,
    raise_validation,
    require_text,
    staff_url,
    submitter_email,
    tracking_url,
)
from feedback.services.notifications import notification_key, notification_queue
from feedback.services.pending_photos import content_name, pending_photos_clear, pending_photos_read

# Crockford-like: no 0/O, 1/I/L or U, so a code read out over the phone or copied by hand stays right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# Per client address (hashed): a fixed window each.
RATE_LIMITS = (("hour", 5, 3600), ("day", 20, 24 * 3600))

CONSENT_REQUIRED = gettext_lazy("Please agree to the use of your personal data to send your feedback.")
CATEGORY_NOT_OPEN = gettext_lazy("This category is not open for feedback in this commune.")
TITLE_MISSING = gettext_lazy("Please give your feedback a title.")
TITLE_TOO_LONG = gettext_lazy("The title may be at most %(limit)d characters long.")
DESCRIPTION_MISSING = gettext_lazy("Please describe the problem.")
DESCRIPTION_TOO_LONG = gettext_lazy("The description may be at most %(limit)d characters long.")
BAD_LOCATION = gettext_lazy("The location on the map is not valid. Please choose the place again.")
RATE_LIMIT_HOUR = gettext_lazy(
    "Many feedback items were sent from your connection in the last hour. Please try again later."
)
RATE_LIMIT_DAY = gettext_lazy("Many feedback items were sent from your connection today. Please try again tomorrow.")


def normalise_code(text: str) -> str:
    """A tracking code as typed ('abcd-2345 ', 'ABCD 2345') as it is stored ('ABCD2345')."""
    return "".join(char for char in (text or "") if not char.isspace() and char not in "-‐‑–—").upper()


def code_new() -> str:
    """A fresh random tracking code not in use; random, so codes reveal nothing about volume or order."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Feedback.objects.filter(code=code).exists():
            return code


def _by_token(submission_token: str | None) -> Feedback | None:
    return Feedback.objects.filter(submission_token=submission_token).first() if submission_token else None


def _rate_limit(client_ip: str | None) -> None:
    messages = {"hour": RATE_LIMIT_HOUR, "day": RATE_LIMIT_DAY}
    for window, limit, seconds in RATE_LIMITS:
        if rate_limit_exceeded(scope=f"submit:{window}", client_ip=client_ip, limit=limit, seconds=seconds):
            raise FeedbackError(messages[window])


def _coordinate(value, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as error:
        raise FeedbackError(BAD_LOCATION) from error
    if not -limit <= number <= limit:
        raise FeedbackError(BAD_LOCATION)
    return number


def _measured_photos(photos) -> list:
    """The photos, counted and measured from their headers only: cheap enough to run before the rate
    limit, so a citizen whose photo is too large is told so without using up an attempt."""
    photos = [photo for photo in (photos or ()) if photo]
    if len(photos) > MAX_PHOTOS:
        raise FeedbackError(TOO_MANY_PHOTOS % {"count": MAX_PHOTOS})
    for photo in photos:
        try:
            image_pixels_check(photo)
        except ValidationError as error:
            raise_validation(error)
    return photos


def _clean_photos(photos) -> list:
    cleaned = []
    for photo in photos:
        try:
            cleaned.append(clean_image(photo))
        except ValidationError as error:
            raise_validation(error)
    return cleaned


def _with_kept(kept: list, cleaned: list) -> list:
    """The photos kept from an earlier post of the form, then the new ones that are not one of them
    (a citizen who chooses a kept photo again sends it once)."""
    kept_names = {photo.name for photo in kept}
    return [*kept, *(photo for photo in cleaned if content_name(photo) not in kept_names)]


def gives_personal_data(*, contact_name, contact_phone, contact_email, latitude, signed_in: bool) -> bool:
    """Whether the item carries data about its sender: contact details, the device's position, or the
    account of a signed-in sender. Only then is their consent asked for (here, and by the form)."""
    contact = any((value or "").strip() for value in (contact_name, contact_phone, contact_email))
    return contact or latitude is not None or signed_in


def _language(language: str) -> str:
    return language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def _notify_submitted(feedback: Feedback, event: Event) -> None:
    to = submitter_email(feedback)
    if to:
        notification_queue(
            feedback=feedback,
            to=to,
            template="received",
            key=notification_key(feedback, event, to),
            context={
                "code": feedback.code,
                "title": feedback.title,
                "commune": str(feedback.commune),
                "category": feedback.category.name,
                "due_date": feedback.due_date.isoformat(),
                "tracking_url": tracking_url(feedback),
                "action_url": action_url(feedback),
            },
        )
    for officer in officer_emails(feedback.commune):
        notification_queue(
            feedback=feedback,
            to=officer,
            template="new_item",
            key=notification_key(feedback, event, officer),
            language=settings.LANGUAGE_CODE,
            context={
                "code": feedback.code,
                "title": feedback.title,
                "commune": str(feedback.commune),
                "category": feedback.category.name,
                "due_date": feedback.due_date.isoformat(),
                "staff_url": staff_url(feedback),
            },
        )


def feedback_submit(
    *,
    commune: Commune,
    category: Category,
    title: str,
    description: str,
    address: str = "",
    latitude=None,
    longitude=None,
    photos=(),
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    consent: bool,
    submitter=None,
    language: str = "vi",
    submission_token: str | None = None,
    client_ip: str | None = None,
    pending_token: str | None = None,
) -> Feedback:
    """Record a citizen's feedback, give it a tracking code and a due date, and tell the submitter and
    the commune's officers. With a ``submission_token`` already used, the item made then is returned.
    ``pending_token`` names the photos kept from the form's earlier posts (feedback.services.pending_photos):
    they are attached before ``photos``, and removed from where they were kept once the item is saved.
    Consent is needed only when the sender gives personal data."""
    submission_token = (submission_token or "").strip() or None
    existing = _by_token(submission_token)
    if existing is not None:
        return existing
    if category.province_id != commune.province_id or not category.active:
        raise FeedbackError(CATEGORY_NOT_OPEN)
    title = require_text(title, limit=TITLE_MAX, missing=TITLE_MISSING, too_long=TITLE_TOO_LONG)
    description = require_text(
        description, limit=DESCRIPTION_MAX, missing=DESCRIPTION_MISSING, too_long=DESCRIPTION_TOO_LONG
    )
    latitude, longitude = _coordinate(latitude, 90), _coordinate(longitude, 180)
    if (latitude is None) != (longitude is None):
        raise FeedbackError(BAD_LOCATION)
    personal = gives_personal_data(
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        latitude=latitude,
        signed_in=submitter is not None and submitter.is_authenticated,
    )
    if personal and consent is not True:
        raise FeedbackError(CONSENT_REQUIRED)
    contact_phone = (contact_phone or "").strip()
    if contact_phone:
        try:
            phone_validator(contact_phone)
        except ValidationError as error:
            raise_validation(error)
    photos = _measured_photos(photos)
    kept = pending_photos_read(token=pending_token) if pending_token else []
    # The limit before decoding: decoding a photo costs a worker far more than this request's checks,
    # so an address past its limit must not get its photos decoded.
    _rate_limit(client_ip)
    cleaned_photos = _with_kept(kept, _clean_photos(photos))
    if len(cleaned_photos) > MAX_PHOTOS:
        raise FeedbackError(TOO_MANY_PHOTOS % {"count": MAX_PHOTOS})

    feedback = Feedback(
        action_key=secrets.token_urlsafe(24),
        commune=commune,
        category=category,
        title=title,
        description=description,
        address=(address or "").strip(),
        latitude=latitude,
        longitude=longitude,
        submitter=submitter if submitter is not None and submitter.is_authenticated else None,
        contact_name=(contact_name or "").strip(),
        contact_phone=contact_phone,
        contact_email=(contact_email or "").strip().lower(),
        consent=consent is True,
        language=_language(language),
        due_date=add_working_days(clock.today(), category.time_limit_days),
        submission_token=submission_token,
    )
    for _attempt in range(5):
        feedback.code = code_new()
        try:
            feedback.full_clean(exclude=["code", "submission_token"])
        except ValidationError as error:
            raise_validation(error)
        try:
            with transaction.atomic():
                if feedback.submitter_id:
                    feedback._history_user = feedback.submitter
                feedback.save(force_insert=True)
                for cleaned in cleaned_photos:
                    Photo.objects.create(feedback=feedback, image=cleaned)
                event = event_add(feedback, Event.Kind.SUBMITTED, by=feedback.submitter, status=feedback.status)
                _notify_submitted(feedback, event)
                if pending_token:
                    transaction.on_commit(lambda: pending_photos_clear(token=pending_token))
        except IntegrityError:
            feedback.pk = None
            feedback._state.adding = True
            # The same form posted twice at once: the other request made the item.
            existing = _by_token(submission_token)
            if existing is not None:
                return existing
            if Feedback.objects.filter(code=feedback.code).exists():
                continue  # another item took the code between the check and the insert
            raise
        return feedback
    raise FeedbackError(_("The feedback could not be saved. Please try again."))  # pragma: no cover
