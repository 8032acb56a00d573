"""Grassroots democracy over the API (Law 10/2022/QH15): the public pages' records, read through the same
selectors, so the API shows what the pages show and nothing more; and a signed-in resident's comments on
a consultation, sent through the same service and rate limit as the page's form.

Records that are not public yet (a matter or a consultation being prepared, a recommendation the commune
has not answered) are 404, as their pages are.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from communes import selectors as commune_selectors
from core.api.idempotency import IdempotentMixin
from core.counters import rate_limit_exceeded
from core.web import client_ip
from democracy.api import serializers as out
from democracy.models import ConferenceStatus, ConsultationStatus, DecisionStatus, Form
from democracy.selectors import boards as board_queries
from democracy.selectors import conferences as conference_queries
from democracy.selectors import consultations as consultation_queries
from democracy.selectors import public as public_queries
from democracy.selectors.execution import execution_for_public_page
from democracy.services import conferences as conference_services
from democracy.services import consultations as consultation_services
from democracy.views import consultations as consultation_pages

NOT_A_SECTION = _("Choose a section of this draft.")

# The states a consultation the public sees can be in (a draft is never public).
PUBLIC_CONSULTATION_STATUSES = [ConsultationStatus.OPEN, ConsultationStatus.CLOSED, ConsultationStatus.SYNTHESISED]
NOT_A_STATUS = _("Choose one of: open, closed, synthesised.")


def _found(selector, **kwargs):
    """What ``selector`` returns; its DoesNotExist (not found, or not public) is a 404."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist as error:
        raise Http404 from error


# --- A commune ----------------------------------------------------------------------------------------


class CommuneDemocracy(generics.RetrieveAPIView):
    """What the commune's democracy page lists: coming meetings and votes, the matters its villages decide,
    its consultations, dialogue conferences and oversight boards, its villages and conventions in force."""

    serializer_class = out.CommuneDemocracyOut

    def get_object(self):
        commune = _found(commune_selectors.commune_for_public_page, pk=self.kwargs["pk"])
        return {
            "commune": commune,
            "page_url": reverse("democracy:commune_democracy", kwargs={"pk": commune.pk}),
            "calendar_url": reverse("democracy:commune_calendar_ics", kwargs={"pk": commune.pk}),
            "calendar": public_queries.calendar_for_commune(commune=commune),
            "matters": public_queries.matters_for_commune(commune=commune),
            "consultations": consultation_queries.consultations_for_commune(commune=commune),
            "conferences": conference_queries.conferences_for_commune(commune=commune),
            "boards": board_queries.boards_for_commune(commune=commune),
            "villages": public_queries.villages_for_commune(commune=commune),
            "conventions": public_queries.conventions_in_force(commune=commune),
        }


# --- Matters residents decide -------------------------------------------------------------------------


class MatterDetail(generics.RetrieveAPIView):
    """A matter's public page: each village's deciding (its result once counted), the commune-wide
    result, the commune's recognition and, once recognised, how it is carried out."""

    serializer_class = out.MatterOut

    def get_object(self):
        matter = _found(public_queries.matter_for_public_page, pk=self.kwargs["pk"])
        matter.commune_rule = public_queries.commune_result(matter)
        matter.votes_online = any(row.form != Form.MEETING and row.status == DecisionStatus.OPEN for row in matter.rows)
        matter.execution = execution_for_public_page(matter=matter)
        return matter


# --- Consultations ------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter(
            "status",
            str,
            enum=PUBLIC_CONSULTATION_STATUSES,
            description="Only the consultations in this state.",
        )
    ]
)
class CommuneConsultationList(generics.ListAPIView):
    """The commune's published consultations: the open ones, the soonest to close first, then the closed
    and synthesised ones, the latest first."""

    serializer_class = out.ConsultationShortOut

    def get_queryset(self):
        commune = _found(commune_selectors.commune_for_public_page, pk=self.kwargs["pk"])
        # The page shows the latest few closed ones; the API pages through all of them (no slice).
        consultations = consultation_queries.consultations_for_commune(commune=commune, past=None)
        wanted = self.request.query_params.get("status")
        if wanted and wanted not in PUBLIC_CONSULTATION_STATUSES:
            raise exceptions.ValidationError({"status": [NOT_A_STATUS]})
        if wanted:
            consultations = [consultation for consultation in consultations if consultation.status == wanted]
        return consultations


class ConsultationDetail(generics.RetrieveAPIView):
    """A consultation's public page: the plan, the draft's sections with the published comments (never
    their authors), their answers once it is closed, and the synthesis once published."""

    serializer_class = out.ConsultationOut

    def get_object(self):
        consultation = _found(consultation_queries.consultation_for_public_page, pk=self.kwargs["pk"])
        groups, counts = consultation_queries.public_discussion(consultation=consultation)
        consultation.discussion = groups
        consultation.counts = counts
        consultation.published_comments = counts.comments
        consultation.comment_state = consultation_queries.comment_state(consultation)
        consultation.answers_public = consultation.status in (ConsultationStatus.CLOSED, ConsultationStatus.SYNTHESISED)
        return consultation


class ConsultationCommentCreate(IdempotentMixin, APIView):
    """A signed-in resident's comment on the draft or on one of its sections. It is published after a
    check, without its author's name; until then only its author sees it (``comments/mine/``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.ConsultationCommentIn, responses={201: out.OwnCommentOut})
    def post(self, request, pk: int):
        consultation = _found(consultation_queries.consultation_for_public_page, pk=pk)
        sent = out.ConsultationCommentIn(data=request.data)
        sent.is_valid(raise_exception=True)
        section = None
        if sent.validated_data.get("section") is not None:
            section = consultation.sections.filter(pk=sent.validated_data["section"]).first()
            if section is None:
                raise exceptions.ValidationError({"section": [NOT_A_SECTION]})
        # The page's limit, counted together with the page's form: one connection, one budget.
        if rate_limit_exceeded(
            scope="democracy-consultation-comment",
            client_ip=client_ip(request),
            limit=consultation_pages.COMMENTS_PER_HOUR,
            seconds=3600,
        ):
            raise exceptions.Throttled(wait=3600)
        comment = consultation_services.comment_submit(
            consultation=consultation, user=request.user, text=sent.validated_data["text"], section=section
        )
        return Response(out.OwnCommentOut(comment).data, status=status.HTTP_201_CREATED)


class OwnCommentList(generics.ListAPIView):
    """The signed-in resident's own comments on the consultation, whatever their moderation, with why one
    was not published."""

    serializer_class = out.OwnCommentOut
    permission_classes = [IsAuthenticated]
    pagination_class = None  # one person's comments on one draft: a handful

    def get_queryset(self):
        consultation = _found(consultation_queries.consultation_for_public_page, pk=self.kwargs["pk"])
        return consultation_queries.own_comments(consultation=consultation, user=self.request.user)


# --- Dialogue conferences ------------------------------------------------------------------------------


class ConferenceDetail(generics.RetrieveAPIView):
    """A dialogue conference's public page: when and where, the questions on its list (never who asked),
    and once published their outcomes and answers, the minutes and the summary."""

    serializer_class = out.ConferenceOut

    def get_object(self):
        conference = _found(conference_queries.conference_for_public_page, pk=self.kwargs["pk"])
        conference.question_rows = conference_queries.questions_for_public_page(conference=conference)
        conference.questions_open = conference_services.questions_open(conference)
        conference.published = conference.status == ConferenceStatus.PUBLISHED
        return conference


# --- Oversight boards and their recommendations --------------------------------------------------------


class CommuneBoards(generics.RetrieveAPIView):
    """The commune's People's Inspection Board and investment supervision boards, those in office first,
    with this year's figures of recommendations and answers."""

    serializer_class = out.BoardsOut

    def get_object(self):
        commune = _found(commune_selectors.commune_for_public_page, pk=self.kwargs["pk"])
        return board_queries.boards_for_commune(commune=commune)


class BoardDetail(generics.RetrieveAPIView):
    """A board's public page: its term, its members (name, position, village: a public office), its plans
    and reports, and the recommendations the commune has answered."""

    serializer_class = out.BoardOut

    def get_object(self):
        return _found(board_queries.board_for_public_page, pk=self.kwargs["pk"])


class RecommendationDetail(generics.RetrieveAPIView):
    """A board's recommendation with the commune's answer: public once answered, 404 before."""

    serializer_class = out.RecommendationPageOut

    def retrieve(self, request, *args, **kwargs):
        recommendation, board = _found(board_queries.recommendation_for_public_page, pk=self.kwargs["pk"])
        return Response(out.RecommendationPageOut(recommendation, context={"board": board}).data)
