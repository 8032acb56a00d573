"""The printed documents, read back with poppler's own tools: the exact Vietnamese text, every font
embedded, a PAdES signature that pdfsig finds valid and trusted, and a digest mismatch after one byte."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from accounts.models import Role
from scoring.models import Certificate, Decision
from scoring.services import decision_approve
from scoring.services.certificates import certificate_check, certificate_issue, certificates_plan
from scoring.services.certificates.signing import signature_intact, signer_certificate_pem
from tests.communes.factories import CommuneFactory
from tests.conftest import require
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.test_decisions import draft, final, recognisable_set

pytestmark = pytest.mark.django_db

STATE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def tool(name: str) -> str:
    path = shutil.which(name)
    require(bool(path), f"poppler's {name}")
    return path


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def approved(places) -> Decision:  # noqa: F811
    """An approved decision of 2025 recognising Quảng Minh and a second commune of the province."""
    province = places.province
    quang_minh = CommuneFactory(name="Quảng Minh", district=places.district, province=province,
                                valid_until=places.commune.valid_until)  # fmt: skip
    criteria_set = recognisable_set(province)
    assessments = [final(quang_minh, criteria_set), final(places.other_commune, criteria_set)]
    decision = draft(province, assessments, user_with_role(Role.DOHA_STAFF, province))
    return decision_approve(decision=decision, by=user_with_role(Role.PROVINCIAL_LEADER, province))


def issued(decision: Decision) -> tuple[Certificate, Certificate]:
    """Quảng Minh's certificate and the decision document, issued."""
    planned = certificates_plan(decision)
    for certificate in planned:
        certificate_issue(certificate.pk)
    certificate = next(c for c in planned if "Quảng Minh" in c.unit_name)
    document = next(c for c in planned if c.kind == Certificate.Kind.DECISION)
    return Certificate.objects.get(pk=certificate.pk), Certificate.objects.get(pk=document.pk)


def text_of(path: Path, *, layout: bool = True) -> str:
    command = [tool("pdftotext"), *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def one_line(text: str) -> str:
    return " ".join(text.split())


def pdfsig(path: Path, nss: Path) -> str:
    """pdfsig's report. Its exit code is 0 even when the digest does not match: the report is the answer."""
    result = subprocess.run([tool("pdfsig"), "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


@pytest.fixture
def nss(tmp_path) -> Path:
    """A throwaway NSS database that trusts the portal's signing certificate, as a verifier's would."""
    certutil = shutil.which("certutil")
    require(bool(certutil), "NSS's certutil")
    folder = tmp_path / "nss"
    folder.mkdir()
    pem = tmp_path / "signer.pem"
    pem.write_bytes(signer_certificate_pem())
    subprocess.run([certutil, "-N", "-d", f"sql:{folder}", "--empty-password"], check=True)
    subprocess.run([certutil, "-A", "-d", f"sql:{folder}", "-n", "dev", "-t", "CT,C,C", "-i", str(pem)], check=True)
    return folder


def test_the_certificate_states_its_recognition_in_vietnamese(approved):
    certificate, _document = issued(approved)

    text = one_line(text_of(Path(certificate.file.path)))
    cells = one_line(text_of(Path(certificate.file.path), layout=False))

    assert certificate.status == Certificate.Status.VALID
    assert STATE in text and MOTTO in text
    assert f"ỦY BAN NHÂN DÂN {approved.province.official_name.upper()}" in cells  # in two lines
    assert f"{approved.province.name}, ngày 30 tháng 12 năm 2025" in text
    assert "GIẤY CHỨNG NHẬN" in text
    assert "Đạt chuẩn Chính quyền thân thiện năm 2025" in text
    assert certificate.unit_name.startswith("xã Quảng Minh")
    assert "X" + certificate.unit_name[1:] in text
    assert f"{'★' * certificate.stars} {certificate.stars} sao" in text
    assert "Theo Quyết định số 125/QĐ-UBND ngày 30 tháng 12 năm 2025" in text
    assert "Nguyễn Văn Bình" in text and "CHỦ TỊCH" in text
    assert f"Số vào sổ: {certificate.register_label}" in text
    assert f"Số hiệu: {certificate.serial}" in text
    assert f"/verify/{certificate.serial}/" in text
    # The stamp: the portal's seal, not a signature in the Chairman's name.
    assert "Đóng dấu số của Cổng thông tin" in text and "Ủy ban nhân dân tỉnh (khóa phát triển)" in text


def test_the_certificate_is_one_landscape_page_and_the_decision_portrait(approved):
    certificate, document = issued(approved)

    def pages(path):
        info = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
        return {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in info.splitlines() if ":" in line}

    assert pages(certificate.file.path)["Pages"] == "1"
    assert pages(certificate.file.path)["Page size"].startswith("841.89 x 595.276")
    assert pages(document.file.path)["Page size"].startswith("595.276 x 841.89")


def test_the_decision_lists_every_recognised_commune_in_its_annex(approved):
    _certificate, document = issued(approved)

    text = one_line(text_of(Path(document.file.path)))
    cells = one_line(text_of(Path(document.file.path), layout=False))  # the table's cells in reading order

    assert "QUYẾT ĐỊNH" in text and STATE in text and MOTTO in text
    assert "PHỤ LỤC" in text and "STT Đơn vị Điểm Xếp hạng" in text
    assert "Số: 125/QĐ-UBND" in text and "ngày 30 tháng 12 năm 2025" in text
    for number, entry in enumerate(approved.entries.order_by("position"), start=1):
        name = entry.unit_name[0].upper() + entry.unit_name[1:]
        assert f"{number} {name} 100,00 {'★' * entry.stars} {entry.stars} sao" in cells


def test_every_font_of_both_documents_is_embedded(approved):
    certificate, document = issued(approved)

    for path in (certificate.file.path, document.file.path):
        report = subprocess.run([tool("pdffonts"), path], capture_output=True, text=True, check=True).stdout
        rows = report.splitlines()[2:]  # a header and a rule first
        names = " ".join(rows)
        # Noto on the certificate, Liberation Serif (Times-metric, Decree 30) on the decision; DejaVu draws the ★.
        assert rows and ("Noto" in names or "Liberation-Serif" in names) and "DejaVu" in names
        for row in rows:
            columns = row.split()
            # name type [encoding...] emb sub uni object-id: emb is the fifth column from the right.
            assert columns[-5] == "yes", row


def test_pdfsig_finds_the_signature_valid_and_the_certificate_trusted(approved, nss):
    certificate, document = issued(approved)

    for path in (certificate.file.path, document.file.path):
        report = pdfsig(Path(path), nss)
        assert "Signature Validation: Signature is Valid." in report, report
        assert "Certificate Validation: Certificate is Trusted." in report, report
        assert "Total document signed" in report
        assert "Signer Certificate Common Name: Ủy ban nhân dân tỉnh (khóa phát triển)" in report


def test_one_flipped_byte_is_a_digest_mismatch_and_a_modified_copy(approved, nss, tmp_path):
    certificate, _document = issued(approved)
    data = Path(certificate.file.path).read_bytes()
    # A byte of the page's text, well inside the first signed range.
    at = data.index(b"/Producer") + len(b"/Producer ") + 2
    tampered = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(tampered)

    report = pdfsig(copy, nss)

    assert "Signature Validation: Digest Mismatch." in report, report
    assert certificate_check(certificate=certificate, data=tampered).code == "modified"
    assert not signature_intact(tampered)
    assert certificate_check(certificate=certificate, data=data).code == "authentic"
    assert signature_intact(data)


def test_a_byte_appended_after_the_signature_is_no_longer_intact(approved):
    certificate, _document = issued(approved)
    data = Path(certificate.file.path).read_bytes()

    assert not signature_intact(data + b"\n%% appended\n")
    assert certificate_check(certificate=certificate, data=data + b" ").code == "modified"
    assert not signature_intact(b"%PDF-1.7 not really")


def test_the_stamp_sits_on_the_last_page_in_the_place_the_template_left(approved):
    from pypdf import PdfReader

    certificate, document = issued(approved)

    for item in (certificate, document):
        reader = PdfReader(item.file.path)
        last = reader.pages[-1]
        widgets = [a.get_object() for a in last.get("/Annots", []) if a.get_object().get("/FT") == "/Sig"]
        assert len(widgets) == 1
        assert widgets[0]["/AP"]["/N"] is not None  # visible
