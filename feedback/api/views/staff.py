"""Feedback over the API as the back-office shows it: a commune's queue, one item with what the viewer
may see of it, and the officers' first steps (accept, answer), under the pages' rules (feedback.rules).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.models import Commune
from core import clock
from core.api.idempotency import IdempotentMixin
from feedback.api.serializers import AnswerIn, FeedbackStaffOut, QueueItemOut, QueueQuery
from feedback.api.views.common import CODE_PARAMETER, code_of
from feedback.models import Feedback
from feedback.rules import (
    VIEW_CONTACT,
    VIEW_FEEDBACK_PRIVATE,
    VIEW_ORIGINAL,
    WORK_FEEDBACK,
    actions_allowed,
    photo_access,
)
from feedback.selectors.staff import (
    due_state,
    feedback_for_staff,
    feedback_queue,
    feedback_timeline,
    item_photos,
    queue_units,
)
from feedback.services import feedback_accept, feedback_resolve, format_code

# --- The staff side -----------------------------------------------------------------------------------


class CommuneQueue(generics.ListAPIView):
    """A commune's items with those of the communes it replaced, late ones first, then by due date: the
    back-office queue, for those who follow the commune (officers, reviewers, DoHA, leaders)."""

    serializer_class = QueueItemOut
    rules = {"GET": VIEW_FEEDBACK_PRIVATE}

    def rule_object(self):
        if not hasattr(self, "_commune"):
            communes = Commune.objects.select_related("province", "district")
            self._commune = get_object_or_404(communes, pk=self.kwargs["pk"])
        return self._commune

    def get_queryset(self):
        query = QueueQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        commune = self.rule_object()
        return feedback_queue(
            commune_ids=queue_units(commune=commune).commune_ids,
            today=clock.today(),
            status=filters.get("status", ""),
            category=filters.get("category"),
            overdue=filters["overdue"],
            q=filters.get("q", ""),
            search_original=self.request.user.has_perm(VIEW_ORIGINAL, commune),
        )

    @extend_schema(parameters=[QueueQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _staff_item(code: str) -> Feedback:
    return get_object_or_404(feedback_for_staff(), code=code)


def _event_by(event, feedback: Feedback, can_view_contact: bool) -> str | None:
    """Who took a step: an officer by name; the submitter's account only to those who see the contact."""
    if event.by is None or (event.by_id == feedback.submitter_id and not can_view_contact):
        return None
    return event.by.full_name or event.by.email


def staff_item_data(request, feedback: Feedback) -> dict:
    """The item as the back-office page shows it to this viewer (FeedbackStaffOut)."""
    user = request.user
    can_view_contact = user.has_perm(VIEW_CONTACT, feedback)
    can_view_original = user.has_perm(VIEW_ORIGINAL, feedback)
    can_work = user.has_perm(WORK_FEEDBACK, feedback)
    photos = item_photos(feedback=feedback, access=photo_access(user, feedback))
    due = due_state(feedback=feedback, today=clock.today())
    staff_page = reverse("feedback:detail", kwargs={"code": feedback.code})
    contact = None
    if can_view_contact:
        contact = {
            "name": feedback.contact_name,
            "phone": feedback.contact_phone,
            "email": feedback.contact_email,
            "account_email": feedback.submitter.email if feedback.submitter_id else None,
            "latitude": feedback.latitude,
            "longitude": feedback.longitude,
        }
    return {
        "code": feedback.code,
        "display_code": format_code(feedback.code),
        "commune": feedback.commune,
        "category": feedback.category,
        "status": feedback.status,
        "status_label": feedback.get_status_display(),
        "title": feedback.shown_title,
        "description": feedback.shown_description,
        "original_title": feedback.title if can_view_original else None,
        "original_description": feedback.description if can_view_original else None,
        "redacted": bool(feedback.public_title or feedback.public_description or any(p.hidden for p in photos)),
        "address": feedback.address,
        "submitted_at": feedback.submitted_at,
        "due_date": due.due_date,
        "days_left": due.days_left,
        "days_late": due.days_late,
        "late": due.late,
        "extension_reason": feedback.extension_reason,
        "answered_at": feedback.answered_at,
        "answer": feedback.answer,
        "rating": feedback.rating,
        "disputes": feedback.disputes,
        "refusal_reason": feedback.refusal_reason,
        "refusal_reason_label": feedback.get_refusal_reason_display() if feedback.refusal_reason else "",
        "duplicate_of_code": feedback.duplicate_of.code if feedback.duplicate_of_id else "",
        "forwarded_to": feedback.forwarded_to,
        "consent": feedback.consent,
        "contact": contact,
        "photos": [
            {"id": photo.pk, "hidden": photo.hidden, "url": f"{staff_page}?photo={photo.pk}"} for photo in photos
        ],
        "timeline": [
            {
                "kind": event.kind,
                "label": event.get_kind_display(),
                "status": event.status,
                "status_label": event.get_status_display() if event.status else "",
                "public_text": event.public_text,
                "note": event.note,
                "by": _event_by(event, feedback, can_view_contact),
                "at": event.at,
            }
            for event in feedback_timeline(feedback=feedback)
        ],
        "can_work": can_work,
        "actions": actions_allowed(feedback) if can_work else [],
        "page_url": staff_page,
        "public_url": reverse("feedback:track", kwargs={"code": feedback.code}),
    }


@extend_schema(parameters=[CODE_PARAMETER])
class FeedbackStaffDetail(generics.RetrieveAPIView):
    """Everything about an item for those who follow its commune; the contact details for its officers."""

    serializer_class = FeedbackStaffOut
    rules = {"GET": VIEW_FEEDBACK_PRIVATE}

    def rule_object(self):
        if not hasattr(self, "_feedback"):
            self._feedback = _staff_item(code_of(self))
        return self._feedback

    def get_object(self):
        return staff_item_data(self.request, self.rule_object())


class _OfficerAction(IdempotentMixin, APIView):
    """One step of the commune's officers on an item; answers the item as the staff detail does."""

    rules = {"POST": WORK_FEEDBACK}
    serializer_class = FeedbackStaffOut

    def rule_object(self):
        if not hasattr(self, "_feedback"):
            self._feedback = _staff_item(code_of(self))
        return self._feedback

    def act(self, feedback: Feedback, request) -> None:
        raise NotImplementedError

    def post(self, request, code: str):
        feedback = self.rule_object()
        self.act(feedback, request)
        # What is stored, read again, whatever the service did to the instance.
        return Response(FeedbackStaffOut(staff_item_data(request, _staff_item(feedback.code))).data)


@extend_schema(
    parameters=[CODE_PARAMETER],
    request=None,
    responses={200: FeedbackStaffOut},
    description="The commune takes the item on: it is within its competence and will be dealt with.",
)
class FeedbackAcceptance(_OfficerAction):
    def act(self, feedback, request):
        feedback_accept(feedback=feedback, by=request.user)


@extend_schema(
    parameters=[CODE_PARAMETER],
    request=AnswerIn,
    responses={200: FeedbackStaffOut},
    description="Publish the official answer: the item is resolved and its sender may rate or dispute it.",
)
class FeedbackAnswer(_OfficerAction):
    def act(self, feedback, request):
        given = AnswerIn(data=request.data)
        given.is_valid(raise_exception=True)
        feedback_resolve(feedback=feedback, by=request.user, answer=given.validated_data["answer"])
