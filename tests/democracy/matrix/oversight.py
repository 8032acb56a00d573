"""The permission matrix's rows for the oversight boards' routes (see tests/democracy/matrix/__init__.py):
democracy.rules.MANAGE_BOARDS (officers and the commune Front committee), WORK_AS_BOARD (the board's
members with an account, and the Front), ANSWER_RECOMMENDATION (officers), FOLLOW_DEMOCRACY (who works on
or supervises the commune), VIEW_OVERDUE_RECOMMENDATIONS (the province's DoHA)."""

from __future__ import annotations

import datetime

from core import clock
from democracy.models import BoardKind, DocumentKind, Position
from democracy.services.boards import (
    board_create,
    board_document_add,
    board_member_add,
    recommendation_answer,
    recommendation_create,
)
from tests.democracy.matrix.roles import BOARD, COMMUNE_FOLLOWERS, OFFICERS, PROVINCE

MANAGERS = OFFICERS | {"commune_front_here"}

ALLOWED: dict[str, set[str]] = {
    "manage_boards": MANAGERS,
    "manage_board_create": MANAGERS,
    "manage_board": MANAGERS,
    "manage_board_update": MANAGERS,
    "manage_board_member_create": MANAGERS,
    "manage_board_member_update": MANAGERS,
    "manage_board_member_leave": MANAGERS,
    "manage_board_queue": BOARD,
    "manage_board_document_create": BOARD,
    "manage_recommendation_create": BOARD,
    "manage_recommendations": COMMUNE_FOLLOWERS,
    "manage_recommendation_answer": OFFICERS,
    "manage_recommendations_overdue": PROVINCE,
}
POST_ALLOWED: dict[str, set[str]] = {}
# The board's page, and a recommendation once answered (before, it is a 404: tests/democracy/test_boards_views.py).
PUBLIC: set[str] = {"board_detail", "recommendation_detail"}
# Files that may be absent: tests/democracy/test_boards_views.py.
OWN_RULES: set[str] = {"board_document_file", "recommendation_answer_file"}
PREFIXES: list[tuple[str, str]] = [
    ("boards/", "board"),
    ("manage/boards/", "board"),
    ("manage/board-members/", "board_member"),
    ("recommendations/", "recommendation_answered"),
    ("manage/recommendations/", "recommendation"),
    ("manage/provinces/", "province"),
]


def _records(board, by) -> dict:
    """A member, a report, a recommendation awaiting the commune's answer and one answered."""
    day = min(clock.today(), board.term_ends_on)
    member = board_member_add(board=board, full_name="Lê Thị Kiểm", position=Position.MEMBER, by=by)
    report = board_document_add(
        board=board, kind=DocumentKind.REPORT, title="Báo cáo kiểm tra", dated=day, text="Kết quả kiểm tra.", by=by
    )
    awaiting = recommendation_create(
        board=board, title="Công khai thu chi", text="Đề nghị công khai.", received_on=day, report=report, by=by
    )
    answered = recommendation_create(
        board=board, title="Sửa rãnh thoát nước", text="Đề nghị sửa rãnh.", received_on=day, by=by
    )
    answered = recommendation_answer(recommendation=answered, answer="UBND đã sửa rãnh.", by=by)
    return {"member": member, "awaiting": awaiting, "answered": answered}


def build(places, officer) -> dict:
    records = _records(places.board, officer)
    return {
        "board": places.board,
        "board_member": records["member"],
        "recommendation": records["awaiting"],
        "recommendation_answered": records["answered"],
        "province": places.province,
    }


def post_scene(commune, village, by) -> dict[str, dict]:
    """For the project's POST matrix (tests/portal/test_post_matrix.py): this feature's records in
    ``commune``, as the URL arguments of its views' loaders, by the loaders' names. An investment
    supervision board: the reports' feature may elect the commune's inspection board for its own records."""
    today = clock.today()
    board = board_create(
        commune=commune,
        kind=BoardKind.INVESTMENT,
        subject="Nhà văn hóa thôn",
        term_starts_on=today - datetime.timedelta(days=30),
        term_ends_on=today + datetime.timedelta(days=700),
        by=by,
    )
    records = _records(board, by)
    return {
        "_board": {"pk": board.pk},
        "_board_member": {"pk": records["member"].pk},
        "_recommendation": {"pk": records["awaiting"].pk},
    }
