"""Dialogue conferences between the commune People's Committee and its residents (Law 10/2022/QH15,
art. 32): scheduled with the commune Front committee, questions received in advance, the conference
held and its minutes kept, and every question's outcome published.

Each step locks the conference (then the question) and checks its state inside the transaction, so two
officers acting at once, or a resident sending a question while the conference is being published,
never leave it half done. Every change is kept in the records' history with who made it and why.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communes.models import Commune
from core import clock
from democracy.models import Conference, ConferenceStatus, Outcome, Question, QuestionStatus
from democracy.services.errors import DemocracyError

QUESTION_MAX_LENGTH = 2000
# A resident's questions for one conference: enough for anyone, too few to flood the list.
QUESTIONS_PER_RESIDENT = 5
REASON_MIN_LENGTH = 10
# The outcomes an officer records for a question; "answered in writing" comes from the written answer.
OUTCOMES_RECORDED = (Outcome.ANSWERED, Outcome.IN_WRITING, Outcome.FORWARDED)


def _lock_conference(pk: int) -> Conference:
    return Conference.objects.select_for_update().get(pk=pk)


def _lock_question(pk: int) -> tuple[Conference, Question]:
    """The question and its conference, locked in that order (the order every step here uses)."""
    conference_id = Question.objects.values_list("conference_id", flat=True).get(pk=pk)
    conference = _lock_conference(conference_id)
    return conference, Question.objects.select_for_update().get(pk=pk)


def _save(record, *, by, reason: str) -> None:
    record._history_user = by
    record._change_reason = reason
    # The steps here check the rules and the database holds the constraints: this catches the rest (a
    # length, a choice) without a query per foreign key or constraint.
    try:
        record.full_clean(
            exclude=["commune", "conference", "created_by", "author", "entered_by"], validate_constraints=False
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DemocracyError(messages[0], None if field == NON_FIELD_ERRORS else field) from error
    record.save()


def _local(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment, clock.VIETNAM), "SHORT_DATETIME_FORMAT")


def _clean_text(value: str, *, field: str, message: str, max_length: int | None = None) -> str:
    value = value.strip()
    if not value:
        raise DemocracyError(message, field)
    if max_length and len(value) > max_length:
        raise DemocracyError(
            _("This text is longer than %(max)d characters.") % {"max": max_length},
            field,
        )
    return value


def _check_plan(*, title: str, place: str, starts_at: datetime.datetime, questions_until: datetime.datetime):
    title = _clean_text(title, field="title", message=_("Give the conference's title."), max_length=255)
    place = _clean_text(place, field="place", message=_("Give where the conference is held."), max_length=255)
    if questions_until >= starts_at:
        raise DemocracyError(
            _("Questions are received before the conference starts: give an earlier time."), "questions_until"
        )
    return title, place


# --- Scheduling -----------------------------------------------------------------------------------------


def conference_schedule(
    *,
    commune: Commune,
    title: str,
    agenda: str,
    starts_at: datetime.datetime,
    place: str,
    questions_until: datetime.datetime,
    by,
) -> Conference:
    """Announce a conference: residents see it and send their questions until ``questions_until``."""
    if not commune.is_current:
        raise DemocracyError(_("This commune has ended: it holds no new conference."))
    title, place = _check_plan(title=title, place=place, starts_at=starts_at, questions_until=questions_until)
    conference = Conference(
        commune=commune,
        title=title,
        agenda=agenda.strip(),
        starts_at=starts_at,
        place=place,
        questions_until=questions_until,
        created_by=by,
    )
    _save(conference, by=by, reason="scheduled")
    return conference


@transaction.atomic
def conference_update(
    *,
    conference: Conference,
    title: str,
    agenda: str,
    starts_at: datetime.datetime,
    place: str,
    questions_until: datetime.datetime,
    by,
) -> Conference:
    """Change a planned conference's plan (its time, place, topics)."""
    conference = _lock_conference(conference.pk)
    if conference.status != ConferenceStatus.PLANNED:
        raise DemocracyError(_("Only a planned conference can be changed."))
    title, place = _check_plan(title=title, place=place, starts_at=starts_at, questions_until=questions_until)
    conference.title, conference.agenda, conference.place = title, agenda.strip(), place
    conference.starts_at, conference.questions_until = starts_at, questions_until
    _save(conference, by=by, reason="plan changed")
    return conference


@transaction.atomic
def conference_cancel(*, conference: Conference, reason: str, by) -> Conference:
    conference = _lock_conference(conference.pk)
    if conference.status != ConferenceStatus.PLANNED:
        raise DemocracyError(_("Only a planned conference can be cancelled."))
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise DemocracyError(_("Say why the conference is cancelled: residents read it."), "reason")
    conference.status = ConferenceStatus.CANCELLED
    conference.cancellation_reason = reason[:255]
    _save(conference, by=by, reason="cancelled")
    return conference


# --- Questions ------------------------------------------------------------------------------------------


def questions_open(conference: Conference, now: datetime.datetime | None = None) -> bool:
    """Residents may send questions on the portal now."""
    return conference.status == ConferenceStatus.PLANNED and (now or timezone.now()) < conference.questions_until


@transaction.atomic
def question_send(*, conference: Conference, text: str, author) -> Question:
    """A resident's question, signed in on the public page; it is listed once an officer publishes it."""
    conference = _lock_conference(conference.pk)
    if not questions_open(conference):
        if conference.status == ConferenceStatus.PLANNED:
            raise DemocracyError(
                _("Questions for this conference were received until %(end)s.")
                % {"end": _local(conference.questions_until)}
            )
        raise DemocracyError(_("This conference no longer receives questions."))
    text = _clean_text(text, field="text", message=_("Write your question."), max_length=QUESTION_MAX_LENGTH)
    sent = list(Question.objects.filter(conference=conference, author=author).values_list("text", flat=True))
    if text in sent:
        raise DemocracyError(_("You have already sent this question."), "text")
    if len(sent) >= QUESTIONS_PER_RESIDENT:
        raise DemocracyError(
            _("You have sent %(n)d questions for this conference, the most one resident can send.")
            % {"n": QUESTIONS_PER_RESIDENT},
            "text",
        )
    question = Question(conference=conference, text=text, author=author)
    # The history names no resident: the author is personal data, kept on the question only.
    _save(question, by=None, reason="sent")
    return question


@transaction.atomic
def question_enter(*, conference: Conference, text: str, by) -> Question:
    """A question received on paper (letters, the suggestion box, the Front committee), typed in by an
    officer. The officer who types it in has read it: it goes on the list at once."""
    conference = _lock_conference(conference.pk)
    if conference.status not in (ConferenceStatus.PLANNED, ConferenceStatus.HELD):
        raise DemocracyError(_("Questions are added until the answers are published."))
    text = _clean_text(text, field="text", message=_("Type the question."), max_length=QUESTION_MAX_LENGTH)
    question = Question(conference=conference, text=text, entered_by=by, status=QuestionStatus.PUBLISHED)
    _save(question, by=by, reason="entered")
    return question


@transaction.atomic
def question_moderate(*, question: Question, publish: bool, reason: str = "", by) -> Question:
    """Put a question on the conference's list, or keep it off with the reason (it may be looked at again
    until the answers are published)."""
    conference, question = _lock_question(question.pk)
    if conference.status not in (ConferenceStatus.PLANNED, ConferenceStatus.HELD):
        raise DemocracyError(_("The questions of this conference can no longer be moderated."))
    if question.outcome:
        raise DemocracyError(_("This question already has its outcome: it stays on the list."))
    if publish:
        question.status, question.moderation_reason = QuestionStatus.PUBLISHED, ""
    else:
        reason = reason.strip()
        if len(reason) < REASON_MIN_LENGTH:
            raise DemocracyError(_("Say why the question is not published."), "reason")
        question.status, question.moderation_reason = QuestionStatus.REJECTED, reason[:255]
    _save(question, by=by, reason="published" if publish else "not published")
    return question


# --- The conference held, the outcomes ----------------------------------------------------------------------


@transaction.atomic
def conference_record_held(
    *, conference: Conference, held_on: datetime.date, attendance: int, minutes, summary: str, by
) -> Conference:
    """The conference took place: its day, the residents attending, the signed minutes and a summary."""
    conference = _lock_conference(conference.pk)
    if conference.status != ConferenceStatus.PLANNED:
        raise DemocracyError(_("Only a planned conference is recorded as held, once."))
    if held_on > clock.today():
        raise DemocracyError(_("The conference cannot be held in the future."), "held_on")
    questions_end = clock.date_of(conference.questions_until)
    if held_on < questions_end:
        raise DemocracyError(
            _("Questions were received until %(day)s: the conference is held after that.")
            % {"day": date_format(questions_end, "SHORT_DATE_FORMAT")},
            "held_on",
        )
    if attendance is None or attendance < 1:
        raise DemocracyError(_("Give how many residents attended."), "attendance")
    if not minutes:
        raise DemocracyError(_("Attach the conference's minutes (PDF)."), "minutes")
    summary = _clean_text(summary, field="summary", message=_("Summarise what was discussed: residents read it."))
    conference.status, conference.held_on, conference.attendance = ConferenceStatus.HELD, held_on, attendance
    # The stored name is ours: an officer's file name may be long, or say more than the minutes.
    minutes.name = f"hoi-nghi-doi-thoai-{conference.pk}-bien-ban.pdf"
    conference.minutes, conference.summary = minutes, summary
    _save(conference, by=by, reason="held")
    return conference


@transaction.atomic
def question_outcome_record(
    *,
    question: Question,
    outcome: str,
    by,
    answer: str = "",
    answer_due_on: datetime.date | None = None,
    forwarded_to: str = "",
) -> Question:
    """What became of a question at the conference: answered there, to be answered in writing by a
    date, or outside the commune's competence and forwarded to the body that has it."""
    conference, question = _lock_question(question.pk)
    if conference.status != ConferenceStatus.HELD:
        raise DemocracyError(_("Outcomes are recorded after the conference is held and before they are published."))
    if question.status != QuestionStatus.PUBLISHED:
        raise DemocracyError(_("Only a question on the conference's list gets an outcome."))
    answer, forwarded_to = answer.strip(), forwarded_to.strip()
    question.answer, question.answer_due_on, question.answered_on, question.forwarded_to = "", None, None, ""
    if outcome == Outcome.ANSWERED:
        if not answer:
            raise DemocracyError(_("Write the answer given at the conference."), "answer")
        question.answer, question.answered_on = answer, conference.held_on
    elif outcome == Outcome.IN_WRITING:
        if answer_due_on is None:
            raise DemocracyError(_("Give the day by which the written answer is due."), "answer_due_on")
        if answer_due_on <= conference.held_on:
            raise DemocracyError(_("The written answer is due after the day of the conference."), "answer_due_on")
        question.answer_due_on = answer_due_on
    elif outcome == Outcome.FORWARDED:
        if not forwarded_to:
            raise DemocracyError(
                _("Give the body the question was forwarded to, for example the provincial People's Committee."),
                "forwarded_to",
            )
        question.forwarded_to, question.answer = forwarded_to[:255], answer
    else:
        raise DemocracyError(_("Choose what became of the question."), "outcome")
    question.outcome = outcome
    _save(question, by=by, reason="outcome recorded")
    return question


@transaction.atomic
def question_written_answer(*, question: Question, answered_on: datetime.date, answer: str, by) -> Question:
    """The written answer promised at the conference, sent on ``answered_on``; also after publishing."""
    conference, question = _lock_question(question.pk)
    if question.outcome != Outcome.IN_WRITING or conference.status not in (
        ConferenceStatus.HELD,
        ConferenceStatus.PUBLISHED,
    ):
        raise DemocracyError(_("Only a question to be answered in writing gets a written answer, once."))
    if answered_on > clock.today():
        raise DemocracyError(_("The answer cannot be dated in the future."), "answered_on")
    if answered_on < conference.held_on:
        raise DemocracyError(_("The written answer comes after the conference."), "answered_on")
    question.answer = _clean_text(answer, field="answer", message=_("Write the answer that was sent."))
    question.outcome, question.answered_on = Outcome.ANSWERED_IN_WRITING, answered_on
    _save(question, by=by, reason="answered in writing")
    return question


@transaction.atomic
def conference_publish(*, conference: Conference, by) -> Conference:
    """Publish the minutes and every question's outcome. Refused while a question awaits moderation or a
    question on the list has no outcome: residents see every answer at once."""
    conference = _lock_conference(conference.pk)
    if conference.status != ConferenceStatus.HELD:
        raise DemocracyError(_("The answers are published once, after the conference is recorded as held."))
    questions = Question.objects.filter(conference=conference)
    pending = questions.filter(status=QuestionStatus.PENDING).count()
    if pending:
        raise DemocracyError(
            ngettext(
                "%(n)d question still awaits moderation: publish it or say why not first.",
                "%(n)d questions still await moderation: publish them or say why not first.",
                pending,
            )
            % {"n": pending}
        )
    without = questions.filter(status=QuestionStatus.PUBLISHED, outcome="").count()
    if without:
        raise DemocracyError(
            ngettext(
                "%(n)d question on the list has no outcome yet: record what became of it first.",
                "%(n)d questions on the list have no outcome yet: record what became of each first.",
                without,
            )
            % {"n": without}
        )
    conference.status, conference.published_on = ConferenceStatus.PUBLISHED, clock.today()
    _save(conference, by=by, reason="published")
    return conference
