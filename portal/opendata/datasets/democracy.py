"""Grassroots democracy records as the public democracy pages show them (Law 10/2022/QH15): the matters
residents decide and each village's result once counted, the consultations with their counts of
comments, and the inspection boards' recommendations once the commune has answered them. Never a
household, a ballot, a comment's author or a running count; not the comments themselves."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from democracy.models import (
    Comment,
    CommentResponse,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    Decision,
    Matter,
    MatterStatus,
    Recommendation,
    RecommendationStatus,
)
from democracy.selectors.public import decision_row
from portal.opendata.datasets.common import chunks, day_of, in_province, joined, local, public_url
from portal.opendata.datasets.one_stop import COMMUNE_CODE
from portal.opendata.registry import BOOLEAN, DATE, DATETIME, INTEGER, STRING, Dataset, Field, latest

THEME = _("Grassroots democracy")
VILLAGE_CODE = Field("village_code", STRING, _("Code of the village or residential group."), "")
VILLAGE_NAME = Field("village_name", STRING, _("Name of the village or residential group."), "Thôn Vân Cốc 1")


def _public_matters():
    # A matter being prepared is not public: its text and its date may still change.
    return Matter.objects.exclude(status=MatterStatus.DRAFT)


def matter_rows(province: str | None) -> Iterator[tuple]:
    matters = _public_matters().select_related("commune", "village").order_by("commune__code", "created_at", "pk")
    for matter in chunks(in_province(matters, province, "commune__province")):
        village = matter.village
        yield (
            matter.pk,
            matter.commune.code,
            village.code if village else "",
            str(village) if village else "",
            matter.title,
            matter.summary,
            matter.category,
            matter.form,
            matter.proposer,
            matter.secret,
            matter.status,
            matter.villages_total,
            matter.villages_for,
            matter.passed,
            matter.recognition_number,
            matter.recognised_on,
            day_of(matter.created_at),
            public_url("democracy:matter_detail", pk=matter.pk),
        )


def decision_rows(province: str | None) -> Iterator[tuple]:
    decisions = (
        Decision.objects.filter(matter__in=_public_matters())
        .select_related("matter__commune", "village")
        .order_by("matter__commune__code", "matter_id", "village__name", "pk")
    )
    for decision in chunks(in_province(decisions, province, "matter__commune__province")):
        # The page's own row: the totals only once the village has counted.
        row = decision_row(decision, decision.matter.category)
        result = row.result
        counted = (
            (
                result.households_total,
                result.households_present,
                result.votes_for,
                result.votes_against,
                result.votes_abstain,
                result.quorum_met,
                result.passed,
                result.decided_on,
            )
            if result
            else (None,) * 8
        )
        yield (
            decision.matter_id,
            decision.matter.commune.code,
            decision.village.code,
            str(decision.village),
            row.form,
            row.status,
            local(row.starts_at),
            local(row.ends_at),
            row.place,
            *counted,
        )


def consultation_rows(province: str | None) -> Iterator[tuple]:
    published = Q(comments__status=CommentStatus.PUBLISHED)
    consultations = (
        Consultation.objects.exclude(status=ConsultationStatus.DRAFT)
        .select_related("commune")
        .annotate(
            published=Count("comments", filter=published),
            **{
                response: Count("comments", filter=published & Q(comments__response=response))
                for response in CommentResponse.values
            },
        )
        .order_by("commune__code", "opens_on", "pk")
    )
    answered = (ConsultationStatus.CLOSED, ConsultationStatus.SYNTHESISED)
    for consultation in chunks(in_province(consultations, province, "commune__province")):
        # The answers are public once the consultation has closed, as on its page.
        responses = [getattr(consultation, response) for response in CommentResponse.values]
        yield (
            consultation.pk,
            consultation.commune.code,
            consultation.topic,
            consultation.title,
            consultation.summary,
            joined(consultation.channels or []),
            consultation.opens_on,
            consultation.closes_on,
            consultation.organiser,
            consultation.status,
            consultation.closed_on,
            consultation.closing_reason,
            consultation.synthesis_published_on,
            consultation.published,
            *(responses if consultation.status in answered else (None,) * len(responses)),
            public_url("democracy:consultation_detail", pk=consultation.pk),
        )


def recommendation_rows(province: str | None) -> Iterator[tuple]:
    # Public only once the commune has answered it.
    recommendations = (
        Recommendation.objects.filter(status=RecommendationStatus.ANSWERED)
        .select_related("board__commune")
        .order_by("board__commune__code", "received_on", "pk")
    )
    for recommendation in chunks(in_province(recommendations, province, "board__commune__province")):
        yield (
            recommendation.pk,
            recommendation.board.commune.code,
            recommendation.board.kind,
            recommendation.title,
            recommendation.text,
            recommendation.received_on,
            recommendation.due_on,
            recommendation.answered_on,
            recommendation.answered_on_time(),
            recommendation.answer,
            public_url("democracy:recommendation_detail", pk=recommendation.pk),
        )


MATTERS = Dataset(
    slug="democracy-matters",
    title=_("Matters residents decide"),
    description=_(
        "The matters the residents of a village, or of the whole commune village by village, decide "
        "directly (art. 15-21): what, how, who proposed it, where it stands, and the commune's recognition "
        "of the result."
    ),
    theme=THEME,
    fields=(
        Field("id", INTEGER, _("Stable number of the matter on the portal."), "12"),
        COMMUNE_CODE,
        VILLAGE_CODE,
        Field("village_name", STRING, _("Village that decides it (empty: the whole commune)."), "Thôn Vân Cốc 1"),
        Field("title", STRING, _("Title."), "Bê tông hóa đường làng"),
        Field("summary", STRING, _("What residents decide."), ""),
        Field("category", INTEGER, _("Kind of matter, item 1 to 6 of art. 15."), "1"),
        Field("form", STRING, _("How residents decide: meeting, ballot or online."), "meeting"),
        Field("proposer", STRING, _("Who proposed it: chairman, village_head or residents."), "village_head"),
        Field("secret", BOOLEAN, _("Secret vote."), "true"),
        Field("status", STRING, _("deciding, decided, recognised or refused (not recognised)."), "recognised"),
        Field("villages_total", INTEGER, _("Villages deciding a commune-wide matter."), ""),
        Field("villages_for", INTEGER, _("Of them, villages in favour."), ""),
        Field("passed", BOOLEAN, _("Whether it passed (empty: not yet decided)."), "true"),
        Field("recognition_number", STRING, _("Number of the commune's decision recognising it."), ""),
        Field("recognised_on", DATE, _("Day the commune recognised or refused it."), ""),
        Field("created_on", DATE, _("Day it was recorded."), "2026-01-05"),
        Field("url", STRING, _("Address of its public page."), ""),
    ),
    rows=matter_rows,
    modified=lambda: latest((Matter.history.exclude(status=MatterStatus.DRAFT), "history_date")),
)

DECISIONS = Dataset(
    slug="democracy-decisions",
    title=_("Villages' meetings and votes on the matters"),
    description=_(
        "Each village's deciding of a matter: a meeting, household ballots or an online vote, when and "
        "where, and its result once the village has counted it (households, votes, quorum, passed). How a "
        "household voted is never part of the data."
    ),
    theme=THEME,
    fields=(
        Field("matter_id", INTEGER, _("Number of the matter (see democracy-matters)."), "12"),
        COMMUNE_CODE,
        VILLAGE_CODE,
        VILLAGE_NAME,
        Field("form", STRING, _("meeting, ballot or online."), "meeting"),
        Field("status", STRING, _("planned, open, counted, cosigned or sent (to the commune)."), "sent"),
        Field("starts_at", DATETIME, _("The meeting's time, or when ballots and votes open."), ""),
        Field("ends_at", DATETIME, _("When ballots or the online vote close (empty for a meeting)."), ""),
        Field("place", STRING, _("Where the meeting is held."), "Nhà văn hóa thôn"),
        Field("households_total", INTEGER, _("Households in the village (empty until counted)."), "120"),
        Field("households_present", INTEGER, _("Households represented or that voted."), "96"),
        Field("votes_for", INTEGER, _("Votes for."), "80"),
        Field("votes_against", INTEGER, _("Votes against."), "10"),
        Field("votes_abstain", INTEGER, _("Abstentions."), "6"),
        Field("quorum_met", BOOLEAN, _("Whether a meeting gathered its quorum (empty for votes)."), "true"),
        Field("passed", BOOLEAN, _("Whether it passed in the village."), "true"),
        Field("decided_on", DATE, _("Day of the meeting or of the count."), ""),
    ),
    rows=decision_rows,
    modified=lambda: latest((Decision.history.all(), "history_date")),
)

CONSULTATIONS = Dataset(
    slug="democracy-consultations",
    title=_("Consultations of residents"),
    description=_(
        "The consultations a commune holds before it decides (art. 25-29): what, how and when, and how "
        "many comments were published and, once it closed, taken in, partly taken in or explained. The "
        "comments themselves and their authors are not part of the data."
    ),
    theme=THEME,
    fields=(
        Field("id", INTEGER, _("Stable number of the consultation."), "4"),
        COMMUNE_CODE,
        Field("topic", INTEGER, _("Kind of content, item 1 to 9 of art. 25."), "5"),
        Field("title", STRING, _("Title."), ""),
        Field("summary", STRING, _("What residents are consulted on."), ""),
        Field("channels", STRING, _("Forms of consultation (art. 26), separated by ';'."), "portal;meeting"),
        Field("opens_on", DATE, _("First day for comments."), ""),
        Field("closes_on", DATE, _("Planned last day for comments."), ""),
        Field("organiser", STRING, _("Who organises it."), ""),
        Field("status", STRING, _("open, closed or synthesised (synthesis published)."), "synthesised"),
        Field("closed_on", DATE, _("Day it closed."), ""),
        Field("closing_reason", STRING, _("Why it closed before the planned day, if it did."), ""),
        Field("synthesis_published_on", DATE, _("Day the synthesis was published."), ""),
        Field("comments_published", INTEGER, _("Comments published after moderation."), "14"),
        Field("comments_taken_in", INTEGER, _("Of them, taken in (empty until it closes)."), "8"),
        Field("comments_partly_taken_in", INTEGER, _("Of them, partly taken in."), "3"),
        Field("comments_explained", INTEGER, _("Of them, explained."), "3"),
        Field("url", STRING, _("Address of its public page."), ""),
    ),
    rows=consultation_rows,
    modified=lambda: latest((Consultation.history.all(), "history_date"), (Comment.history.all(), "history_date")),
)

RECOMMENDATIONS = Dataset(
    slug="democracy-recommendations",
    title=_("Recommendations of the inspection boards and the communes' answers"),
    description=_(
        "The recommendations the People's Inspection Boards and the investment supervision boards made to "
        "their commune (art. 38-40), once the commune has answered, with whether it answered within the "
        "15 days the law gives."
    ),
    theme=THEME,
    fields=(
        Field("id", INTEGER, _("Stable number of the recommendation."), "7"),
        COMMUNE_CODE,
        Field("board_kind", STRING, _("inspection or investment (supervision board)."), "inspection"),
        Field("title", STRING, _("Title."), ""),
        Field("text", STRING, _("The recommendation."), ""),
        Field("received_on", DATE, _("Day the commune received it."), ""),
        Field("due_on", DATE, _("Day the answer was due."), ""),
        Field("answered_on", DATE, _("Day the commune answered."), ""),
        Field("answered_on_time", BOOLEAN, _("Answered by the due day."), "true"),
        Field("answer", STRING, _("The commune's answer."), ""),
        Field("url", STRING, _("Address of its public page."), ""),
    ),
    rows=recommendation_rows,
    modified=lambda: latest((Recommendation.history.filter(status=RecommendationStatus.ANSWERED), "history_date")),
)

DATASETS = (MATTERS, DECISIONS, CONSULTATIONS, RECOMMENDATIONS)
