"""Facts about units that the vietnam-provinces snapshot cannot tell.

The package's legacy module is a snapshot of the units just before 1 July 2025; a unit that was
regraded or created earlier shows only its last name. Each entry here is sourced; add new ones the
same way rather than editing loaded rows by hand, so that `load_units` stays the one way data enters.

Keys are (level, official code, valid_until): a code is reused across periods (24 is tỉnh Bắc Giang
until 30 June 2025 and tỉnh Bắc Ninh after), so a fact names the row it belongs to by the row's last
day (None: the row in force today) and never reaches the other one. Each value holds the fields to set
on that row and a ``source``, which is not stored.

A change of name or type inside a row's life is a dated former-name entry ({division_type, name,
valid_until, optional district, optional source}): the row carries what the unit is now and each entry
what it was until its last day. A province regraded later, say into a centrally-run city, gets its new
``division_type`` here together with a former-name entry {"division_type": "tỉnh", "name": ...,
"valid_until": <the day before the resolution takes effect>, "source": <the resolution>}, and only then:
pages and documents dated before that day keep saying "tỉnh".
"""

import datetime

from communes.data import bac_giang_2025

# The last day of the three-level system and the first day of the two-level one
# (National Assembly Resolution 202/2025/QH15; new local governments from 1 July 2025).
LEGACY_UNTIL = datetime.date(2025, 6, 30)
CURRENT_FROM = datetime.date(2025, 7, 1)

RESOLUTION_202 = "Nghị quyết 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp ĐVHC cấp tỉnh, hiệu lực 01/7/2025"
# Resolution 938/NQ-UBTVQH15 of 13 December 2023, in force from 1 February 2024: huyện Việt Yên became
# thị xã Việt Yên and two townships and seven communes became its wards.
# https://tapchixaydung.vn/cong-bo-thanh-lap-thi-xa-viet-yen-tinh-bac-giang-20201224000021212.html (number, wards)
# https://www.anninhthudo.vn/chinh-thuc-cho-phep-thanh-lap-thi-xa-viet-yen-cua-tinh-bac-giang-tu-1-2-2024-post560937.antd
# (in force from 1 February 2024)
RESOLUTION_938 = "Nghị quyết 938/NQ-UBTVQH15 ngày 13/12/2023, hiệu lực 01/02/2024"
_VIET_YEN_UNTIL = "2024-01-31"
_VIET_YEN_WARDS = {
    "07774": ("xã", "Tự Lạn"),
    "07777": ("thị trấn", "Bích Động"),
    "07783": ("xã", "Hồng Thái"),
    "07789": ("xã", "Tăng Tiến"),
    "07792": ("xã", "Quảng Minh"),
    "07795": ("thị trấn", "Nếnh"),
    "07798": ("xã", "Ninh Sơn"),
    "07801": ("xã", "Vân Trung"),
    "07807": ("xã", "Quang Châu"),
}

UNIT_HISTORY: dict[tuple[str, str, datetime.date | None], dict] = {
    # The package types today's province 24 as "thành phố trung ương" as of its own snapshot; no
    # resolution making Bắc Ninh a centrally-run city could be verified, so it stays what Resolution
    # 202/2025/QH15 made it: tỉnh Bắc Ninh, from Bắc Giang and Bắc Ninh.
    ("province", "24", None): {"division_type": "tỉnh", "source": RESOLUTION_202},
    ("district", "222", LEGACY_UNTIL): {
        "former_names": [
            {"division_type": "huyện", "name": "Việt Yên", "valid_until": _VIET_YEN_UNTIL, "source": RESOLUTION_938}
        ],
        "source": RESOLUTION_938,
    },
    **{
        ("commune", code, LEGACY_UNTIL): {
            "former_names": [
                {"division_type": kind, "name": name, "valid_until": _VIET_YEN_UNTIL, "source": RESOLUTION_938}
            ],
            "source": RESOLUTION_938,
        }
        for code, (kind, name) in _VIET_YEN_WARDS.items()
    },
    # Resolution 1191/NQ-UBTVQH15 created thị xã Chũ out of huyện Lục Ngạn from 1 January 2025.
    ("district", "224", LEGACY_UNTIL): {"valid_from": bac_giang_2025.STARTED_ON, "source": bac_giang_2025.ARTICLES_CHU},
    # The other changes of Bắc Giang on 1 January 2025 (see communes.data.bac_giang_2025).
    **{
        ("commune", code, LEGACY_UNTIL): {
            "former_names": [{**former, "source": source}],
            "source": source,
        }
        for code, (former, source, _verified) in bac_giang_2025.CHANGED_COMMUNES.items()
    },
    **{
        ("commune", code, LEGACY_UNTIL): {"valid_from": bac_giang_2025.STARTED_ON, "source": bac_giang_2025.GSO_LISTS}
        for code in bac_giang_2025.NEW_CODES_2025
    },
}

# Units that ended before the package's legacy snapshot, by province code: created by `units_load`
# with the province's legacy units, each with its last day and successors (codes of the legacy rows).
ENDED_BEFORE_SNAPSHOT: dict[str, dict] = {
    "24": {
        "valid_until": bac_giang_2025.ENDED_ON,
        "districts": bac_giang_2025.ENDED_DISTRICTS,
        "communes": bac_giang_2025.ENDED_COMMUNES,
    },
}


def history_for(level: str, code: str, valid_until: datetime.date | None) -> dict:
    """The fields UNIT_HISTORY sets on one row (its ``source`` left out)."""
    return {key: value for key, value in UNIT_HISTORY.get((level, code, valid_until), {}).items() if key != "source"}
