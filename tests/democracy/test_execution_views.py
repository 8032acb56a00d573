"""Oversight's pages: the execution on the public matter page, residents' reports (never public, each
author sees only theirs), the back office's steps and the board's handling, the Front's notes and overview."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from core import clock
from democracy.models import Board, BoardKind, BoardMember, Execution, Report, ReportStatus, SupervisionNote
from democracy.services import execution as services
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import village_with_households
from tests.democracy.matrix.execution import inspection_board, pdf, recognised_matter, uploaded_pdf
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Chỉ thu 150.000 đồng của hộ ông Bảy"


@dataclass
class Scene:
    commune: object
    village: object
    officer: object
    head: object
    front: object
    member: object  # sits on the board
    resident: object
    matter: object
    board: object
    report: object


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """One commune with a recognised matter, its board in office and one resident's report; built once for
    the module, rolled back at its end (each test runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        commune = CommuneFactory()
        village = village_with_households(4, commune=commune)
        officer = user_with_role(Role.COMMUNE_OFFICER, commune)
        head = user_with_role(Role.VILLAGE_HEAD, village)
        front = user_with_role(Role.COMMUNE_FRONT, commune)
        matter = recognised_matter(village, officer)
        board = inspection_board(commune)
        member = UserFactory()
        BoardMember.objects.create(board=board, full_name="Vũ Văn Thanh", account=member)
        resident = UserFactory(full_name="Trịnh Thị Báo Cáo")
        report = services.report_submit(author=resident, text=SECRET_TEXT, matter=matter)
        yield Scene(commune, village, officer, head, front, member, resident, matter, board, report)
        transaction.set_rollback(True)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def steps(scene, n: int) -> None:
    for i in range(n):
        services.execution_record(
            matter=scene.matter,
            kind=("collected", "spent", "works")[i % 3],
            on=clock.today(),
            amount=None if i % 3 == 2 else Decimal(100000 * (i + 1)),
            description=f"Bước {i}",
            document=pdf() if i == 0 else None,
            by=scene.head,
        )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- The public matter page ----------------------------------------------------------------------------------


def test_matter_page_shows_steps_totals_and_the_report_link_never_a_name(scene, client):
    steps(scene, 3)  # collected 100.000, spent 200.000, works
    html = client.get(scene.matter.get_absolute_url()).content.decode()
    assert 'id="execution-steps"' in html and html.count('id="step-') == 3
    assert 'data-amount="100000"' in html and 'data-amount="200000"' in html and 'data-amount="-100000"' in html
    assert "100.000 đ" in html  # the Vietnamese grouping
    assert reverse("democracy:matter_report_create", kwargs={"pk": scene.matter.pk}) in html
    for name in (scene.head.full_name, scene.head.email, scene.resident.full_name, SECRET_TEXT):
        assert name not in html


def test_matter_page_costs_the_same_for_2_and_10_steps(scene):
    client = Client()
    url = scene.matter.get_absolute_url()
    steps(scene, 2)
    few = queries_for(client, url)
    steps(scene, 8)
    assert queries_for(client, url) == few


def test_a_steps_document_is_public_and_a_step_without_one_is_not_found(scene, client):
    steps(scene, 2)
    with_document, without = Execution.objects.filter(matter=scene.matter).order_by("pk")
    response = client.get(reverse("democracy:execution_document", kwargs={"pk": with_document.pk}))
    assert response.status_code == 200 and response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("democracy:execution_document", kwargs={"pk": without.pk})).status_code == 404


# --- Reports -----------------------------------------------------------------------------------------------


def test_reports_are_on_no_public_page(scene, client):
    pages = [
        scene.matter.get_absolute_url(),
        reverse("democracy:village_detail", kwargs={"pk": scene.village.pk}),
        reverse("democracy:commune_democracy", kwargs={"pk": scene.commune.pk}),
        reverse("democracy:board_detail", kwargs={"pk": scene.board.pk}),
        scene.commune.get_absolute_url(),
    ]
    for signed_in in (Client(), client_of(UserFactory())):
        for url in pages:
            response = signed_in.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert SECRET_TEXT not in html and scene.resident.full_name not in html, url


def test_my_reports_shows_mine_and_never_anothers(scene):
    mine = client_of(scene.resident).get(reverse("democracy:my_reports"))
    assert mine.status_code == 200 and f'id="report-{scene.report.pk}"' in mine.content.decode()
    assert "no-store" in mine["Cache-Control"]
    other = client_of(UserFactory()).get(reverse("democracy:my_reports")).content.decode()
    assert f'id="report-{scene.report.pk}"' not in other and SECRET_TEXT not in other
    assert 'id="reports-none"' in other


def test_a_report_is_sent_once_however_often_the_form_is_posted(scene):
    resident = UserFactory()
    client = client_of(resident)
    url = reverse("democracy:matter_report_create", kwargs={"pk": scene.matter.pk})
    assert client.get(url).status_code == 200
    data = {"text": "Rãnh thoát nước chưa làm.", "execution": "", "submission": "token-1"}
    assert client.post(url, data).headers["Location"] == reverse("democracy:my_reports")
    assert client.post(url, data).status_code == 302
    assert Report.objects.filter(author=resident).count() == 1
    # Bad input: a clear message, nothing written.
    response = client.post(url, {"text": "", "submission": "token-2"})
    assert response.status_code == 400 and Report.objects.filter(author=resident).count() == 1


def test_reports_are_rate_limited_per_resident(scene, settings):
    from democracy.views import execution as views

    resident = UserFactory()
    client = client_of(resident)
    url = reverse("democracy:board_report_create", kwargs={"pk": scene.board.pk})
    for i in range(views.REPORTS_PER_USER_PER_DAY):
        client.post(url, {"text": f"Báo cáo số {i} của tôi.", "submission": f"t{i}"})
    response = client.post(url, {"text": "Một báo cáo nữa.", "submission": "last"})
    assert response.status_code == 429
    assert Report.objects.filter(author=resident).count() == views.REPORTS_PER_USER_PER_DAY


def test_without_a_board_in_office_the_form_points_to_feedback_and_saves_nothing(scene):
    ended = Board.objects.create(
        commune=CommuneFactory(),
        kind=BoardKind.INSPECTION,
        term_starts_on=datetime.date(2018, 1, 1),
        term_ends_on=datetime.date(2020, 12, 31),
    )
    client = client_of(UserFactory())
    url = reverse("democracy:board_report_create", kwargs={"pk": ended.pk})
    page = client.get(url).content.decode()
    assert 'id="report-no-board"' in page and 'id="report-form"' not in page
    assert reverse("feedback:submit", kwargs={"pk": ended.commune_id}) in page
    assert client.post(url, {"text": "Đường chưa làm xong.", "submission": "x"}).status_code == 400
    assert not Report.objects.filter(board=ended).exists()


def test_anonymous_visitors_sign_in_to_report(scene, client):
    response = client.get(reverse("democracy:matter_report_create", kwargs={"pk": scene.matter.pk}))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


# --- The back office ------------------------------------------------------------------------------------------


def test_the_village_head_records_a_step_and_a_refused_one_changes_nothing(scene):
    client = client_of(scene.head)
    url = reverse("democracy:manage_execution", kwargs={"pk": scene.matter.pk})
    today = clock.today().isoformat()
    data = {"kind": "collected", "on": today, "amount": "", "description": "Thu tiền", "submission": "a"}
    response = client.post(url, data)
    assert response.status_code == 400 and not Execution.objects.filter(matter=scene.matter).exists()
    data |= {"amount": "800000", "submission": "b", "document": uploaded_pdf()}
    assert client.post(url, data).status_code == 302
    data["document"] = uploaded_pdf()
    client.post(url, data)  # sent twice: recorded once
    step = Execution.objects.get(matter=scene.matter)
    assert (step.amount, step.created_by, bool(step.document)) == (800000, scene.head, True)
    page = client.get(url).content.decode()
    assert 'id="execution-history"' in page and reverse("democracy:manage_execution_update", args=[step.pk]) in page


def test_the_board_closes_a_report_with_its_note(scene):
    client = client_of(scene.member)
    url = reverse("democracy:manage_report", kwargs={"pk": scene.report.pk})
    page = client.get(url).content.decode()
    assert scene.resident.email in page  # the board may contact the author
    assert client.post(url, {"status": "closed", "board_note": ""}).status_code == 400
    assert client.post(url, {"status": "closed", "board_note": "Đã đối chiếu sổ thu: đúng."}).status_code == 302
    scene.report.refresh_from_db()
    assert scene.report.status == ReportStatus.CLOSED
    mine = client_of(scene.resident).get(reverse("democracy:my_reports")).content.decode()
    assert "Đã đối chiếu sổ thu: đúng." in mine


def test_the_boards_queue_lists_its_reports(scene):
    page = client_of(scene.front).get(reverse("democracy:manage_board_queue", kwargs={"pk": scene.board.pk}))
    assert page.status_code == 200
    assert f'id="board-report-{scene.report.pk}"' in page.content.decode()


def test_the_front_files_a_note_once(scene):
    client = client_of(scene.front)
    url = reverse("democracy:manage_supervision_note_create", kwargs={"pk": scene.commune.pk})
    data = {"title": "Giám sát thu đóng góp", "text": "Sổ thu đầy đủ.", "matter": scene.matter.pk, "submission": "n"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    note = SupervisionNote.objects.get(commune=scene.commune)
    assert note.matter == scene.matter
    listing = client.get(reverse("democracy:manage_supervision_notes", kwargs={"pk": scene.commune.pk}))
    assert f'id="note-{note.pk}"' in listing.content.decode()


def test_the_front_overview_counts_everything_in_constant_queries(scene):
    client = client_of(scene.front)
    url = reverse("democracy:manage_front_overview", kwargs={"pk": scene.commune.pk})
    few = queries_for(client, url)
    for i in range(3):
        recognised_matter(scene.village, scene.officer, title=f"Việc số {i}")
        services.supervision_note_file(commune=scene.commune, title=f"Ghi chú {i}", text="Nội dung.", by=scene.front)
    assert queries_for(client, url) == few
    html = client.get(url).content.decode()
    assert 'id="matters-counts"' in html and 'data-key="recognised" data-count="4"' in html
    assert 'id="reports-counts"' in html and 'data-key="received" data-count="1"' in html
    assert SECRET_TEXT not in html  # counted, not shown


def test_the_fronts_workspace_opens_its_overview(scene):
    page = client_of(scene.front).get(reverse("portal:workspace")).content.decode()
    assert reverse("democracy:manage_front_overview", kwargs={"pk": scene.commune.pk}) in page


def test_my_reports_the_steps_and_the_notes_cost_the_same_with_more_rows(scene):
    pages = [
        (client_of(scene.resident), reverse("democracy:my_reports")),
        (client_of(scene.head), reverse("democracy:manage_execution", kwargs={"pk": scene.matter.pk})),
        (client_of(scene.front), reverse("democracy:manage_supervision_notes", kwargs={"pk": scene.commune.pk})),
    ]
    steps(scene, 1)
    before = [queries_for(client, url) for client, url in pages]
    steps(scene, 4)
    for i in range(3):
        services.report_submit(author=scene.resident, text=f"Phản ánh thêm số {i}.", matter=scene.matter)
        services.supervision_note_file(commune=scene.commune, title=f"Ghi chú {i}", text="Nội dung.", by=scene.front)
    assert [queries_for(client, url) for client, url in pages] == before
