"""Feedback over the API as the public pages show and do it: a province's categories, a commune's list,
an item's tracking page, sending, rating and disputing with the action key, and the signed-in citizen's
own items.

Public reads go through the public selectors, which never load personal data; the action key leaves
the portal only in the answer to the POST that made the item (and that answer's replay).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from communes import selectors as commune_selectors
from communes.models import Commune, Province
from core import clock
from core.api.errors import ApiError
from core.api.idempotency import IdempotentMixin
from core.web import client_ip
from feedback import selectors
from feedback.api.serializers import (
    CategoryOut,
    DisputeIn,
    FeedbackIn,
    FeedbackItemOut,
    FeedbackListQuery,
    FeedbackPublicOut,
    FeedbackReceiptOut,
    FeedbackWithPhotosIn,
    MyFeedbackOut,
    RatingIn,
)
from feedback.api.views.common import CODE_PARAMETER, code_of
from feedback.models import Feedback
from feedback.rules import may_act_as_submitter
from feedback.selectors.mine import feedback_of_submitter
from feedback.selectors.staff import categories_of_province
from feedback.services import feedback_dispute, feedback_rate, feedback_submit, format_code, tracking_url

UNIT_ENDED = _("%(unit)s no longer exists. Send the feedback to the unit that took it over: %(units)s.")
UNIT_ENDED_UNKNOWN = _("%(unit)s no longer exists. Send the feedback to the commune where the problem is today.")
NOT_THE_SUBMITTER = _("Only the person who sent this feedback can do this: send the action key given with it.")


def _public(code: str) -> selectors.PublicFeedback:
    try:
        public, _access = selectors.feedback_public(code=code)
    except Feedback.DoesNotExist as error:
        raise Http404 from error
    return public


def _api_url(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"api:feedback:{name}", kwargs=kwargs))


# --- Categories ---------------------------------------------------------------------------------------


class ProvinceCategoryList(generics.ListAPIView):
    """The categories a province's communes take feedback in, each with its time limit."""

    serializer_class = CategoryOut
    pagination_class = None  # a province has a few dozen categories at most

    def get_queryset(self):
        province = get_object_or_404(Province, pk=self.kwargs["pk"])
        return [category for category in categories_of_province(province=province) if category.active]


# --- A commune's public list, and sending -------------------------------------------------------------


class FeedbackListCreate(IdempotentMixin, generics.ListAPIView):
    """GET: a commune's feedback as its public page lists it, newest first. POST: send feedback."""

    serializer_class = FeedbackItemOut

    def get_queryset(self):
        query = FeedbackListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        return selectors.public_feedback_for_commune(
            commune=filters["commune"], status=filters.get("status"), category=filters.get("category")
        )

    @extend_schema(parameters=[FeedbackListQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={"application/json": FeedbackIn, "multipart/form-data": FeedbackWithPhotosIn},
        responses={201: FeedbackReceiptOut},
        description=(
            "Send feedback to a commune, as JSON or as multipart with up to 3 photos in `photos`. "
            "The answer holds the action key, needed to rate or dispute the answer later."
        ),
    )
    def post(self, request, *args, **kwargs):
        given = FeedbackWithPhotosIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        commune: Commune = data["commune"]
        if not commune.is_current:
            raise _unit_ended(commune)
        feedback = feedback_submit(
            commune=commune,
            category=data["category"],
            title=data["title"],
            description=data["description"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            photos=data["photos"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            consent=data["consent"],
            submitter=request.user,
            language=get_language() or settings.LANGUAGE_CODE,
            submission_token=request.idempotency_token,
            client_ip=client_ip(request),
        )
        url = _api_url(request, "feedback-detail", code=feedback.code)
        receipt = {
            "code": feedback.code,
            "display_code": format_code(feedback.code),
            "action_key": feedback.action_key,
            "status": feedback.status,
            "status_label": feedback.get_status_display(),
            "due_date": feedback.due_date,
            "tracking_url": tracking_url(feedback, language=get_language()),
            "url": url,
        }
        return Response(FeedbackReceiptOut(receipt).data, status=status.HTTP_201_CREATED, headers={"Location": url})


def _unit_ended(commune: Commune) -> ApiError:
    """An ended unit takes no feedback (its form leads to today's units): say which units took it over
    (the communes API gives their ids, as the unit's ``successors_today``)."""
    gone = commune_selectors.unit_ended(commune)
    if not gone.units_today:
        message = UNIT_ENDED_UNKNOWN % {"unit": gone.name_then}
    else:
        units = ", ".join(unit.official_name for unit in gone.units_today)
        message = UNIT_ENDED % {"unit": gone.name_then, "units": units}
    return ApiError("unit-ended", message[:1].upper() + message[1:], fields={"commune": [message]})


# --- One item, as the public follows it ---------------------------------------------------------------


@extend_schema(parameters=[CODE_PARAMETER])
class FeedbackDetail(generics.RetrieveAPIView):
    """One item as its public tracking page shows it: the public text, status, due date, answer, rating,
    the photos the public may see once the commune accepted the item, and the timeline."""

    serializer_class = FeedbackPublicOut

    def get_object(self):
        return _public(code_of(self))


class _SubmitterAction(IdempotentMixin, APIView):
    """A step only the item's submitter may take: signed in as them, or with the action key in the body."""

    input_class: type
    serializer_class = FeedbackPublicOut

    def act(self, feedback: Feedback, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, code: str):
        given = self.input_class(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            feedback = selectors.feedback_for_action(code=code_of(self))
        except Feedback.DoesNotExist as error:
            raise Http404 from error
        if not may_act_as_submitter(request.user, feedback, [given.validated_data["action_key"]]):
            raise ApiError("forbidden", NOT_THE_SUBMITTER, status_code=status.HTTP_403_FORBIDDEN)
        self.act(feedback, given.validated_data)
        return Response(FeedbackPublicOut(_public(feedback.code)).data)


@extend_schema(
    parameters=[CODE_PARAMETER],
    request=RatingIn,
    responses={200: FeedbackPublicOut},
    description="Rate the answer from 1 to 5 (again: the new rating replaces the old). Answers the item.",
)
class FeedbackRating(_SubmitterAction):
    input_class = RatingIn

    def act(self, feedback, data):
        feedback_rate(feedback=feedback, rating=data["rating"], comment=data["comment"])


@extend_schema(
    parameters=[CODE_PARAMETER],
    request=DisputeIn,
    responses={200: FeedbackPublicOut},
    description=(
        "Dispute a resolution within 7 days: the item opens again and the reviewers are told. Answers the item."
    ),
)
class FeedbackDispute(_SubmitterAction):
    input_class = DisputeIn

    def act(self, feedback, data):
        feedback_dispute(feedback=feedback, reason=data["reason"])


# --- The signed-in citizen's own items ----------------------------------------------------------------


class MyFeedbackList(generics.ListAPIView):
    """The feedback the signed-in citizen sent while signed in, newest first (the latest hundred)."""

    serializer_class = MyFeedbackOut
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return feedback_of_submitter(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": clock.today()}
