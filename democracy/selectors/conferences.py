"""Reads of dialogue conferences (Law 10/2022/QH15, art. 32), for the back office and the public pages.

Public pages receive ``QuestionRow``s built here: the question, its outcome and its answer, never who
asked it (the author is personal data). Every function costs a constant number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from communes.models import Commune
from core import clock
from democracy.models import Conference, ConferenceStatus, Outcome, Question, QuestionStatus

PANEL_HELD_SHOWN = 5

# The history's reasons are written in English by the services; readers see them in their language.
REASONS = {
    "scheduled": gettext_lazy("conference scheduled"),
    "plan changed": gettext_lazy("plan changed"),
    "cancelled": gettext_lazy("conference cancelled"),
    "held": gettext_lazy("recorded as held, with its minutes"),
    "published": gettext_lazy("published"),
    "sent": gettext_lazy("question sent on the portal"),
    "entered": gettext_lazy("question received on paper, typed in"),
    "not published": gettext_lazy("question not published"),
    "outcome recorded": gettext_lazy("outcome recorded"),
    "answered in writing": gettext_lazy("written answer recorded"),
}


def written_answer_overdue(question: Question, today: datetime.date | None = None) -> bool:
    """To be answered in writing, and the day it was due has passed."""
    return (
        question.outcome == Outcome.IN_WRITING
        and question.answer_due_on is not None
        and question.answer_due_on < (today or clock.today())
    )


def _overdue_filter(today: datetime.date) -> Q:
    return Q(outcome=Outcome.IN_WRITING, answer_due_on__lt=today)


# --- Back office --------------------------------------------------------------------------------------------


def conferences_of_commune(*, commune: Commune) -> QuerySet[Conference]:
    """The commune's conferences, latest first, each with how many questions wait for the officers."""
    today = clock.today()
    return (
        Conference.objects.filter(commune=commune)
        .annotate(
            questions_total=Count("questions"),
            questions_pending=Count("questions", filter=Q(questions__status=QuestionStatus.PENDING)),
            questions_listed=Count("questions", filter=Q(questions__status=QuestionStatus.PUBLISHED)),
            answers_overdue=Count(
                "questions",
                filter=Q(questions__outcome=Outcome.IN_WRITING, questions__answer_due_on__lt=today),
            ),
        )
        .order_by("-starts_at", "-pk")
    )


def conference_held_in(*, commune: Commune, year: int) -> bool:
    """Art. 32(1): the commune holds at least one conference a year."""
    return Conference.objects.filter(
        commune=commune,
        status__in=[ConferenceStatus.HELD, ConferenceStatus.PUBLISHED],
        held_on__year=year,
    ).exists()


def questions_of_conference(*, conference: Conference) -> list[Question]:
    """Every question of the conference, as received, with who asked or typed it in (for the officers)."""
    today = clock.today()
    questions = list(
        Question.objects.filter(conference=conference)
        .select_related("author", "entered_by")
        .order_by("created_at", "pk")
    )
    for question in questions:
        question.overdue = written_answer_overdue(question, today)
    return questions


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    reason: str
    question: int | None = None  # the question's number on the page, for a question's step


def conference_history(*, conference: Conference, numbers: dict[int, int], limit: int = 200) -> list[HistoryEntry]:
    """Who did what and when, on the conference and its questions, newest first. ``numbers``: question id
    → its number on the page. A resident's own question is recorded without the resident."""
    entries = [
        HistoryEntry(when=h.history_date, who=h.history_user, reason=h.history_change_reason or "")
        for h in conference.history.select_related("history_user").order_by("-history_date")[:limit]
    ]
    entries += [
        HistoryEntry(
            when=h.history_date,
            who=h.history_user,
            reason=h.history_change_reason or "",
            question=numbers.get(h.id),
        )
        for h in Question.history.filter(conference_id=conference.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def conference_answers_overdue(*, commune: Commune) -> list[Question]:
    """Questions of the commune's conferences to be answered in writing whose due day has passed, the
    oldest due first (for the officers' workspace)."""
    return list(
        Question.objects.filter(_overdue_filter(clock.today()), conference__commune=commune)
        .exclude(conference__status=ConferenceStatus.CANCELLED)
        .select_related("conference")
        .order_by("answer_due_on", "pk")
    )


# --- Public pages -------------------------------------------------------------------------------------------


# The columns a public row is built from: the author's column is not even read.
_PUBLIC_FIELDS = (
    "id",
    "conference_id",
    "text",
    "status",
    "outcome",
    "answer",
    "answer_due_on",
    "answered_on",
    "forwarded_to",
    "created_at",
)


@dataclass(frozen=True)
class QuestionRow:
    """A question as residents see it: never who asked it."""

    pk: int
    number: int
    text: str
    outcome: str
    outcome_label: str
    answer: str
    answer_due_on: datetime.date | None
    answered_on: datetime.date | None
    forwarded_to: str
    overdue: bool
    answered_late: bool


def _row(question: Question, number: int, *, with_outcome: bool, today: datetime.date) -> QuestionRow:
    if not with_outcome:
        return QuestionRow(question.pk, number, question.text, "", "", "", None, None, "", False, False)
    return QuestionRow(
        pk=question.pk,
        number=number,
        text=question.text,
        outcome=question.outcome,
        outcome_label=question.get_outcome_display(),
        answer=question.answer,
        answer_due_on=question.answer_due_on,
        answered_on=question.answered_on,
        forwarded_to=question.forwarded_to,
        overdue=written_answer_overdue(question, today),
        answered_late=bool(
            question.outcome == Outcome.ANSWERED_IN_WRITING
            and question.answer_due_on
            and question.answered_on
            and question.answered_on > question.answer_due_on
        ),
    )


def conference_for_public_page(*, pk: int) -> Conference:
    """Raises Conference.DoesNotExist."""
    return Conference.objects.select_related("commune__province", "commune__district").get(pk=pk)


def questions_for_public_page(*, conference: Conference) -> list[QuestionRow]:
    """The questions on the conference's list; their outcomes and answers once published."""
    today = clock.today()
    questions = Question.objects.filter(conference=conference, status=QuestionStatus.PUBLISHED).order_by(
        "created_at", "pk"
    )
    with_outcome = conference.status == ConferenceStatus.PUBLISHED
    return [
        _row(question, number, with_outcome=with_outcome, today=today)
        for number, question in enumerate(questions.only(*_PUBLIC_FIELDS), start=1)
    ]


def conferences_for_commune(*, commune: Commune) -> list[Conference]:
    """The commune's conferences for its public page: the planned ones, the next first (with those
    cancelled whose day is still ahead, so who saw the announcement learns it), then the latest held,
    each with ``questions_listed``. Two queries."""
    now = timezone.now()
    listed = Count("questions", filter=Q(questions__status=QuestionStatus.PUBLISHED))
    coming = list(
        Conference.objects.filter(commune=commune)
        .filter(Q(status=ConferenceStatus.PLANNED) | Q(status=ConferenceStatus.CANCELLED, starts_at__gte=now))
        .annotate(questions_listed=listed)
        .order_by("starts_at", "pk")
    )
    held = list(
        Conference.objects.filter(commune=commune, status__in=[ConferenceStatus.HELD, ConferenceStatus.PUBLISHED])
        .annotate(questions_listed=listed)
        .order_by("-held_on", "-pk")[:PANEL_HELD_SHOWN]
    )
    return coming + held


def minutes_of_conference(*, pk: int, published_only: bool = True) -> Conference:
    """A conference's minutes, for download: on the public side once published. Raises
    Conference.DoesNotExist otherwise."""
    conferences = Conference.objects.exclude(minutes="")
    if published_only:
        conferences = conferences.filter(status=ConferenceStatus.PUBLISHED)
    return conferences.get(pk=pk)
