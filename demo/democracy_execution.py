"""Demo oversight by residents (Law 10/2022/QH15, art. 30–31, 38) on today's phường Vân Hà.

Tổ dân phố Vân Cốc 2 decided at its meeting, about four months ago, that each household contributes
200.000 đồng to light lane 2 (item 1 of art. 15); the ward recognised it. The group leader then published
each step: 22 households' contributions collected, the lamps bought, the lamps put up and accepted, the
fitters paid. The demo citizen walked down the lane and reported to the ward's People's Inspection Board
that two lamps do not light; the ward's Fatherland Front committee filed its supervision note.

The demo's other contributions matter (lane 5, decided by ballots: demo/democracy.py) stays awaiting
the ward's recognition, one matter at each stage; this one is older, so the recognised meeting matter of
Vân Cốc 1 stays the newest recognised one.

Everything goes through the services; only dates the services stamp with the real clock (sending,
co-signing, creation, a report's arrival) are moved back afterwards. The report needs the ward's
inspection board in office (the boards' demo makes it): without one, the report is left for a later run.

Idempotent: the matter is found by its group and title, its steps by the matter, the report by its author
and matter, the note by its title.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from communes.models import Village
from core import clock
from demo.democracy import (
    CITIZEN_EMAIL,
    OFFICER_EMAIL,
    VILLAGES,
    Meeting,
    _at,
    _commune,
    _existing,
    _pdf_file,
    _user,
    recognised_meeting,
)
from democracy.models import (
    Category,
    Execution,
    ExecutionKind,
    Matter,
    MatterStatus,
    Report,
    SupervisionNote,
)
from democracy.selectors.execution import inspection_board_in_office
from democracy.services.execution import execution_record, report_submit, supervision_note_file
from democracy.services.subscriptions import mails_muted

VILLAGE = VILLAGES[1]  # tổ dân phố Vân Cốc 2
TITLE = "Đóng góp lắp đèn chiếu sáng ngõ 2 tổ dân phố Vân Cốc 2"
FRONT_EMAIL = "mat-tran-phuong@example.com"  # demo/accounts.py: the ward's Front committee
FRONT_NAME = "Lương Thị Hằng"
NOTE_TITLE = "Giám sát việc thu, chi đóng góp lắp đèn chiếu sáng ngõ 2 tổ dân phố Vân Cốc 2"
ISSUER_GROUP = "Tổ dân phố Vân Cốc 2"
CONTRIBUTION = 200_000
PAYING_HOUSEHOLDS = 22

# (days after the recognition, kind, amount, description, (document title, file name) or None)
STEPS = [
    (
        7,
        ExecutionKind.COLLECTED,
        Decimal(PAYING_HOUSEHOLDS * CONTRIBUTION),
        f"Thu đợt 1 tiền đóng góp của {PAYING_HOUSEHOLDS}/30 hộ gia đình, mỗi hộ 200.000 đồng; danh sách các hộ "
        "đã nộp niêm yết tại nhà văn hoá tổ dân phố. 8 hộ còn lại nộp trong đợt 2.",
        ("Bảng kê thu tiền đóng góp đợt 1", "bang-ke-thu-dot-1.pdf"),
    ),
    (
        20,
        ExecutionKind.SPENT,
        Decimal(3_960_000),
        "Mua 12 bộ đèn LED năng lượng mặt trời 30W kèm giá đỡ và vật tư lắp đặt, hoá đơn số 0001234 của "
        "cửa hàng điện Minh Phát (330.000 đồng/bộ).",
        ("Hoá đơn mua đèn và vật tư", "hoa-don-mua-den.pdf"),
    ),
    (
        27,
        ExecutionKind.WORKS,
        None,
        "Lắp đặt 12 bộ đèn chiếu sáng dọc ngõ 2, từ đầu ngõ đến nhà văn hoá; nghiệm thu với đại diện các hộ "
        "gia đình và Ban giám sát đầu tư của cộng đồng.",
        ("Biên bản nghiệm thu lắp đặt đèn chiếu sáng", "bien-ban-nghiem-thu.pdf"),
    ),
    (
        28,
        ExecutionKind.SPENT,
        Decimal(400_000),
        "Trả công lắp đặt cho 2 thợ điện trong tổ dân phố (2 ngày công).",
        None,
    ),
]
REPORT_TEXT = (
    "Tối hôm qua tôi đi qua ngõ 2 tổ dân phố Vân Cốc 2 thấy chỉ có 10 bộ đèn sáng, 2 bộ ở cuối ngõ gần "
    "nhà văn hoá không sáng, trong khi bảng công khai ghi đã lắp và nghiệm thu 12 bộ. Đề nghị Ban kiểm tra lại."
)
REPORT_DAYS_AFTER = 40
NOTE_TEXT = (
    "Ủy ban Mặt trận Tổ quốc phường đã đối chiếu bảng kê thu đợt 1 (22 hộ, 4.400.000 đồng) với sổ thu của "
    "Tổ trưởng và hoá đơn mua đèn: khớp. Số tiền còn lại 40.000 đồng và 8 hộ chưa nộp cần được công khai "
    "tiếp tại nhà văn hoá. Đề nghị Ban Thanh tra nhân dân phường kiểm tra phản ánh về 2 bộ đèn không sáng."
)
NOTE_DAYS_AFTER = 45


def _matter(village: Village, head: User, front: User, officer: User, today: datetime.date) -> Matter:
    """Decided at the meeting about four months ago, recognised a week later."""
    meeting_day = today - datetime.timedelta(days=125)
    meeting = Meeting(
        title=TITLE,
        summary=(
            "Mỗi hộ gia đình đóng góp 200.000 đồng lắp 12 bộ đèn chiếu sáng năng lượng mặt trời dọc ngõ 2; "
            "Tổ trưởng tổ dân phố thu, chi và công khai từng khoản tại nhà văn hoá và trên Cổng thông tin."
        ),
        category=Category.CONTRIBUTIONS,
        starts_at=_at(meeting_day, 19, 30),
        minutes_title="Biên bản cuộc họp cộng đồng dân cư",
        minutes_lines=(
            f"Hồi 19 giờ 30 ngày {meeting_day:%d/%m/%Y}, tại Nhà văn hoá {village}, cộng đồng dân cư họp bàn và "
            f"quyết định: {TITLE}, mỗi hộ 200.000 đồng.",
            "Số hộ gia đình có đại diện dự họp: 26/30 hộ.",
            "Kết quả biểu quyết: 22 hộ tán thành, 2 hộ không tán thành, 2 hộ không biểu quyết.",
        ),
        minutes_name="bien-ban-hop-van-coc-2-den-ngo-2.pdf",
        present=26,
        votes=(22, 2, 2),
        proposed=_at(meeting_day - datetime.timedelta(days=20), 8),
        cosigned_at=_at(meeting_day + datetime.timedelta(days=1), 9),
        recognised_after=3,
    )
    return recognised_meeting(village, head, front, officer, meeting)


def _steps(matter: Matter, head: User) -> int:
    for days, kind, amount, description, document in STEPS:
        on = matter.recognised_on + datetime.timedelta(days=days)
        pdf = None
        if document:
            title, name = document
            pdf = _pdf_file(title, ISSUER_GROUP, (description,), name)
        step = execution_record(
            matter=matter, kind=kind, on=on, amount=amount, description=description, document=pdf, by=head
        )
        Execution.objects.filter(pk=step.pk).update(created_at=_at(on, 20))
    return len(STEPS)


@transaction.atomic
def execution_demo_ensure(*, by) -> int:
    """Build the demo execution, report and note on phường Vân Hà; the number of records created (0 on a
    second call). Without the ward or its residential group Vân Cốc 2 (democracy_demo_ensure makes it) it
    does nothing. ``by`` stands in for the demo officer when that account is missing."""
    commune = _commune()
    officer = User.objects.filter(email=OFFICER_EMAIL).first() or by
    if commune is None or officer is None:
        return 0
    village = Village.objects.current().filter(commune=commune, name=VILLAGE.name).first()
    if village is None:
        return 0
    today = clock.today()
    head = _user(VILLAGE.head_email, VILLAGE.head_name)
    made = 0
    with mails_muted():
        matter = _existing(village, TITLE)
        if matter is None:
            front = _user(VILLAGE.front_email, VILLAGE.front_head_name)
            matter = _matter(village, head, front, officer, today)
            made += 1
        if matter.status != MatterStatus.RECOGNISED:
            return made
        if not Execution.objects.filter(matter=matter).exists():
            made += _steps(matter, head)
        citizen = User.objects.filter(email=CITIZEN_EMAIL).first()
        # The report needs the ward's inspection board in office: the boards' demo makes it.
        board = inspection_board_in_office(commune=commune, today=today)
        reported = citizen is None or Report.objects.filter(author=citizen, matter=matter).exists()
        if board is not None and not reported:
            works = Execution.objects.filter(matter=matter, kind=ExecutionKind.WORKS).first()
            report = report_submit(author=citizen, text=REPORT_TEXT, matter=matter, execution=works)
            received = matter.recognised_on + datetime.timedelta(days=REPORT_DAYS_AFTER)
            Report.objects.filter(pk=report.pk).update(created_at=_at(min(received, today), 7, 45))
            made += 1
        if not SupervisionNote.objects.filter(commune=commune, title=NOTE_TITLE).exists():
            front_committee = _user(FRONT_EMAIL, FRONT_NAME)
            note = supervision_note_file(
                commune=commune,
                title=NOTE_TITLE,
                text=NOTE_TEXT,
                matter=matter,
                document=_pdf_file(
                    "Biên bản giám sát", "Ủy ban MTTQ Việt Nam phường Vân Hà", (NOTE_TEXT,), "bien-ban-giam-sat.pdf"
                ),
                by=front_committee,
            )
            filed = matter.recognised_on + datetime.timedelta(days=NOTE_DAYS_AFTER)
            SupervisionNote.objects.filter(pk=note.pk).update(created_at=_at(min(filed, today), 14))
            made += 1
    return made
