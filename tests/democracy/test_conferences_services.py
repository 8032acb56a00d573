"""Dialogue conferences (art. 32), the services: questions received only while the conference is open,
what each outcome needs, publishing only once every question on the list has its outcome, and the
written answer that comes after."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from core import clock
from democracy.models import Conference, ConferenceStatus, Outcome, QuestionStatus
from democracy.selectors.conferences import conference_answers_overdue, conferences_for_commune
from democracy.services import conferences as services
from democracy.services.errors import DemocracyError
from tests.communes.factories import CommuneFactory
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


def planned(commune, by, *, starts_in: int = 10, questions_for: int = 8, title="Hội nghị đối thoại năm 2026"):
    now = timezone.now()
    return services.conference_schedule(
        commune=commune,
        title=title,
        agenda="Tình hình hoạt động của Ủy ban nhân dân phường.",
        starts_at=now + starts_in * DAY,
        place="Hội trường Ủy ban nhân dân phường",
        questions_until=now + questions_for * DAY,
        by=by,
    )


def moved_back(conference, days: int) -> Conference:
    """The conference's dates ``days`` earlier, as if it had been scheduled then."""
    Conference.objects.filter(pk=conference.pk).update(
        starts_at=conference.starts_at - days * DAY, questions_until=conference.questions_until - days * DAY
    )
    conference.refresh_from_db()
    return conference


def held(conference, by, *, days_ago: int = 5) -> Conference:
    conference = moved_back(conference, (conference.starts_at - timezone.now()).days + days_ago + 1)
    return services.conference_record_held(
        conference=conference,
        held_on=clock.today() - days_ago * DAY,
        attendance=150,
        minutes=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
        summary="Nhân dân nêu các ý kiến về giao thông và môi trường.",
        by=by,
    )


def test_questions_are_received_before_the_conference_starts(commune, officer):
    now = timezone.now()
    with pytest.raises(DemocracyError) as refused:
        services.conference_schedule(
            commune=commune,
            title="Hội nghị đối thoại",
            agenda="",
            starts_at=now + DAY,
            place="Hội trường",
            questions_until=now + 2 * DAY,
            by=officer,
        )
    assert refused.value.field == "questions_until"
    assert not Conference.objects.exists()


def test_a_resident_sends_questions_only_while_they_are_received(commune, officer):
    conference = planned(commune, officer)
    resident = UserFactory()
    question = services.question_send(conference=conference, text="  Khi nào sửa cống ngõ 7?  ", author=resident)
    assert question.text == "Khi nào sửa cống ngõ 7?" and question.status == QuestionStatus.PENDING
    # The history keeps the step, never the resident.
    assert question.history.get().history_user is None
    with pytest.raises(DemocracyError):
        services.question_send(conference=conference, text="Khi nào sửa cống ngõ 7?", author=resident)
    moved_back(conference, 9)  # questions_until is now yesterday
    with pytest.raises(DemocracyError):
        services.question_send(conference=conference, text="Câu hỏi muộn", author=UserFactory())
    assert conference.questions.count() == 1


def test_a_cancelled_conference_receives_no_question_and_keeps_its_reason(commune, officer):
    conference = planned(commune, officer)
    with pytest.raises(DemocracyError) as refused:
        services.conference_cancel(conference=conference, reason="Hoãn", by=officer)
    assert refused.value.field == "reason"
    services.conference_cancel(conference=conference, reason="Trùng lịch bầu cử, sẽ tổ chức lại.", by=officer)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.CANCELLED
    assert conference.history.first().history_change_reason == "cancelled"
    with pytest.raises(DemocracyError):
        services.question_send(conference=conference, text="Còn họp không?", author=UserFactory())
    with pytest.raises(DemocracyError):
        services.conference_update(
            conference=conference,
            title="Khác",
            agenda="",
            starts_at=conference.starts_at,
            place="Khác",
            questions_until=conference.questions_until,
            by=officer,
        )


def test_a_resident_sends_a_few_questions_at_most(commune, officer):
    conference = planned(commune, officer)
    resident = UserFactory()
    for number in range(services.QUESTIONS_PER_RESIDENT):
        services.question_send(conference=conference, text=f"Câu hỏi {number}", author=resident)
    with pytest.raises(DemocracyError):
        services.question_send(conference=conference, text="Một câu nữa", author=resident)


def test_recording_the_conference_needs_a_past_day_and_its_minutes(commune, officer):
    conference = moved_back(planned(commune, officer), 12)
    with pytest.raises(DemocracyError) as refused:
        services.conference_record_held(
            conference=conference, held_on=clock.today() + DAY, attendance=10, minutes=None, summary="x", by=officer
        )
    assert refused.value.field == "held_on"
    with pytest.raises(DemocracyError) as refused:
        services.conference_record_held(
            conference=conference, held_on=clock.today(), attendance=10, minutes=None, summary="x", by=officer
        )
    assert refused.value.field == "minutes"
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PLANNED and conference.held_on is None


def test_each_outcome_needs_what_makes_it_an_answer(commune, officer):
    conference = planned(commune, officer)
    question = services.question_enter(conference=conference, text="Đường ngõ 5 bao giờ làm?", by=officer)
    pending = services.question_send(conference=conference, text="Chưa kiểm duyệt", author=UserFactory())
    with pytest.raises(DemocracyError):  # not held yet
        services.question_outcome_record(question=question, outcome=Outcome.ANSWERED, answer="Tháng 6.", by=officer)
    conference = held(conference, officer)
    cases = [
        ({"outcome": Outcome.ANSWERED}, "answer"),
        ({"outcome": Outcome.IN_WRITING}, "answer_due_on"),
        ({"outcome": Outcome.IN_WRITING, "answer_due_on": conference.held_on}, "answer_due_on"),
        ({"outcome": Outcome.FORWARDED, "forwarded_to": "  "}, "forwarded_to"),
        ({"outcome": Outcome.ANSWERED_IN_WRITING, "answer": "Đã trả lời."}, "outcome"),
    ]
    for arguments, field in cases:
        with pytest.raises(DemocracyError) as refused:
            services.question_outcome_record(question=question, by=officer, **arguments)
        assert refused.value.field == field, arguments
    with pytest.raises(DemocracyError):  # not on the list
        services.question_outcome_record(question=pending, outcome=Outcome.ANSWERED, answer="Có.", by=officer)
    question.refresh_from_db()
    assert question.outcome == ""
    forwarded = services.question_outcome_record(
        question=question, outcome=Outcome.FORWARDED, forwarded_to="Ủy ban nhân dân tỉnh Bắc Ninh", by=officer
    )
    assert forwarded.forwarded_to == "Ủy ban nhân dân tỉnh Bắc Ninh" and forwarded.answered_on is None
    # Changed before publishing: the other outcome's details go.
    answered = services.question_outcome_record(
        question=question, outcome=Outcome.ANSWERED, answer="Quý III năm nay.", by=officer
    )
    assert (answered.forwarded_to, answered.answered_on) == ("", conference.held_on)


def test_publishing_waits_for_every_outcome_then_the_written_answer_follows(commune, officer):
    conference = planned(commune, officer)
    first = services.question_enter(conference=conference, text="Khi nào có đèn đường?", by=officer)
    second = services.question_send(conference=conference, text="Rác thải thu gom mấy lần?", author=UserFactory())
    rejected = services.question_send(conference=conference, text="Quảng cáo", author=UserFactory())
    conference = held(conference, officer, days_ago=10)
    with pytest.raises(DemocracyError):  # the pending questions first
        services.conference_publish(conference=conference, by=officer)
    services.question_moderate(question=second, publish=True, by=officer)
    services.question_moderate(question=rejected, publish=False, reason="Nội dung quảng cáo.", by=officer)
    services.question_outcome_record(question=first, outcome=Outcome.ANSWERED, answer="Tháng sau.", by=officer)
    with pytest.raises(DemocracyError):  # the second has no outcome
        services.conference_publish(conference=conference, by=officer)
    assert Conference.objects.get(pk=conference.pk).status == ConferenceStatus.HELD

    due = clock.today() - DAY
    services.question_outcome_record(question=second, outcome=Outcome.IN_WRITING, answer_due_on=due, by=officer)
    conference = services.conference_publish(conference=conference, by=officer)
    assert conference.status == ConferenceStatus.PUBLISHED and conference.published_on == clock.today()
    assert [q.pk for q in conference_answers_overdue(commune=commune)] == [second.pk]
    with pytest.raises(DemocracyError):  # outcomes are final once published
        services.question_outcome_record(question=first, outcome=Outcome.FORWARDED, forwarded_to="Sở", by=officer)

    with pytest.raises(DemocracyError) as refused:
        services.question_written_answer(question=second, answered_on=clock.today() + DAY, answer="x", by=officer)
    assert refused.value.field == "answered_on"
    answered = services.question_written_answer(
        question=second, answered_on=clock.today(), answer="Hai lần mỗi tuần.", by=officer
    )
    assert answered.outcome == Outcome.ANSWERED_IN_WRITING and answered.answered_on == clock.today()
    assert conference_answers_overdue(commune=commune) == []
    with pytest.raises(DemocracyError):  # once
        services.question_written_answer(question=second, answered_on=clock.today(), answer="Lại.", by=officer)


def test_the_public_list_puts_the_next_planned_first_then_the_held(commune, officer):
    later = planned(commune, officer, starts_in=30, questions_for=20, title="Sau")
    sooner = planned(commune, officer, starts_in=5, questions_for=3, title="Trước")
    done = held(planned(commune, officer, title="Đã họp"), officer)
    cancelled = planned(commune, officer, title="Huỷ")
    services.conference_cancel(conference=moved_back(cancelled, 30), reason="Đã hoãn sang năm sau.", by=officer)
    planned(CommuneFactory(), officer, title="Nơi khác")
    assert [c.pk for c in conferences_for_commune(commune=commune)] == [sooner.pk, later.pk, done.pk]
