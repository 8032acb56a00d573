"""Demo consultations (Law 10/2022/QH15, art. 25-29) on today's phường Vân Hà:

- the draft regulation on grassroots democracy in the ward (item 7 of art. 25): ran its 30 days and
  closed about two months ago; three sections, comments sent on the portal and received through the
  residential groups' Front work committees, a voters' meeting and the suggestion box, each answered
  (taken in, partly, or explained), and the synthesis published with the changes to the final text;
- the adjusted land-use plan of the ward (item 2): open now, closing in two weeks, two sections and two
  published comments; the demo citizen's own comment awaits moderation.

The texts are designed demo data; the people are invented. Everything goes through the consultation
services, each step on the day it happened: the services read "today" from core.clock, which the build
moves back for each step (a demo command runs alone). Times the services stamp with the real clock
(comments received, answers given) are moved back afterwards.

Idempotent: a consultation is found by its commune and title; what exists is left as it is.
"""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock

from django.db import transaction

from accounts.models import User
from core import clock
from demo.democracy import CITIZEN_EMAIL, OFFICER_EMAIL, _at, _commune, _pdf_file, _user
from democracy.models.consultations import (
    Comment,
    CommentResponse,
    Consultation,
    ConsultationChannel,
    Topic,
)
from democracy.services import consultations as services

REGULATION_TITLE = "Dự thảo Quy chế thực hiện dân chủ ở phường Vân Hà"
LAND_USE_TITLE = "Điều chỉnh quy hoạch sử dụng đất phường Vân Hà đến năm 2030"
ORGANISER = "Ủy ban nhân dân phường Vân Hà phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam phường"
ISSUER = "Ủy ban nhân dân phường Vân Hà"
# A second demo resident who comments on the portal (invented; no usable password).
NEIGHBOUR_EMAIL = "duong-thi-lan.van-coc-2@example.com"
NEIGHBOUR_NAME = "Dương Thị Lan"
DAY = datetime.timedelta(days=1)

REGULATION_SECTIONS = [
    (
        "Phạm vi điều chỉnh và đối tượng áp dụng",
        "Quy chế này quy định nội dung, cách thức thực hiện dân chủ ở phường Vân Hà: những nội dung công khai để "
        "Nhân dân biết, Nhân dân bàn và quyết định, Nhân dân tham gia ý kiến và Nhân dân kiểm tra, giám sát.\n"
        "Quy chế áp dụng đối với cán bộ, công chức phường, các tổ dân phố và Nhân dân trên địa bàn phường.",
    ),
    (
        "Hình thức công khai thông tin",
        "Ủy ban nhân dân phường niêm yết tại trụ sở, tại nhà văn hoá các tổ dân phố và đăng trên Cổng thông tin "
        "điện tử của phường; thông báo trên hệ thống truyền thanh phường ít nhất hai lần mỗi tuần trong thời gian "
        "niêm yết.",
    ),
    (
        "Tiếp nhận và trả lời ý kiến của Nhân dân",
        "Ý kiến của Nhân dân được tiếp nhận qua hội nghị, Ban công tác Mặt trận tổ dân phố, hòm thư góp ý, đường "
        "dây nóng và Cổng thông tin điện tử của phường. Ủy ban nhân dân phường tổng hợp, tiếp thu, giải trình và "
        "công khai kết quả trong thời hạn 15 ngày kể từ ngày kết thúc lấy ý kiến.",
    ),
]
# (section number or None, online author key or channel, source, text, response, answer)
REGULATION_COMMENTS = [
    (
        2,
        "citizen",
        "",
        "Đề nghị niêm yết thêm tại bảng tin của chợ Vân Hà, vì nhiều người cao tuổi không xem thông tin trên mạng.",
        CommentResponse.ACCEPTED,
        "Tiếp thu: Điều 2 bổ sung bảng tin chợ Vân Hà vào các địa điểm niêm yết.",
    ),
    (
        3,
        "neighbour",
        "",
        "Thời hạn 15 ngày để công khai kết quả là dài; đề nghị rút xuống 10 ngày.",
        CommentResponse.EXPLAINED,
        "Giải trình: thời hạn 15 ngày để tổng hợp ý kiến từ tất cả các kênh, kể cả hội nghị ở các tổ dân phố; "
        "phường sẽ công khai sớm hơn khi có thể.",
    ),
    (
        None,
        ConsultationChannel.FRONT,
        "Ban công tác Mặt trận tổ dân phố Vân Cốc 1",
        "Nhân dân tổ dân phố thống nhất với dự thảo; đề nghị ghi rõ trách nhiệm của Tổ trưởng tổ dân phố trong "
        "việc phổ biến Quy chế.",
        CommentResponse.ACCEPTED,
        "Tiếp thu: bổ sung trách nhiệm phổ biến Quy chế của Tổ trưởng tổ dân phố vào Điều 1.",
    ),
    (
        3,
        ConsultationChannel.MEETING,
        "Hội nghị cử tri tổ dân phố Vân Cốc 2",
        "Cử tri đề nghị đường dây nóng của phường có người trực cả ngày thứ Bảy.",
        CommentResponse.PARTLY,
        "Tiếp thu một phần: đường dây nóng có người trực sáng thứ Bảy; ngoài giờ, ý kiến được ghi âm và trả lời "
        "trong ngày làm việc kế tiếp.",
    ),
    (
        2,
        ConsultationChannel.BOX,
        "Hòm thư góp ý tại trụ sở phường",
        "Đề nghị thông báo trên loa truyền thanh cả buổi chiều, không chỉ buổi sáng.",
        CommentResponse.ACCEPTED,
        "Tiếp thu: Điều 2 quy định thông báo vào buổi sáng và buổi chiều.",
    ),
]
REGULATION_SYNTHESIS = (
    "Trong 30 ngày lấy ý kiến, Ủy ban nhân dân phường nhận được 5 ý kiến: 2 ý kiến gửi trên Cổng thông tin, "
    "1 ý kiến của Ban công tác Mặt trận tổ dân phố Vân Cốc 1, 1 ý kiến tại hội nghị cử tri tổ dân phố Vân Cốc 2 "
    "và 1 ý kiến qua hòm thư góp ý. Phường tiếp thu 3 ý kiến, tiếp thu một phần 1 ý kiến và giải trình 1 ý kiến; "
    "nội dung trả lời từng ý kiến được công khai dưới đây."
)
REGULATION_CHANGES = (
    "Điều 1: bổ sung trách nhiệm phổ biến Quy chế của Tổ trưởng tổ dân phố.\n"
    "Điều 2: bổ sung bảng tin chợ Vân Hà vào các địa điểm niêm yết; thông báo trên loa truyền thanh buổi sáng "
    "và buổi chiều.\n"
    "Điều 3: đường dây nóng có người trực sáng thứ Bảy."
)

LAND_USE_SECTIONS = [
    (
        "Chỉ tiêu sử dụng đất",
        "Đến năm 2030, đất nông nghiệp của phường còn 182,5 ha; đất ở đô thị tăng 12,4 ha; đất cây xanh, thể dục "
        "thể thao tăng 3,2 ha.",
    ),
    (
        "Các công trình, dự án",
        "Mở rộng trường mầm non Vân Hà (0,6 ha) tại xứ đồng Cửa Chùa; xây dựng sân thể thao tổ dân phố Vân Cốc 2 "
        "(0,4 ha); nâng cấp đường liên tổ dân phố Vân Cốc 1 - Vân Cốc 2.",
    ),
]
LAND_USE_COMMENTS = [
    (
        2,
        "neighbour",
        "",
        "Đề nghị bố trí bãi đỗ xe cạnh sân thể thao tổ dân phố Vân Cốc 2 để không đỗ xe dưới lòng đường.",
    ),
    (
        1,
        ConsultationChannel.FRONT,
        "Ban công tác Mặt trận tổ dân phố Vân Cốc 2",
        "Nhân dân đề nghị công khai bản đồ điều chỉnh quy hoạch tại nhà văn hoá tổ dân phố trong thời gian lấy ý kiến.",
    ),
]
CITIZEN_PENDING = "Đề nghị cho biết thời gian dự kiến mở rộng trường mầm non để các gia đình chủ động."


@contextlib.contextmanager
def _on(day: datetime.date):
    """The services' "today" is ``day`` while the block runs (a demo command runs alone)."""
    with mock.patch.object(clock, "today", return_value=day):
        yield


def _sections(consultation: Consultation, specs, by) -> int:
    for number, (heading, text) in enumerate(specs, start=1):
        services.section_save(consultation=consultation, number=number, heading=heading, text=text, by=by)
    return len(specs)


def _comment(consultation: Consultation, spec, people: dict, by, day: datetime.date) -> Comment:
    number, who, source, text = spec[:4]
    section = consultation.sections.get(number=number) if number else None
    if who in people:
        comment = services.comment_submit(consultation=consultation, user=people[who], text=text, section=section)
        comment = services.comment_moderate(comment=comment, publish=True, by=by)
    else:
        comment = services.comment_enter(
            consultation=consultation, section=section, channel=who, source=source, text=text, by=by
        )
    Comment.objects.filter(pk=comment.pk).update(created_at=_at(day, 9 + comment.pk % 8))
    return comment


def _regulation(commune, people: dict, officer: User, today: datetime.date) -> int:
    """Ran 30 days, closed about two months ago (in this year when the year is old enough), synthesised."""
    closes_on = today - datetime.timedelta(days=60)
    if closes_on.year != today.year and datetime.date(today.year, 1, 31) + datetime.timedelta(days=14) <= today:
        closes_on = datetime.date(today.year, 1, 31)  # early in the year: as late as this year allows
    opens_on = closes_on - datetime.timedelta(days=30)
    planned_on = opens_on - datetime.timedelta(days=7)
    with _on(planned_on):
        draft = _pdf_file(
            "Dự thảo Quy chế thực hiện dân chủ ở phường Vân Hà",
            ISSUER,
            tuple(f"Điều {n}. {heading}. {text}" for n, (heading, text) in enumerate(REGULATION_SECTIONS, 1)),
            "du-thao-quy-che-dan-chu-van-ha.pdf",
        )
        consultation = services.consultation_plan(
            commune=commune,
            topic=Topic.DEMOCRACY_REGULATION,
            title=REGULATION_TITLE,
            summary=(
                "Ủy ban nhân dân phường lấy ý kiến Nhân dân về dự thảo Quy chế thực hiện dân chủ ở phường: "
                "nội dung công khai, cách thức tiếp nhận và trả lời ý kiến của Nhân dân."
            ),
            channels=[
                ConsultationChannel.PORTAL,
                ConsultationChannel.FRONT,
                ConsultationChannel.MEETING,
                ConsultationChannel.BOX,
            ],
            opens_on=opens_on,
            closes_on=closes_on,
            organiser=ORGANISER,
            sent_to_council_on=planned_on,
            sent_to_front_on=planned_on,
            draft=draft,
            by=officer,
        )
        made = 1 + _sections(consultation, REGULATION_SECTIONS, officer)
    with _on(opens_on):
        services.consultation_open(consultation=consultation, by=officer)
    comments = []
    for index, spec in enumerate(REGULATION_COMMENTS):
        day = opens_on + datetime.timedelta(days=3 + 5 * index)
        with _on(day):
            comments.append((_comment(consultation, spec, people, officer, day), spec))
    with _on(closes_on + DAY):
        services.consultation_close(consultation=consultation, by=None)
    answered_on = closes_on + datetime.timedelta(days=4)
    with _on(answered_on):
        for comment, spec in comments:
            services.comment_answer(comment=comment, response=spec[4], answer=spec[5], by=officer)
    Comment.objects.filter(consultation=consultation).update(answered_at=_at(answered_on, 15))
    with _on(closes_on + datetime.timedelta(days=10)):
        final = _pdf_file(
            "Quy chế thực hiện dân chủ ở phường Vân Hà",
            ISSUER,
            ("Ban hành kèm theo Quyết định của Ủy ban nhân dân phường Vân Hà.", *REGULATION_CHANGES.splitlines()),
            "quy-che-dan-chu-van-ha.pdf",
        )
        services.consultation_synthesise(
            consultation=consultation,
            synthesis=REGULATION_SYNTHESIS,
            changes=REGULATION_CHANGES,
            final_document=final,
            by=officer,
        )
    Consultation.objects.filter(pk=consultation.pk).update(created_at=_at(planned_on, 8))
    return made + len(comments)


def _land_use(commune, people: dict, officer: User, citizen: User | None, today: datetime.date) -> int:
    """Open for 30 days, 16 of them gone: two published comments; the demo citizen's awaits moderation."""
    opens_on = today - datetime.timedelta(days=16)
    closes_on = opens_on + datetime.timedelta(days=30)
    planned_on = opens_on - datetime.timedelta(days=5)
    with _on(planned_on):
        consultation = services.consultation_plan(
            commune=commune,
            topic=Topic.LAND_USE,
            title=LAND_USE_TITLE,
            summary=(
                "Lấy ý kiến Nhân dân về phương án điều chỉnh quy hoạch sử dụng đất của phường đến năm 2030: chỉ "
                "tiêu sử dụng đất và các công trình, dự án dự kiến thực hiện."
            ),
            channels=[ConsultationChannel.PORTAL, ConsultationChannel.FRONT, ConsultationChannel.MEETING],
            opens_on=opens_on,
            closes_on=closes_on,
            organiser=ORGANISER,
            sent_to_council_on=planned_on,
            sent_to_front_on=planned_on,
            draft=_pdf_file(
                "Phương án điều chỉnh quy hoạch sử dụng đất phường Vân Hà đến năm 2030",
                ISSUER,
                tuple(f"{n}. {heading}. {text}" for n, (heading, text) in enumerate(LAND_USE_SECTIONS, 1)),
                "dieu-chinh-quy-hoach-su-dung-dat-van-ha.pdf",
            ),
            by=officer,
        )
        made = 1 + _sections(consultation, LAND_USE_SECTIONS, officer)
    with _on(opens_on):
        services.consultation_open(consultation=consultation, by=officer)
    for index, spec in enumerate(LAND_USE_COMMENTS):
        day = opens_on + datetime.timedelta(days=4 + 6 * index)
        with _on(day):
            _comment(consultation, spec, people, officer, day)
            made += 1
    if citizen is not None:
        pending = services.comment_submit(
            consultation=consultation, user=citizen, text=CITIZEN_PENDING, section=consultation.sections.get(number=2)
        )
        Comment.objects.filter(pk=pending.pk).update(created_at=_at(today - DAY, 20))
        made += 1
    Consultation.objects.filter(pk=consultation.pk).update(created_at=_at(planned_on, 8))
    return made


@transaction.atomic
def consultations_demo_ensure(*, by) -> int:
    """Build the demo consultations on phường Vân Hà; the number of records created (0 on a second call).
    Without the ward (units not loaded) it does nothing. ``by`` stands in for the demo officer when that
    account is missing."""
    commune = _commune()
    officer = User.objects.filter(email=OFFICER_EMAIL).first() or by
    if commune is None or officer is None:
        return 0
    today = clock.today()
    citizen = User.objects.filter(email=CITIZEN_EMAIL).first()
    neighbour = _user(NEIGHBOUR_EMAIL, NEIGHBOUR_NAME)
    people = {"citizen": citizen or neighbour, "neighbour": neighbour}
    existing = set(
        Consultation.objects.filter(commune=commune, title__in=[REGULATION_TITLE, LAND_USE_TITLE]).values_list(
            "title", flat=True
        )
    )
    made = 0
    if REGULATION_TITLE not in existing:
        made += _regulation(commune, people, officer, today)
    if LAND_USE_TITLE not in existing:
        made += _land_use(commune, people, officer, citizen, today)
    return made
