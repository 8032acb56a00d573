"""The oversight boards' pages: the public board and recommendation pages (nothing personal, nothing
before the commune answers), the forms of the Front committee, the board and the officers, the province's
overdue list, the workspace; list pages at a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from core import clock
from democracy.models import Board, BoardKind, BoardMember, Position, Recommendation, RecommendationStatus
from democracy.selectors.boards import boards_for_commune
from democracy.services import boards as services
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.democracy.factories import village_with_households
from tests.democracy.test_boards_services import inspection_board, pdf, recommendation
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def answered(board, by, n: int, *, days_ago: int = 5) -> list[Recommendation]:
    made = [recommendation(board, by, days_ago=days_ago, title=f"Kiến nghị {i}") for i in range(n)]
    return [services.recommendation_answer(recommendation=r, answer="Đã giải quyết.", by=by) for r in made]


@pytest.fixture
def scene():
    """A commune with a village, its officer, its inspection board with a member who has an account."""
    village = village_with_households(2, commune=CommuneFactory())
    commune = village.commune
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, email="can-bo@example.com")
    board = inspection_board(commune, officer)
    member_user = UserFactory(email="thanh-vien-bi-mat@example.com")
    member = services.board_member_add(
        board=board,
        full_name="Vũ Văn Thanh",
        position=Position.HEAD,
        village=village,
        email=member_user.email,
        by=officer,
    )
    return {
        "commune": commune,
        "village": village,
        "officer": officer,
        "board": board,
        "member": member_user,
        "seat": member,
    }


# --- Public ------------------------------------------------------------------------------------------------


def test_a_recommendation_is_public_only_once_answered(client, scene):
    made = recommendation(scene["board"], scene["officer"], days_ago=3)
    url = reverse("democracy:recommendation_detail", kwargs={"pk": made.pk})
    board_url = reverse("democracy:board_detail", kwargs={"pk": scene["board"].pk})
    assert client.get(url).status_code == 404
    assert f"recommendation-{made.pk}" not in client.get(board_url).content.decode()

    services.recommendation_answer(
        recommendation=made, answer="UBND phường đã công khai.", document=pdf(), by=scene["officer"]
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "UBND phường đã công khai." in page.content.decode()
    assert f"recommendation-{made.pk}" in client.get(board_url).content.decode()
    answer_file = client.get(reverse("democracy:recommendation_answer_file", kwargs={"pk": made.pk}))
    assert answer_file.status_code == 200 and answer_file["Content-Type"] == "application/pdf"
    assert client.get(reverse("democracy:board_document_file", kwargs={"pk": 999999})).status_code == 404


def test_the_board_page_shows_members_never_an_account_and_costs_the_same_for_2_or_8(client, scene):
    board, officer = scene["board"], scene["officer"]
    answered(board, officer, 2)
    url = reverse("democracy:board_detail", kwargs={"pk": board.pk})
    few = queries(client, url)
    answered(board, officer, 6)
    services.board_member_add(board=board, full_name="Lê Thị Hà", position=Position.MEMBER, by=officer)
    assert queries(client, url) == few

    page = client.get(url).content.decode()
    assert "Vũ Văn Thanh" in page and "Lê Thị Hà" in page
    # Neither the member's account, nor who typed or answered the recommendations.
    for secret in (scene["member"].email, officer.email, officer.full_name):
        assert secret not in page
    assert page.count('<article class="panel" id="recommendation-') == 8
    assert 'id="board-queue-link"' not in page  # only for who works as the board

    client.force_login(scene["member"])
    assert 'id="board-queue-link"' in client.get(url).content.decode()


def test_the_commune_panel_lists_boards_and_this_years_figures(scene):
    board, officer = scene["board"], scene["officer"]
    answered(board, officer, 1, days_ago=2)
    recommendation(board, officer, days_ago=1, title="Chưa trả lời")
    panel = boards_for_commune(commune=scene["commune"])
    assert panel.in_office == [board] and panel.in_office[0].member_count == 1
    assert (panel.figures.received, panel.figures.answered, panel.figures.on_time) == (2, 1, 1)
    html = render_to_string("democracy/public/_boards_panel.html", {"boards": panel})
    assert board.get_absolute_url() in html and 'id="boards-figures"' in html
    empty = render_to_string(
        "democracy/public/_boards_panel.html", {"boards": boards_for_commune(commune=CommuneFactory())}
    )
    assert 'id="no-boards"' in empty


# --- The Front committee records the board -------------------------------------------------------------------


def test_the_front_records_a_board_and_its_members_once_and_is_warned_below_5(client, scene):
    commune = scene["commune"]
    front = user_with_role(Role.COMMUNE_FRONT, commune)
    client.force_login(front)
    data = {
        "kind": BoardKind.INVESTMENT,
        "subject": "Nhà văn hóa tổ dân phố Vân Cốc 2",
        "term_starts_on": clock.today().isoformat(),
        "term_ends_on": (clock.today() + datetime.timedelta(days=365)).isoformat(),
        "submission": "token-1",
    }
    url = reverse("democracy:manage_board_create", kwargs={"pk": commune.pk})
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double click: one board
    assert Board.objects.filter(commune=commune, kind=BoardKind.INVESTMENT).count() == 1

    overlapping = {**data, "kind": BoardKind.INSPECTION, "subject": "", "submission": "token-2"}
    assert client.post(url, overlapping).status_code == 400
    assert Board.objects.filter(commune=commune).count() == 2

    board = scene["board"]
    member_url = reverse("democracy:manage_board_member_create", kwargs={"pk": board.pk})
    refused = client.post(member_url, {"full_name": "Lê Thị Hà", "position": "member", "email": "khong-co@example.com"})
    assert refused.status_code == 400
    assert (
        client.post(member_url, {"full_name": "Lê Thị Hà", "position": "member", "submission": "m1"}).status_code == 302
    )
    page = client.get(reverse("democracy:manage_board", kwargs={"pk": board.pk})).content.decode()
    assert 'id="too-few-members"' in page
    assert BoardMember.objects.filter(board=board).count() == 2

    member = BoardMember.objects.get(board=board, full_name="Lê Thị Hà")
    leave_url = reverse("democracy:manage_board_member_leave", kwargs={"pk": member.pk})
    future = (clock.today() + datetime.timedelta(days=3)).isoformat()
    assert client.post(leave_url, {f"m{member.pk}-on": future}).status_code == 400
    assert client.post(leave_url, {f"m{member.pk}-on": clock.today().isoformat()}).status_code == 302
    member.refresh_from_db()
    assert member.left_on == clock.today()


# --- The board's queue and the commune's answer ----------------------------------------------------------------


def test_the_board_records_a_recommendation_once_and_the_officer_answers_it_once(client, scene):
    board, officer = scene["board"], scene["officer"]
    client.force_login(scene["member"])
    create_url = reverse("democracy:manage_recommendation_create", kwargs={"pk": board.pk})
    data = {"title": "Sửa rãnh thoát nước ngõ 3", "text": "Đề nghị sửa.", "received_on": clock.today().isoformat()}
    assert client.post(create_url, {**data, "submission": "r1"}).status_code == 302
    assert client.post(create_url, {**data, "submission": "r1"}).status_code == 302
    made = Recommendation.objects.get(board=board)
    assert made.due_on == Recommendation.due_for(clock.today())
    queue = client.get(reverse("democracy:manage_board_queue", kwargs={"pk": board.pk})).content.decode()
    assert f'id="recommendation-{made.pk}" data-state="awaiting"' in queue and 'id="board-reports"' in queue
    # The board does not answer for the commune.
    answer_url = reverse("democracy:manage_recommendation_answer", kwargs={"pk": made.pk})
    assert client.get(answer_url).status_code == 403

    client.force_login(officer)
    early = (made.received_on - datetime.timedelta(days=1)).isoformat()
    assert client.post(answer_url, {"answer": "Đã sửa.", "answered_on": early, "submission": "a1"}).status_code == 400
    made.refresh_from_db()
    assert made.status == RecommendationStatus.AWAITING
    assert client.post(answer_url, {"answer": "Đã sửa.", "submission": "a2"}).status_code == 302
    assert client.post(answer_url, {"answer": "Đã sửa lại.", "submission": "a2"}).status_code == 302
    assert client.post(answer_url, {"answer": "Đã sửa lại.", "submission": "a3"}).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.answer, made.answered_by) == (RecommendationStatus.ANSWERED, "Đã sửa.", officer)
    assert 'id="answer-form"' not in client.get(answer_url).content.decode()


def test_list_pages_cost_the_same_for_2_or_8_recommendations(client, scene):
    board, officer = scene["board"], scene["officer"]
    doha = user_with_role(Role.DOHA_STAFF, scene["commune"].province)
    urls = {
        officer: [
            reverse("democracy:manage_recommendations", kwargs={"pk": scene["commune"].pk}),
            reverse("democracy:manage_boards", kwargs={"pk": scene["commune"].pk}),
        ],
        scene["member"]: [reverse("democracy:manage_board_queue", kwargs={"pk": board.pk})],
        doha: [reverse("democracy:manage_recommendations_overdue", kwargs={"pk": scene["commune"].province_id})],
    }

    def counts():
        found = []
        for user, user_urls in urls.items():
            client.force_login(user)
            found += [queries(client, url) for url in user_urls]
        return found

    for i in range(2):
        recommendation(board, officer, days_ago=25, title=f"Quá hạn {i}")
    few = counts()
    for i in range(6):
        recommendation(board, officer, days_ago=25, title=f"Quá hạn thêm {i}")
    assert counts() == few


def test_doha_sees_the_provinces_overdue_recommendations_only(client, scene):
    board, officer = scene["board"], scene["officer"]
    overdue = recommendation(board, officer, days_ago=25, title="Quá hạn")
    recommendation(board, officer, days_ago=2, title="Còn hạn")
    elsewhere = CommuneFactory(province=ProvinceFactory())
    other = recommendation(inspection_board(elsewhere, officer), officer, days_ago=25, title="Tỉnh khác")
    doha = user_with_role(Role.DOHA_STAFF, scene["commune"].province)
    client.force_login(doha)
    page = client.get(
        reverse("democracy:manage_recommendations_overdue", kwargs={"pk": scene["commune"].province_id})
    ).content.decode()
    assert f'id="recommendation-{overdue.pk}"' in page
    assert page.count('<tr id="recommendation-') == 1 and f"recommendation-{other.pk}" not in page
    assert (
        client.get(
            reverse("democracy:manage_recommendations_overdue", kwargs={"pk": elsewhere.province_id})
        ).status_code
        == 403
    )


# --- The workspace ---------------------------------------------------------------------------------------------


def test_the_workspace_tells_the_officer_the_member_and_doha(client, scene):
    board, officer = scene["board"], scene["officer"]
    recommendation(board, officer, days_ago=25, title="Quá hạn")
    recommendation(board, officer, days_ago=1, title="Còn hạn")
    doha = user_with_role(Role.DOHA_STAFF, scene["commune"].province)
    workspace = reverse("portal:workspace")

    client.force_login(officer)
    page = client.get(workspace).content.decode()
    awaiting_url = reverse("democracy:manage_recommendations", kwargs={"pk": scene["commune"].pk}) + "?state=awaiting"
    assert f'<li class="inbox__item--urgent"><a href="{awaiting_url}"><strong class="inbox__count">2</strong>' in page

    # A board member holds no role: the workspace opens for the seat, with the board's queue.
    client.force_login(scene["member"])
    page = client.get(workspace).content.decode()
    assert f'id="inbox-board-{board.pk}"' in page
    assert reverse("democracy:manage_board_queue", kwargs={"pk": board.pk}) in page
    services.board_member_leave(member=scene["seat"], on=clock.today(), by=officer)
    assert client.get(workspace).status_code == 403

    client.force_login(doha)
    page = client.get(workspace).content.decode()
    overdue_url = reverse("democracy:manage_recommendations_overdue", kwargs={"pk": scene["commune"].province_id})
    assert f'<a href="{overdue_url}"><strong class="inbox__count">1</strong>' in page
