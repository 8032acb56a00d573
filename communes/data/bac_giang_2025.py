"""Bắc Giang's units before and after the arrangement of 1 January 2025, which the package cannot tell.

vietnam-provinces' legacy module is a snapshot of 30 June 2025, so it lacks the units that ended on
31 December 2024 and shows the others only with their 2025 names and districts. The arrangement is
Resolution 1191/NQ-UBTVQH15 of the Standing Committee of the National Assembly, dated 28 September
2024, on arranging the district- and commune-level units of Bắc Giang for 2023–2025, in force from
1 January 2025.

Which units changed is read from two lists of the General Statistics Office, compared by hand:
the list of 7 May 2023 (vietnam-provinces 0.5.0: 10 districts, 209 communes) and that of 4 January
2025 (vietnam-provinces 0.6.0: 10 districts, 195 communes; it matches the 2026.9.0 legacy snapshot
name for name). Neither package is a dependency: the facts are written out here.

Which unit took each ended one is a fact of the resolution's articles. Where a public text quoting
them was found, the entry cites it and says ``"verified": True``. Elsewhere the GSO lists are the
only evidence: an absorbing unit keeps its own code, and its name changes when the merger renames it.
That singles out the successor only in some cases; the others have no successor link yet
(``"successors": []``) and name the ``"candidates"`` the GSO lists leave open, so that nobody links
a guess. Every such entry says ``"verified": False`` and why.
"""

import datetime

ENDED_ON = datetime.date(2024, 12, 31)
STARTED_ON = datetime.date(2025, 1, 1)

RESOLUTION_1191 = "Nghị quyết 1191/NQ-UBTVQH15 ngày 28/9/2024, hiệu lực 01/01/2025"
GSO_LISTS = "Danh mục ĐVHC của Tổng cục Thống kê ngày 07/5/2023 và 04/01/2025"
# The articles of Resolution 1191 for thành phố Bắc Giang and huyện Yên Dũng, quoted with their areas
# and populations: https://xemnha.vn/thong-tin-quy-hoach/tu-112025-nhap-toan-bo-huyen-yen-dung-vao-tp-bac-giang-thanh-lap-thi-xa-chu
# (8 November 2024); the merger of huyện Yên Dũng also in https://m.ngoisao.vn/theo-dong-su-kien/kien-thuc/ba-ngay-nua-10-huyen-nay-se-sap-nhap-442213.htm
ARTICLES_TP_BAC_GIANG = "NQ 1191/NQ-UBTVQH15, as quoted by xemnha.vn, 08/11/2024"
# Thị xã Chũ and its wards: https://cafef.vn/hon-10-ngay-nua-se-co-thi-xa-ten-ngan-nhat-viet-nam-188241218133720117.chn
ARTICLES_CHU = "NQ 1191/NQ-UBTVQH15, as quoted by cafef.vn, 18/12/2024"

# Huyện Yên Dũng: its whole area and population joined thành phố Bắc Giang (xemnha.vn, ngoisao.vn).
ENDED_DISTRICTS: list[dict] = [
    {
        "code": "221",
        "division_type": "huyện",
        "name": "Yên Dũng",
        "successors": ["213"],
        "verified": True,
        "source": ARTICLES_TP_BAC_GIANG,
    },
]

_NO_TEXT = "no text of the article found; GSO lists only"

# The 17 communes of the 2023 list that are absent from the 2025 one. "district" is the code of the
# district they belonged to on their last day.
ENDED_COMMUNES: list[dict] = [
    # Thành phố Bắc Giang: "Nhập toàn bộ … phường Trần Nguyên Hãn vào phường Ngô Quyền" (xemnha.vn).
    {"code": "07204", "division_type": "phường", "name": "Trần Nguyên Hãn", "district": "213",
     "successors": ["07207"], "verified": True, "source": ARTICLES_TP_BAC_GIANG},
    # "Nhập toàn bộ … phường Lê Lợi vào phường Trần Phú" (xemnha.vn).
    {"code": "07219", "division_type": "phường", "name": "Lê Lợi", "district": "213",
     "successors": ["07213"], "verified": True, "source": ARTICLES_TP_BAC_GIANG},
    # Huyện Yên Thế. Xã Tam Hiệp (07261) appears in 2025 as xã Tân Hiệp: the merged unit kept Tam
    # Hiệp's code and Tân Hiệp's name, so Tân Hiệp (07276) went into 07261.
    {"code": "07276", "division_type": "xã", "name": "Tân Hiệp", "district": "215",
     "successors": ["07261"], "verified": False,
     "reason": f"{_NO_TEXT}: 07261 took this unit's name", "source": GSO_LISTS},
    # No unit of Yên Thế other than 07261 changed its name; whether Hồng Kỳ went into it or into a
    # neighbour that kept its name the lists cannot tell.
    {"code": "07267", "division_type": "xã", "name": "Hồng Kỳ", "district": "215",
     "successors": [], "candidates": ["07261"], "verified": False,
     "reason": f"{_NO_TEXT}: no renamed unit singles out the absorber", "source": GSO_LISTS},
    # Huyện Tân Yên: three communes ended, two were renamed (Quang Tiến → Quang Trung, Lam Cốt →
    # Lam Sơn); which went where the lists cannot tell.
    {"code": "07303", "division_type": "xã", "name": "Lan Giới", "district": "216",
     "successors": [], "candidates": ["07315", "07333"], "verified": False,
     "reason": f"{_NO_TEXT}: two renamed units, three ended ones", "source": GSO_LISTS},
    {"code": "07312", "division_type": "xã", "name": "Đại Hóa", "district": "216",
     "successors": [], "candidates": ["07315", "07333"], "verified": False,
     "reason": f"{_NO_TEXT}: two renamed units, three ended ones", "source": GSO_LISTS},
    {"code": "07318", "division_type": "xã", "name": "Phúc Sơn", "district": "216",
     "successors": [], "candidates": ["07315", "07333"], "verified": False,
     "reason": f"{_NO_TEXT}: two renamed units, three ended ones", "source": GSO_LISTS},
    # Huyện Lạng Giang and huyện Lục Nam: no unit changed its name, so nothing points at the absorber.
    {"code": "07402", "division_type": "xã", "name": "Mỹ Hà", "district": "217",
     "successors": [], "candidates": [], "verified": False,
     "reason": f"{_NO_TEXT}: no unit of the district was renamed", "source": GSO_LISTS},
    {"code": "07414", "division_type": "xã", "name": "Yên Mỹ", "district": "217",
     "successors": [], "candidates": [], "verified": False,
     "reason": f"{_NO_TEXT}: no unit of the district was renamed", "source": GSO_LISTS},
    {"code": "07516", "division_type": "xã", "name": "Vũ Xá", "district": "218",
     "successors": [], "candidates": [], "verified": False,
     "reason": f"{_NO_TEXT}: no unit of the district was renamed", "source": GSO_LISTS},
    # Huyện Yên Dũng: "Thành lập phường Tân An trên cơ sở … xã Lão Hộ … và … thị trấn Tân An" (xemnha.vn).
    {"code": "07684", "division_type": "xã", "name": "Lão Hộ", "district": "221",
     "successors": ["07682"], "verified": True, "source": ARTICLES_TP_BAC_GIANG},
    # Huyện Hiệp Hòa: six communes ended, four were renamed (Thanh Vân → Đồng Tiến, Hoàng Thanh → Toàn
    # Thắng, Quang Minh → Sơn Thịnh, Hùng Sơn → Hùng Thái).
    {"code": "07813", "division_type": "xã", "name": "Đồng Tân", "district": "223",
     "successors": [], "candidates": ["07816", "07825", "07843", "07849"], "verified": False,
     "reason": f"{_NO_TEXT}: four renamed units, six ended ones", "source": GSO_LISTS},
    {"code": "07819", "division_type": "xã", "name": "Hoàng Lương", "district": "223",
     "successors": [], "candidates": ["07816", "07825", "07843", "07849"], "verified": False,
     "reason": f"{_NO_TEXT}: four renamed units, six ended ones", "source": GSO_LISTS},
    {"code": "07828", "division_type": "xã", "name": "Hoàng An", "district": "223",
     "successors": [], "candidates": ["07816", "07825", "07843", "07849"], "verified": False,
     "reason": f"{_NO_TEXT}: four renamed units, six ended ones", "source": GSO_LISTS},
    # Hùng Sơn (07849) became Hùng Thái: a name made of Hùng Sơn and Thái Sơn, the two communes that
    # together formed the Bách Nhẫn urban area (daibieunhandan.vn, "khu đô thị huyện Hiệp Hòa").
    {"code": "07834", "division_type": "xã", "name": "Thái Sơn", "district": "223",
     "successors": ["07849"], "verified": False,
     "reason": f"{_NO_TEXT}: 07849's new name joins Hùng Sơn and Thái Sơn", "source": GSO_LISTS},
    {"code": "07837", "division_type": "xã", "name": "Hòa Sơn", "district": "223",
     "successors": [], "candidates": ["07816", "07825", "07843", "07849"], "verified": False,
     "reason": f"{_NO_TEXT}: four renamed units, six ended ones", "source": GSO_LISTS},
    {"code": "07852", "division_type": "xã", "name": "Đại Thành", "district": "223",
     "successors": [], "candidates": ["07816", "07825", "07843", "07849"], "verified": False,
     "reason": f"{_NO_TEXT}: four renamed units, six ended ones", "source": GSO_LISTS},
]  # fmt: skip


def _former(division_type: str, name: str, district: str | None = None) -> dict:
    entry = {"division_type": division_type, "name": name, "valid_until": ENDED_ON.isoformat()}
    if district:
        entry["district"] = district
    return entry


# Units that continued under their code but whose name, type or district changed on 1 January 2025:
# code → (what it was until 31 December 2024, source, verified). "district" only where it changed.
_CITY = ARTICLES_TP_BAC_GIANG
CHANGED_COMMUNES: dict[str, tuple[dict, str, bool]] = {
    # Thành phố Bắc Giang: communes regraded as wards (xemnha.vn quotes Dĩnh Trì and Tân Tiến; the
    # others by the GSO lists).
    "07222": (_former("xã", "Song Mai"), GSO_LISTS, False),
    "07441": (_former("xã", "Dĩnh Trì"), _CITY, True),
    "07687": (_former("xã", "Tân Mỹ"), GSO_LISTS, False),
    "07696": (_former("xã", "Đồng Sơn"), GSO_LISTS, False),
    "07699": (_former("xã", "Tân Tiến"), _CITY, True),
    "07705": (_former("xã", "Song Khê"), GSO_LISTS, False),
    # Huyện Yên Dũng's units joined thành phố Bắc Giang with the district (xemnha.vn: the whole
    # district); thị trấn Tân An became phường Tân An (xemnha.vn); the other regradings by the lists.
    "07681": (_former("thị trấn", "Nham Biền", "221"), GSO_LISTS, False),
    "07682": (_former("thị trấn", "Tân An", "221"), _CITY, True),
    "07690": (_former("xã", "Hương Gián", "221"), GSO_LISTS, False),
    "07702": (_former("xã", "Quỳnh Sơn", "221"), _CITY, True),
    "07708": (_former("xã", "Nội Hoàng", "221"), GSO_LISTS, False),
    "07711": (_former("xã", "Tiền Phong", "221"), GSO_LISTS, False),
    "07714": (_former("xã", "Xuân Phú", "221"), _CITY, True),
    "07717": (_former("xã", "Tân Liễu", "221"), GSO_LISTS, False),
    "07720": (_former("xã", "Trí Yên", "221"), _CITY, True),
    "07723": (_former("xã", "Lãng Sơn", "221"), _CITY, True),
    "07726": (_former("xã", "Yên Lư", "221"), _CITY, True),
    "07729": (_former("xã", "Tiến Dũng", "221"), _CITY, True),
    "07735": (_former("xã", "Đức Giang", "221"), _CITY, True),
    "07738": (_former("xã", "Cảnh Thụy", "221"), GSO_LISTS, False),
    "07741": (_former("xã", "Tư Mại", "221"), _CITY, True),
    "07747": (_former("xã", "Đồng Việt", "221"), _CITY, True),
    "07750": (_former("xã", "Đồng Phúc", "221"), _CITY, True),
    # Huyện Yên Thế and huyện Tân Yên: renamed by mergers (GSO lists).
    "07261": (_former("xã", "Tam Hiệp"), GSO_LISTS, False),
    "07315": (_former("xã", "Quang Tiến"), GSO_LISTS, False),
    "07333": (_former("xã", "Lam Cốt"), GSO_LISTS, False),
    # Huyện Lục Ngạn: ten units formed thị xã Chũ; thị trấn Chũ and xã Trù Hựu, Hồng Giang, Phượng
    # Sơn became wards (cafef.vn quotes the article); Thanh Hải's regrading by the GSO lists.
    "07525": (_former("thị trấn", "Chũ", "219"), ARTICLES_CHU, True),
    "07549": (_former("xã", "Thanh Hải", "219"), ARTICLES_CHU, False),
    "07552": (_former("xã", "Kiên Lao", "219"), ARTICLES_CHU, True),
    "07558": (_former("xã", "Kiên Thành", "219"), ARTICLES_CHU, True),
    "07561": (_former("xã", "Hồng Giang", "219"), ARTICLES_CHU, True),
    "07576": (_former("xã", "Quý Sơn", "219"), ARTICLES_CHU, True),
    "07579": (_former("xã", "Trù Hựu", "219"), ARTICLES_CHU, True),
    "07600": (_former("xã", "Mỹ An", "219"), ARTICLES_CHU, True),
    "07603": (_former("xã", "Nam Dương", "219"), ARTICLES_CHU, True),
    "07612": (_former("xã", "Phượng Sơn", "219"), ARTICLES_CHU, True),
    # Lục Ngạn's new townships (GSO lists; the date assumed to be Resolution 1191's).
    "07573": (_former("xã", "Biển Động"), GSO_LISTS, False),
    "07582": (_former("xã", "Phì Điền"), GSO_LISTS, False),
    # Huyện Hiệp Hòa: renamed by mergers (GSO lists).
    "07816": (_former("xã", "Thanh Vân"), GSO_LISTS, False),
    "07825": (_former("xã", "Hoàng Thanh"), GSO_LISTS, False),
    "07843": (_former("xã", "Quang Minh"), GSO_LISTS, False),
    "07849": (_former("xã", "Hùng Sơn"), GSO_LISTS, False),
}

# Codes of the 2025 list that the 2023 list lacks. Their names are those of three communes that
# Resolution 813/NQ-UBTVQH14 (21 November 2019) merged into thị trấn Tân An and thị trấn Nham Biền
# (baobacgiang.com.vn, 30 July 2019), and no unit of 1 July 2025 lists them among its sources in
# vietnam-provinces' mapping: they may be an artefact of the GSO's 2025 list. Kept as the package has
# them, but only from 1 January 2025, so that nothing counts them in 2023 or 2024.
NEW_CODES_2025 = {
    "07693": "xã Tân An",
    "07732": "xã Nham Sơn",
    "07744": "xã Thắng Cương",
}
