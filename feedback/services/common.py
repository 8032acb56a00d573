"""What every feedback service shares: the domain error, links, recipients and the timeline."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role, RoleAssignment, User
from communes.models import Commune, Province
from core import clock
from core.errors import ServiceError
from core.web import absolute_url
from core.workdays import add_working_days
from feedback.models import FORWARD_WITHIN_WORKING_DAYS, Event, Feedback


class FeedbackError(ServiceError):
    """A feedback rule was broken; the message is translated and may be shown as it is."""


def raise_validation(error: ValidationError):
    """A model's ValidationError as the one domain error, its messages joined in the active language."""
    raise FeedbackError(" ".join(str(message) for message in error.messages)) from error


def require_text(value: str, *, limit: int, missing: str, too_long: str) -> str:
    text = (value or "").strip()
    if not text:
        raise FeedbackError(missing)
    if len(text) > limit:
        raise FeedbackError(too_long % {"limit": limit})
    return text


def format_code(code: str) -> str:
    """'ABCD2345' → 'ABCD-2345', the way a tracking code is printed and read out."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def language_of(feedback: Feedback) -> str:
    languages = {code for code, _name in settings.LANGUAGES}
    return feedback.language if feedback.language in languages else settings.LANGUAGE_CODE


def tracking_url(feedback: Feedback, *, language: str | None = None) -> str:
    """The public page of the item, in the item's language unless told."""
    with translation.override(language or language_of(feedback)):
        return absolute_url(reverse("feedback:track", kwargs={"code": feedback.code}))


def action_url(feedback: Feedback, *, language: str | None = None) -> str:
    """The submitter's private link: the tracking page with the action key, which lets them rate or
    dispute (``feedback.rules.may_act_as_submitter``)."""
    return f"{tracking_url(feedback, language=language)}?{urlencode({'key': feedback.action_key})}"


def staff_url(feedback: Feedback) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse("feedback:detail", kwargs={"code": feedback.code}))


def forward_deadline(feedback: Feedback) -> datetime.date:
    """The last day an item may be forwarded to the competent unit: 5 working days, the period Decree
    20/2008/NĐ-CP art. 9 sets for feedback on administrative regulations."""
    return add_working_days(clock.date_of(feedback.submitted_at), FORWARD_WITHIN_WORKING_DAYS)


def forwarded_in_time(feedback: Feedback, at: datetime.datetime | None = None) -> bool:
    """Whether forwarding at ``at`` (default: now) is within the limit; for the timeline of a FORWARDED event."""
    return clock.date_of(at or timezone.now()) <= forward_deadline(feedback)


# --- Who is told -----------------------------------------------------------------------------------


def _with_successors(model, first_ids: set[int]) -> set[int]:
    """The ids and every unit that replaced them, following successors through each reorganisation."""
    through = model.successors.through
    name = model._meta.model_name
    found, frontier = set(first_ids), set(first_ids)
    while frontier:
        later = set(through.objects.filter(**{f"from_{name}_id__in": frontier}).values_list(f"to_{name}_id", flat=True))
        frontier = later - found
        found |= frontier
    return found


def _active_emails(assignments) -> list[str]:
    emails = (
        User.objects.filter(pk__in=assignments.values("user_id"), is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(emails))


def officer_emails(commune: Commune) -> list[str]:
    """Officers of the commune, and of the communes that replaced it (they keep its records)."""
    communes = _with_successors(Commune, {commune.pk})
    return _active_emails(RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, commune_id__in=communes))


def reviewer_emails(commune: Commune) -> list[str]:
    """Who reviews a commune's overdue and disputed items: the district's reviewers, or, for a commune
    with no district (after 1 July 2025) or a district nobody reviews, the province's DoHA staff."""
    if commune.district_id:
        emails = _active_emails(
            RoleAssignment.objects.filter(role=Role.DISTRICT_REVIEWER, district_id=commune.district_id)
        )
        if emails:
            return emails
    provinces = _with_successors(Province, {commune.province_id})
    return _active_emails(RoleAssignment.objects.filter(role=Role.DOHA_STAFF, province_id__in=provinces))


def submitter_email(feedback: Feedback) -> str:
    if feedback.contact_email:
        return feedback.contact_email
    if feedback.submitter_id and feedback.submitter.is_active:
        return feedback.submitter.email
    return ""


def event_add(feedback: Feedback, kind: str, *, by=None, status: str = "", public_text: str = "", note: str = ""):
    return Event.objects.create(feedback=feedback, kind=kind, by=by, status=status, public_text=public_text, note=note)


def lock(feedback: Feedback) -> Feedback:
    """The item re-read under a row lock, so two officers acting at once see each other's change."""
    return Feedback.objects.select_for_update().select_related("commune", "category").get(pk=feedback.pk)


def sync(target: Feedback, source: Feedback) -> None:
    """Copy the saved state back to the caller's instance, so it does not hold a stale status."""
    for field in Feedback._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
