"""Photos kept between two posts of the feedback form, so that a citizen whose form comes back with an
error does not choose them again.

The photos that passed the form's checks are cleaned as feedback_submit cleans them
(core.uploads.clean_image: no camera or GPS data left) and stored in a private folder of the media
store, one per form: ``private/feedback-pending/<token>/<hash>.<jpg|png|webp>``, which nothing serves
by path. The page carries the token signed (its *key*), in a hidden field and in the addresses of the
thumbnails, so only the browser that holds the page sees or uses them; a key older than a day names
nothing. feedback_submit attaches them and removes the folder once the item is saved; the hourly task
removes what was never sent (``pending_photos_expire``).

A photo's name is the hash of its cleaned content: keeping the same photo twice (a double click, a photo
chosen again) keeps it once, and feedback_submit attaches it once.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.counters import rate_limit_exceeded
from core.uploads import clean_image, image_pixels_check
from feedback.models import MAX_PHOTOS, TOO_MANY_PHOTOS
from feedback.services.common import FeedbackError, raise_validation

PENDING_FOLDER = "private/feedback-pending"
PENDING_MAX_AGE = 24 * 3600
KEY_SALT = "feedback.pending-photos"
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
NAME_PATTERN = re.compile(r"^[0-9a-f]{32}\.(?:jpg|png|webp)$")
# Decoding a photo costs a worker far more than the request's checks: a connection may have this many
# photos cleaned for forms that came back with an error, per hour.
PHOTOS_PER_HOUR = 30

TOO_MANY_KEPT = _(
    "Many photos were sent from your connection in the last hour. They are not kept: choose them again "
    "when you send the form."
)


@dataclass(frozen=True)
class PendingKey:
    """A form's kept photos: ``key`` travels with the page (signed), ``token`` names their folder."""

    key: str
    token: str


def pending_key_new() -> PendingKey:
    """A new, empty set of kept photos for a form."""
    token = secrets.token_hex(16)
    return PendingKey(key=signing.dumps(token, salt=KEY_SALT), token=token)


def pending_key_read(key: str | None) -> PendingKey | None:
    """The kept photos a posted key names; None for a key that is missing, forged or older than a day."""
    if not key or len(key) > 200:
        return None
    try:
        token = signing.loads(key, salt=KEY_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        return None
    return PendingKey(key=key, token=token) if isinstance(token, str) and TOKEN_PATTERN.match(token) else None


def _folder(token: str) -> str:
    if not TOKEN_PATTERN.match(token or ""):
        raise ValueError("not a pending-photos token")
    return f"{PENDING_FOLDER}/{token}"


def _listing(folder: str) -> list[str]:
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def pending_photos_list(*, token: str) -> list[str]:
    """The names of the photos kept under ``token`` less than a day ago, in the order they were kept."""
    folder = _folder(token)
    oldest = timezone.now() - datetime.timedelta(seconds=PENDING_MAX_AGE)
    found = []
    for name in _listing(folder):
        if not NAME_PATTERN.match(name):
            continue
        try:
            modified = default_storage.get_modified_time(f"{folder}/{name}")
        except OSError:  # removed meanwhile
            continue
        if modified >= oldest:
            found.append((modified, name))
    return [name for _modified, name in sorted(found)]


def content_name(cleaned: ContentFile) -> str:
    """A cleaned photo's kept name: the hash of its content, with its extension."""
    cleaned.seek(0)
    digest = hashlib.sha256(cleaned.read()).hexdigest()[:32]
    cleaned.seek(0)
    return f"{digest}{PurePosixPath(cleaned.name or '').suffix.lower()}"


def pending_photos_keep(*, token: str, photos, client_ip: str | None = None) -> list[str]:
    """Clean ``photos`` (uploads that passed the form's checks) and keep them under ``token`` beside
    those kept before; returns the names of all. Raises FeedbackError: not a photo, too large, too many
    for one item, or too many photos cleaned for this connection in the last hour."""
    folder = _folder(token)
    photos = [photo for photo in (photos or ()) if photo]
    kept = pending_photos_list(token=token)
    if not photos:
        return kept
    for photo in photos:  # from their headers, before anything is decoded
        try:
            image_pixels_check(photo)
        except ValidationError as error:
            raise_validation(error)
    for _photo in photos:
        if rate_limit_exceeded(scope="pending-photos", client_ip=client_ip, limit=PHOTOS_PER_HOUR, seconds=3600):
            raise FeedbackError(TOO_MANY_KEPT)
    cleaned = {}
    for photo in photos:
        try:
            copy = clean_image(photo)
        except ValidationError as error:
            raise_validation(error)
        cleaned.setdefault(content_name(copy), copy)
    new = {name: copy for name, copy in cleaned.items() if name not in kept}
    if len(kept) + len(new) > MAX_PHOTOS:
        raise FeedbackError(TOO_MANY_PHOTOS % {"count": MAX_PHOTOS})
    for name, copy in new.items():
        # A second request keeping the same photo at the same moment gets another name, which no
        # listing reads: it is removed with the folder.
        default_storage.save(f"{folder}/{name}", copy)
    return pending_photos_list(token=token)


def pending_photos_remove(*, token: str, names) -> None:
    """Remove the kept photos the citizen ticked "remove"; names not kept are ignored."""
    folder = _folder(token)
    for name in names:
        if isinstance(name, str) and NAME_PATTERN.match(name):
            default_storage.delete(f"{folder}/{name}")


def pending_photos_read(*, token: str) -> list[ContentFile]:
    """The kept photos' contents, named by their hash, for feedback_submit to attach."""
    folder = _folder(token)
    found = []
    for name in pending_photos_list(token=token):
        try:
            with default_storage.open(f"{folder}/{name}", "rb") as handle:
                found.append(ContentFile(handle.read(), name=name))
        except FileNotFoundError:  # removed meanwhile (the same form sent twice at once)
            continue
    return found


def pending_photo_open(*, token: str, name: str) -> File:
    """One kept photo's file, for its thumbnail; raises FileNotFoundError for a name not kept."""
    if not NAME_PATTERN.match(name or "") or name not in pending_photos_list(token=token):
        raise FileNotFoundError(name)
    return default_storage.open(f"{_folder(token)}/{name}", "rb")


def pending_photos_clear(*, token: str) -> None:
    """Remove every photo kept under ``token``, and its folder: the form was sent."""
    folder = _folder(token)
    for name in _listing(folder):
        default_storage.delete(f"{folder}/{name}")
    with contextlib.suppress(OSError):
        default_storage.delete(folder)


def pending_photos_expire(*, now: datetime.datetime | None = None) -> int:
    """Remove the photos kept more than a day ago for forms that were never sent, and the folders left
    empty; returns how many photos were removed. Safe to run at any time, and twice."""
    oldest = (now or timezone.now()) - datetime.timedelta(seconds=PENDING_MAX_AGE)
    try:
        folders = default_storage.listdir(PENDING_FOLDER)[0]
    except FileNotFoundError:
        return 0
    removed = 0
    for token in folders:
        folder = f"{PENDING_FOLDER}/{token}"
        names = _listing(folder)
        left = len(names)
        for name in names:
            path = f"{folder}/{name}"
            try:
                old = default_storage.get_modified_time(path) < oldest
            except OSError:
                continue
            if old:
                default_storage.delete(path)
                removed += 1
                left -= 1
        if not left:
            with contextlib.suppress(OSError):  # a form kept a photo in it meanwhile
                default_storage.delete(folder)
    return removed
