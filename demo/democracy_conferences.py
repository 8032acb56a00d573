"""Demo dialogue conferences (Law 10/2022/QH15, art. 32) on today's phường Vân Hà:

- this year's conference between the ward People's Committee and the residents, held about six weeks
  ago and published: four questions, one sent on the portal by the demo citizen, three received on paper;
  two answered at the conference, one answered in writing afterwards (on time), one outside the ward's
  competence and forwarded to the provincial People's Committee;
- a conference planned next month, open for questions.

Designed demo data: invented questions and answers. Everything goes through
democracy.services.conferences; only the dates a service sets to "now" (when it was scheduled, when the
questions came, when it was published) are moved back afterwards, so the page reads as it happened.

Idempotent: a conference is found by its ward and title; what exists is left as it is.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import clock
from demo.democracy import CITIZEN_EMAIL, OFFICER_EMAIL, _at, _commune, _pdf_file
from democracy.models import Conference, Outcome, Question
from democracy.services import conferences as services

WARD = "Ủy ban nhân dân phường Vân Hà"
HALL = "Hội trường Ủy ban nhân dân phường Vân Hà"
HELD_WEEKS_AGO = 6
PLANNED_TITLE = "Hội nghị đối thoại về chỉnh trang đô thị và vệ sinh môi trường"
FORWARDED_TO = "Ủy ban nhân dân tỉnh Bắc Ninh"

ONLINE_QUESTION = (
    "Đoạn đường từ tổ dân phố Vân Cốc 1 ra quốc lộ chưa có đèn chiếu sáng, buổi tối học sinh đi lại rất nguy"
    " hiểm. Đề nghị phường cho biết khi nào lắp đèn?"
)
# (text, outcome, details): answered at the conference, in writing afterwards, forwarded.
PAPER_QUESTIONS = (
    (
        "Rác thải sinh hoạt ở khu dân cư mới được thu gom mấy lần mỗi tuần? Có thể tăng lên không?",
        Outcome.ANSWERED,
        "Từ tháng tới, rác được thu gom hằng ngày vào 17 giờ; điểm tập kết chuyển ra đầu ngõ 12.",
    ),
    (
        "Kinh phí đóng góp làm nhà văn hóa tổ dân phố năm trước đã quyết toán chưa? Đề nghị công khai.",
        Outcome.IN_WRITING,
        "Quyết toán đã được phê duyệt; bảng thu, chi chi tiết được niêm yết tại nhà văn hóa và gửi kèm văn bản"
        " trả lời này đến Ban công tác Mặt trận tổ dân phố.",
    ),
    (
        "Đề nghị mở rộng tuyến đường tỉnh qua địa bàn phường và bố trí thêm điểm dừng xe buýt.",
        Outcome.FORWARDED,
        "Tuyến đường tỉnh và mạng lưới xe buýt do tỉnh quản lý; phường đã chuyển kiến nghị bằng văn bản.",
    ),
)


def _held_day(today: datetime.date) -> datetime.date:
    """About six weeks ago, but in this year: the conference is this year's (art. 32: one a year)."""
    return max(today - datetime.timedelta(weeks=HELD_WEEKS_AGO), min(datetime.date(today.year, 1, 2), today))


def _held_conference(commune, officer: User, citizen: User | None, today: datetime.date, title: str) -> int:
    now = timezone.now()
    held_on = _held_day(today)
    conference = services.conference_schedule(
        commune=commune,
        title=title,
        agenda=(
            "Tình hình hoạt động của Ủy ban nhân dân phường; kết quả thực hiện các công trình do Nhân dân đóng góp;"
            " trật tự đô thị, vệ sinh môi trường và những vấn đề liên quan đến quyền, nghĩa vụ của công dân."
        ),
        starts_at=now + datetime.timedelta(days=2),
        place=HALL,
        questions_until=now + datetime.timedelta(days=1),
        by=officer,
    )
    questions = []
    if citizen is not None:
        online = services.question_send(conference=conference, text=ONLINE_QUESTION, author=citizen)
        questions.append(services.question_moderate(question=online, publish=True, by=officer))
    else:
        questions.append(services.question_enter(conference=conference, text=ONLINE_QUESTION, by=officer))
    questions += [
        services.question_enter(conference=conference, text=text, by=officer) for text, _o, _d in PAPER_QUESTIONS
    ]
    # The plan as it was: announced four weeks before the conference, questions until two days before.
    Conference.objects.filter(pk=conference.pk).update(
        starts_at=_at(held_on, 8),
        questions_until=_at(held_on - datetime.timedelta(days=2), 17),
        created_at=_at(held_on - datetime.timedelta(weeks=4), 9),
    )
    for number, question in enumerate(questions):
        Question.objects.filter(pk=question.pk).update(
            created_at=_at(held_on - datetime.timedelta(days=20 - 3 * number), 10)
        )
    conference.refresh_from_db()
    minutes = _pdf_file(
        f"BIÊN BẢN {title.upper()}",
        WARD,
        (
            f"Thời gian: 8 giờ ngày {held_on:%d/%m/%Y}. Địa điểm: {HALL}.",
            "Chủ trì: Chủ tịch Ủy ban nhân dân phường và Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam phường.",
            "Số người dân tham dự: 142.",
            "Hội nghị đã nghe báo cáo tình hình hoạt động của Ủy ban nhân dân phường và trả lời các câu hỏi của"
            " Nhân dân gửi trước hội nghị.",
        ),
        name="bien-ban-hoi-nghi-doi-thoai.pdf",
    )
    services.conference_record_held(
        conference=conference,
        held_on=held_on,
        attendance=142,
        minutes=minutes,
        summary=(
            "Hội nghị nghe báo cáo tình hình hoạt động của Ủy ban nhân dân phường và đối thoại với Nhân dân về"
            " chiếu sáng công cộng, thu gom rác thải, công khai các khoản đóng góp và giao thông. Hai câu hỏi"
            " được trả lời tại hội nghị, một câu hỏi được trả lời bằng văn bản, một kiến nghị thuộc thẩm quyền"
            " của tỉnh đã được chuyển đến Ủy ban nhân dân tỉnh."
        ),
        by=officer,
    )
    due_on = held_on + datetime.timedelta(days=15)
    services.question_outcome_record(
        question=questions[0],
        outcome=Outcome.ANSWERED,
        answer="Phường đã bố trí kinh phí lắp 24 đèn chiếu sáng trên đoạn đường này, hoàn thành trong quý tới.",
        by=officer,
    )
    for question, (_text, outcome, details) in zip(questions[1:], PAPER_QUESTIONS, strict=True):
        if outcome == Outcome.ANSWERED:
            services.question_outcome_record(question=question, outcome=outcome, answer=details, by=officer)
        elif outcome == Outcome.IN_WRITING:
            services.question_outcome_record(question=question, outcome=outcome, answer_due_on=due_on, by=officer)
        else:
            services.question_outcome_record(
                question=question, outcome=outcome, forwarded_to=FORWARDED_TO, answer=details, by=officer
            )
    services.conference_publish(conference=conference, by=officer)
    Conference.objects.filter(pk=conference.pk).update(published_on=min(held_on + datetime.timedelta(days=3), today))
    written = next(q for q, spec in zip(questions[1:], PAPER_QUESTIONS, strict=True) if spec[1] == Outcome.IN_WRITING)
    services.question_written_answer(
        question=written,
        answered_on=min(held_on + datetime.timedelta(days=10), today),
        answer=PAPER_QUESTIONS[1][2],
        by=officer,
    )
    return 1 + len(questions)


def _planned_conference(commune, officer: User, today: datetime.date) -> int:
    day = today + datetime.timedelta(days=30)
    conference = services.conference_schedule(
        commune=commune,
        title=PLANNED_TITLE,
        agenda="Chỉnh trang vỉa hè, điểm tập kết rác thải và lịch thu gom; ý kiến của Nhân dân về quy chế khu phố.",
        starts_at=_at(day, 14),
        place=HALL,
        questions_until=_at(day - datetime.timedelta(days=3), 17),
        by=officer,
    )
    services.question_enter(
        conference=conference,
        text="Đề nghị bố trí thêm thùng rác công cộng ở khu vực chợ Vân Hà.",
        by=officer,
    )
    return 2


@transaction.atomic
def conferences_demo_ensure(*, by) -> int:
    """Build the demo conferences on today's phường Vân Hà; the number of records created (0 on a second
    call). Without the ward (units not loaded) it does nothing. ``by`` stands in for the demo officer
    when that account is missing."""
    commune = _commune()
    officer = User.objects.filter(email=OFFICER_EMAIL).first() or by
    if commune is None or officer is None:
        return 0
    today = clock.today()
    title = f"Hội nghị đối thoại giữa Ủy ban nhân dân phường với Nhân dân năm {today.year}"
    made = 0
    if not Conference.objects.filter(commune=commune, title=title).exists():
        citizen = User.objects.filter(email=CITIZEN_EMAIL).first()
        made += _held_conference(commune, officer, citizen, today, title)
    if not Conference.objects.filter(commune=commune, title=PLANNED_TITLE).exists():
        made += _planned_conference(commune, officer, today)
    return made
