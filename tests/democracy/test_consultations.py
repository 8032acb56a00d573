"""Consultations' rules (Law 10/2022/QH15, art. 25-29), through their services and the periodic task: the
20 days, what opening needs, who comments when, moderation, answers, closing early, the synthesis, and
nothing changing once it is published."""

from __future__ import annotations

import datetime

import pytest
from django.utils.translation import gettext as _

from accounts.models import Role
from core import clock
from democracy import tasks
from democracy.models.consultations import (
    CommentResponse,
    CommentStatus,
    ConsultationChannel,
    ConsultationStatus,
    ModerationReason,
)
from democracy.services import consultations as services
from democracy.services.errors import DemocracyError
from tests.communes.factories import CommuneFactory
from tests.democracy.matrix.consultations import open_consultation, plan
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


@pytest.fixture
def citizen():
    return UserFactory()


def travel(monkeypatch, day: datetime.date) -> None:
    """The services read "today" from core.clock: the tests move it instead of waiting weeks."""
    monkeypatch.setattr(clock, "today", lambda: day)


def comment(consultation, user, text="Đề nghị làm rõ thời hạn niêm yết.", section=None):
    return services.comment_submit(consultation=consultation, user=user, text=text, section=section)


def typed_in(consultation, by, section=None):
    return services.comment_enter(
        consultation=consultation,
        section=section,
        channel=ConsultationChannel.MEETING,
        source="Hội nghị thôn Vân Cốc 1 ngày 12/5",
        text="Cử tri đề nghị bổ sung hình thức lấy ý kiến qua loa truyền thanh.",
        by=by,
    )


# --- The plan and opening ------------------------------------------------------------------------------------


def test_plan_refuses_a_window_under_20_days_and_accepts_20(commune, officer):
    with pytest.raises(DemocracyError) as refused:
        plan(commune, officer, opens_in=1, days=19)
    assert refused.value.field == "closes_on"
    assert plan(commune, officer, opens_in=1, days=20).planned_days == 20


def test_plan_needs_a_form_of_consultation_and_no_future_sending_date(commune, officer):
    with pytest.raises(DemocracyError) as refused:
        plan(commune, officer, channels=["carrier pigeon"])
    assert refused.value.field == "channels"
    with pytest.raises(DemocracyError) as refused:
        plan(commune, officer, sent_to_front_on=clock.today() + DAY)
    assert refused.value.field == "sent_to_front_on"


def test_opening_needs_the_draft_and_the_plan_sent_to_the_council_and_the_front(commune, officer):
    consultation = plan(commune, officer, sent_to_council_on=None, sent_to_front_on=None)
    missing = services.opening_missing(consultation, has_sections=False)
    assert len(missing) == 3
    with pytest.raises(DemocracyError):
        services.consultation_open(consultation=consultation, by=officer)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.DRAFT

    services.section_save(consultation=consultation, number=1, heading="Phạm vi", text="Quy chế này…", by=officer)
    values = {name: getattr(consultation, name) for name in ("topic", "title", "summary", "channels", "organiser")}
    values |= {"opens_on": consultation.opens_on, "closes_on": consultation.closes_on}
    services.consultation_update(
        consultation=consultation,
        by=officer,
        sent_to_council_on=clock.today(),
        sent_to_front_on=clock.today(),
        **values,
    )
    opened = services.consultation_open(consultation=consultation, by=officer)
    assert opened.status == ConsultationStatus.OPEN
    assert [entry.history_change_reason for entry in opened.history.order_by("history_date")][-1] == "opened"


def test_opening_is_refused_after_the_planned_last_day(commune, officer, monkeypatch):
    consultation = plan(commune, officer, opens_in=1, days=20)
    services.section_save(consultation=consultation, number=1, heading="Điều 1", text="…", by=officer)
    travel(monkeypatch, consultation.closes_on + DAY)
    with pytest.raises(DemocracyError):
        services.consultation_open(consultation=consultation, by=officer)


def test_the_plan_and_the_sections_change_only_while_being_prepared(commune, officer):
    consultation = open_consultation(commune, officer)
    section = consultation.sections.get()
    with pytest.raises(DemocracyError):
        services.section_save(consultation=consultation, number=2, heading="Mới", text="…", by=officer)
    with pytest.raises(DemocracyError):
        services.section_delete(section=section, by=officer)
    with pytest.raises(DemocracyError):
        services.consultation_update(
            consultation=consultation,
            by=officer,
            topic=1,
            title="Khác",
            summary="…",
            channels=["portal"],
            opens_on=consultation.opens_on,
            closes_on=consultation.closes_on,
            organiser="UBND",
            sent_to_council_on=None,
            sent_to_front_on=None,
        )
    assert consultation.sections.count() == 1


def test_a_pasted_draft_makes_one_section_per_article(commune, officer):
    consultation = plan(commune, officer)
    services.section_save(consultation=consultation, number=9, heading="Cũ", text="Sẽ bị thay thế.", by=officer)
    text = (
        "QUY CHẾ\nThực hiện dân chủ ở cơ sở\nChương I. QUY ĐỊNH CHUNG\n"
        "Điều 1. Phạm vi điều chỉnh\nQuy chế này quy định…\nvà hướng dẫn…\n"
        "Điều 2. Đối tượng áp dụng\nCán bộ, công chức và Nhân dân.\n"
        "Chương II. NỘI DUNG\nĐiều 3. Nhân dân được công khai các nội dung sau.\n"
    )
    sections = services.sections_paste(consultation=consultation, text=text, by=officer)
    assert [(s.number, s.heading) for s in sections] == [
        (1, "Phạm vi điều chỉnh"),
        (2, "Đối tượng áp dụng"),
        (3, _("Article %(number)d") % {"number": 3}),  # "Điều 3": the article has no heading of its own
    ]
    assert sections[0].text == "Quy chế này quy định…\nvà hướng dẫn…"
    assert "Chương II" not in sections[1].text
    assert sections[2].text == "Nhân dân được công khai các nội dung sau."
    assert list(consultation.sections.values_list("number", flat=True)) == [1, 2, 3]
    with pytest.raises(DemocracyError):
        services.sections_paste(consultation=consultation, text="Điều 1. A\nx\nĐiều 1. B\ny", by=officer)
    with pytest.raises(DemocracyError):
        services.sections_paste(consultation=consultation, text="Không có điều nào.", by=officer)
    assert consultation.sections.count() == 3


# --- Comments -------------------------------------------------------------------------------------------------


def test_residents_comment_only_while_open_and_on_its_own_sections(commune, officer, citizen, monkeypatch):
    draft = plan(commune, officer)
    with pytest.raises(DemocracyError):
        comment(draft, citizen)
    later = open_consultation(commune, officer, opens_in=3)
    with pytest.raises(DemocracyError):
        comment(later, citizen)  # published, comments from its first day
    consultation = open_consultation(commune, officer)
    other = open_consultation(commune, officer)
    with pytest.raises(DemocracyError) as refused:
        comment(consultation, citizen, section=other.sections.get())
    assert refused.value.field == "section"
    with pytest.raises(DemocracyError) as refused:
        comment(consultation, citizen, text="ngắn")
    assert refused.value.field == "text"
    sent = comment(consultation, citizen, section=consultation.sections.get())
    assert (sent.status, sent.author, sent.channel) == (CommentStatus.PENDING, citizen, ConsultationChannel.PORTAL)

    travel(monkeypatch, consultation.closes_on + DAY)  # its last day is over, the task has not run yet
    with pytest.raises(DemocracyError):
        comment(consultation, citizen)
    offline = open_consultation(commune, officer, channels=[ConsultationChannel.MEETING])
    monkeypatch.undo()
    with pytest.raises(DemocracyError):
        comment(offline, citizen)
    assert consultation.comments.count() == 1


def test_a_comment_typed_in_is_published_at_once_with_its_source_and_no_author(commune, officer):
    consultation = open_consultation(commune, officer)
    entered = typed_in(consultation, officer)
    assert entered.status == CommentStatus.PUBLISHED
    assert (entered.author, entered.entered_by, entered.typed_in) == (None, officer, True)
    with pytest.raises(DemocracyError) as refused:
        services.comment_enter(
            consultation=consultation, channel=ConsultationChannel.PORTAL, source="x", text="Ý kiến dài đủ.", by=officer
        )
    assert refused.value.field == "channel"
    with pytest.raises(DemocracyError) as refused:
        services.comment_enter(
            consultation=consultation, channel=ConsultationChannel.BOX, source=" ", text="Ý kiến dài đủ.", by=officer
        )
    assert refused.value.field == "source"


def test_moderation_publishes_or_refuses_with_a_reason_once(commune, officer, citizen):
    consultation = open_consultation(commune, officer)
    first, second = comment(consultation, citizen), comment(consultation, citizen, text="Nội dung có số điện thoại.")
    with pytest.raises(DemocracyError) as refused:
        services.comment_moderate(comment=second, publish=False, reason=" ", by=officer)
    assert refused.value.field == "reason"
    services.comment_moderate(comment=first, publish=True, by=officer)
    services.comment_moderate(comment=second, publish=False, reason=ModerationReason.PERSONAL_DATA, by=officer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CommentStatus.PUBLISHED
    assert second.status == CommentStatus.REJECTED
    assert second.moderation_reason_label == str(ModerationReason.PERSONAL_DATA.label)
    with pytest.raises(DemocracyError):
        services.comment_moderate(comment=second, publish=True, by=officer)


def test_only_a_published_comment_is_answered_and_the_answer_can_change(commune, officer, citizen):
    consultation = open_consultation(commune, officer)
    pending = comment(consultation, citizen)
    with pytest.raises(DemocracyError):
        services.comment_answer(comment=pending, response=CommentResponse.ACCEPTED, answer="Tiếp thu.", by=officer)
    entered = typed_in(consultation, officer)
    with pytest.raises(DemocracyError) as refused:
        services.comment_answer(comment=entered, response=CommentResponse.ACCEPTED, answer=" ", by=officer)
    assert refused.value.field == "answer"
    services.comment_answer(comment=entered, response=CommentResponse.ACCEPTED, answer="Đã bổ sung.", by=officer)
    answered = services.comment_answer(
        comment=entered, response=CommentResponse.EXPLAINED, answer="Loa truyền thanh đã có.", by=officer
    )
    assert (answered.response, answered.answered_by) == (CommentResponse.EXPLAINED, officer)


# --- Closing, the synthesis, on time ----------------------------------------------------------------------------


def test_closing_early_needs_a_reason_and_the_consultation_is_not_on_time(commune, officer):
    consultation = open_consultation(commune, officer)
    with pytest.raises(DemocracyError) as refused:
        services.consultation_close(consultation=consultation, by=officer)
    assert refused.value.field == "reason"
    closed = services.consultation_close(
        consultation=consultation, reason="Hội đồng nhân dân họp sớm hơn dự kiến.", by=officer
    )
    assert closed.closed_on == clock.today() < closed.closes_on and closed.closed_early
    with pytest.raises(DemocracyError):
        comment(closed, UserFactory())
    entered = typed_in(closed, officer)  # received on paper before closing, typed in after
    services.comment_answer(comment=entered, response=CommentResponse.ACCEPTED, answer="Đã bổ sung.", by=officer)
    synthesised = services.consultation_synthesise(
        consultation=closed, synthesis="Tổng hợp.", changes="Không thay đổi.", by=officer
    )
    assert synthesised.status == ConsultationStatus.SYNTHESISED
    assert not synthesised.on_time


def test_the_synthesis_waits_for_every_answer_then_freezes_the_consultation(commune, officer, citizen, monkeypatch):
    consultation = open_consultation(commune, officer)
    pending = comment(consultation, citizen)
    entered = typed_in(consultation, officer)
    with pytest.raises(DemocracyError):
        services.consultation_synthesise(consultation=consultation, synthesis="…", changes="…", by=officer)
    travel(monkeypatch, consultation.closes_on + DAY)
    assert tasks.close_due_consultations() == 1
    consultation.refresh_from_db()
    assert (consultation.status, consultation.closed_on) == (ConsultationStatus.CLOSED, consultation.closes_on + DAY)

    with pytest.raises(DemocracyError) as refused:
        services.consultation_synthesise(consultation=consultation, synthesis="…", changes="…", by=officer)
    assert "1" in refused.value.message  # one awaiting moderation, one unanswered
    services.comment_moderate(comment=pending, publish=True, by=officer)
    services.comment_answer(comment=pending, response=CommentResponse.PARTLY, answer="Tiếp thu một phần.", by=officer)
    with pytest.raises(DemocracyError):
        services.consultation_synthesise(consultation=consultation, synthesis="…", changes="…", by=officer)
    services.comment_answer(comment=entered, response=CommentResponse.EXPLAINED, answer="Giải trình.", by=officer)
    done = services.consultation_synthesise(
        consultation=consultation, synthesis="Đã tổng hợp 2 ý kiến.", changes="Sửa Điều 1.", by=officer
    )
    assert done.status == ConsultationStatus.SYNTHESISED and done.is_frozen
    assert done.on_time  # it ran its whole period and its synthesis is published

    for step in (
        lambda: services.comment_answer(comment=entered, response="accepted", answer="Khác.", by=officer),
        lambda: typed_in(consultation, officer),
        lambda: services.consultation_synthesise(consultation=consultation, synthesis="x", changes="y", by=officer),
        lambda: services.consultation_close(consultation=consultation, by=officer),
    ):
        with pytest.raises(DemocracyError):
            step()
    reasons = list(consultation.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == ["planned", "draft changed", "opened", "closed", "synthesis published"]


def test_the_periodic_task_closes_only_the_consultations_whose_last_day_is_over(commune, officer, monkeypatch):
    due = open_consultation(commune, officer, days=20)
    running = open_consultation(commune, officer, days=30)
    draft = plan(commune, officer, days=20)
    travel(monkeypatch, due.closes_on + DAY)
    assert tasks.close_due_consultations() == 1
    assert tasks.close_due_consultations() == 0  # run twice: no harm
    statuses = {c.pk: c.status for c in type(due).objects.filter(pk__in=[due.pk, running.pk, draft.pk])}
    assert statuses == {
        due.pk: ConsultationStatus.CLOSED,
        running.pk: ConsultationStatus.OPEN,
        draft.pk: ConsultationStatus.DRAFT,
    }
    due.refresh_from_db()
    assert due.closed_by is None and not due.closed_early


# --- The demo -----------------------------------------------------------------------------------------------------


def test_the_demo_builds_a_synthesised_and_an_open_consultation_once(monkeypatch):
    from django.core.files.base import ContentFile

    from demo import democracy_consultations as demo

    blank = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    monkeypatch.setattr(demo, "_pdf_file", lambda title, issuer, body, name: ContentFile(blank, name=name))
    ward = CommuneFactory(code="07798")
    officer = user_with_role(Role.COMMUNE_OFFICER, ward, email="can-bo-xa@example.com")
    UserFactory(email="nguoi-dan@example.com")
    assert demo.consultations_demo_ensure(by=officer) == 15
    assert demo.consultations_demo_ensure(by=officer) == 0
    done = ward.consultations.get(title=demo.REGULATION_TITLE)
    running = ward.consultations.get(title=demo.LAND_USE_TITLE)
    assert done.status == ConsultationStatus.SYNTHESISED and done.on_time and done.planned_days == 30
    assert not done.comments.filter(response="").exists() and done.comments.count() == 5
    assert running.status == ConsultationStatus.OPEN and (running.closes_on - clock.today()).days == 14
    assert running.comments.filter(status=CommentStatus.PUBLISHED).count() == 2
    assert running.comments.filter(status=CommentStatus.PENDING, author__email="nguoi-dan@example.com").exists()
