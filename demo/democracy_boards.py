"""Demo oversight boards (Law 10/2022/QH15, art. 36–40) on today's phường Vân Hà:

- the ward's People's Inspection Board, elected last July at tổ dân phố Vân Cốc 1's meeting (a matter of
  item 5 of art. 15, recognised by the ward) for a term to the end of next year, with 5 members; its head,
  Vũ Văn Thanh, signs in as ``ban-thanh-tra@example.com`` (the demo's password) and works the board's queue;
- its quarterly plan and an inspection report, and two recommendations to the ward this year: one
  answered within the 15 days, one received 25 days ago and still awaiting, so overdue and escalated to
  the Department of Home Affairs (the demo mails nobody: the escalation is marked as mailed);
- a community investment supervision board for the Vân Cốc 2 cultural house.

The account is made here: demo/accounts.py gives each demo account a role over a place, and a seat on a
board is not a role. The people are invented. Everything goes through the services; dates a service sets
to "today" are moved back afterwards, so the timeline reads as it happened. Idempotent: the election is
found by its title, a board by its kind and works, a member by name, a document or recommendation by
title; what exists is left as it is.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_create
from communes.models import Village
from core import clock
from demo.accounts import DEMO_PASSWORD
from demo.democracy import (
    DEMO_VILLAGE,
    FRONT_EMAIL,
    HEAD_EMAIL,
    OFFICER_EMAIL,
    VILLAGES,
    Meeting,
    _at,
    _commune,
    _pdf_file,
    recognised_meeting,
)
from democracy.models import (
    Board,
    BoardDocument,
    BoardKind,
    BoardMember,
    Category,
    DocumentKind,
    Matter,
    Position,
    Recommendation,
)
from democracy.models.oversight import PlanPeriod
from democracy.services.boards import (
    board_create,
    board_document_add,
    board_member_add,
    recommendation_answer,
    recommendation_create,
    recommendations_escalate,
)
from democracy.services.subscriptions import mails_muted

BOARD_EMAIL = "ban-thanh-tra@example.com"
BOARD_HEAD = "Vũ Văn Thanh"
ELECTION_TITLE = "Bầu thành viên Ban Thanh tra nhân dân phường Vân Hà"
WORKS = "Nhà văn hóa tổ dân phố Vân Cốc 2"
SECOND_VILLAGE = VILLAGES[1].name

# Designed demo data: invented people, the area's group names.
INSPECTION_MEMBERS = [
    (BOARD_HEAD, Position.HEAD, DEMO_VILLAGE),
    ("Nguyễn Thị Thu Hà", Position.DEPUTY, SECOND_VILLAGE),
    ("Trần Đức Lâm", Position.MEMBER, DEMO_VILLAGE),
    ("Lê Thị Oanh", Position.MEMBER, SECOND_VILLAGE),
    ("Phạm Quang Huy", Position.MEMBER, DEMO_VILLAGE),
]
INVESTMENT_MEMBERS = [
    ("Dương Văn Bình", Position.HEAD, SECOND_VILLAGE),
    ("Bùi Thị Mai", Position.MEMBER, SECOND_VILLAGE),
    ("Đặng Quang Nam", Position.MEMBER, SECOND_VILLAGE),
]
REPORT_TITLE = "Báo cáo kết quả kiểm tra việc thu, chi khoản đóng góp bê tông hóa ngõ 5 tổ dân phố Vân Cốc 2"
ANSWERED_TITLE = "Niêm yết công khai danh sách hộ đóng góp bê tông hóa ngõ 5"
AWAITING_TITLE = "Sửa chữa hệ thống đèn chiếu sáng ngõ 3 tổ dân phố Vân Cốc 1"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _account(password: str | None) -> User:
    """The board head's demo account, with the other demo accounts' password."""
    return User.objects.filter(email=BOARD_EMAIL).first() or user_create(
        email=BOARD_EMAIL, password=password or DEMO_PASSWORD, full_name=BOARD_HEAD, email_verified=True
    )


def _election(village: Village, officer: User, today: datetime.date) -> Matter:
    """Tổ dân phố Vân Cốc 1's meeting of early July last year elected its members of the board; the ward
    recognised it a few working days later."""
    found = Matter.objects.filter(village=village, title=ELECTION_TITLE).first()
    if found is not None:
        return found
    head = User.objects.filter(email=HEAD_EMAIL).first() or officer
    front = User.objects.filter(email=FRONT_EMAIL).first() or officer
    meeting_day = datetime.date(today.year - 1, 7, 6)
    meeting = Meeting(
        title=ELECTION_TITLE,
        summary=(
            "Hội nghị tổ dân phố bầu 3 thành viên Ban Thanh tra nhân dân phường Vân Hà nhiệm kỳ mới theo danh sách "
            "do Ban công tác Mặt trận giới thiệu; các tổ dân phố khác bầu thành viên của mình."
        ),
        category=Category.BOARDS,
        starts_at=_at(meeting_day, 8),
        minutes_title="Biên bản hội nghị bầu thành viên Ban Thanh tra nhân dân",
        minutes_lines=(
            f"Hồi 8 giờ ngày {meeting_day:%d/%m/%Y}, tại Nhà văn hoá {village}, hội nghị cộng đồng dân cư bầu thành "
            "viên Ban Thanh tra nhân dân phường Vân Hà.",
            "Số hộ gia đình có đại diện dự họp: 20/24 hộ.",
            "Kết quả: các ông, bà Vũ Văn Thanh, Trần Đức Lâm, Phạm Quang Huy trúng cử với 18/24 hộ tán thành.",
        ),
        minutes_name="bien-ban-bau-ban-thanh-tra.pdf",
        present=20,
        votes=(18, 1, 1),
        proposed=_at(meeting_day - datetime.timedelta(days=20), 8),
        cosigned_at=_at(meeting_day, 11),
        recognised_after=3,
    )
    return recognised_meeting(village, head, front, officer, meeting)


def _board(commune, kind: str, subject: str, starts: datetime.date, ends: datetime.date, *, by, elected_by=None):
    found = Board.objects.filter(commune=commune, kind=kind, subject=subject).order_by("-term_starts_on").first()
    if found is not None:
        return found, 0
    board = board_create(
        commune=commune,
        kind=kind,
        subject=subject,
        term_starts_on=starts,
        term_ends_on=ends,
        elected_by=elected_by,
        by=by,
    )
    return board, 1


def _members(board: Board, members, villages: dict[str, Village], *, by, account: User | None = None) -> int:
    known = set(BoardMember.objects.filter(board=board).values_list("full_name", flat=True))
    made = 0
    for full_name, position, village in members:
        if full_name in known:
            continue
        email = account.email if account is not None and full_name == BOARD_HEAD else ""
        board_member_add(
            board=board, full_name=full_name, position=position, village=villages[village], email=email, by=by
        )
        made += 1
    return made


def _documents(board: Board, head: User, today: datetime.date) -> tuple[int, BoardDocument | None]:
    made = 0
    quarter = (today.month - 1) // 3 + 1
    plan_title = f"Kế hoạch hoạt động quý {ROMAN[quarter]} năm {today.year} của Ban Thanh tra nhân dân phường Vân Hà"
    if not BoardDocument.objects.filter(board=board, title=plan_title).exists():
        dated = max(datetime.date(today.year, 3 * quarter - 2, 1), board.term_starts_on)
        board_document_add(
            board=board,
            kind=DocumentKind.PLAN,
            period=PlanPeriod.QUARTER,
            title=plan_title,
            dated=dated,
            text=(
                "1. Giám sát việc thu, chi các khoản đóng góp tự nguyện của Nhân dân tại các tổ dân phố.\n"
                "2. Giám sát việc giải quyết phản ánh, kiến nghị của Nhân dân tại Bộ phận Một cửa.\n"
                "3. Giám sát việc thực hiện quy ước của các tổ dân phố."
            ),
            file=_pdf_file(plan_title, "Ban Thanh tra nhân dân phường Vân Hà", ("Kế hoạch quý.",), "ke-hoach-quy.pdf"),
            by=head,
        )
        made += 1
    report = BoardDocument.objects.filter(board=board, title=REPORT_TITLE).first()
    if report is None:
        report = board_document_add(
            board=board,
            kind=DocumentKind.REPORT,
            title=REPORT_TITLE,
            dated=max(today - datetime.timedelta(days=70), board.term_starts_on),
            text=(
                "Qua kiểm tra sổ thu, chứng từ chi của Tổ dân phố Vân Cốc 2: số tiền thu khớp với danh sách hộ đóng "
                "góp; danh sách hộ đóng góp chưa được niêm yết công khai tại nhà văn hóa tổ dân phố."
            ),
            file=_pdf_file(
                REPORT_TITLE,
                "Ban Thanh tra nhân dân phường Vân Hà",
                ("Kết quả kiểm tra việc thu, chi khoản đóng góp của Nhân dân.",),
                "bao-cao-kiem-tra.pdf",
            ),
            by=head,
        )
        made += 1
    return made, report


def _recommendations(board: Board, report, head: User, officer: User, today: datetime.date) -> int:
    made = 0
    if not Recommendation.objects.filter(board=board, title=ANSWERED_TITLE).exists():
        received = max(today - datetime.timedelta(days=60), datetime.date(today.year, 1, 2), board.term_starts_on)
        answered = recommendation_create(
            board=board,
            title=ANSWERED_TITLE,
            text=(
                "Đề nghị UBND phường chỉ đạo Tổ dân phố Vân Cốc 2 niêm yết công khai danh sách hộ gia đình và số tiền "
                "đóng góp bê tông hóa ngõ 5 tại nhà văn hóa tổ dân phố ít nhất 30 ngày."
            ),
            received_on=received,
            report=report,
            by=head,
        )
        recommendation_answer(
            recommendation=answered,
            answer=(
                "UBND phường đã chỉ đạo Tổ trưởng tổ dân phố Vân Cốc 2 niêm yết danh sách hộ đóng góp tại nhà văn hóa "
                "tổ dân phố và đăng trên Cổng; Ban công tác Mặt trận tổ dân phố giám sát việc niêm yết."
            ),
            answered_on=min(received + datetime.timedelta(days=9), today),
            by=officer,
        )
        made += 1
    if not Recommendation.objects.filter(board=board, title=AWAITING_TITLE).exists():
        awaiting = recommendation_create(
            board=board,
            title=AWAITING_TITLE,
            text=(
                "Nhiều hộ dân phản ánh 6 bóng đèn chiếu sáng ngõ 3 hỏng đã lâu. Đề nghị UBND phường kiểm tra, bố trí "
                "kinh phí sửa chữa và thông báo thời gian thực hiện cho Nhân dân."
            ),
            received_on=max(today - datetime.timedelta(days=25), board.term_starts_on),
            by=head,
        )
        recommendations_escalate(today=today)
        awaiting.refresh_from_db()
        if awaiting.escalated_at is not None:
            # Escalated the day after its due date; the demo tells nobody, so it counts as mailed.
            when = _at(awaiting.due_on + datetime.timedelta(days=1), 7)
            Recommendation.objects.filter(pk=awaiting.pk).update(escalated_at=when, escalation_mailed_at=when)
        made += 1
    return made


@transaction.atomic
def boards_demo_ensure(*, by, password: str | None = None) -> int:
    """Build the boards' demo on today's phường Vân Hà; the number of records created (0 on a second
    call). Without the ward or its demo groups (demo/democracy.py builds them first) it does nothing."""
    commune = _commune()
    officer = User.objects.filter(email=OFFICER_EMAIL).first() or by
    if commune is None or officer is None:
        return 0
    villages = {
        v.name: v for v in Village.objects.current().filter(commune=commune, name__in=[s.name for s in VILLAGES])
    }
    if len(villages) < len(VILLAGES):
        return 0
    today = clock.today()
    made = 0
    with mails_muted():
        account = _account(password)
        election = _election(villages[DEMO_VILLAGE], officer, today)
        starts = election.recognised_on or datetime.date(today.year - 1, 7, 15)
        inspection, created = _board(
            commune,
            BoardKind.INSPECTION,
            "",
            starts,
            datetime.date(today.year + 1, 12, 31),
            by=officer,
            elected_by=election,
        )
        made += created
        made += _members(inspection, INSPECTION_MEMBERS, villages, by=officer, account=account)
        documents, report = _documents(inspection, account, today)
        made += documents
        made += _recommendations(inspection, report, account, officer, today)
        investment, created = _board(
            commune,
            BoardKind.INVESTMENT,
            WORKS,
            today - datetime.timedelta(days=120),
            today + datetime.timedelta(days=240),
            by=officer,
        )
        made += created
        made += _members(investment, INVESTMENT_MEMBERS, villages, by=officer)
    return made


def boards_demo_summary(created: int) -> str:
    """One line for ``setup_demo``."""
    commune = _commune()
    boards = Board.objects.filter(commune=commune)
    return _(
        "Demo oversight boards: %(boards)d boards with %(members)d members, %(recommendations)d recommendations; "
        "the board's head signs in as %(email)s (%(created)d records created now)."
    ) % {
        "boards": boards.count(),
        "members": BoardMember.objects.filter(board__in=boards).count(),
        "recommendations": Recommendation.objects.filter(board__in=boards).count(),
        "email": BOARD_EMAIL,
        "created": created,
    }
