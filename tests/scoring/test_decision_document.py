"""The decision as an administrative document (Decree 30/2020/NĐ-CP): the date formatter, the names as
on the decision's date, and every element of the form read back from the PDF (poppler's pdftotext,
pdffonts) and from the Word file (python-docx)."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Role
from communes.models import DivisionType
from core import clock
from scoring.models import Certificate, Decision
from scoring.services import decision_approve, decision_draft, decision_issue
from scoring.services.certificates import certificate_issue, certificates_plan
from scoring.services.certificates.documents import render_pdf
from scoring.services.decisions.document import body_name_on, decision_text, vn_date
from scoring.services.decisions.docx import decision_docx
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.portal.factories import user_with_role
from tests.scoring.test_decisions import final, recognisable_set
from tests.scoring.test_documents import one_line, tool

pytestmark = pytest.mark.django_db

GROUNDS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022;",
]
SIGNED_ON = datetime.date(2026, 3, 5)


# --- The date line --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "printed"),
    [
        (datetime.date(2025, 3, 5), "ngày 05 tháng 3 năm 2025"),
        (datetime.date(2025, 1, 15), "ngày 15 tháng 01 năm 2025"),
        (datetime.date(2025, 2, 9), "ngày 09 tháng 02 năm 2025"),
        (datetime.date(2024, 12, 27), "ngày 27 tháng 12 năm 2024"),
        (datetime.date(2025, 10, 10), "ngày 10 tháng 10 năm 2025"),
    ],
)
def test_the_date_has_a_leading_zero_only_for_days_1_to_9_and_months_1_and_2(day, printed):
    assert vn_date(day) == printed


def test_a_date_not_given_yet_prints_blanks_in_its_year():
    assert re.fullmatch(r"ngày\s+tháng\s+năm 2025", vn_date(None, blank_year=2025))
    assert "\u00a0" in vn_date(None, blank_year=2025)  # blanks a layout does not collapse


def test_the_province_is_named_as_on_the_decision_s_date():
    hue = ProvinceFactory(
        name="Huế",
        division_type=DivisionType.CENTRAL_CITY,
        former_names=[{"division_type": "tỉnh", "name": "Thừa Thiên Huế", "valid_until": "2024-12-31"}],
    )

    before, after = body_name_on(hue, datetime.date(2024, 12, 27)), body_name_on(hue, datetime.date(2025, 3, 5))

    assert (before.full, before.place, before.type_word) == ("tỉnh Thừa Thiên Huế", "Thừa Thiên Huế", "tỉnh")
    assert (after.full, after.place, after.type_word) == ("thành phố Huế", "Huế", "thành phố")


# --- The document -----------------------------------------------------------------------------------


@pytest.fixture
def bac_ninh():
    return ProvinceFactory(name="Bắc Ninh", division_type=DivisionType.PROVINCE)


@pytest.fixture
def drafted(bac_ninh) -> Decision:
    """The 2025 draft of tỉnh Bắc Ninh recognising a phường and a xã, signed by a Vice-Chairman."""
    criteria_set = recognisable_set(bac_ninh)
    units = [
        CommuneFactory(province=bac_ninh, name="Vân Hà", division_type=DivisionType.WARD),
        CommuneFactory(province=bac_ninh, name="Tân Yên", division_type=DivisionType.COMMUNE),
    ]
    return decision_draft(
        province=bac_ninh,
        year=2025,
        signer_role=Decision.SignerRole.VICE_CHAIRMAN,
        signer_name="Trần Thị Hạnh",
        proposal_number="310/TTr-SNV",
        proposal_date=datetime.date(2026, 2, 20),
        grounds=GROUNDS,
        assessments=[final(unit, criteria_set) for unit in units],
        by=user_with_role(Role.DOHA_STAFF, bac_ninh),
    )


@pytest.fixture
def issued(drafted) -> Decision:
    return decision_issue(decision=drafted, number="125/QĐ-UBND", signed_on=SIGNED_ON, by=None)


def pdf_text(data: bytes, tmp_path, *, first: int | None = None, last: int | None = None) -> str:
    path = tmp_path / "decision.pdf"
    path.write_bytes(data)
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(
        [tool("pdftotext"), "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


ELEMENTS = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH BẮC NINH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "QUYẾT ĐỊNH",
    "Về việc công nhận xã, phường đạt chuẩn Chính quyền thân thiện năm 2025",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
    *GROUNDS,
    "QUYẾT ĐỊNH:",
    "Điều 1. Công nhận 2 xã, phường đạt chuẩn Chính quyền thân thiện năm 2025",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ, Chủ tịch UBND các xã, phường có tên tại Điều 1 và "
    "Thủ trưởng các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Trần Thị Hạnh",
    "Nơi nhận:",
    "- Như Điều 3;",
    "- Bộ Nội vụ (để báo cáo);",
    "- Lưu: VT, NV.",
    "PHỤ LỤC",
    "STT Đơn vị Điểm Xếp hạng",
    "Phường Vân Hà",
]


def test_the_issued_decision_prints_every_element_of_the_administrative_form(issued, tmp_path):
    data = render_pdf("scoring/pdf/decision.html", {"text": decision_text(issued)})
    text = one_line(pdf_text(data, tmp_path))

    for element in ELEMENTS:
        assert element in text, element
    assert "Số: 125/QĐ-UBND" in text
    assert "Bắc Ninh, ngày 05 tháng 3 năm 2026" in text
    assert "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 310/TTr-SNV ngày 20 tháng 02 năm 2026." in text
    caption = "Kèm theo Quyết định số 125/QĐ-UBND ngày 05 tháng 3 năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh Bắc Ninh"
    assert f"({caption})" in text
    assert "TM." not in text and "DỰ THẢO" not in text


def test_page_numbers_stand_at_the_top_from_page_two(issued, tmp_path):
    data = render_pdf("scoring/pdf/decision.html", {"text": decision_text(issued)})

    first = pdf_text(data, tmp_path, first=1, last=1).strip().splitlines()[0].strip()
    second = pdf_text(data, tmp_path, first=2, last=2).strip().splitlines()[0].strip()

    assert second == "2"
    assert not first.isdigit()


def test_the_decision_is_set_in_liberation_serif_within_the_decree_s_margins(issued, tmp_path):
    path = tmp_path / "decision.pdf"
    path.write_bytes(render_pdf("scoring/pdf/decision.html", {"text": decision_text(issued)}))

    fonts = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    html = subprocess.run(
        [tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    boxes = [
        tuple(float(v) for v in match)
        for match in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)
    ]

    # Liberation Serif 2 carries every Vietnamese letter: no other serif stands in for one.
    assert "Liberation-Serif" in fonts and "DejaVu-Sans" in fonts
    assert "Noto" not in fonts and "DejaVu-Serif" not in fonts  # DejaVu draws the ★
    mm = 72 / 25.4
    assert min(box[0] for box in boxes) >= 30 * mm - 1  # left 30 mm
    assert max(box[2] for box in boxes) <= (210 - 15) * mm + 1  # right 15 mm
    assert min(box[1] for box in boxes) >= 20 * mm - 1  # top 20 mm


def test_a_draft_prints_blanks_for_the_number_and_the_date(drafted, tmp_path):
    year = clock.today().year

    text = pdf_text(render_pdf("scoring/pdf/decision.html", {"text": decision_text(drafted)}), tmp_path)

    assert re.search(r"Số:\s{3,}/QĐ-UBND", text)
    assert re.search(rf"Bắc Ninh, ngày\s{{3,}}tháng\s{{3,}}năm {year}", text)
    assert "DỰ THẢO" in text
    assert (drafted.number, drafted.signed_on) == ("", None)


def test_the_sealed_copy_says_the_portal_sealed_it_not_that_it_signed(bac_ninh, issued, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    approved = decision_approve(decision=issued, by=user_with_role(Role.PROVINCIAL_LEADER, bac_ninh))
    document = next(c for c in certificates_plan(approved) if c.kind == Certificate.Kind.DECISION)

    document = certificate_issue(document.pk)
    text = one_line(pdf_text(Path(document.file.path).read_bytes(), tmp_path))

    assert "Đóng dấu số của Cổng" in text
    assert "Ký bởi" not in text
    assert "Số: 125/QĐ-UBND" in text and "Mã tra cứu: " + document.serial in text


# --- The Word file ----------------------------------------------------------------------------------


def docx_of(decision: Decision):
    from docx import Document

    return Document(io.BytesIO(decision_docx(decision_text(decision))))


def test_the_word_file_has_the_same_content_and_form(issued):
    document = docx_of(issued)
    body = [p.text for p in document.paragraphs]
    heading, closing, annex = document.tables
    heading_text = [cell.text for cell in heading.rows[0].cells]
    section = document.sections[0]

    assert "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH" in heading_text[0] and "Số: 125/QĐ-UBND" in heading_text[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in heading_text[1]
    assert "Bắc Ninh, ngày 05 tháng 3 năm 2026" in heading_text[1]
    for line in ["QUYẾT ĐỊNH", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH", *GROUNDS, "QUYẾT ĐỊNH:", "PHỤ LỤC"]:
        assert line in body, line
    assert any(p.startswith("Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 310/TTr-SNV") for p in body)
    assert [p for p in body if p.startswith("Điều ")][:3] == [p for p in body if re.match(r"Điều [123]\.", p)]
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in closing.rows[0].cells[1].text
    assert closing.rows[0].cells[1].text.strip().endswith("Trần Thị Hạnh")
    assert closing.rows[0].cells[0].text.startswith("Nơi nhận:\n- Như Điều 3;")
    assert [cell.text for cell in annex.rows[0].cells] == ["STT", "Đơn vị", "Điểm", "Xếp hạng"]
    first = issued.entries.order_by("position").first().unit_name
    assert [cell.text for cell in annex.rows[1].cells][:3] == ["1", first[:1].upper() + first[1:], "100,00"]
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text}
    assert fonts == {"Times New Roman"}
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm) for margin in margins] == [20, 20, 30, 15]  # Word keeps twips: whole mm
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml


def test_the_draft_s_word_file_leaves_the_number_and_date_blank(client, drafted):
    client.force_login(user_with_role(Role.DOHA_STAFF, drafted.province))

    response = client.get(reverse("scoring:decision_docx", kwargs={"pk": drafted.pk}))

    from docx import Document

    document = Document(io.BytesIO(response.content))
    left, right = (cell.text for cell in document.tables[0].rows[0].cells)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert re.search(r"Số:\s{3,}/QĐ-UBND", left)
    assert re.search(r"Bắc Ninh, ngày\s+tháng\s+năm \d{4}", right)
