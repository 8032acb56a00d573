"""Demo content for a local run (``make run``): Bắc Giang before the 2025 reform.

Everything here is DATA, in Vietnamese as citizens would read it; it is illustrative, not an official
record. Names of people, phone numbers and decision numbers are invented. National procedure codes
marked ``verified=True`` are real codes of the national procedure database that we are confident of;
the others are plausible codes in the same format, to be checked against dichvucong.gov.vn before
anyone relies on them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from communes.models import DisclosureCategory, FacilityKind, OnlineLevel

PROVINCE_CODE = "24"  # tỉnh Bắc Giang (pre-2025)
EMAIL_DOMAIN = "bacgiang.gov.vn"
DEMO_NOTE = "Thông tin minh họa cho bản chạy thử của cổng thông tin."

CIVIL_STATUS = "Hộ tịch"
AUTHENTICATION = "Chứng thực"
LAND = "Đất đai"
SOCIAL_PROTECTION = "Bảo trợ xã hội"


# --- Code of conduct of one-stop officers -------------------------------------------------------------------

CODES_OF_CONDUCT = [
    {
        "version": 1,
        "title": "Quy tắc ứng xử của cán bộ, công chức làm việc tại Bộ phận Một cửa cấp xã",
        "decision": "Quyết định số 101/QĐ-UBND ngày 05/3/2021 của UBND tỉnh Bắc Giang (số hiệu minh họa)",
        "in_force_from": datetime.date(2021, 3, 15),
        "text": (
            "Điều 1. Chào hỏi\n"
            "Công chức chủ động chào hỏi, mời người dân ngồi và hỏi rõ nhu cầu giải quyết công việc.\n\n"
            "Điều 2. Hướng dẫn\n"
            "Hướng dẫn đầy đủ, rõ ràng thành phần hồ sơ; không yêu cầu giấy tờ ngoài quy định.\n\n"
            "Điều 3. Thái độ\n"
            "Không hách dịch, cửa quyền, gây phiền hà, sách nhiễu người dân.\n\n"
            "Điều 4. Trang phục\n"
            "Mặc trang phục lịch sự, đeo thẻ công chức trong giờ làm việc.\n\n"
            "Điều 5. Thời gian\n"
            "Có mặt tại quầy đúng giờ, không làm việc riêng trong giờ tiếp dân."
        ),
    },
    {
        "version": 2,
        "title": "Quy tắc ứng xử của cán bộ, công chức Bộ phận Một cửa cấp xã trong xây dựng chính quyền thân thiện",
        "decision": "Quyết định số 245/QĐ-UBND ngày 20/6/2023 của UBND tỉnh Bắc Giang (số hiệu minh họa)",
        "in_force_from": datetime.date(2023, 7, 1),
        "text": (
            "Điều 1. Chào hỏi, giới thiệu\n"
            "Công chức chủ động chào hỏi, mời người dân ngồi, tự giới thiệu họ tên và nhiệm vụ của mình.\n\n"
            "Điều 2. Lắng nghe\n"
            "Lắng nghe hết ý kiến của người dân; không ngắt lời, không làm việc riêng khi đang tiếp dân.\n\n"
            "Điều 3. Hướng dẫn đầy đủ một lần\n"
            "Hướng dẫn đầy đủ thành phần hồ sơ một lần bằng phiếu hướng dẫn; không yêu cầu bổ sung giấy tờ "
            "ngoài quy định.\n\n"
            "Điều 4. Không gây phiền hà\n"
            "Không hách dịch, cửa quyền, sách nhiễu; không nhận quà, tiền hoặc lợi ích của người dân dưới "
            "mọi hình thức.\n\n"
            "Điều 5. Trang phục, thẻ công chức\n"
            "Mặc trang phục gọn gàng, lịch sự; đeo thẻ công chức trong suốt giờ làm việc.\n\n"
            "Điều 6. Đúng giờ, đúng hẹn\n"
            "Có mặt tại quầy đúng giờ; trả kết quả đúng hẹn. Hồ sơ trễ hạn phải có thư xin lỗi gửi người dân "
            "và hẹn lại thời gian trả kết quả.\n\n"
            "Điều 7. Tiếp nhận góp ý\n"
            "Tiếp thu góp ý, phản ánh của người dân; mời người dân đánh giá mức độ hài lòng qua mã QR tại quầy.\n\n"
            "Điều 8. Cảm ơn\n"
            "Cảm ơn và chào người dân khi kết thúc giao dịch."
        ),
    },
]


# --- Provincial procedure catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field: str
    steps: list[str]
    documents: list[str]
    fee: str
    online_level: str
    time_limit_days: int | None = None
    same_day: bool = False
    verified: bool = False  # True: a real national code we are confident of


ID_PAPERS = "Giấy tờ tùy thân của người đi đăng ký (Căn cước hoặc tài khoản định danh điện tử VNeID)"

PROCEDURES = [
    ProcedureSpec(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=CIVIL_STATUS,
        verified=True,
        steps=[
            "Người đi đăng ký nộp Tờ khai đăng ký khai sinh và giấy tờ kèm theo tại Bộ phận Một cửa của UBND "
            "cấp xã, hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia.",
            "Công chức Tư pháp - Hộ tịch kiểm tra hồ sơ; nếu chưa đầy đủ thì hướng dẫn bổ sung một lần bằng văn bản.",
            "Công chức ghi nội dung khai sinh vào Sổ đăng ký khai sinh và Cơ sở dữ liệu hộ tịch điện tử để "
            "cấp số định danh cá nhân cho trẻ.",
            "Người đi đăng ký kiểm tra nội dung, cùng ký vào Sổ; Chủ tịch UBND cấp xã ký Giấy khai sinh.",
            "Trả Giấy khai sinh bản chính tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính.",
        ],
        documents=[
            "Tờ khai đăng ký khai sinh (theo mẫu)",
            "Giấy chứng sinh do cơ sở y tế cấp; nếu không có thì văn bản của người làm chứng về việc sinh",
            ID_PAPERS,
            "Giấy chứng nhận kết hôn của cha, mẹ (nếu có)",
        ],
        fee="Miễn lệ phí (đăng ký đúng hạn)",
        same_day=True,
        online_level=OnlineLevel.FULL,
    ),
    ProcedureSpec(
        code="1.000894",
        name="Đăng ký kết hôn",
        field=CIVIL_STATUS,
        verified=True,
        steps=[
            "Hai bên nam, nữ nộp Tờ khai đăng ký kết hôn tại Bộ phận Một cửa của UBND cấp xã nơi cư trú "
            "của một trong hai bên.",
            "Công chức Tư pháp - Hộ tịch kiểm tra hồ sơ và tình trạng hôn nhân của hai bên.",
            "Nếu đủ điều kiện, công chức ghi việc kết hôn vào Sổ đăng ký kết hôn; hai bên cùng ký vào Sổ và "
            "Giấy chứng nhận kết hôn.",
            "Chủ tịch UBND cấp xã tổ chức trao Giấy chứng nhận kết hôn cho hai bên.",
        ],
        documents=[
            "Tờ khai đăng ký kết hôn (theo mẫu)",
            "Giấy xác nhận tình trạng hôn nhân, nếu một bên cư trú ở xã khác",
            "Giấy tờ tùy thân của hai bên nam, nữ",
        ],
        fee="Miễn lệ phí",
        same_day=True,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="1.000656",
        name="Đăng ký khai tử",
        field=CIVIL_STATUS,
        verified=True,
        steps=[
            "Người đi đăng ký nộp Tờ khai đăng ký khai tử và Giấy báo tử tại Bộ phận Một cửa hoặc trực tuyến.",
            "Công chức Tư pháp - Hộ tịch kiểm tra hồ sơ, ghi nội dung khai tử vào Sổ đăng ký khai tử và Cơ sở "
            "dữ liệu hộ tịch điện tử.",
            "Chủ tịch UBND cấp xã ký Trích lục khai tử; trả kết quả cho người đi đăng ký.",
        ],
        documents=[
            "Tờ khai đăng ký khai tử (theo mẫu)",
            "Giấy báo tử hoặc giấy tờ thay Giấy báo tử",
            ID_PAPERS,
        ],
        fee="Miễn lệ phí (đăng ký đúng hạn)",
        same_day=True,
        online_level=OnlineLevel.FULL,
    ),
    ProcedureSpec(
        code="1.004873",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        field=CIVIL_STATUS,
        verified=True,
        steps=[
            "Người yêu cầu nộp Tờ khai cấp Giấy xác nhận tình trạng hôn nhân tại Bộ phận Một cửa hoặc trực tuyến.",
            "Công chức Tư pháp - Hộ tịch kiểm tra, xác minh tình trạng hôn nhân trong Cơ sở dữ liệu hộ tịch.",
            "Chủ tịch UBND cấp xã ký Giấy xác nhận tình trạng hôn nhân; trả kết quả.",
        ],
        documents=[
            "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)",
            ID_PAPERS,
            "Bản án, quyết định ly hôn hoặc giấy tờ chứng minh, nếu người yêu cầu đã từng kết hôn",
        ],
        fee="Lệ phí theo Nghị quyết của HĐND tỉnh; miễn cho người thuộc hộ nghèo, người khuyết tật",
        time_limit_days=3,
        online_level=OnlineLevel.FULL,
    ),
    ProcedureSpec(
        code="2.000635",  # unverified
        name="Cấp bản sao trích lục hộ tịch",
        field=CIVIL_STATUS,
        steps=[
            "Người yêu cầu nộp tờ khai cấp bản sao trích lục hộ tịch tại Bộ phận Một cửa hoặc trực tuyến.",
            "Công chức Tư pháp - Hộ tịch tra cứu Sổ hộ tịch và Cơ sở dữ liệu hộ tịch điện tử.",
            "Chủ tịch UBND cấp xã ký bản sao trích lục; trả kết quả cho người yêu cầu.",
        ],
        documents=[
            "Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)",
            ID_PAPERS,
            "Văn bản ủy quyền, nếu nộp thay người khác",
        ],
        fee="8.000 đồng/bản sao trích lục",
        same_day=True,
        online_level=OnlineLevel.FULL,
    ),
    ProcedureSpec(
        code="1.001022",  # unverified
        name="Đăng ký nhận cha, mẹ, con",
        field=CIVIL_STATUS,
        steps=[
            "Người yêu cầu nộp tờ khai và chứng cứ chứng minh quan hệ cha, mẹ, con tại Bộ phận Một cửa.",
            "Công chức Tư pháp - Hộ tịch kiểm tra hồ sơ; niêm yết công khai việc nhận cha, mẹ, con.",
            "Nếu không có tranh chấp, công chức ghi vào Sổ hộ tịch; các bên cùng ký vào Sổ.",
            "Chủ tịch UBND cấp xã ký Trích lục đăng ký nhận cha, mẹ, con; trả kết quả.",
        ],
        documents=[
            "Tờ khai đăng ký nhận cha, mẹ, con (theo mẫu)",
            "Kết luận giám định ADN hoặc văn bản khác chứng minh quan hệ cha, mẹ, con",
            "Giấy tờ tùy thân của các bên",
        ],
        fee="Lệ phí theo Nghị quyết của HĐND tỉnh",
        time_limit_days=3,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
        field=AUTHENTICATION,
        verified=True,
        steps=[
            "Người yêu cầu xuất trình bản chính và bản sao cần chứng thực tại Bộ phận Một cửa.",
            "Người thực hiện chứng thực đối chiếu bản sao với bản chính; nếu đúng thì ghi lời chứng, ký và đóng dấu.",
            "Trả bản sao đã chứng thực và thu phí theo quy định.",
        ],
        documents=[
            "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao",
            "Bản sao cần chứng thực (nếu người yêu cầu tự chuẩn bị)",
        ],
        fee="Bản sao: 2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản",
        same_day=True,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="2.000884",
        name="Chứng thực chữ ký trong các giấy tờ, văn bản",
        field=AUTHENTICATION,
        verified=True,
        steps=[
            "Người yêu cầu xuất trình giấy tờ tùy thân và giấy tờ, văn bản sẽ ký.",
            "Người yêu cầu ký trước mặt người thực hiện chứng thực.",
            "Người thực hiện chứng thực ghi lời chứng, ký, đóng dấu; trả kết quả.",
        ],
        documents=[
            "Giấy tờ tùy thân còn giá trị sử dụng",
            "Giấy tờ, văn bản mà người yêu cầu sẽ ký",
        ],
        fee="10.000 đồng/trường hợp",
        same_day=True,
        online_level=OnlineLevel.NONE,
    ),
    ProcedureSpec(
        code="2.001035",  # unverified
        name="Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        field=AUTHENTICATION,
        steps=[
            "Người yêu cầu nộp dự thảo hợp đồng, giao dịch và giấy tờ kèm theo tại Bộ phận Một cửa.",
            "Người thực hiện chứng thực kiểm tra giấy tờ và năng lực hành vi dân sự của các bên.",
            "Các bên ký trước mặt người thực hiện chứng thực; người thực hiện chứng thực ghi lời chứng, ký, đóng dấu.",
            "Trả hợp đồng, giao dịch đã chứng thực và thu phí.",
        ],
        documents=[
            "Dự thảo hợp đồng, giao dịch",
            "Giấy tờ tùy thân của người yêu cầu chứng thực",
            "Bản sao giấy tờ chứng minh quyền sở hữu tài sản, kèm bản chính để đối chiếu",
        ],
        fee="50.000 đồng/hợp đồng, giao dịch",
        time_limit_days=2,
        online_level=OnlineLevel.NONE,
    ),
    ProcedureSpec(
        code="1.003554",  # unverified
        name="Hòa giải tranh chấp đất đai",
        field=LAND,
        steps=[
            "Người có tranh chấp nộp đơn yêu cầu hòa giải tại Bộ phận Một cửa của UBND cấp xã.",
            "UBND cấp xã thẩm tra, xác minh nguyên nhân tranh chấp và thu thập giấy tờ liên quan.",
            "Thành lập Hội đồng hòa giải tranh chấp đất đai; tổ chức cuộc họp hòa giải có các bên tranh chấp.",
            "Lập biên bản hòa giải thành hoặc không thành; gửi biên bản cho các bên.",
        ],
        documents=[
            "Đơn yêu cầu hòa giải tranh chấp đất đai",
            "Giấy tờ về quyền sử dụng đất liên quan (nếu có)",
        ],
        fee="Miễn phí",
        # The Land Law counts 30 days, not working days; the catalogue field only knows working days.
        time_limit_days=30,
        online_level=OnlineLevel.NONE,
    ),
    ProcedureSpec(
        code="1.004227",  # unverified
        name="Xác nhận hiện trạng, nguồn gốc và thời điểm sử dụng đất",
        field=LAND,
        steps=[
            "Người sử dụng đất nộp đơn đề nghị xác nhận tại Bộ phận Một cửa.",
            "Công chức Địa chính - Xây dựng kiểm tra hồ sơ địa chính, xác minh hiện trạng tại thực địa.",
            "Niêm yết công khai kết quả kiểm tra tại trụ sở UBND và nhà văn hóa thôn, tổ dân phố.",
            "Chủ tịch UBND cấp xã ký xác nhận; trả kết quả.",
        ],
        documents=[
            "Đơn đề nghị xác nhận (theo mẫu)",
            "Giấy tờ về quyền sử dụng đất hiện có (nếu có)",
        ],
        fee="Miễn phí",
        time_limit_days=10,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="1.001776",  # unverified
        name="Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
        field=SOCIAL_PROTECTION,
        steps=[
            "Người đề nghị nộp Tờ khai đề nghị trợ giúp xã hội tại Bộ phận Một cửa của UBND cấp xã.",
            "Hội đồng xét duyệt trợ giúp xã hội cấp xã họp xét duyệt; niêm yết công khai kết quả.",
            "UBND cấp xã gửi hồ sơ lên cơ quan có thẩm quyền quyết định hưởng trợ cấp.",
            "Trả quyết định hưởng trợ cấp cho người đề nghị.",
        ],
        documents=[
            "Tờ khai đề nghị trợ giúp xã hội (theo mẫu)",
            "Giấy xác nhận khuyết tật, đối với người khuyết tật",
            "Giấy tờ tùy thân của người đề nghị",
        ],
        fee="Miễn phí",
        time_limit_days=20,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="1.001731",  # unverified
        name="Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        field=SOCIAL_PROTECTION,
        steps=[
            "Người tổ chức mai táng nộp tờ khai đề nghị hỗ trợ chi phí mai táng tại Bộ phận Một cửa.",
            "Công chức Văn hóa - Xã hội kiểm tra hồ sơ, trình Chủ tịch UBND cấp xã.",
            "Chi trả hỗ trợ chi phí mai táng cho người tổ chức mai táng.",
        ],
        documents=[
            "Tờ khai đề nghị hỗ trợ chi phí mai táng (theo mẫu)",
            "Trích lục khai tử hoặc bản sao Giấy báo tử",
        ],
        fee="Miễn phí",
        time_limit_days=7,
        online_level=OnlineLevel.PARTIAL,
    ),
    ProcedureSpec(
        code="1.001699",  # unverified
        name="Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        field=SOCIAL_PROTECTION,
        steps=[
            "Người đề nghị hoặc người đại diện nộp đơn tại Bộ phận Một cửa.",
            "Hội đồng xác định mức độ khuyết tật cấp xã tổ chức đánh giá trực tiếp người khuyết tật.",
            "Niêm yết công khai kết luận của Hội đồng.",
            "Chủ tịch UBND cấp xã cấp Giấy xác nhận khuyết tật.",
        ],
        documents=[
            "Đơn đề nghị xác định mức độ khuyết tật (theo mẫu)",
            "Bản sao các giấy tờ y tế liên quan đến khuyết tật (nếu có)",
        ],
        fee="Miễn phí",
        time_limit_days=20,
        online_level=OnlineLevel.PARTIAL,
    ),
]


# --- Communes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneSpec:
    code: str
    phone: str
    directions: str
    verified_days_ago: int
    leaders: list[tuple[str, str]]  # (full name, "Chủ tịch" | "Phó Chủ tịch")
    rota: list[int]  # Monday to Friday: index into ``leaders``
    officers: list[tuple[str, str, str, list[int]]]  # name, title, field, duty days (Monday = 0)
    monthly_dossiers: int  # the usual number of dossiers received in a month
    saturday_morning: bool = False
    missing_facilities: dict[str, str] = field(default_factory=dict)  # kind: note
    skipped_procedures: tuple[str, ...] = ()
    local_notes: dict[str, str] = field(default_factory=dict)  # procedure code: note
    # (working days from today, closed, opens, closes, reason)
    special_days: list[tuple[int, bool, datetime.time | None, datetime.time | None, str]] = field(default_factory=list)


MORNING = (datetime.time(7, 30), datetime.time(11, 30))
AFTERNOON = (datetime.time(13, 30), datetime.time(17, 0))

FACILITY_NOTES = {
    FacilityKind.AIR_CONDITIONED_ROOM: "Phòng chờ tầng 1, có điều hòa hai chiều",
    FacilityKind.DRINKING_WATER: "Nước lọc, trà miễn phí tại sảnh chờ",
    FacilityKind.FREE_WIFI: "Tên mạng và mật khẩu dán tại quầy",
    FacilityKind.HELP_DESK: "Công chức hướng dẫn điền tờ khai, hỗ trợ nộp hồ sơ trực tuyến",
    FacilityKind.SUGGESTION_BOX: "Đặt cạnh cửa ra vào",
    FacilityKind.QR_RATING_CODE: "Dán tại từng quầy giao dịch",
}

CIVIL_STATUS_OFFICER = "Công chức Tư pháp - Hộ tịch"
LAND_OFFICER = "Công chức Địa chính - Xây dựng"
SOCIAL_OFFICER = "Công chức Văn hóa - Xã hội"
OFFICE_OFFICER = "Công chức Văn phòng - Thống kê"
WEEKDAYS = [0, 1, 2, 3, 4]

COMMUNES = [
    CommuneSpec(
        code="07792",  # phường Quảng Minh, thị xã Việt Yên
        phone="0204 3874 792",
        directions=(
            "Trụ sở UBND phường nằm cạnh nhà văn hóa khu phố; Bộ phận Một cửa ở tầng 1, dãy nhà bên trái cổng. "
            "Xe máy để ở sân trong, có mái che."
        ),
        verified_days_ago=12,
        leaders=[
            ("Nguyễn Văn Thành", "Chủ tịch"),
            ("Thân Thị Hải Yến", "Phó Chủ tịch"),
            ("Nguyễn Hữu Bình", "Phó Chủ tịch"),
        ],
        rota=[0, 1, 2, 0, 1],
        officers=[
            ("Nguyễn Thị Thu Hà", CIVIL_STATUS_OFFICER, "Hộ tịch, chứng thực", WEEKDAYS),
            ("Thân Văn Đức", LAND_OFFICER, "Đất đai, xây dựng, môi trường", [0, 2, 4]),
            ("Lê Thị Hồng Nhung", SOCIAL_OFFICER, "Bảo trợ xã hội, người có công", [1, 3]),
            ("Đỗ Minh Tuấn", OFFICE_OFFICER, "Tiếp nhận chung, trả kết quả", WEEKDAYS),
        ],
        monthly_dossiers=230,
        missing_facilities={FacilityKind.QUEUE_KIOSK: "Đã đề nghị trang bị máy lấy số thứ tự"},
        skipped_procedures=("1.001022",),
        local_notes={
            "1.001193": "Trả kết quả ngay trong buổi khi hồ sơ đầy đủ; quầy số 1.",
            "2.000815": "Buổi sáng đông người; nên đến sau 9 giờ hoặc vào buổi chiều.",
        },
        special_days=[
            (8, False, *MORNING, "Buổi chiều công chức tập huấn phần mềm một cửa điện tử"),
        ],
    ),
    CommuneSpec(
        code="07777",  # phường Bích Động, thị xã Việt Yên
        phone="0204 3874 777",
        directions=(
            "Trụ sở UBND phường ở trung tâm phường, gần chợ Bích Động; Bộ phận Một cửa ở tầng 1, cửa chính. "
            "Có lối dốc cho xe lăn."
        ),
        verified_days_ago=30,
        leaders=[("Nguyễn Đức Long", "Chủ tịch"), ("Hà Thị Thu", "Phó Chủ tịch"), ("Giáp Văn Tuấn", "Phó Chủ tịch")],
        rota=[0, 1, 2, 1, 2],
        officers=[
            ("Hoàng Thị Lan", CIVIL_STATUS_OFFICER, "Hộ tịch, chứng thực", [0, 1, 2, 3, 4, 5]),
            ("Giáp Văn Hưng", LAND_OFFICER, "Đất đai, xây dựng, trật tự đô thị", [1, 3, 5]),
            ("Nguyễn Thị Ngọc Ánh", SOCIAL_OFFICER, "Bảo trợ xã hội, lao động, việc làm", [0, 2, 4]),
        ],
        monthly_dossiers=260,
        saturday_morning=True,
        skipped_procedures=("2.001035",),
        local_notes={
            "2.000815": "Nhận chứng thực bản sao cả sáng thứ Bảy.",
            "1.000894": "Trao Giấy chứng nhận kết hôn vào sáng thứ Sáu nếu hai bên có yêu cầu.",
        },
    ),
    CommuneSpec(
        code="07795",  # phường Nếnh, thị xã Việt Yên
        phone="0204 3874 795",
        directions=(
            "Trụ sở UBND phường gần Quốc lộ 1; Bộ phận Một cửa ở nhà một tầng phía sau sân. Có chỗ để ô tô trong sân."
        ),
        verified_days_ago=5,
        leaders=[("Ngô Văn Hải", "Chủ tịch"), ("Lê Thị Phương", "Phó Chủ tịch"), ("Vũ Đình Toàn", "Phó Chủ tịch")],
        rota=[0, 2, 1, 2, 0],
        officers=[
            ("Vũ Thị Hạnh", CIVIL_STATUS_OFFICER, "Hộ tịch", WEEKDAYS),
            ("Nguyễn Văn Tùng", CIVIL_STATUS_OFFICER, "Chứng thực", [0, 2, 4]),
            ("Trần Quang Vinh", LAND_OFFICER, "Đất đai, xây dựng", WEEKDAYS),
            ("Ngô Thị Thủy", SOCIAL_OFFICER, "Bảo trợ xã hội, người có công", [1, 3]),
            ("Phạm Thị Yến", OFFICE_OFFICER, "Tiếp nhận chung, trả kết quả", WEEKDAYS),
        ],
        monthly_dossiers=210,
        missing_facilities={
            FacilityKind.DISABILITY_ACCESS: "Chưa có lối đi riêng; công chức ra sảnh hỗ trợ trực tiếp",
        },
        skipped_procedures=("1.001699",),
        local_notes={"1.001776": "Hồ sơ nộp tại quầy Văn hóa - Xã hội vào thứ Ba, thứ Năm."},
        special_days=[
            (15, True, None, None, "Tạm dừng tiếp nhận trực tiếp để nâng cấp hệ thống; hồ sơ trực tuyến vẫn nhận"),
        ],
    ),
    CommuneSpec(
        code="07336",  # xã Cao Xá, huyện Tân Yên
        phone="0204 3878 336",
        directions="Trụ sở UBND xã ở thôn trung tâm, đối diện trường tiểu học; Bộ phận Một cửa ở tầng 1.",
        verified_days_ago=130,  # stale on purpose: the page shows the "not checked lately" flag
        leaders=[("Trần Văn Khánh", "Chủ tịch"), ("Nguyễn Thị Mai", "Phó Chủ tịch")],
        rota=[0, 1, 0, 1, 1],
        officers=[
            ("Nguyễn Thị Huyền", CIVIL_STATUS_OFFICER, "Hộ tịch, chứng thực", WEEKDAYS),
            (
                "Ngô Văn Sơn",
                "Công chức Địa chính - Nông nghiệp - Xây dựng và Môi trường",
                "Đất đai, nông nghiệp",
                [1, 3],
            ),
            ("Trần Thị Thu Trang", SOCIAL_OFFICER, "Bảo trợ xã hội, người có công", [0, 2, 4]),
        ],
        monthly_dossiers=110,
        missing_facilities={
            FacilityKind.AIR_CONDITIONED_ROOM: "Phòng chờ có quạt trần; điều hòa dự kiến lắp năm sau",
            FacilityKind.QUEUE_KIOSK: "",
        },
        skipped_procedures=("1.001022", "2.001035"),
        local_notes={
            "1.003554": "Hội đồng hòa giải họp vào chiều thứ Năm hằng tuần.",
            "1.001731": "Liên hệ công chức Văn hóa - Xã hội; chi trả trong ngày khi đủ hồ sơ.",
        },
    ),
]


# --- Disclosures ---------------------------------------------------------------------------------------------


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
