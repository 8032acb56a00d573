"""democracy.services.execution: a recognised matter's execution, residents' reports to the People's
Inspection Board, and the commune Front committee's notes. Each refusal changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import Role
from core import clock
from democracy.models import (
    Board,
    BoardKind,
    Category,
    Consultation,
    Execution,
    Form,
    Proposer,
    Report,
    ReportStatus,
    SupervisionNote,
)
from democracy.services import DemocracyError, matter_propose
from democracy.services import execution as services
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import village_with_households
from tests.democracy.matrix.execution import inspection_board, pdf, recognised_matter
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    commune: object
    village: object
    officer: object
    head: object
    matter: object  # recognised ten days ago
    board: object  # the inspection board in office


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back at its end; each test runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        commune = CommuneFactory()
        village = village_with_households(3, commune=commune)
        officer = user_with_role(Role.COMMUNE_OFFICER, commune)
        head = user_with_role(Role.VILLAGE_HEAD, village)
        matter = recognised_matter(village, officer, recognised_on=clock.today() - datetime.timedelta(days=10))
        yield Scene(commune, village, officer, head, matter, inspection_board(commune))
        transaction.set_rollback(True)


def record(scene, **kwargs) -> Execution:
    values = {"kind": "collected", "on": clock.today(), "amount": Decimal(600000), "description": "Thu 3 hộ."}
    return services.execution_record(matter=scene.matter, by=scene.head, **(values | kwargs))


def refused(call, message=None) -> DemocracyError:
    with pytest.raises(DemocracyError) as caught:
        call()
    if message is not None:
        assert caught.value.message == str(message)
    return caught.value


# --- Execution ---------------------------------------------------------------------------------------------


def test_execution_record_refuses_a_matter_still_being_decided(scene):
    draft = matter_propose(
        commune=scene.commune,
        village=scene.village,
        title="Đang chuẩn bị",
        summary="Mức đóng góp.",
        category=Category.CONTRIBUTIONS,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        by=scene.officer,
    )
    refused(
        lambda: services.execution_record(
            matter=draft, kind="collected", on=clock.today(), amount=1, description="Thu.", by=scene.officer
        ),
        services.NOT_RECOGNISED,
    )
    assert not Execution.objects.filter(matter=draft).exists()


def test_money_steps_need_an_amount_and_other_steps_have_none(scene):
    error = refused(lambda: record(scene, amount=None), services.AMOUNT_REQUIRED)
    assert error.field == "amount"
    refused(lambda: record(scene, kind="spent", amount=Decimal(0)), services.AMOUNT_REQUIRED)
    refused(lambda: record(scene, kind="works", amount=Decimal(5)), services.AMOUNT_ONLY_FOR_MONEY)
    assert not Execution.objects.filter(matter=scene.matter).exists()
    works = record(scene, kind="works", amount=None, description="Đã đổ bê tông 50 m.")
    assert works.amount is None and works.history.get().history_change_reason == "recorded"


def test_step_dates_are_neither_in_the_future_nor_before_the_recognition(scene):
    today = clock.today()
    error = refused(lambda: record(scene, on=today + datetime.timedelta(days=1)), services.FUTURE_STEP)
    assert error.field == "on"
    error = refused(lambda: record(scene, on=scene.matter.recognised_on - datetime.timedelta(days=1)))
    assert error.field == "on" and scene.matter.recognised_on.strftime("%d/%m/%Y") in error.message
    assert not Execution.objects.filter(matter=scene.matter).exists()
    assert record(scene, on=scene.matter.recognised_on).on == scene.matter.recognised_on


def test_only_the_recorder_corrects_a_step_and_its_first_version_stays(scene):
    step = record(scene)
    values = {"kind": "collected", "on": step.on, "amount": Decimal(650000), "description": "Thu 3 hộ, bổ sung."}
    refused(lambda: services.execution_correct(execution=step, by=scene.officer, **values), services.NOT_THE_RECORDER)
    corrected = services.execution_correct(execution=step, by=scene.head, **values)
    assert corrected.amount == 650000
    versions = list(step.history.order_by("history_date").values_list("amount", "history_change_reason"))
    assert versions == [(600000, "recorded"), (650000, "corrected")]


# --- Reports ------------------------------------------------------------------------------------------------


def test_a_discrepancy_goes_to_the_inspection_board_in_office(scene):
    Board.objects.create(  # a board whose term ended: it receives nothing
        commune=scene.commune,
        kind=BoardKind.INSPECTION,
        term_starts_on=datetime.date(2018, 1, 1),
        term_ends_on=datetime.date(2020, 12, 31),
    )
    step = record(scene)
    resident = UserFactory()
    report = services.report_submit(
        author=resident, text="  Tôi chỉ nộp 150.000 đồng, không phải 200.000.  ", matter=scene.matter, execution=step
    )
    assert (report.board, report.status, report.author) == (scene.board, ReportStatus.RECEIVED, resident)
    assert report.text == "Tôi chỉ nộp 150.000 đồng, không phải 200.000."


def test_without_a_board_in_office_the_report_is_refused_with_the_feedback_channel(scene):
    commune = CommuneFactory()
    village = village_with_households(3, commune=commune)
    matter = recognised_matter(village, scene.officer)
    refused(
        lambda: services.report_submit(author=UserFactory(), text="Con đường làm chưa xong.", matter=matter),
        services.NO_BOARD,
    )
    ended = Board.objects.create(
        commune=commune,
        kind=BoardKind.INSPECTION,
        term_starts_on=datetime.date(2018, 1, 1),
        term_ends_on=datetime.date(2020, 12, 31),
    )
    refused(
        lambda: services.report_submit(author=UserFactory(), text="Con đường làm chưa xong.", board=ended),
        services.BOARD_NOT_IN_OFFICE,
    )
    assert not Report.objects.filter(board__commune=commune).exists()


def test_a_report_names_a_step_of_its_own_matter_and_says_enough(scene):
    other = recognised_matter(scene.village, scene.officer, title="Quỹ khuyến học")
    step = services.execution_record(
        matter=other, kind="works", on=clock.today(), description="Mua sách.", by=scene.officer
    )
    refused(
        lambda: services.report_submit(
            author=UserFactory(), text="Không khớp sổ sách.", matter=scene.matter, execution=step
        ),
        services.STEP_OF_ANOTHER_MATTER,
    )
    refused(lambda: services.report_submit(author=UserFactory(), text="Sai", board=scene.board))
    assert not Report.objects.filter(board=scene.board).exists()


def test_the_board_checks_then_closes_a_report_with_its_note(scene):
    report = services.report_submit(author=UserFactory(), text="Đèn đường chưa lắp.", board=scene.board)
    member = UserFactory()
    refused(
        lambda: services.report_update(report=report, status="closed", board_note=" ", by=member),
        services.CLOSING_NEEDS_NOTE,
    )
    report = services.report_update(report=report, status="checking", board_note="", by=member)
    refused(
        lambda: services.report_update(report=report, status="received", board_note="", by=member),
        services.NO_GOING_BACK,
    )
    report = services.report_update(report=report, status="closed", board_note="Đã lắp ngày 5/12.", by=member)
    refused(
        lambda: services.report_update(report=report, status="checking", board_note="x", by=member),
        services.REPORT_CLOSED,
    )
    reasons = list(report.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == ["received", "checking", "closed"]


# --- The Front committee's notes -------------------------------------------------------------------------


def test_a_note_links_only_its_own_communes_records(scene):
    front = user_with_role(Role.COMMUNE_FRONT, scene.commune)
    elsewhere = CommuneFactory()
    today = clock.today()
    consultation = Consultation.objects.create(
        commune=elsewhere,
        topic=9,
        title="Lấy ý kiến quy hoạch",
        summary="Dự thảo.",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
        organiser="UBND xã",
        created_by=scene.officer,
    )
    values = {"commune": scene.commune, "title": "Giám sát", "text": "Đã xem sổ.", "by": front}
    error = refused(lambda: services.supervision_note_file(consultation=consultation, **values))
    assert error.field == "consultation"
    other_matter = recognised_matter(village_with_households(3, commune=elsewhere), scene.officer)
    assert refused(lambda: services.supervision_note_file(matter=other_matter, **values)).field == "matter"
    assert not SupervisionNote.objects.filter(commune=scene.commune).exists()
    note = services.supervision_note_file(matter=scene.matter, document=pdf("bien-ban.pdf"), **values)
    assert (note.matter, note.created_by, bool(note.document)) == (scene.matter, front, True)
