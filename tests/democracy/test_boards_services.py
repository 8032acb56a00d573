"""The oversight boards' services (Law 10/2022/QH15, art. 36–40): one inspection board per term, the
residents' election, members, the recommendations' 15 days and the commune's answer, the escalation to
the province's Department of Home Affairs."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import Role
from core import clock
from democracy.models import (
    Board,
    BoardKind,
    Category,
    DocumentKind,
    Form,
    Position,
    Proposer,
    Recommendation,
    RecommendationStatus,
)
from democracy.rules import board_seats
from democracy.services import boards as services
from democracy.services import (
    decision_cosign,
    decision_send,
    matter_open,
    matter_propose,
    matter_recognise,
    meeting_record,
)
from democracy.services.errors import DemocracyError
from democracy.tasks import escalate_overdue_recommendations
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: the tasks run here
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.democracy.factories import village_with_households
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


# --- Helpers (test_boards_views.py uses them too) -------------------------------------------------------


def pdf(name: str = "tra-loi.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/pdf")


def term_around(today: datetime.date, *, before: int = 400, after: int = 600) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=before), today + datetime.timedelta(days=after)


def inspection_board(commune, by, **kwargs) -> Board:
    starts, ends = term_around(clock.today())
    return services.board_create(
        commune=commune,
        kind=BoardKind.INSPECTION,
        term_starts_on=kwargs.pop("term_starts_on", starts),
        term_ends_on=kwargs.pop("term_ends_on", ends),
        by=by,
        **kwargs,
    )


def recommendation(board, by, *, days_ago: int = 0, title: str = "Công khai các khoản thu") -> Recommendation:
    return services.recommendation_create(
        board=board,
        title=title,
        text="Đề nghị UBND phường công khai các khoản thu, chi tại nhà văn hoá.",
        received_on=clock.today() - datetime.timedelta(days=days_ago),
        by=by,
    )


def recognised_election(village, by):
    """A matter of item 5 of art. 15 (electing the board) decided at a meeting and recognised."""
    matter = matter_propose(
        commune=village.commune,
        village=village,
        title="Bầu thành viên Ban Thanh tra nhân dân",
        summary="Bầu 5 thành viên Ban Thanh tra nhân dân.",
        category=Category.BOARDS,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        by=by,
    )
    matter_open(matter=matter, starts_at=timezone.now() - datetime.timedelta(hours=2), place="Nhà văn hoá", by=by)
    decision = matter.decisions.get()
    meeting_record(decision=decision, present=3, votes_for=3, votes_against=0, votes_abstain=0, minutes=pdf(), by=by)
    decision_send(decision=decision_cosign(decision=decision, by=by), by=by)
    return matter_recognise(matter=matter, number="12/QĐ-UBND", on=clock.today(), by=by)


@pytest.fixture
def officer():
    return UserFactory()


# --- The due date ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # The 15th day is Sunday 22/03/2026: due on Monday.
        (datetime.date(2026, 3, 7), datetime.date(2026, 3, 23)),
        # The 15th day is 16/02/2026, Tết's eve: due after the Tết holidays, on Monday 23/02.
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 23)),
        # A working day stays: Thursday 19/03/2026.
        (datetime.date(2026, 3, 4), datetime.date(2026, 3, 19)),
    ],
)
def test_the_answer_is_due_15_days_later_moved_past_a_day_off(received, due):
    assert Recommendation.due_for(received) == due


def test_recommendation_create_computes_the_due_date_and_checks_the_dates(officer):
    board = inspection_board(CommuneFactory(), officer)
    made = recommendation(board, officer, days_ago=3)
    assert made.due_on == Recommendation.due_for(made.received_on)
    assert made.status == RecommendationStatus.AWAITING
    for day in (clock.today() + datetime.timedelta(days=1), board.term_starts_on - datetime.timedelta(days=1)):
        with pytest.raises(DemocracyError) as refused:
            services.recommendation_create(board=board, title="Sửa đường", text="Đề nghị.", received_on=day, by=officer)
        assert refused.value.field == "received_on"
    plan = services.board_document_add(
        board=board,
        kind=DocumentKind.PLAN,
        period="quarter",
        title="Kế hoạch quý IV",
        dated=clock.today(),
        text="…",
        by=officer,
    )
    with pytest.raises(DemocracyError) as refused:
        services.recommendation_create(
            board=board, title="Sửa đường", text="Đề nghị.", received_on=clock.today(), report=plan, by=officer
        )
    assert refused.value.field == "report"
    with pytest.raises(DemocracyError) as refused:
        services.board_document_add(
            board=board, kind=DocumentKind.PLAN, title="Kế hoạch năm", dated=clock.today(), text="…", by=officer
        )
    assert refused.value.field == "period"


# --- Boards ------------------------------------------------------------------------------------------------


def test_one_inspection_board_per_term_terms_may_not_overlap(officer):
    commune = CommuneFactory()
    first = inspection_board(
        commune, officer, term_starts_on=datetime.date(2022, 7, 1), term_ends_on=datetime.date(2025, 6, 30)
    )
    with pytest.raises(DemocracyError) as refused:
        inspection_board(
            commune, officer, term_starts_on=datetime.date(2025, 6, 30), term_ends_on=datetime.date(2027, 12, 31)
        )
    assert refused.value.field == "term_starts_on"
    assert Board.objects.filter(commune=commune).count() == 1
    # The next term starts the day after; investment boards, one per works, may run side by side.
    inspection_board(
        commune, officer, term_starts_on=datetime.date(2025, 7, 1), term_ends_on=datetime.date(2027, 12, 31)
    )
    for subject in ("Nhà văn hóa", "Đường ngõ 5"):
        services.board_create(
            commune=commune,
            kind=BoardKind.INVESTMENT,
            subject=subject,
            term_starts_on=datetime.date(2025, 7, 1),
            term_ends_on=datetime.date(2026, 12, 31),
            by=officer,
        )
    with pytest.raises(DemocracyError):
        services.board_update(
            board=first, term_starts_on=first.term_starts_on, term_ends_on=datetime.date(2025, 7, 1), by=officer
        )
    # The database holds the simplest form of the rule too: two inspection boards never start the same day.
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.create(
            commune=commune,
            kind=BoardKind.INSPECTION,
            term_starts_on=datetime.date(2025, 7, 1),
            term_ends_on=datetime.date(2025, 8, 1),
        )
    with pytest.raises(DemocracyError) as refused:
        services.board_create(
            commune=commune,
            kind=BoardKind.INVESTMENT,
            term_starts_on=datetime.date(2025, 7, 1),
            term_ends_on=datetime.date(2026, 12, 31),
            by=officer,
        )
    assert refused.value.field == "subject"


def test_elected_by_is_a_recognised_election_of_the_same_commune(officer):
    village = village_with_households(4, commune=CommuneFactory())
    commune = village.commune
    draft = matter_propose(
        commune=commune,
        village=village,
        title="Bầu Ban Giám sát đầu tư của cộng đồng",
        summary="Bầu 3 thành viên.",
        category=Category.BOARDS,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        by=officer,
    )
    contributions = matter_propose(
        commune=commune,
        village=village,
        title="Đóng góp làm đường",
        summary="200.000 đồng mỗi hộ.",
        category=Category.CONTRIBUTIONS,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        by=officer,
    )
    election = recognised_election(village, officer)
    elsewhere = CommuneFactory()
    for commune_, matter in ((commune, draft), (commune, contributions), (elsewhere, election)):
        with pytest.raises(DemocracyError) as refused:
            inspection_board(commune_, officer, elected_by=matter)
        assert refused.value.field == "elected_by"
    board = inspection_board(commune, officer, elected_by=election)
    assert board.elected_by == election


def test_members_village_account_head_and_leaving(officer):
    board = inspection_board(village_with_households(2, commune=CommuneFactory()).commune, officer)
    village = board.commune.villages.get()
    other_village = village_with_households(2, commune=CommuneFactory())
    member_user = UserFactory(email="thanh.vien@example.com")

    with pytest.raises(DemocracyError) as refused:
        services.board_member_add(
            board=board, full_name="Vũ Văn Thanh", position=Position.HEAD, village=other_village, by=officer
        )
    assert refused.value.field == "village"
    with pytest.raises(DemocracyError) as refused:
        services.board_member_add(
            board=board, full_name="Vũ Văn Thanh", position=Position.HEAD, email="nobody@example.com", by=officer
        )
    assert refused.value.field == "email"

    head = services.board_member_add(
        board=board,
        full_name="  Vũ   Văn Thanh ",
        position=Position.HEAD,
        village=village,
        email="THANH.VIEN@example.com",
        by=officer,
    )
    assert (head.full_name, head.account) == ("Vũ Văn Thanh", member_user)
    assert board_seats(member_user) == {board.pk}
    with pytest.raises(DemocracyError) as refused:
        services.board_member_add(board=board, full_name="Lê Thị Hà", position=Position.HEAD, by=officer)
    assert refused.value.field == "position"
    with pytest.raises(DemocracyError) as refused:
        services.board_member_add(
            board=board, full_name="Lê Thị Hà", position=Position.MEMBER, email=member_user.email, by=officer
        )
    assert refused.value.field == "email"

    with pytest.raises(DemocracyError):
        services.board_member_leave(member=head, on=clock.today() + datetime.timedelta(days=1), by=officer)
    services.board_member_leave(member=head, on=clock.today(), by=officer)
    del member_user._democracy_board_seats  # the seats are read once per request
    assert board_seats(member_user) == frozenset()
    with pytest.raises(DemocracyError):
        services.board_member_leave(member=head, on=clock.today(), by=officer)
    # The head left: the board may have a new one; every step is kept.
    services.board_member_add(board=board, full_name="Lê Thị Hà", position=Position.HEAD, by=officer)
    assert [h.history_change_reason for h in head.history.order_by("history_date")] == ["elected", "left"]


# --- The commune's answer ------------------------------------------------------------------------------------


def test_the_commune_answers_once_never_before_receiving_never_in_the_future(officer):
    board = inspection_board(CommuneFactory(), officer)
    made = recommendation(board, officer, days_ago=20)
    for day, field in (
        (made.received_on - datetime.timedelta(days=1), "answered_on"),
        (clock.today() + datetime.timedelta(days=1), "answered_on"),
    ):
        with pytest.raises(DemocracyError) as refused:
            services.recommendation_answer(recommendation=made, answer="Đã công khai.", answered_on=day, by=officer)
        assert refused.value.field == field
    with pytest.raises(DemocracyError) as refused:
        services.recommendation_answer(recommendation=made, answer="  ", by=officer)
    assert refused.value.field == "answer"
    made.refresh_from_db()
    assert made.status == RecommendationStatus.AWAITING

    answered = services.recommendation_answer(recommendation=made, answer="Đã công khai.", document=pdf(), by=officer)
    # Twenty days after receiving it: answered late, and recorded so.
    assert (answered.status, answered.answered_on, answered.state(clock.today())) == (
        RecommendationStatus.ANSWERED,
        clock.today(),
        "late",
    )
    assert answered.history.latest().history_change_reason == "answered late"
    with pytest.raises(DemocracyError):
        services.recommendation_answer(recommendation=made, answer="Trả lời lại.", by=officer)
    made.refresh_from_db()
    assert made.answer == "Đã công khai."

    on_time = recommendation(board, officer, days_ago=2, title="Sửa rãnh")
    assert services.recommendation_answer(recommendation=on_time, answer="Đã sửa.", by=officer).state(
        clock.today()
    ) == ("on_time")


# --- Escalation ----------------------------------------------------------------------------------------------


def test_overdue_recommendations_are_escalated_once_and_doha_mailed_once(officer, django_capture_on_commit_callbacks):
    commune = CommuneFactory()
    doha = user_with_role(Role.DOHA_STAFF, commune.province)
    user_with_role(Role.DOHA_STAFF, ProvinceFactory())  # another province's: not told
    board = inspection_board(commune, officer)
    overdue = recommendation(board, officer, days_ago=25)
    not_yet = recommendation(board, officer, days_ago=2, title="Sửa rãnh")
    answered = recommendation(board, officer, days_ago=30, title="Lắp đèn")
    services.recommendation_answer(recommendation=answered, answer="Đã lắp.", by=officer)
    mail.outbox.clear()

    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            escalate_overdue_recommendations.delay()

    overdue.refresh_from_db()
    not_yet.refresh_from_db()
    assert overdue.escalated_at is not None and overdue.escalation_mailed_at is not None
    assert not_yet.escalated_at is None
    assert Recommendation.objects.filter(escalated_at__isnull=False).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [doha.email]
    assert f"/manage/provinces/{commune.province_id}/recommendations/overdue/" in mail.outbox[0].body
    assert [h.history_change_reason for h in overdue.history.order_by("history_date")] == [
        "received",
        "escalated",
        "mailed",
    ]


def test_an_escalation_whose_mail_task_never_ran_is_mailed_by_the_next_run(officer):
    commune = CommuneFactory()
    user_with_role(Role.DOHA_STAFF, commune.province)
    overdue = recommendation(inspection_board(commune, officer), officer, days_ago=25)
    # The commit's callbacks are not run here: the broker was down, the task never queued.
    assert services.recommendations_escalate() == 1
    assert mail.outbox == []
    Recommendation.objects.filter(pk=overdue.pk).update(escalated_at=timezone.now() - datetime.timedelta(hours=1))

    assert services.recommendations_escalate() == 0
    assert services.recommendations_escalate() == 0
    assert len(mail.outbox) == 1
