"""The feedback app's permissions, from the role predicates in accounts/rules.py, and the rules on
who may act on an item in which state. Views, templates' flags and tests use the names exported here.

Contact details and the original of a redacted text are personal data: only the officers of the
commune concerned and the reviewers above it see them.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.utils.crypto import constant_time_compare

from accounts.rules import has_government_role, is_doha_staff_of, is_officer_of, is_site_admin, works_on
from feedback.models import Feedback, Photo, Status, photos_are_public

WORK_FEEDBACK = "feedback.work_feedback"
rules.add_perm(WORK_FEEDBACK, is_site_admin | is_officer_of)
VIEW_FEEDBACK_PRIVATE = "feedback.view_feedback_private"
rules.add_perm(VIEW_FEEDBACK_PRIVATE, works_on)
# The submitter's name, phone, e-mail and exact position: the commune's own officers only (DESIGN.md).
VIEW_CONTACT = "feedback.view_contact"
rules.add_perm(VIEW_CONTACT, is_site_admin | is_officer_of)
VIEW_ORIGINAL = "feedback.view_original"
rules.add_perm(VIEW_ORIGINAL, is_site_admin | is_doha_staff_of | is_officer_of)
VIEW_OVERDUE = "feedback.view_overdue"
# The province's overdue list is the administration's; a village head's role does not reach it.
rules.add_perm(VIEW_OVERDUE, has_government_role)
MANAGE_CATEGORIES = "feedback.manage_categories"
rules.add_perm(MANAGE_CATEGORIES, is_site_admin | is_doha_staff_of)


# --- Photos -------------------------------------------------------------------------------------------

# A photo an officer hid from the public: the commune's officers (who hide and show photos) and DoHA (who
# sees the original text too), as VIEW_ORIGINAL; the site admin, who may act as any commune's officer
# (WORK_FEEDBACK) and so choose what is hidden. Never the district reviewer or the leader.
VIEW_HIDDEN_PHOTOS = "feedback.view_hidden_photos"
rules.add_perm(VIEW_HIDDEN_PHOTOS, is_site_admin | is_doha_staff_of | is_officer_of)


class PhotoAccess:
    """Which of one item's photos a viewer sees: every one, the ones not hidden, or none."""

    ALL = "all"
    SHOWN = "shown"
    NONE = "none"


def photo_access(user, feedback: Feedback) -> str:
    """What ``user`` sees of ``feedback``'s photos (a PhotoAccess), decided once per item so that a page
    lists the photos with one filter, not one check per photo. ``feedback`` needs its ``commune``.

    Hidden photos: VIEW_HIDDEN_PHOTOS. The others: everyone once an officer has accepted the item
    (``photos_are_public``), before that the staff who follow the item (VIEW_FEEDBACK_PRIVATE). The
    submitter is the public here: the tracking page is the same for everyone holding its code."""
    if user.has_perm(VIEW_HIDDEN_PHOTOS, feedback):
        return PhotoAccess.ALL
    if photos_are_public(feedback.status) or user.has_perm(VIEW_FEEDBACK_PRIVATE, feedback):
        return PhotoAccess.SHOWN
    return PhotoAccess.NONE


def photo_allowed(access: str, photo: Photo) -> bool:
    """Whether a photo is among those ``access`` (from ``photo_access``) lets one see."""
    return access == PhotoAccess.ALL or (access == PhotoAccess.SHOWN and not photo.hidden)


def can_view_photo(user, photo: Photo) -> bool:
    """The one rule on feedback photos: whether ``user`` may see ``photo`` (its ``feedback.commune``
    loaded, or one query more). Every view that serves a photo file asks it."""
    return photo_allowed(photo_access(user, photo.feedback), photo)


# --- The officers' actions on an item ---------------------------------------------------------------

# The status each action moves an item to; extending and moderating leave the status as it is.
ACTION_TARGETS = {
    "accept": Status.ACCEPTED,
    "start": Status.IN_PROGRESS,
    "resolve": Status.RESOLVED,
    "forward": Status.FORWARDED,
    "refuse": Status.REFUSED,
    "close": Status.CLOSED_UNRESOLVED,
}


def actions_allowed(feedback: Feedback) -> list[str]:
    """The actions an item's status allows, as the services check them (``Feedback.may_move_to``,
    ``Feedback.is_open``): extending needs an open item; moderating the public version is always possible."""
    actions = [action for action, target in ACTION_TARGETS.items() if feedback.may_move_to(target)]
    if feedback.is_open:
        actions.append("extend")
    return [*actions, "redact"]


# --- The submitter's right to rate or dispute -------------------------------------------------------


def action_key_valid(item, key: str | None) -> bool:
    """Whether ``key`` is the private action key of ``item`` (a Feedback, or anything with its
    ``action_key``), compared in constant time (as bytes: a key typed with accents is simply wrong, where
    secrets.compare_digest would raise on a non-ASCII string)."""
    return bool(key) and bool(item.action_key) and constant_time_compare(str(key), item.action_key)


def may_act_as_submitter(user, item, keys: Iterable[str]) -> bool:
    """The submitter's right to rate or dispute ``item`` (with its ``submitter_id`` and ``action_key``):
    signed in as its submitter, or holding its action key among ``keys`` (read in order, until one fits)."""
    if user.is_authenticated and item.submitter_id is not None and item.submitter_id == user.pk:
        return True
    return any(action_key_valid(item, key) for key in keys)
