"""Reads of consultations (Law 10/2022/QH15, art. 25–29), for the public pages and the back office.

Public pages receive plain rows built here (``PublicComment``), never a comment's author: a template
cannot show what it was not given. Each function costs a constant number of queries, whatever the number
of sections and comments.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy

from communes.models import Commune
from core import clock
from democracy.models.consultations import (
    Comment,
    CommentResponse,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    Section,
)

PAST_ON_COMMUNE_PAGE = 5  # closed and synthesised consultations shown under the open ones

# The history's reasons are written in English by the services; readers see them in their language.
REASONS = {
    "planned": gettext_lazy("plan recorded"),
    "plan changed": gettext_lazy("plan changed"),
    "draft changed": gettext_lazy("draft changed"),
    "opened": gettext_lazy("published, open for comments"),
    "closed": gettext_lazy("closed for comments"),
    "closed early": gettext_lazy("closed before the planned date"),
    "synthesis published": gettext_lazy("synthesis published"),
}


def _public() -> QuerySet[Consultation]:
    # A consultation being prepared is not public: its plan and its draft may still change.
    return Consultation.objects.exclude(status=ConsultationStatus.DRAFT)


def _with_published_count(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return queryset.annotate(published_comments=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)))


def with_days(consultation: Consultation, today: datetime.date | None = None) -> Consultation:
    """``days_left`` (through the last day; 0 on it) while open, ``opens_in`` before its first day."""
    today = today or clock.today()
    open_now = consultation.status == ConsultationStatus.OPEN
    consultation.days_left = (consultation.closes_on - today).days if open_now else None
    consultation.opens_in = (consultation.opens_on - today).days if open_now and today < consultation.opens_on else None
    return consultation


def consultations_for_commune(*, commune: Commune, past: int | None = PAST_ON_COMMUNE_PAGE) -> list[Consultation]:
    """The commune's open consultations, the soonest to close first, then its latest ``past`` closed or
    synthesised ones (None: all); each with ``published_comments`` and its days (two queries)."""
    today = clock.today()
    public = _with_published_count(_public().filter(commune=commune))
    open_ones = list(public.filter(status=ConsultationStatus.OPEN).order_by("closes_on", "pk"))
    done = list(public.exclude(status=ConsultationStatus.OPEN).order_by("-closes_on", "-pk")[:past])
    return [with_days(consultation, today) for consultation in open_ones + done]


def consultation_for_public_page(*, pk: int) -> Consultation:
    """Raises Consultation.DoesNotExist (also while it is being prepared)."""
    return with_days(_public().select_related("commune__province", "commune__district").get(pk=pk))


@dataclass(frozen=True)
class PublicComment:
    """A comment as residents may know it: what it says and how it came, never who wrote it."""

    pk: int
    section_id: int | None
    text: str
    typed_in: bool
    channel_label: str
    source: str
    received_on: datetime.date
    response: str
    response_label: str
    answer: str
    """Empty until answered, and on the public page until the consultation closes."""


@dataclass
class SectionGroup:
    section: Section | None
    """None: the comments on the draft as a whole."""
    comments: list[PublicComment] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.section.number}" if self.section else "whole-draft"


@dataclass(frozen=True)
class Counts:
    comments: int
    accepted: int
    partly: int
    explained: int

    @property
    def answered(self) -> int:
        return self.accepted + self.partly + self.explained


def _public_comment(comment: Comment, with_answers: bool) -> PublicComment:
    answered = with_answers and bool(comment.response)
    return PublicComment(
        pk=comment.pk,
        section_id=comment.section_id,
        text=comment.text,
        typed_in=comment.typed_in,
        channel_label=comment.get_channel_display(),
        source=comment.source if comment.typed_in else "",
        received_on=clock.date_of(comment.created_at),
        response=comment.response if answered else "",
        response_label=comment.get_response_display() if answered else "",
        answer=comment.answer if answered else "",
    )


def public_discussion(*, consultation: Consultation) -> tuple[list[SectionGroup], Counts]:
    """The draft's sections, each with its published comments (the whole draft's first), and the counts.
    Answers are public once the consultation is closed (two queries)."""
    with_answers = consultation.status in (ConsultationStatus.CLOSED, ConsultationStatus.SYNTHESISED)
    sections = list(Section.objects.filter(consultation=consultation).order_by("number"))
    comments = (
        Comment.objects.filter(consultation=consultation, status=CommentStatus.PUBLISHED)
        .only("pk", "section_id", "text", "author_id", "channel", "source", "created_at", "response", "answer")
        .order_by("created_at", "pk")
    )
    groups = {None: SectionGroup(None), **{section.pk: SectionGroup(section) for section in sections}}
    responses = []
    for comment in comments:
        groups[comment.section_id].comments.append(_public_comment(comment, with_answers))
        responses.append(comment.response)
    counts = Counts(
        comments=len(responses),
        accepted=responses.count(CommentResponse.ACCEPTED),
        partly=responses.count(CommentResponse.PARTLY),
        explained=responses.count(CommentResponse.EXPLAINED),
    )
    return list(groups.values()), counts


def own_comments(*, consultation: Consultation, user) -> list[Comment]:
    """The signed-in resident's own comments on it, whatever their moderation (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        Comment.objects.filter(consultation=consultation, author=user).select_related("section").order_by("created_at")
    )


def consultation_with_file(*, pk: int, which: str) -> Consultation:
    """The consultation whose draft (``which`` = "draft") or final text ("final") is asked for; the final
    text only once the synthesis is published. Raises Consultation.DoesNotExist, also when there is no
    file. Whether the asker may read a consultation being prepared is the view's to check."""
    consultation = Consultation.objects.select_related("commune").get(pk=pk)
    if which == "final" and not consultation.is_frozen:
        raise Consultation.DoesNotExist
    if not (consultation.draft if which == "draft" else consultation.final_document):
        raise Consultation.DoesNotExist
    return consultation


# --- Back office ------------------------------------------------------------------------------------------


def consultations_of_commune(*, commune: Commune) -> QuerySet[Consultation]:
    """The commune's consultations, latest first, with what awaits the officers on each."""
    return Consultation.objects.filter(commune=commune).annotate(
        pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
        published=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)),
        unanswered=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED, comments__response="")),
    )


@dataclass
class OfficeView:
    sections: list[Section]
    pending: list[Comment]
    groups: list[tuple[Section | None, list[Comment]]]
    """The published comments by section (the whole draft's first), with their answers."""
    rejected: list[Comment]
    unanswered: int

    @property
    def published(self) -> int:
        return sum(len(comments) for _section, comments in self.groups)


def consultation_for_office(*, consultation: Consultation) -> OfficeView:
    """Everything the consultation's back-office page shows (two queries)."""
    sections = list(Section.objects.filter(consultation=consultation).order_by("number"))
    comments = list(
        Comment.objects.filter(consultation=consultation)
        .select_related("author", "entered_by", "answered_by")
        .order_by("created_at", "pk")
    )
    by_pk = {section.pk: section for section in sections}
    for comment in comments:
        # Attached here, not joined: the sections are read once above.
        comment.section_row = by_pk.get(comment.section_id)
    groups: dict[int | None, list[Comment]] = {None: [], **{section.pk: [] for section in sections}}
    for comment in comments:
        if comment.status == CommentStatus.PUBLISHED:
            groups[comment.section_id].append(comment)
    return OfficeView(
        sections=sections,
        pending=[c for c in comments if c.status == CommentStatus.PENDING],
        groups=[(by_pk.get(key), rows) for key, rows in groups.items()],
        rejected=[c for c in comments if c.status == CommentStatus.REJECTED],
        unanswered=sum(1 for c in comments if c.status == CommentStatus.PUBLISHED and not c.response),
    )


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    reason: str


def consultation_history(*, consultation: Consultation, limit: int = 100) -> list[HistoryEntry]:
    """Who did what to the consultation and when, newest first (one query)."""
    return [
        HistoryEntry(
            when=entry.history_date,
            who=entry.history_user,
            reason=str(REASONS.get(entry.history_change_reason or "", entry.history_change_reason or "")),
        )
        for entry in consultation.history.select_related("history_user").order_by("-history_date")[:limit]
    ]


def comment_state(consultation: Consultation) -> str:
    """What the page (and the API) offers residents: "open", "not_yet" (published, comments from opens_on), "offline"
    (the plan takes no comments on the portal), "closed"."""
    if consultation.status != ConsultationStatus.OPEN or consultation.days_left is None or consultation.days_left < 0:
        return "closed"
    if not consultation.comments_online:
        return "offline"
    return "not_yet" if consultation.opens_in else "open"
