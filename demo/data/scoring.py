"""The scoring demo's plan: two yearly cycles across the 2025 reform, as data.

Everything here is DATA, in Vietnamese as officials would write it; it is illustrative, not an official
record. Names of people and decision numbers are invented.

- 2024: tỉnh Bắc Giang (pre-2025) assessed eight communes of thị xã Việt Yên and huyện Tân Yên; all
  reached stars and one approved decision recognised them. The portal holds no 2024 figures, so the
  Department of Home Affairs appraised the computed criteria from the communes' paper reports.
- 2025: today's Bắc Ninh opened an assessment for every unit; the demo wards stand at each step of the
  cycle, and the officer's ward (phường Vân Hà) is still being filled, to finish in the browser.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from core.clock import VIETNAM

PROVINCE_CODE = "24"  # tỉnh Bắc Giang until 30 June 2025, then Bắc Ninh (the code was kept)
LEGACY_PERIOD_END = datetime.date(2025, 6, 30)  # the last day of tỉnh Bắc Giang
DEMO_NOTE = "Tài liệu minh họa cho bản chạy thử của cổng thông tin."


def at(*parts: int) -> datetime.datetime:
    """A moment of the demo's timeline, in Vietnam's time."""
    return datetime.datetime(*parts, tzinfo=VIETNAM)


# When each year's set was published: today's province begins on 1 July 2025 and takes over the year
# with the same set.
PUBLISHED = {
    ("legacy", 2024): at(2024, 3, 1, 9, 0),
    ("legacy", 2025): at(2025, 3, 3, 9, 0),
    ("current", 2025): at(2025, 7, 15, 9, 0),
}

# Stars → the total the appraisal aims at: inside the band, clear of its edges.
TARGET_TOTAL = {5: "96.50", 4: "92.00", 3: "87.00", 2: "82.00", 1: "74.00"}


# --- 2024: tỉnh Bắc Giang -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Legacy:
    """A commune's 2024 result: the stars it reaches and how well it scored itself (share of the points)."""

    code: str
    stars: int
    quality: float


LEGACY_2024 = [
    Legacy("07792", 3, 0.95),  # phường Quảng Minh
    Legacy("07777", 3, 0.92),  # phường Bích Động
    Legacy("07795", 2, 0.88),  # phường Nếnh
    Legacy("07336", 3, 0.9),  # xã Cao Xá, huyện Tân Yên
    Legacy("07798", 5, 0.98),  # phường Ninh Sơn
    Legacy("07780", 1, 0.8),  # xã Trung Sơn
    Legacy("07786", 4, 0.95),  # xã Tiên Sơn
    Legacy("07804", 2, 0.86),  # xã Vân Hà
]

DATES_2024 = {
    "open": at(2024, 11, 1, 8, 0),
    "fill": at(2024, 11, 12, 9, 30),
    "submit": at(2024, 11, 18, 15, 0),
    "review": at(2024, 11, 27, 10, 0),
    "appraise": at(2024, 12, 10, 14, 0),
    "publish": at(2024, 12, 12, 8, 0),
    "finalize": at(2024, 12, 23, 8, 0),
    "draft": at(2024, 12, 24, 9, 0),
    "issue": at(2024, 12, 27, 10, 0),
    "approve": at(2024, 12, 27, 15, 0),
}

# The 2024 decision: DoHA's draft (no number, no date), then the number and date the e-office system gave.
DECISION_2024 = {
    "signer_role": "chairman",
    "signer_name": "Đỗ Minh Khang",
    "proposal_number": "1187/TTr-SNV",
    "proposal_date": datetime.date(2024, 12, 24),
}
ISSUE_2024 = {"number": "1234/QĐ-UBND", "signed_on": datetime.date(2024, 12, 27)}

# Each province's default grounds ("Căn cứ …"), which DoHA edits; the laws are real, the decisions that
# issued the criteria sets are the demo's (numbers invented).
GROUNDS = {
    "legacy": [
        "Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ "
        "sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương số 47/2019/QH14 ngày "
        "22 tháng 11 năm 2019;",
        "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022;",
        "Căn cứ Quyết định số 915/QĐ-UBND ngày 15 tháng 10 năm 2024 của Chủ tịch Ủy ban nhân dân tỉnh Bắc Giang "
        "ban hành Bộ tiêu chí đánh giá Chính quyền thân thiện năm 2024 (số hiệu minh họa);",
    ],
    "current": [
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022;",
        "Căn cứ Quyết định số 1420/QĐ-UBND ngày 20 tháng 10 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh Bắc Ninh "
        "ban hành Bộ tiêu chí đánh giá Chính quyền thân thiện năm 2025 (số hiệu minh họa);",
    ],
}
REVIEW_NOTE_2024 = "Phòng Nội vụ thị xã đã kiểm tra hồ sơ, minh chứng đầy đủ; đề nghị Sở Nội vụ thẩm định."


# --- 2025: Bắc Ninh -----------------------------------------------------------------------------------------

DATES_2025 = {
    "open": at(2025, 11, 3, 8, 0),
    "fill": at(2025, 11, 12, 9, 30),
    "submit": at(2025, 11, 18, 15, 0),
    "submit_late": at(2025, 11, 25, 16, 30),
    "appraise": at(2025, 12, 10, 14, 0),
    "publish": at(2025, 12, 15, 8, 0),
    "appeal": at(2025, 12, 17, 10, 15),
    "finalize": at(2026, 1, 5, 8, 0),
}
EXTRA_WARDS = 2  # besides the demo communes' successors, so that every step of the cycle has a ward

# The officer's ward: the criteria it has filled so far, and the dossier documents it has attached.
DRAFT_FILLED = ["G1.1", "G1.3", "G1.5", "G1.6", "G2.7", "G3.1", "G3.2"]
DRAFT_DOCUMENTS = ["HS1", "HS4"]

LATE_NOTE = "Phường nộp chậm 5 ngày do chờ bổ sung biên bản hội nghị đối thoại với Nhân dân."

# The appraised ward: one line scored lower than the commune's self-score.
DOWNGRADE = {
    "code": "G1.4",
    "share": "0.50",
    "reason": (
        "Dự thảo điều chỉnh quy hoạch khu dân cư chỉ niêm yết lấy ý kiến Nhân dân 12 ngày, chưa đủ 20 ngày "
        "theo Điều 25 Luật Thực hiện dân chủ ở cơ sở; Sở Nội vụ chấm một nửa số điểm."
    ),
}

# The provisional ward: the appraisal scores the dialogue conference lower, and the ward appeals.
APPEAL = {
    "code": "G1.5",
    "share": "0.50",
    "reason": (
        "Hồ sơ chỉ có biên bản 01 hội nghị đối thoại; chưa có báo cáo hoạt động của Ban Thanh tra nhân dân trong năm."
    ),
    "text": (
        "Ngày 15/10/2025 phường đã tổ chức hội nghị đối thoại thứ hai với Nhân dân tổ dân phố Thượng Lát và "
        "Ban Thanh tra nhân dân đã có báo cáo 9 tháng; phường gửi bổ sung biên bản và báo cáo, đề nghị Sở "
        "Nội vụ xem xét lại điểm tiêu chí G1.5."
    ),
}

# The ward that is not recognised: a discipline case, a knock-out whatever its points.
DISCIPLINE_NOTE = (
    "Tháng 8/2025 một công chức Bộ phận một cửa của phường bị kỷ luật khiển trách do nhận tiền của người dân "
    "khi giải quyết hồ sơ chứng thực (Quyết định số 58/QĐ-UBND ngày 20/8/2025 của UBND phường, số hiệu minh họa)."
)
APPRAISAL_NOTE = "Sở Nội vụ đã thẩm định hồ sơ và minh chứng của đơn vị."


# --- What DoHA writes where the portal has no figures ------------------------------------------------------

PAPER_REASON = {
    2024: "Số liệu năm 2024 do Sở Nội vụ tổng hợp từ báo cáo giấy của UBND cấp xã",
    2025: "Cổng chưa có đủ số liệu năm 2025 của đơn vị cho tiêu chí này; Sở Nội vụ tổng hợp từ báo cáo giấy",
}
PAPER_SOURCE = {
    "survey": "phiếu khảo sát giấy do Sở Nội vụ phát và thu tại Bộ phận một cửa và khu dân cư.",
    "feedback": "sổ theo dõi tiếp nhận, xử lý phản ánh, kiến nghị của UBND cấp xã.",
    "dossier": "báo cáo thống kê hồ sơ thủ tục hành chính, đối chiếu với Hệ thống thông tin giải quyết TTHC tỉnh.",
    "disclosure": "kiểm tra trực tiếp bảng niêm yết công khai tại trụ sở UBND cấp xã.",
    "profile": "kiểm tra trực tiếp việc niêm yết thủ tục hành chính tại Bộ phận một cửa.",
}


# --- The commune's explanations and its evidence -----------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    note: str  # the commune's explanation of its self-score
    title: str  # the evidence document
    body: tuple[str, ...] = field(default_factory=tuple)


EVIDENCE = {
    "G1.1": Evidence(
        "UBND đã ban hành Quy chế thực hiện dân chủ năm {year}, có ý kiến thống nhất của Ủy ban MTTQ.",
        "Quyết định ban hành Quy chế thực hiện dân chủ ở cơ sở năm {year}",
        (
            "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15;",
            "Ban hành kèm theo Quyết định này Quy chế "
            "thực hiện dân chủ ở cơ sở; Ủy ban MTTQ cùng cấp đã tham gia ý kiến bằng văn bản.",
        ),
    ),
    "G1.3": Evidence(
        "Tổ chức 6 cuộc họp tổ dân phố bàn và quyết định mức đóng góp xây dựng đường làng; biên bản gửi UBND "
        "trong 05 ngày làm việc.",
        "Tổng hợp biên bản họp Nhân dân bàn và quyết định năm {year}",
        (
            "Nội dung: mức đóng góp xây dựng, sửa chữa đường giao thông khu dân cư.",
            "Số hộ dự họp đạt trên 80%; biên bản có chữ ký của đại diện hộ gia đình.",
        ),
    ),
    "G1.4": Evidence(
        "Lấy ý kiến Nhân dân về dự thảo điều chỉnh quy hoạch khu dân cư và kế hoạch sử dụng đất; công khai "
        "báo cáo tiếp thu, giải trình.",
        "Báo cáo tiếp thu, giải trình ý kiến Nhân dân năm {year}",
        (
            "Hình thức lấy ý kiến: niêm yết tại nhà văn hóa, hòm thư góp ý, hội nghị tổ dân phố.",
            "Tổng số ý kiến: 142; tiếp thu 118; giải trình 24.",
        ),
    ),
    "G1.5": Evidence(
        "Tổ chức hội nghị đối thoại giữa Chủ tịch UBND với Nhân dân; Ban Thanh tra nhân dân hoạt động, trả lời "
        "kiến nghị trong 15 ngày.",
        "Biên bản hội nghị đối thoại với Nhân dân năm {year}",
        (
            "Thành phần: Chủ tịch UBND, đại diện Ủy ban MTTQ, Ban Thanh tra nhân dân và 120 đại biểu Nhân dân.",
            "Các kiến nghị được trả lời tại hội nghị hoặc bằng văn bản trong 15 ngày.",
        ),
    ),
    "G1.6": Evidence(
        "Tuyên truyền trên loa truyền thanh hằng tuần, trang thông tin điện tử và nhóm Zalo của các tổ dân phố.",
        "Kế hoạch và báo cáo tuyên truyền mô hình Chính quyền thân thiện năm {year}",
        ("Số tin, bài phát trên hệ thống truyền thanh: 48.", "Số tin đăng trên trang thông tin điện tử: 26."),
    ),
    "G2.7": Evidence(
        "Bộ phận một cửa có ghế chờ, nước uống, quầy hướng dẫn, máy lấy số, hòm thư góp ý, lối đi cho người "
        "khuyết tật và mã QR đánh giá.",
        "Biên bản kiểm tra cơ sở vật chất Bộ phận một cửa năm {year}",
        ("Kèm theo ảnh chụp khu vực chờ, quầy hướng dẫn và mã QR đánh giá tại từng quầy.",),
    ),
    "G3.1": Evidence(
        "Quy tắc ứng xử được niêm yết tại Bộ phận một cửa và trên trang thông tin điện tử.",
        "Quy tắc ứng xử của cán bộ, công chức và ảnh chụp niêm yết",
        ("Niêm yết tại Bộ phận một cửa từ ngày 02/01/{year}.",),
    ),
    "G3.2": Evidence(
        "Công chức mặc trang phục theo quy định, đeo thẻ; biển chức danh và lịch tiếp công dân được niêm yết.",
        "Ảnh chụp biển chức danh, lịch làm việc và lịch tiếp công dân",
        ("Lịch tiếp công dân của Chủ tịch UBND: thứ Năm tuần thứ hai và thứ tư hằng tháng.",),
    ),
    "G3.4": Evidence(
        "Trong năm không có cán bộ, công chức bị kỷ luật; không có phản ánh được xác minh đúng về nhũng nhiễu.",
        "Báo cáo của Chủ tịch UBND về kỷ luật, kỷ cương hành chính năm {year}",
        ("Số cán bộ, công chức bị xử lý kỷ luật: 0.", "Số phản ánh về gây phiền hà được xác minh đúng: 0."),
    ),
    "G4.1": Evidence(
        "Chủ tịch UBND tiếp công dân định kỳ 2 buổi/tháng theo lịch công khai; có sổ tiếp công dân.",
        "Sổ tiếp công dân năm {year} (trích)",
        ("Số buổi tiếp định kỳ: 24; số lượt công dân: 87.",),
    ),
    "G4.4": Evidence(
        "Giải quyết đúng hạn các đơn thuộc thẩm quyền; không có vụ việc đông người, phức tạp, kéo dài.",
        "Báo cáo công tác giải quyết khiếu nại, tố cáo năm {year}",
        ("Số đơn thuộc thẩm quyền: 9; giải quyết đúng hạn: 9.",),
    ),
    "G5.3": Evidence(
        "Phiếu lấy ý kiến 25 hộ kinh doanh và doanh nghiệp trên địa bàn: 22 phiếu hài lòng.",
        "Tổng hợp phiếu lấy ý kiến tổ chức, doanh nghiệp năm {year}",
        ("Số phiếu phát ra: 25; thu về: 25; hài lòng và rất hài lòng: 22.",),
    ),
    "G5.4": Evidence(
        "Hội nghị cán bộ, công chức đầu năm lấy ý kiến về dân chủ trong cơ quan; 100% ý kiến đồng thuận.",
        "Biên bản hội nghị cán bộ, công chức năm {year}",
        ("Số cán bộ, công chức dự: 21/22.",),
    ),
}

DOCUMENTS = {
    "HS1": (
        "Tờ trình đề nghị công nhận đạt chuẩn Chính quyền thân thiện năm {year}",
        ("UBND kính trình Sở Nội vụ thẩm định, đề nghị công nhận đơn vị đạt chuẩn Chính quyền thân thiện.",),
    ),
    "HS2": (
        "Báo cáo kết quả xây dựng Chính quyền thân thiện năm {year}",
        ("Kết quả thực hiện 5 nhóm tiêu chí; những hạn chế và giải pháp năm tới.",),
    ),
    "HS4": (
        "Bản đăng ký xây dựng mô hình Chính quyền thân thiện năm {year}",
        ("UBND đăng ký phấn đấu đạt chuẩn Chính quyền thân thiện trong năm.",),
    ),
    "HS5": (
        "Văn bản phê duyệt đăng ký xây dựng mô hình năm {year}",
        ("Cơ quan có thẩm quyền chấp thuận đăng ký của đơn vị.",),
    ),
}
