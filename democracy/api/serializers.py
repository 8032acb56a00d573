"""What the API says about grassroots democracy (Law 10/2022/QH15): the public records the pages show, and
a signed-in resident's own comments.

Output serializers read the selectors' public rows (democracy.selectors.*: ``DecisionRow``,
``PublicComment``, ``QuestionRow``, ``PublicMember``, ``PublicRecommendation``, ``PublicStep``), which
carry no author, no household, no ballot and no running count: a serializer cannot give what it was not
given. Each item names its record's route in the API (``url``) and its page on the site (``page_url``).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.api.serializers import UnitRefOut
from democracy.models import CommentStatus, ConsultationChannel, MatterStatus
from democracy.services.consultations import MAX_COMMENT_LENGTH


class Link(serializers.CharField):
    """The path of a route that takes the record's id (``pk``): an API route or a page."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        kwargs.setdefault("source", "pk")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return reverse(self.view_name, kwargs={"pk": value})


def file_link(view_name: str, pk: int, present: bool) -> str | None:
    """The path of a PDF's download route, or None when there is no file."""
    return reverse(view_name, kwargs={"pk": pk}) if present else None


# --- Shared references ---------------------------------------------------------------------------------


class DemocracyVillageOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    page_url = serializers.CharField(source="get_absolute_url")


class BoardRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    subject = serializers.CharField()
    url = Link("api:democracy:board-detail")
    page_url = serializers.CharField(source="get_absolute_url")


class MatterRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = Link("api:democracy:matter-detail")
    page_url = serializers.CharField(source="get_absolute_url")


# --- Matters residents decide --------------------------------------------------------------------------


class VillageResultOut(serializers.Serializer):
    """A village's counted result (democracy.selectors.public.Result): totals written once, when counting."""

    households_total = serializers.IntegerField()
    households_present = serializers.IntegerField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    votes_abstain = serializers.IntegerField()
    quorum_met = serializers.BooleanField(allow_null=True, help_text="A meeting's quorum; null for ballots and votes.")
    rule_text = serializers.CharField(help_text="The law's threshold for this village (art. 21).")
    passed = serializers.BooleanField()
    decided_on = serializers.DateField(allow_null=True)


class VillageDecisionOut(serializers.Serializer):
    """One village deciding the matter: its result only once the village has counted (null before)."""

    id = serializers.IntegerField(source="pk")
    village = DemocracyVillageOut()
    form = serializers.CharField()
    form_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField()
    without_quorum = serializers.BooleanField(help_text="A meeting held without its quorum: it decided nothing.")
    result = VillageResultOut(allow_null=True)
    minutes_url = serializers.SerializerMethodField()

    def get_minutes_url(self, row) -> str | None:
        return file_link("democracy:decision_minutes", row.pk, bool(row.result and row.result.has_minutes))


class VillageDecisionShortOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    village = DemocracyVillageOut()
    status = serializers.CharField()
    status_label = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    passed = serializers.SerializerMethodField(help_text="Null until the village has counted.")

    def get_passed(self, row) -> bool | None:
        return row.result.passed if row.result else None


class _MatterBase(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.IntegerField(help_text="The item of art. 15 (1–6).")
    category_label = serializers.CharField(source="get_category_display")
    village = DemocracyVillageOut(allow_null=True, help_text="Null: the whole commune decides, village by village.")
    form = serializers.CharField()
    form_label = serializers.CharField(source="get_form_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    passed = serializers.BooleanField(allow_null=True, help_text="The matter's result; null until it is known.")
    url = Link("api:democracy:matter-detail")
    page_url = serializers.CharField(source="get_absolute_url")


class MatterShortOut(_MatterBase):
    """A matter in the commune's list, with each village's deciding in short."""

    decisions = VillageDecisionShortOut(source="rows", many=True)


class MatterCommuneResultOut(serializers.Serializer):
    villages_total = serializers.IntegerField()
    villages_for = serializers.IntegerField(allow_null=True)
    rule_text = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True)


class MatterRecognitionOut(serializers.Serializer):
    """The commune's ruling on the result (art. 20): recognised with its decision's number, or refused with
    its reasons."""

    recognised = serializers.BooleanField()
    number = serializers.CharField()
    on = serializers.DateField(allow_null=True)
    reasons = serializers.CharField()


class ExecutionStepOut(serializers.Serializer):
    """One step carrying the decision out: never who recorded it."""

    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=15, decimal_places=0, allow_null=True, help_text="In đồng.")
    description = serializers.CharField()
    document_url = serializers.SerializerMethodField()

    def get_document_url(self, step) -> str | None:
        return file_link("democracy:execution_document", step.pk, step.has_document)


class ExecutionTotalsOut(serializers.Serializer):
    collected = serializers.DecimalField(max_digits=17, decimal_places=0)
    spent = serializers.DecimalField(max_digits=17, decimal_places=0)
    balance = serializers.DecimalField(max_digits=17, decimal_places=0)
    overspent = serializers.BooleanField()


class ExecutionOut(serializers.Serializer):
    """How a recognised decision is carried out (art. 30(1)), and the board that receives residents' reports."""

    steps = ExecutionStepOut(many=True)
    has_money = serializers.BooleanField()
    totals = ExecutionTotalsOut()
    board = BoardRefOut(allow_null=True, help_text="The People's Inspection Board in office; null when none.")


class MatterOut(_MatterBase):
    """A matter's public page."""

    commune = UnitRefOut()
    summary = serializers.CharField()
    proposer = serializers.CharField()
    proposer_label = serializers.CharField(source="get_proposer_display")
    secret = serializers.BooleanField(help_text="Ballots and online votes do not record how a household voted.")
    document_url = serializers.SerializerMethodField()
    votes_online = serializers.BooleanField(help_text="A village's ballots or online vote are open now.")
    decisions = VillageDecisionOut(source="rows", many=True)
    commune_result = serializers.SerializerMethodField()
    recognition = serializers.SerializerMethodField()
    execution = serializers.SerializerMethodField(help_text="Only once the commune has recognised the result.")

    def get_document_url(self, matter) -> str | None:
        return file_link("democracy:matter_document", matter.pk, bool(matter.document))

    @extend_schema_field(MatterCommuneResultOut(allow_null=True))
    def get_commune_result(self, matter):
        rule = matter.commune_rule
        if rule is None:
            return None
        return MatterCommuneResultOut(
            {
                "villages_total": matter.villages_total,
                "villages_for": matter.villages_for,
                "rule_text": rule.text,
                "passed": matter.passed,
            }
        ).data

    @extend_schema_field(MatterRecognitionOut(allow_null=True))
    def get_recognition(self, matter):
        if matter.recognised_on is None or not matter.is_frozen:
            return None
        recognised = matter.status == MatterStatus.RECOGNISED
        return MatterRecognitionOut(
            {
                "recognised": recognised,
                "number": matter.recognition_number if recognised else "",
                "on": matter.recognised_on,
                "reasons": "" if recognised else matter.recognition_reason,
            }
        ).data

    @extend_schema_field(ExecutionOut(allow_null=True))
    def get_execution(self, matter):
        return ExecutionOut(matter.execution).data if matter.execution is not None else None


# --- Consultations -------------------------------------------------------------------------------------


class ConsultationShortOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    topic = serializers.IntegerField(help_text="The item of art. 25 (1–9).")
    topic_label = serializers.CharField(source="get_topic_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    days_left = serializers.IntegerField(
        allow_null=True, help_text="While open: days left after today (0 on the last day)."
    )
    opens_in = serializers.IntegerField(allow_null=True, help_text="Published, comments received in this many days.")
    published_comments = serializers.IntegerField()
    url = Link("api:democracy:consultation-detail")
    page_url = serializers.CharField(source="get_absolute_url")


class ConsultationChannelOut(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class DraftSectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    heading = serializers.CharField()
    text = serializers.CharField()


class ConsultationCommentOut(serializers.Serializer):
    """A published comment: what it says and how it came, never who wrote it. The answer once the
    consultation is closed (empty before)."""

    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    typed_in = serializers.BooleanField(help_text="Received through another channel and typed in by an officer.")
    channel_label = serializers.CharField()
    source = serializers.CharField(help_text="Which committee, meeting or box it came from (typed-in comments).")
    received_on = serializers.DateField()
    response = serializers.CharField(help_text="accepted, partly, explained; empty until answered in public.")
    response_label = serializers.CharField()
    answer = serializers.CharField()


class DiscussionGroupOut(serializers.Serializer):
    section = DraftSectionOut(allow_null=True, help_text="Null: comments on the draft as a whole.")
    comments = ConsultationCommentOut(many=True)


class CommentCountsOut(serializers.Serializer):
    comments = serializers.IntegerField()
    accepted = serializers.IntegerField()
    partly = serializers.IntegerField()
    explained = serializers.IntegerField()
    answered = serializers.IntegerField()


class ConsultationSynthesisOut(serializers.Serializer):
    published_on = serializers.DateField(source="synthesis_published_on")
    text = serializers.CharField(source="synthesis")
    changes = serializers.CharField()
    on_time = serializers.BooleanField(
        help_text="It ran for the whole period its plan gave (art. 28) and its synthesis is published."
    )
    final_url = serializers.SerializerMethodField()

    def get_final_url(self, consultation) -> str | None:
        return file_link("democracy:consultation_final", consultation.pk, bool(consultation.final_document))


class ConsultationOut(ConsultationShortOut):
    """A consultation's public page: the plan (art. 28), the draft, the published comments with their
    answers once closed, and the synthesis once published."""

    commune = UnitRefOut()
    summary = serializers.CharField()
    planned_days = serializers.IntegerField()
    channels = serializers.SerializerMethodField()
    organiser = serializers.CharField()
    sent_to_council_on = serializers.DateField(allow_null=True)
    sent_to_front_on = serializers.DateField(allow_null=True)
    draft_url = serializers.SerializerMethodField()
    comment_state = serializers.ChoiceField(
        choices=["open", "not_yet", "offline", "closed"],
        help_text="Whether residents comment on the portal now: open, not_yet (from opens_on), offline (the plan"
        " takes no comments on the portal), closed.",
    )
    closed_on = serializers.DateField(allow_null=True)
    closed_early = serializers.BooleanField()
    closing_reason = serializers.CharField(help_text="Why it closed before the planned date; empty otherwise.")
    answers_public = serializers.BooleanField(help_text="Answers to comments are public once it is closed.")
    counts = serializers.SerializerMethodField(help_text="Null until the answers are public.")
    discussion = DiscussionGroupOut(many=True)
    synthesis = serializers.SerializerMethodField()
    comments_url = Link("api:democracy:consultation-comment-create")
    own_comments_url = Link("api:democracy:consultation-comment-mine")

    @extend_schema_field(ConsultationChannelOut(many=True))
    def get_channels(self, consultation):
        labels = dict(ConsultationChannel.choices)
        return [{"value": value, "label": str(labels[value])} for value in consultation.channels if value in labels]

    def get_draft_url(self, consultation) -> str | None:
        return file_link("democracy:consultation_draft", consultation.pk, bool(consultation.draft))

    @extend_schema_field(CommentCountsOut(allow_null=True))
    def get_counts(self, consultation):
        if not consultation.answers_public:
            return None
        return CommentCountsOut(consultation.counts).data

    @extend_schema_field(ConsultationSynthesisOut(allow_null=True))
    def get_synthesis(self, consultation):
        return ConsultationSynthesisOut(consultation).data if consultation.is_frozen else None


class OwnCommentOut(serializers.Serializer):
    """A signed-in resident's own comment, with its moderation: only its author sees it."""

    id = serializers.IntegerField()
    consultation = serializers.IntegerField(source="consultation_id")
    section = DraftSectionOut(allow_null=True)
    text = serializers.CharField()
    status = serializers.CharField(help_text="pending, published, rejected.")
    status_label = serializers.CharField(source="get_status_display")
    moderation_reason = serializers.SerializerMethodField(help_text="Why it is not published; empty otherwise.")
    created_at = serializers.DateTimeField()

    def get_moderation_reason(self, comment) -> str:
        return comment.moderation_reason_label if comment.status == CommentStatus.REJECTED else ""


class ConsultationCommentIn(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_COMMENT_LENGTH, help_text="Published after a check, without a name.")
    section = serializers.IntegerField(
        required=False, allow_null=True, help_text="A section of this draft (its id); left out: the draft as a whole."
    )


# --- Conferences ----------------------------------------------------------------------------------------


class ConferenceShortOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    starts_at = serializers.DateTimeField()
    held_on = serializers.DateField(allow_null=True)
    place = serializers.CharField()
    questions_listed = serializers.IntegerField()
    url = Link("api:democracy:conference-detail")
    page_url = serializers.CharField(source="get_absolute_url")


class ConferenceQuestionOut(serializers.Serializer):
    """A question on the conference's list, never who asked it; its outcome and answer once published."""

    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField()
    text = serializers.CharField()
    outcome = serializers.CharField(help_text="answered, in_writing, written, forwarded; empty until published.")
    outcome_label = serializers.CharField()
    answer = serializers.CharField()
    answer_due_on = serializers.DateField(allow_null=True)
    answered_on = serializers.DateField(allow_null=True)
    forwarded_to = serializers.CharField()
    overdue = serializers.BooleanField(help_text="To be answered in writing, and the day it was due has passed.")
    answered_late = serializers.BooleanField()


class ConferenceOut(serializers.Serializer):
    """A dialogue conference's public page (art. 32)."""

    id = serializers.IntegerField()
    commune = UnitRefOut()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    agenda = serializers.CharField()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    questions_until = serializers.DateTimeField()
    questions_open = serializers.BooleanField(help_text="Residents send questions on the portal now.")
    cancellation_reason = serializers.CharField()
    held_on = serializers.DateField(allow_null=True)
    published = serializers.BooleanField(help_text="The answers and the minutes are published.")
    attendance = serializers.SerializerMethodField()
    published_on = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    minutes_url = serializers.SerializerMethodField()
    questions = ConferenceQuestionOut(source="question_rows", many=True)
    page_url = serializers.CharField(source="get_absolute_url")

    def get_attendance(self, conference) -> int | None:
        return conference.attendance if conference.published else None

    def get_published_on(self, conference) -> datetime.date | None:
        return conference.published_on if conference.published else None

    def get_summary(self, conference) -> str:
        return conference.summary if conference.published else ""

    def get_minutes_url(self, conference) -> str | None:
        return file_link(
            "democracy:conference_minutes", conference.pk, conference.published and bool(conference.minutes)
        )


# --- Boards and recommendations -------------------------------------------------------------------------


class RecommendationFiguresOut(serializers.Serializer):
    """Recommendations the commune received in ``year``: how many, answered, answered within 15 days."""

    year = serializers.IntegerField()
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_time = serializers.IntegerField()


class BoardShortOut(BoardRefOut):
    term_starts_on = serializers.DateField()
    term_ends_on = serializers.DateField()
    member_count = serializers.IntegerField(help_text="Members today.")


class BoardsOut(serializers.Serializer):
    """The commune's boards, those in office and the earlier ones, with this year's figures."""

    in_office = BoardShortOut(many=True)
    past = BoardShortOut(many=True)
    figures = RecommendationFiguresOut()


class BoardMemberOut(serializers.Serializer):
    """A member: a public office (name, position, village), never the linked account."""

    full_name = serializers.CharField()
    position = serializers.CharField()
    position_label = serializers.CharField()
    village = serializers.CharField(help_text="Elected from; empty when not recorded.")
    left_on = serializers.DateField(allow_null=True)


class BoardDocumentOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    period_label = serializers.CharField()
    title = serializers.CharField()
    dated = serializers.DateField()
    text = serializers.CharField()
    file_url = serializers.SerializerMethodField()

    def get_file_url(self, document) -> str | None:
        return file_link("democracy:board_document_file", document.pk, document.has_file)


class RecommendationOut(serializers.Serializer):
    """A recommendation to the commune with the commune's answer: public only once answered."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    text = serializers.CharField()
    received_on = serializers.DateField()
    due_on = serializers.DateField()
    answered_on = serializers.DateField()
    answer = serializers.CharField()
    on_time = serializers.BooleanField(help_text="Answered within the 15 days of art. 40.")
    answer_url = serializers.SerializerMethodField()
    report = BoardDocumentOut(allow_null=True)
    url = Link("api:democracy:recommendation-detail")
    page_url = Link("democracy:recommendation_detail")

    def get_answer_url(self, recommendation) -> str | None:
        return file_link("democracy:recommendation_answer_file", recommendation.pk, recommendation.has_answer_document)


class RecommendationPageOut(RecommendationOut):
    """An answered recommendation's page, with the board that made it (``context["board"]``)."""

    board = serializers.SerializerMethodField()
    commune = serializers.SerializerMethodField()

    @extend_schema_field(BoardRefOut)
    def get_board(self, recommendation):
        return BoardRefOut(self.context["board"]).data

    @extend_schema_field(UnitRefOut)
    def get_commune(self, recommendation):
        return UnitRefOut(self.context["board"].commune).data


class BoardOut(serializers.Serializer):
    """A board's public page (art. 36–40), from democracy.selectors.boards.BoardPage."""

    id = serializers.IntegerField(source="board.pk")
    kind = serializers.CharField(source="board.kind")
    kind_label = serializers.CharField(source="board.get_kind_display")
    subject = serializers.CharField(source="board.subject", help_text="The works an investment board supervises.")
    commune = UnitRefOut(source="board.commune")
    term_starts_on = serializers.DateField(source="board.term_starts_on")
    term_ends_on = serializers.DateField(source="board.term_ends_on")
    in_office = serializers.BooleanField()
    elected_by = MatterRefOut(
        source="board.elected_by", allow_null=True, help_text="The residents' decision that elected it, if recorded."
    )
    members = BoardMemberOut(many=True)
    former_members = BoardMemberOut(many=True)
    documents = BoardDocumentOut(many=True, help_text="Plans and reports, newest first.")
    recommendations = RecommendationOut(many=True, help_text="The answered ones, newest first.")
    figures = RecommendationFiguresOut()
    page_url = serializers.CharField(source="board.get_absolute_url")


# --- The commune's democracy page -----------------------------------------------------------------------


class DemocracyCalendarEntryOut(serializers.Serializer):
    """A meeting or a vote to come or still open: where, when and what, never who."""

    decision = serializers.IntegerField(source="pk")
    day = serializers.DateField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    form = serializers.CharField()
    form_label = serializers.CharField(source="get_form_display")
    place = serializers.CharField()
    village = DemocracyVillageOut()
    matter = MatterRefOut()


class ConventionShortOut(serializers.Serializer):
    """A village convention's version in force."""

    id = serializers.IntegerField(source="convention_id")
    title = serializers.CharField(source="convention.title")
    kind = serializers.CharField(source="convention.kind")
    kind_label = serializers.CharField(source="convention.get_kind_display")
    village = DemocracyVillageOut(source="convention.village")
    version = serializers.IntegerField(source="number")
    in_force_from = serializers.DateField(allow_null=True)
    page_url = Link("democracy:convention_detail", source="convention_id")


class CommuneDemocracyOut(serializers.Serializer):
    """What the commune's democracy page lists, as short items."""

    commune = UnitRefOut()
    page_url = serializers.CharField()
    calendar = DemocracyCalendarEntryOut(many=True)
    matters = MatterShortOut(many=True)
    consultations = ConsultationShortOut(many=True)
    conferences = ConferenceShortOut(many=True)
    boards = BoardsOut()
    villages = DemocracyVillageOut(many=True)
    conventions = ConventionShortOut(many=True)
    calendar_url = serializers.CharField(help_text="The same dates as an iCalendar feed.")
