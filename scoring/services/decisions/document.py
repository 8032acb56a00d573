"""The decision as an administrative document (Decree 30/2020/NĐ-CP): every line of its text, computed
once, for the PDF (templates/scoring/pdf/decision.html) and the Word file (``docx``) alike.

The text is the state's and Vietnamese whatever the reader's language. A draft has no number and no
date yet: those places print as blanks for the records office to fill ("Số:      /QĐ-UBND").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from communes.models import official_name
from core import clock

BLANK = "\u00a0" * 6  # a place left for the records office; non-breaking, so a layout keeps it
SHORT_BLANK = "\u00a0" * 4

GROUND_START = "Căn cứ"
# A ground names its instrument with its number ("số 72/2025/QH15") and its date ("ngày 16 tháng 6
# năm 2025" or "ngày 16/6/2025").
GROUND_NUMBER = re.compile(r"\bsố\s+\d+[/\-]\S+", re.IGNORECASE)
GROUND_DATE = re.compile(r"\bngày\s+\d{1,2}(\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|/\d{1,2}/\d{4})", re.IGNORECASE)
GROUND_INCOMPLETE = _(
    "Each ground starts with “Căn cứ” and names its instrument with its number and date, for example "
    "“Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022;”. Check line %(line)s."
)

# The grounds a province's first draft starts from when DoHA has kept none: the Law on Organisation of
# Local Government in force on the day (with its number and date), and the Law on Implementation of
# Grassroots Democracy. DoHA adds the decision that issued its criteria set.
_LOCAL_GOVERNMENT_LAWS = [
    (
        datetime.date(2025, 7, 1),
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;",
    ),
    (
        datetime.date(2025, 3, 1),
        "Căn cứ Luật Tổ chức chính quyền địa phương số 65/2025/QH15 ngày 19 tháng 02 năm 2025;",
    ),
    (
        datetime.date(2015, 1, 1),
        "Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 ngày 19 tháng 6 năm 2015; Luật sửa đổi, "
        "bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương số 47/2019/QH14 "
        "ngày 22 tháng 11 năm 2019;",
    ),
]
GRASSROOTS_DEMOCRACY = "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022;"

DEFAULT_RECIPIENTS = [
    "Như Điều 3;",
    "Bộ Nội vụ (để báo cáo);",
    "Thường trực Tỉnh ủy, Thường trực HĐND tỉnh (để báo cáo);",
    "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
    "Cổng Thông tin điện tử tỉnh;",
    "Lưu: VT, NV.",
]

# The commune-level type words, in the order a decision lists them.
UNIT_TYPES = ["xã", "phường", "thị trấn", "đặc khu"]


# --- Dates ----------------------------------------------------------------------------------------


def vn_date(day: datetime.date | None, *, blank_year: int | None = None) -> str:
    """ "ngày 05 tháng 3 năm 2025": a leading zero only for days 1–9 and months 1–2 (Decree 30,
    Appendix I); without a day, blanks for the records office in the year ``blank_year``."""
    if day is None:
        return f"ngày{SHORT_BLANK}tháng{SHORT_BLANK}năm {blank_year or clock.today().year}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# --- Names as on the document's date --------------------------------------------------------------


@dataclass(frozen=True)
class BodyName:
    """The province as the document's date names it: "tỉnh Bắc Ninh", "Bắc Ninh", "tỉnh"."""

    full: str
    place: str
    type_word: str


def body_name_on(province, day: datetime.date) -> BodyName:
    former = province.former_on(day) or {"division_type": province.division_type, "name": province.name}
    name = former["name"]
    full = official_name(former["division_type"], name)
    return BodyName(full=full, place=name, type_word=full[: -len(name)].strip())


def signature_titles(role: str) -> list[str]:
    """The signature block of a decision of the Chairman, and of the certificates that carry it out:
    "CHỦ TỊCH", or for a Vice-Chairman "KT. CHỦ TỊCH" then "PHÓ CHỦ TỊCH". Never "TM. ỦY BAN NHÂN DÂN":
    that is for the Committee as a body."""
    from scoring.models import Decision

    return ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] if role == Decision.SignerRole.VICE_CHAIRMAN else ["CHỦ TỊCH"]


def signer_title(role: str, province, day: datetime.date) -> str:
    """ "Phó Chủ tịch Ủy ban nhân dân tỉnh Bắc Ninh": the signer's title as the decision's date names the
    province."""
    from scoring.models import Decision

    office = "Phó Chủ tịch" if role == Decision.SignerRole.VICE_CHAIRMAN else "Chủ tịch"
    return f"{office} Ủy ban nhân dân {body_name_on(province, day).full}"


# --- Defaults and checks of DoHA's data -----------------------------------------------------------


def default_grounds(province, day: datetime.date) -> list[str]:
    """The province's own default grounds, else the laws in force on ``day``."""
    kept = list(province.decision_grounds.order_by("position", "pk").values_list("text", flat=True))
    if kept:
        return kept
    law = next(text for since, text in _LOCAL_GOVERNMENT_LAWS if day >= since)
    return [law, GRASSROOTS_DEMOCRACY]


def ground_problem(lines: list[str]) -> str | None:
    """The message for the first ground that does not name its instrument's number and date, or None."""
    for index, text in enumerate(lines, start=1):
        if not (text.startswith(GROUND_START) and GROUND_NUMBER.search(text) and GROUND_DATE.search(text)):
            return str(GROUND_INCOMPLETE % {"line": index})
    return None


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- The text -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnexRow:
    position: int
    unit_name: str
    total: str  # "97,50": the Vietnamese decimal comma
    stars: int

    @property
    def stars_drawn(self) -> str:
        return "★" * self.stars


@dataclass(frozen=True)
class DecisionText:
    body: tuple[str, str]  # "ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH"
    number_line: str  # "Số: 125/QĐ-UBND"
    place_date: str  # "Bắc Ninh, ngày 05 tháng 3 năm 2025"
    subject: str  # "Về việc công nhận …"
    authority: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH"
    grounds: list[str]
    proposal: str  # "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số … ngày …."
    articles: list[tuple[str, str]]  # ("Điều 1.", "Công nhận …")
    signature: list[str]  # ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] or ["CHỦ TỊCH"]
    signer_name: str
    recipients: list[str]  # "- Như Điều 3;" …
    annex_title: str
    annex_caption: str
    annex: list[AnnexRow] = field(default_factory=list)
    draft: bool = False

    STATE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    MOTTO = "Độc lập - Tự do - Hạnh phúc"
    TITLE = "QUYẾT ĐỊNH"
    DECIDES = "QUYẾT ĐỊNH:"
    ANNEX = "PHỤ LỤC"
    ANNEX_HEADER = ("STT", "Đơn vị", "Điểm", "Xếp hạng")


def _unit_types(unit_names: list[str]) -> str:
    """ "xã, phường": the type words of the units the decision names, in the usual order."""
    found = {t for t in UNIT_TYPES for name in unit_names if name.lower().startswith(t + " ")}
    return ", ".join(t for t in UNIT_TYPES if t in found) or "đơn vị"


def _points(total) -> str:
    return f"{total:.2f}".replace(".", ",")


def _recipient_lines(decision) -> list[str]:
    lines = decision.recipient_lines or DEFAULT_RECIPIENTS
    return [f"- {line.lstrip('-– ').strip()}" for line in lines]


def decision_text(decision, *, entries=None, grounds=None) -> DecisionText:
    """Every line of ``decision`` as the document prints it; ``entries`` and ``grounds`` may come
    prefetched. A draft prints blanks for its number and date and names the province as of today."""
    entries = list(decision.entries.order_by("position", "pk")) if entries is None else list(entries)
    grounds = list(decision.grounds.order_by("position", "pk")) if grounds is None else list(grounds)
    day = decision.signed_on or clock.today()
    name = body_name_on(decision.province, day)
    body_upper = name.full.upper()
    number = decision.number or f"{BLANK}/QĐ-UBND"
    date = vn_date(decision.signed_on, blank_year=day.year)
    types = _unit_types([entry.unit_name for entry in entries])
    standard = f"đạt chuẩn Chính quyền thân thiện năm {decision.year}"
    if decision.proposal_number and decision.proposal_date:
        proposal = f"tại Tờ trình số {decision.proposal_number} {vn_date(decision.proposal_date)}"
    else:
        proposal = f"tại Tờ trình số{BLANK}{vn_date(None, blank_year=day.year)}"
    return DecisionText(
        body=("ỦY BAN NHÂN DÂN", body_upper),
        number_line=f"Số: {number}",
        place_date=f"{name.place}, {date}",
        subject=f"Về việc công nhận {types} {standard}",
        authority=f"CHỦ TỊCH ỦY BAN NHÂN DÂN {body_upper}",
        grounds=[ground.text for ground in grounds],
        proposal=f"Theo đề nghị của Giám đốc Sở Nội vụ {proposal}.",
        articles=[
            (
                "Điều 1.",
                f"Công nhận {len(entries)} {types} {standard} (có Phụ lục danh sách, số điểm và xếp hạng sao "
                "kèm theo). Mỗi đơn vị được cấp Giấy chứng nhận có số hiệu và mã QR để tra cứu trên Cổng "
                "Chính quyền thân thiện.",
            ),
            ("Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký."),
            (
                "Điều 3.",
                f"Chánh Văn phòng UBND {name.type_word}, Giám đốc Sở Nội vụ, Chủ tịch UBND các {types} có tên "
                "tại Điều 1 và Thủ trưởng các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định "
                "này./.",
            ),
        ],
        signature=signature_titles(decision.signer_role),
        signer_name=decision.signer_name,
        recipients=_recipient_lines(decision),
        annex_title=f"DANH SÁCH {types.upper()} {standard.upper()}",
        annex_caption=f"(Kèm theo Quyết định số {number} {date} của Chủ tịch Ủy ban nhân dân {name.full})",
        annex=[
            AnnexRow(
                position=i, unit_name=e.unit_name[:1].upper() + e.unit_name[1:], total=_points(e.total), stars=e.stars
            )
            for i, e in enumerate(entries, start=1)
        ],
        draft=decision.is_draft,
    )
