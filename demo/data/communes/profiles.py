"""The demo communes' one-stop shops: contacts, directions, leaders and their rota, counter officers,
opening hours, facilities, the procedures they skip and their special days.

``COMMUNES`` are four Bắc Giang communes before the 2025 reform: their pages are history now, with
their shops as they stood when they ended. ``TODAY_COMMUNES`` are the wards and the commune of today's
tỉnh Bắc Ninh that took them over, where the demo's live one-stop shops are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from communes.models import FacilityKind


@dataclass(frozen=True)
class CommuneSpec:
    code: str
    phone: str
    directions: str
    verified_days_ago: int  # before today, or before the unit's last day for one that has ended
    leaders: list[tuple[str, str]]  # (full name, "Chủ tịch" | "Phó Chủ tịch")
    rota: list[int]  # Monday to Friday: index into ``leaders``
    officers: list[tuple[str, str, str, list[int]]]  # name, title, field, duty days (Monday = 0)
    monthly_dossiers: int  # the usual number of dossiers received in a month
    saturday_morning: bool = False
    missing_facilities: dict[str, str] = field(default_factory=dict)  # kind: note
    skipped_procedures: tuple[str, ...] = ()
    local_notes: dict[str, str] = field(default_factory=dict)  # procedure code: note
    # (working days from today, closed, opens, closes, reason); none for a unit that has ended
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


# Since 1 July 2025 a commune's one-stop shop is its public administrative service centre.
CENTRE_OFFICER = "Công chức Trung tâm Phục vụ hành chính công"

TODAY_COMMUNES = [
    CommuneSpec(
        code="07798",  # phường Vân Hà: phường Quảng Minh, phường Ninh Sơn, xã Vân Hà, xã Tiên Sơn, xã Trung Sơn
        phone="0204 3874 798",
        directions=(
            "Trung tâm Phục vụ hành chính công phường đặt tại trụ sở UBND phường Quảng Minh cũ, cạnh nhà văn "
            "hóa khu phố; quầy tiếp nhận ở tầng 1, dãy nhà bên trái cổng. Xe máy để ở sân trong, có mái che."
        ),
        verified_days_ago=9,
        leaders=[
            ("Nguyễn Văn Thành", "Chủ tịch"),
            ("Thân Thị Hải Yến", "Phó Chủ tịch"),
            ("Dương Quốc Khánh", "Phó Chủ tịch"),
        ],
        rota=[0, 1, 2, 1, 2],
        officers=[
            ("Nguyễn Thị Thu Hà", CENTRE_OFFICER, "Hộ tịch, chứng thực", WEEKDAYS),
            ("Thân Văn Đức", CENTRE_OFFICER, "Đất đai, xây dựng, môi trường", WEEKDAYS),
            ("Lê Thị Hồng Nhung", CENTRE_OFFICER, "Bảo trợ xã hội, người có công", [0, 2, 4]),
            ("Hoàng Văn Quý", CENTRE_OFFICER, "Chứng thực, hộ tịch (quầy số 2)", [1, 3]),
            ("Đỗ Minh Tuấn", CENTRE_OFFICER, "Tiếp nhận chung, trả kết quả", WEEKDAYS),
        ],
        monthly_dossiers=640,
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
        code="07777",  # phường Việt Yên: phường Bích Động, phường Hồng Thái, xã Nghĩa Trung, xã Minh Đức
        phone="0204 3874 777",
        directions=(
            "Trung tâm Phục vụ hành chính công phường ở trụ sở UBND phường, gần chợ Bích Động; quầy tiếp nhận "
            "ở tầng 1, cửa chính. Có lối dốc cho xe lăn."
        ),
        verified_days_ago=30,
        leaders=[("Nguyễn Đức Long", "Chủ tịch"), ("Hà Thị Thu", "Phó Chủ tịch"), ("Ngô Thanh Sơn", "Phó Chủ tịch")],
        rota=[0, 1, 2, 1, 2],
        officers=[
            ("Hoàng Thị Lan", CENTRE_OFFICER, "Hộ tịch, chứng thực", [0, 1, 2, 3, 4, 5]),
            ("Giáp Văn Hưng", CENTRE_OFFICER, "Đất đai, xây dựng, trật tự đô thị", [1, 3, 5]),
            ("Nguyễn Thị Ngọc Ánh", CENTRE_OFFICER, "Bảo trợ xã hội, lao động, việc làm", [0, 2, 4]),
            ("Đào Văn Mạnh", CENTRE_OFFICER, "Tiếp nhận chung, trả kết quả", WEEKDAYS),
        ],
        monthly_dossiers=610,
        saturday_morning=True,
        skipped_procedures=("2.001035",),
        local_notes={
            "2.000815": "Nhận chứng thực bản sao cả sáng thứ Bảy.",
            "1.000894": "Trao Giấy chứng nhận kết hôn vào sáng thứ Sáu nếu hai bên có yêu cầu.",
        },
    ),
    CommuneSpec(
        code="07795",  # phường Nếnh: phường Nếnh, phường Tăng Tiến, phường Quang Châu, phường Vân Trung
        phone="0204 3874 795",
        directions=(
            "Trung tâm Phục vụ hành chính công phường ở trụ sở UBND phường, gần Quốc lộ 1; quầy tiếp nhận ở nhà "
            "một tầng phía sau sân. Có chỗ để ô tô trong sân."
        ),
        verified_days_ago=130,  # stale on purpose: the page shows the "not checked lately" flag
        leaders=[("Ngô Văn Hải", "Chủ tịch"), ("Lê Thị Phương", "Phó Chủ tịch"), ("Vũ Đình Toàn", "Phó Chủ tịch")],
        rota=[0, 2, 1, 2, 0],
        officers=[
            ("Vũ Thị Hạnh", CENTRE_OFFICER, "Hộ tịch", WEEKDAYS),
            ("Nguyễn Văn Tùng", CENTRE_OFFICER, "Chứng thực", [0, 2, 4]),
            ("Trần Quang Vinh", CENTRE_OFFICER, "Đất đai, xây dựng", WEEKDAYS),
            ("Ngô Thị Thủy", CENTRE_OFFICER, "Bảo trợ xã hội, người có công", [1, 3]),
            ("Phạm Thị Yến", CENTRE_OFFICER, "Tiếp nhận chung, trả kết quả", WEEKDAYS),
        ],
        monthly_dossiers=560,
        missing_facilities={
            FacilityKind.DISABILITY_ACCESS: "Chưa có lối đi riêng; công chức ra sảnh hỗ trợ trực tiếp",
        },
        skipped_procedures=("1.001699",),
        local_notes={"1.001776": "Hồ sơ bảo trợ xã hội nộp tại quầy số 3 vào thứ Ba, thứ Năm."},
        special_days=[
            (15, True, None, None, "Tạm dừng tiếp nhận trực tiếp để nâng cấp hệ thống; hồ sơ trực tuyến vẫn nhận"),
        ],
    ),
    CommuneSpec(
        code="07339",  # xã Tân Yên: thị trấn Cao Thượng, xã Cao Xá, xã Việt Lập, xã Ngọc Lý
        phone="0204 3878 339",
        directions=(
            "Trung tâm Phục vụ hành chính công xã ở trụ sở UBND xã (thị trấn Cao Thượng cũ), đối diện bưu điện; "
            "quầy tiếp nhận ở tầng 1."
        ),
        verified_days_ago=5,
        leaders=[("Trần Văn Khánh", "Chủ tịch"), ("Nguyễn Thị Mai", "Phó Chủ tịch"), ("Lương Văn Hòa", "Phó Chủ tịch")],
        rota=[0, 1, 2, 1, 2],
        officers=[
            ("Nguyễn Thị Huyền", CENTRE_OFFICER, "Hộ tịch, chứng thực", WEEKDAYS),
            ("Ngô Văn Sơn", CENTRE_OFFICER, "Đất đai, nông nghiệp", [1, 3]),
            ("Trần Thị Thu Trang", CENTRE_OFFICER, "Bảo trợ xã hội, người có công", [0, 2, 4]),
        ],
        monthly_dossiers=380,
        missing_facilities={
            FacilityKind.AIR_CONDITIONED_ROOM: "Phòng chờ có quạt trần; điều hòa dự kiến lắp năm sau",
            FacilityKind.QUEUE_KIOSK: "",
        },
        skipped_procedures=("1.001022", "2.001035"),
        local_notes={
            "1.003554": "Hội đồng hòa giải họp vào chiều thứ Năm hằng tuần.",
            "1.001731": "Liên hệ quầy bảo trợ xã hội; chi trả trong ngày khi đủ hồ sơ.",
        },
    ),
]
