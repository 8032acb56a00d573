"""The star certificate as a document (issue 13, item 8): the place-and-date line, the number in the
province's register, every name as it was in the year the certificate speaks of, no emblem the portal
invented, and a QR code with its quiet zone. Read back with poppler's tools."""

from __future__ import annotations

import datetime
import io
import subprocess
from pathlib import Path

import pytest
import segno
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image

from accounts.models import Role
from communes.models import DivisionType
from core.qr import QUIET_ZONE, qr_svg
from scoring.models import Certificate, CertificateRegister, Decision, ProvinceEmblem
from scoring.services import decision_approve, decision_draft, decision_issue
from scoring.services.certificates import certificate_context, certificate_issue, certificates_plan
from scoring.services.certificates.documents import place_and_date
from scoring.services.certificates.documents import vn_date as vietnamese_date
from scoring.services.decisions.document import signature_titles
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, DistrictFactory, ProvinceFactory
from tests.portal.factories import user_with_role
from tests.scoring.test_decisions import final, recognisable_set
from tests.scoring.test_documents import media, one_line, text_of, tool  # noqa: F401 - media is a fixture

pytestmark = pytest.mark.django_db

NGUYEN = "Nguyễn Văn Bình"


def decide(province, assessments, *, year: int, signed_on: datetime.date, number: str) -> Decision:
    """An approved recognition decision of ``province`` for ``year`` (one place to follow the drafting
    service's signature)."""
    doha = user_with_role(Role.DOHA_STAFF, province)
    drafted = decision_draft(province=province, year=year, signer_name=NGUYEN, assessments=assessments, by=doha)
    issued = decision_issue(decision=drafted, number=number, signed_on=signed_on, by=doha)
    return decision_approve(decision=issued, by=user_with_role(Role.PROVINCIAL_LEADER, province))


@pytest.fixture
def bac_giang():
    """tỉnh Bắc Giang (to 30/06/2025) with huyện Yên Dũng and two of its communes."""
    province = ProvinceFactory(code="24", name="Bắc Giang", valid_until=LEGACY_UNTIL)
    district = DistrictFactory(province=province, name="Yên Dũng")
    communes = [
        CommuneFactory(legacy=True, province=province, district=district, name=name)
        for name in ("Quảng Minh", "Tiền Phong")
    ]
    return province, communes


@pytest.fixture
def bac_ninh(bac_giang):
    """tỉnh Bắc Ninh from 01/07/2025, which took Bắc Giang over, and phường Vân Hà."""
    province = ProvinceFactory(code="24", name="Bắc Ninh", valid_from=datetime.date(2025, 7, 1))
    province.predecessors.add(bac_giang[0])
    ward = CommuneFactory(
        province=province, name="Vân Hà", division_type=DivisionType.WARD, valid_from=datetime.date(2025, 7, 1)
    )
    return province, ward


def issue_all(decision: Decision) -> list[Certificate]:
    planned = certificates_plan(decision)
    return [certificate_issue(c.pk) for c in planned]


def star_certificates(decision: Decision) -> list[Certificate]:
    return list(decision.certificates.filter(kind=Certificate.Kind.CERTIFICATE).order_by("register_number"))


# --- The pieces of the form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2025, 3, 5), "ngày 05 tháng 3 năm 2025"),
        (datetime.date(2024, 12, 27), "ngày 27 tháng 12 năm 2024"),
        (datetime.date(2025, 1, 10), "ngày 10 tháng 01 năm 2025"),
        (datetime.date(2025, 2, 1), "ngày 01 tháng 02 năm 2025"),
        (datetime.date(2025, 10, 9), "ngày 09 tháng 10 năm 2025"),
    ],
)
def test_dates_have_a_leading_zero_only_for_days_1_to_9_and_months_1_and_2(day, expected):
    assert vietnamese_date(day) == expected


def test_the_place_is_the_province_as_it_was_named_on_the_day(bac_ninh):
    province, _ward = bac_ninh
    # Had the province been renamed on 01/01/2026, a decision of 2025 still names it as it was.
    province.former_names = [{"division_type": "tỉnh", "name": "Kinh Bắc", "valid_until": "2025-12-31"}]

    assert place_and_date(province, datetime.date(2025, 3, 5)) == "Kinh Bắc, ngày 05 tháng 3 năm 2025"
    assert place_and_date(province, datetime.date(2026, 1, 2)) == "Bắc Ninh, ngày 02 tháng 01 năm 2026"


def test_the_signature_block_is_the_chairman_s_never_on_behalf_of_the_committee():
    assert signature_titles(Decision.SignerRole.CHAIRMAN) == ["CHỦ TỊCH"]
    assert signature_titles(Decision.SignerRole.VICE_CHAIRMAN) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_a_type_change_counts_from_its_date_in_the_certificate_s_heading(bac_ninh):
    """The units package types Bắc Ninh as a centrally-run city as of its snapshot; a certificate dated
    while it was a tỉnh names it so."""
    province, ward = bac_ninh
    province.division_type = DivisionType.CENTRAL_CITY
    province.former_names = [{"division_type": "tỉnh", "name": "Bắc Ninh", "valid_until": "2026-06-30"}]
    province.save()
    decision = decide(
        province,
        [final(ward, recognisable_set(province))],
        year=2025,
        signed_on=datetime.date(2025, 12, 30),
        number="125/QĐ-UBND",
    )

    context = certificate_context(certificates_plan(decision)[0])

    assert context["issuer_lines"] == ["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH"]
    assert context["issuer_name"] == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert context["place_and_date"] == "Bắc Ninh, ngày 30 tháng 12 năm 2025"


# --- The register -------------------------------------------------------------------------------


def test_each_certificate_gets_the_next_number_of_its_province_s_register_for_the_year(bac_giang):
    province, (first, second) = bac_giang
    criteria_set = recognisable_set(province, year=2024)
    one = decide(
        province, [final(first, criteria_set)], year=2024, signed_on=datetime.date(2024, 12, 27), number="1/QĐ-UBND"
    )
    other = decide(
        province, [final(second, criteria_set)], year=2024, signed_on=datetime.date(2024, 12, 30), number="2/QĐ-UBND"
    )

    planned = certificates_plan(one)
    again = certificates_plan(one)  # a second plan (a retried signal) gives no new number
    later = certificates_plan(other)

    assert [c.register_label for c in planned] == ["01/GCN-UBND", ""]  # the decision's document is not in it
    assert [c.register_number for c in again] == [1, None]
    assert later[0].register_label == "02/GCN-UBND"
    register = CertificateRegister.objects.get(province=province, year=2024)
    assert register.last_number == 2
    assert {c.register_id for c in (planned[0], later[0])} == {register.pk}


def test_a_register_runs_per_year_of_the_decision_date_and_per_province(bac_giang, bac_ninh):
    province, (first, _second) = bac_giang
    new_province, ward = bac_ninh
    january = decide(
        province,
        [final(first, recognisable_set(province, year=2024))],
        year=2024,
        signed_on=datetime.date(2025, 1, 15),  # a 2024 result recognised in January 2025
        number="5/QĐ-UBND",
    )
    december = decide(
        new_province,
        [final(ward, recognisable_set(new_province, year=2025))],
        year=2025,
        signed_on=datetime.date(2025, 12, 30),
        number="125/QĐ-UBND",
    )

    assert certificates_plan(january)[0].register_label == "01/GCN-UBND"
    assert certificates_plan(december)[0].register_label == "01/GCN-UBND"
    assert set(CertificateRegister.objects.values_list("province__name", "year")) == {
        ("Bắc Giang", 2025),
        ("Bắc Ninh", 2025),
    }


def test_a_number_is_never_given_twice_in_a_register(bac_giang):
    province, (first, second) = bac_giang
    criteria_set = recognisable_set(province, year=2024)
    decision = decide(
        province,
        [final(first, criteria_set), final(second, criteria_set)],
        year=2024,
        signed_on=datetime.date(2024, 12, 27),
        number="1/QĐ-UBND",
    )
    certificates_plan(decision)
    one, two = star_certificates(decision)

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=two.pk).update(register_number=one.register_number)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=two.pk).update(register=None)  # a number belongs to a register


def test_a_certificate_planned_before_the_register_gets_its_number_when_issued(bac_giang):
    province, (first, _second) = bac_giang
    decision = decide(
        province,
        [final(first, recognisable_set(province, year=2024))],
        year=2024,
        signed_on=datetime.date(2024, 12, 27),
        number="1/QĐ-UBND",
    )
    certificate = certificates_plan(decision)[0]
    Certificate.objects.filter(pk=certificate.pk).update(register=None, register_number=None)
    CertificateRegister.objects.filter(province=province).update(last_number=7)

    issued = certificate_issue(certificate.pk)

    assert (issued.status, issued.register_label) == (Certificate.Status.VALID, "08/GCN-UBND")
    assert "Số vào sổ: 08/GCN-UBND" in one_line(text_of(Path(issued.file.path)))


# --- The PDF ------------------------------------------------------------------------------------


def test_a_2025_certificate_of_bac_ninh_states_every_element_of_its_form(bac_ninh):
    province, ward = bac_ninh
    decision = decide(
        province,
        [final(ward, recognisable_set(province))],
        year=2025,
        signed_on=datetime.date(2025, 3, 5),
        number="125/QĐ-UBND",
    )
    issue_all(decision)
    (certificate,) = star_certificates(decision)

    text = one_line(text_of(Path(certificate.file.path)))
    cells = one_line(text_of(Path(certificate.file.path), layout=False))  # each block in reading order

    assert certificate.unit_name == "phường Vân Hà, tỉnh Bắc Ninh"
    assert "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" in cells  # the body in two lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in cells
    assert "Bắc Ninh, ngày 05 tháng 3 năm 2025" in text
    assert "GIẤY CHỨNG NHẬN" in text and "Đạt chuẩn Chính quyền thân thiện năm 2025" in text
    assert "Phường Vân Hà, tỉnh Bắc Ninh" in text
    assert f"{'★' * certificate.stars} {certificate.stars} sao" in text
    assert "Theo Quyết định số 125/QĐ-UBND ngày 05 tháng 3 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh Bắc Ninh" in cells
    assert "Số vào sổ: 01/GCN-UBND" in text
    assert f"Số hiệu: {certificate.serial}" in text
    # The address may wrap across lines (it breaks anywhere): read without the line breaks' spaces.
    assert certificate_context(certificate)["verify_url"] in text.replace(" ", "")
    assert "CHỦ TỊCH" in text and NGUYEN in text
    assert "TM." not in text  # the Chairman's decision: never "on behalf of the Committee"
    # The stamp is the portal's seal, in those words, not a signature in the Chairman's name.
    assert "Đóng dấu số của Cổng thông tin" in text
    assert "Ký bởi" not in text
    assert "Bắc Giang" not in text


def test_a_2024_certificate_still_says_tinh_bac_giang_after_the_merger(bac_giang, bac_ninh):
    province, (first, _second) = bac_giang
    decision = decide(
        province,
        [final(first, recognisable_set(province, year=2024))],
        year=2024,
        signed_on=datetime.date(2024, 12, 27),
        number="350/QĐ-UBND",
    )
    issue_all(decision)
    (certificate,) = star_certificates(decision)

    text = one_line(text_of(Path(certificate.file.path)))
    cells = one_line(text_of(Path(certificate.file.path), layout=False))

    assert "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG" in cells
    assert "Bắc Giang, ngày 27 tháng 12 năm 2024" in text
    assert "Xã Quảng Minh, huyện Yên Dũng, tỉnh Bắc Giang" in text
    assert "Đạt chuẩn Chính quyền thân thiện năm 2024" in text
    basis = "Theo Quyết định số 350/QĐ-UBND ngày 27 tháng 12 năm 2024 của Chủ tịch Ủy ban nhân dân tỉnh Bắc Giang"
    assert basis in cells
    assert "Bắc Ninh" not in text


def images_of(path: Path) -> list[str]:
    """pdfimages' list of the raster images in ``path``, one row each."""
    report = subprocess.run([tool("pdfimages"), "-list", str(path)], capture_output=True, text=True, check=True)
    return report.stdout.splitlines()[2:]  # a header and a rule first


def test_the_portal_draws_no_emblem_of_its_own_and_prints_the_one_the_province_configured(bac_ninh, tmp_path):
    province, ward = bac_ninh
    decision = decide(
        province,
        [final(ward, recognisable_set(province))],
        year=2025,
        signed_on=datetime.date(2025, 12, 30),
        number="125/QĐ-UBND",
    )
    issue_all(decision)
    (without,) = star_certificates(decision)
    template = Path("templates/scoring/pdf/certificate.html").read_text(encoding="utf-8")

    assert "emblem.svg" not in template
    assert images_of(Path(without.file.path)) == []
    assert certificate_context(without)["emblem_src"] == ""

    picture = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 30, 30)).save(picture, format="PNG")
    ProvinceEmblem.objects.create(province=province, image=ContentFile(picture.getvalue(), name="bac-ninh.png"))
    with_emblem = certificate_issue(without.pk, force=True)

    assert certificate_context(with_emblem)["emblem_src"].startswith("data:image/png;base64,")
    rows = images_of(Path(with_emblem.file.path))
    assert len(rows) == 1 and " 120 " in f" {rows[0]} "


def test_an_emblem_file_is_checked(bac_ninh):
    from django.core.exceptions import ValidationError

    province, _ward = bac_ninh
    emblem = ProvinceEmblem(province=province, image=ContentFile(b"<svg/>", name="emblem.svg"))

    with pytest.raises(ValidationError) as error:
        emblem.full_clean()
    assert "image" in error.value.message_dict


# --- The QR code --------------------------------------------------------------------------------


def test_the_qr_code_keeps_a_quiet_zone_of_four_modules():
    url = "https://congthanthien.example.gov.vn/vi/verify/2025-K7Q2M4XA/"
    size = segno.make(url, error="m").symbol_size(border=0)[0]

    fixed = qr_svg(url, scale=4)
    scalable = qr_svg(url, scalable=True)

    assert QUIET_ZONE >= 4
    assert f'width="{(size + 2 * QUIET_ZONE) * 4}"' in fixed
    side = (size + 2 * QUIET_ZONE) * 4  # the default scale
    assert f'viewBox="0 0 {side} {side}"' in scalable
    assert 'width="' not in scalable.split(">", 1)[0]


def test_the_printed_qr_code_reads_back_as_the_verify_address_with_its_quiet_zone_clear(bac_ninh, tmp_path):
    """The page rasterised: the symbol found in the lower left corner has exactly the modules segno
    drew for the certificate's verify address (as a reader would decode it), and nothing (frame, text)
    is printed within four modules of it."""
    province, ward = bac_ninh
    decision = decide(
        province,
        [final(ward, recognisable_set(province))],
        year=2025,
        signed_on=datetime.date(2025, 12, 30),
        number="125/QĐ-UBND",
    )
    issue_all(decision)
    (certificate,) = star_certificates(decision)
    dpi = 300
    subprocess.run(
        [tool("pdftoppm"), "-r", str(dpi), "-gray", "-png", "-singlefile", certificate.file.path, tmp_path / "page"],
        check=True,
    )
    page = Image.open(tmp_path / "page.png").convert("L")
    px = dpi / 25.4  # pixels per millimetre

    def dark(x: int, y: int) -> bool:
        return page.getpixel((x, y)) < 128

    # The QR's box is 34 mm square, 20 mm from the left and 15 mm from the bottom (the template): search a
    # little around it, inside the frame, for the symbol's dark modules.
    left, right = round(12 * px), round(56 * px)
    top, bottom = round((210 - 15 - 34 - 6) * px), round((210 - 12) * px)
    found = [(x, y) for y in range(top, bottom, 2) for x in range(left, right, 2) if dark(x, y)]
    assert found, "no QR code where the template puts it"
    x0, y0 = min(x for x, _ in found), min(y for _, y in found)
    x1, y1 = max(x for x, _ in found), max(y for _, y in found)

    qr = segno.make(certificate_context(certificate)["verify_url"], error="m")
    matrix = [list(row) for row in qr.matrix]
    modules = len(matrix)
    module = (x1 - x0 + 2) / modules
    assert abs((y1 - y0 + 2) / modules - module) < 0.5, "the symbol is not square"
    # Each module's centre, read from the picture, is the module segno drew: the code reads back as the address.
    for row in range(modules):
        for column in range(modules):
            x = round(x0 + (column + 0.5) * module)
            y = round(y0 + (row + 0.5) * module)
            assert dark(x, y) == bool(matrix[row][column]), (row, column)
    # The quiet zone: four modules all around the symbol are white on the printed page.
    zone = QUIET_ZONE * module
    for y in range(round(y0 - zone), round(y1 + zone) + 1):
        for x in range(round(x0 - zone), round(x1 + zone) + 1):
            if x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1:
                continue
            assert not dark(x, y), f"something is printed in the quiet zone at {x / px:.1f} mm, {y / px:.1f} mm"
