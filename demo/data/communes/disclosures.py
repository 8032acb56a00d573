"""The public disclosures the demo communes post, each with its decision date and publication delay:
``DISCLOSURES`` by the Bắc Giang communes before they ended on 30 June 2025, ``TODAY_DISCLOSURES`` by
today's units that took them over, from 1 July 2025 on."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from communes.models import DisclosureCategory


@dataclass(frozen=True)
class DisclosureSpec:
    title: str  # "{commune}" becomes "phường Quảng Minh" and the like
    category: str
    decision_date: datetime.date
    delay_working_days: int  # from decision to publication; over 5 is late (Law 10/2022 art. 12(3))
    posted_days: int | None  # None for the permanent categories
    body: list[str]
    only_for: tuple[str, ...] = ()  # commune codes; empty: every demo commune


DISCLOSURES = [
    DisclosureSpec(
        title="Danh mục thủ tục hành chính giải quyết tại Bộ phận Một cửa {commune}",
        category=DisclosureCategory.PROCEDURES,
        decision_date=datetime.date(2024, 8, 15),
        delay_working_days=2,
        posted_days=None,
        body=[
            "Danh mục các thủ tục hành chính thuộc thẩm quyền giải quyết của UBND cấp xã, kèm thành phần hồ sơ, "
            "thời hạn giải quyết và phí, lệ phí.",
            "Danh mục được niêm yết thường xuyên tại Bộ phận Một cửa và cập nhật khi có thay đổi.",
        ],
    ),
    DisclosureSpec(
        title="Quy chế thực hiện dân chủ ở cơ sở và Quy tắc ứng xử của cán bộ, công chức {commune}",
        category=DisclosureCategory.DEMOCRACY_RULES,
        decision_date=datetime.date(2024, 9, 5),
        delay_working_days=3,
        posted_days=None,
        body=[
            "Quy chế thực hiện dân chủ ở cơ sở theo Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15.",
            "Nhiệm vụ, quyền hạn của cán bộ, công chức cấp xã và Quy tắc ứng xử của người có chức vụ, quyền hạn.",
        ],
    ),
    DisclosureSpec(
        title="Công khai dự toán ngân sách năm 2025 của {commune}",
        category=DisclosureCategory.BUDGET,
        decision_date=datetime.date(2024, 12, 20),
        delay_working_days=3,
        posted_days=60,
        body=[
            "Dự toán thu, chi ngân sách năm 2025 đã được Hội đồng nhân dân quyết định.",
            "Biểu chi tiết kèm theo được niêm yết tại trụ sở UBND và nhà văn hóa các thôn, tổ dân phố.",
        ],
    ),
    DisclosureSpec(
        title="Danh sách đối tượng hưởng trợ cấp xã hội hằng tháng năm 2025 của {commune}",
        category=DisclosureCategory.SUPPORT_POLICIES,
        decision_date=datetime.date(2025, 1, 8),
        delay_working_days=8,  # late on purpose: the pages flag it
        posted_days=30,
        body=[
            "Danh sách người cao tuổi, người khuyết tật và trẻ em có hoàn cảnh đặc biệt được hưởng trợ cấp "
            "xã hội hằng tháng, mức hưởng và thời điểm hưởng.",
        ],
    ),
    DisclosureSpec(
        title="Danh sách công dân được gọi nhập ngũ năm 2025 của {commune}",
        category=DisclosureCategory.MILITARY_SERVICE,
        decision_date=datetime.date(2025, 1, 15),
        delay_working_days=1,
        posted_days=30,
        body=[
            "Danh sách công dân được gọi nhập ngũ và thực hiện nghĩa vụ tham gia Công an nhân dân năm 2025; "
            "danh sách tạm hoãn, miễn gọi nhập ngũ.",
        ],
    ),
    DisclosureSpec(
        title="Mức thu phí, lệ phí tại Bộ phận Một cửa {commune} năm 2025",
        category=DisclosureCategory.FEES,
        decision_date=datetime.date(2025, 3, 3),
        delay_working_days=2,
        posted_days=45,
        body=[
            "Mức thu lệ phí hộ tịch, phí chứng thực áp dụng tại Bộ phận Một cửa, các trường hợp được miễn, giảm.",
        ],
    ),
    DisclosureSpec(
        title="Kế hoạch phát triển kinh tế - xã hội năm 2025 của {commune}",
        category=DisclosureCategory.DEVELOPMENT_PLAN,
        decision_date=datetime.date(2024, 12, 27),
        delay_working_days=4,
        posted_days=30,
        body=["Các chỉ tiêu phát triển kinh tế - xã hội năm 2025 và giải pháp thực hiện."],
        only_for=("07792", "07795"),
    ),
    DisclosureSpec(
        title="Tình hình thực hiện dự toán ngân sách quý I năm 2025 của {commune}",
        category=DisclosureCategory.BUDGET,
        decision_date=datetime.date(2025, 4, 10),
        delay_working_days=2,
        posted_days=30,
        body=["Số thu, chi ngân sách quý I năm 2025 so với dự toán được giao."],
        only_for=("07792", "07777"),
    ),
]


TODAY_DISCLOSURES = [
    DisclosureSpec(
        title="Danh mục thủ tục hành chính giải quyết tại Trung tâm Phục vụ hành chính công {commune}",
        category=DisclosureCategory.PROCEDURES,
        decision_date=datetime.date(2025, 7, 10),
        delay_working_days=2,
        posted_days=None,
        body=[
            "Danh mục các thủ tục hành chính thuộc thẩm quyền giải quyết của UBND cấp xã từ ngày 01/7/2025, "
            "kèm thành phần hồ sơ, thời hạn giải quyết và phí, lệ phí.",
            "Danh mục được niêm yết thường xuyên tại Trung tâm Phục vụ hành chính công và cập nhật khi có thay đổi.",
        ],
    ),
    DisclosureSpec(
        title="Quy chế thực hiện dân chủ ở cơ sở và Quy tắc ứng xử của cán bộ, công chức {commune}",
        category=DisclosureCategory.DEMOCRACY_RULES,
        decision_date=datetime.date(2025, 8, 20),
        delay_working_days=3,
        posted_days=None,
        body=[
            "Quy chế thực hiện dân chủ ở cơ sở theo Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, ban hành "
            "sau khi sắp xếp đơn vị hành chính.",
            "Nhiệm vụ, quyền hạn của cán bộ, công chức cấp xã và Quy tắc ứng xử của người có chức vụ, quyền hạn.",
        ],
    ),
    DisclosureSpec(
        title="Công khai dự toán ngân sách năm 2026 của {commune}",
        category=DisclosureCategory.BUDGET,
        decision_date=datetime.date(2025, 12, 19),
        delay_working_days=3,
        posted_days=60,
        body=[
            "Dự toán thu, chi ngân sách năm 2026 đã được Hội đồng nhân dân quyết định.",
            "Biểu chi tiết kèm theo được niêm yết tại trụ sở UBND và nhà văn hóa các thôn, tổ dân phố.",
        ],
    ),
    DisclosureSpec(
        title="Kế hoạch phát triển kinh tế - xã hội năm 2026 của {commune}",
        category=DisclosureCategory.DEVELOPMENT_PLAN,
        decision_date=datetime.date(2025, 12, 26),
        delay_working_days=4,
        posted_days=30,
        body=["Các chỉ tiêu phát triển kinh tế - xã hội năm 2026 và giải pháp thực hiện."],
        only_for=("07798", "07795"),
    ),
    DisclosureSpec(
        title="Danh sách đối tượng hưởng trợ cấp xã hội hằng tháng năm 2026 của {commune}",
        category=DisclosureCategory.SUPPORT_POLICIES,
        decision_date=datetime.date(2026, 1, 8),
        delay_working_days=8,  # late on purpose: the pages flag it
        posted_days=30,
        body=[
            "Danh sách người cao tuổi, người khuyết tật và trẻ em có hoàn cảnh đặc biệt được hưởng trợ cấp "
            "xã hội hằng tháng, mức hưởng và thời điểm hưởng.",
        ],
    ),
    DisclosureSpec(
        title="Danh sách công dân được gọi nhập ngũ năm 2026 của {commune}",
        category=DisclosureCategory.MILITARY_SERVICE,
        decision_date=datetime.date(2026, 1, 14),
        delay_working_days=1,
        posted_days=30,
        body=[
            "Danh sách công dân được gọi nhập ngũ và thực hiện nghĩa vụ tham gia Công an nhân dân năm 2026; "
            "danh sách tạm hoãn, miễn gọi nhập ngũ.",
        ],
    ),
    DisclosureSpec(
        title="Mức thu phí, lệ phí tại Trung tâm Phục vụ hành chính công {commune} năm 2026",
        category=DisclosureCategory.FEES,
        decision_date=datetime.date(2026, 3, 2),
        delay_working_days=2,
        posted_days=45,
        body=[
            "Mức thu lệ phí hộ tịch, phí chứng thực áp dụng tại Trung tâm Phục vụ hành chính công, các trường hợp "
            "được miễn, giảm.",
        ],
    ),
    DisclosureSpec(
        title="Tình hình thực hiện dự toán ngân sách quý I năm 2026 của {commune}",
        category=DisclosureCategory.BUDGET,
        decision_date=datetime.date(2026, 4, 10),
        delay_working_days=2,
        posted_days=30,
        body=["Số thu, chi ngân sách quý I năm 2026 so với dự toán được giao."],
        only_for=("07798", "07777"),
    ),
]
