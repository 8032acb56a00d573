"""The A4 counter poster of a procedure, printed by Debian's Chromium (Playwright's page.pdf, A4, the
page size the poster's CSS asks for) from the live server: one page whatever the procedure's length,
its name in the PDF's text, a QR code of at least 6 cm, and, when the text is longer than a page holds,
a note at the page's foot that the full text is behind the QR code.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from communes.models import CommuneProcedure, DivisionType
from tests.communes.factories import CommuneFactory
from tests.communes.test_public_pages import make_procedure

NAME = "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi (liên thông)"
STEP = (
    "Người yêu cầu nộp hồ sơ tại Bộ phận Một cửa của Ủy ban nhân dân cấp xã hoặc trên Cổng Dịch vụ công quốc "
    "gia; công chức tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ và hướng dẫn bổ sung nếu còn thiếu."
)
DOCUMENT = "Tờ khai đăng ký khai sinh theo mẫu; bản chính giấy chứng sinh do cơ sở y tế cấp."
# A procedure as short as most, one as long as the longest in the catalogue, and one far past a page.
LENGTHS = {"short": (3, 2), "long": (8, 5), "far too long": (45, 30)}
# The page less its 12 mm margins (print-poster.css), at 96 px an inch: print media laid out as printed.
PRINTED_AREA = {"width": 703, "height": 1032}
MM_PER_PX = 25.4 / 96
QR_MODULE_PX = 7  # communes.views.public.POSTER_QR_SCALE: a module is 7 px when the SVG has a size
QUIET_ZONE = 4  # modules of margin on each side (core.qr)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def poster(length: str) -> CommuneProcedure:
    steps, documents = LENGTHS[length]
    commune = CommuneFactory(name="Vân Hà", division_type=DivisionType.WARD)
    return make_procedure(
        commune,
        1,
        name=NAME,
        steps=[f"Bước {n}. {STEP}" for n in range(1, steps + 1)],
        documents=[f"{DOCUMENT} ({n})" for n in range(1, documents + 1)],
    )


def qr_symbol_mm(page) -> float:
    """The printed QR symbol's side without its quiet zone, in millimetres (print media, A4 width)."""
    svg = page.locator(".poster__qr svg")
    side_px = svg.bounding_box()["width"]
    width = svg.get_attribute("width")
    modules = int(width) // QR_MODULE_PX if width else int(float(svg.get_attribute("viewBox").split()[2]))
    return side_px * MM_PER_PX * (modules - 2 * QUIET_ZONE) / modules


TOPMOST_AT_THE_NOTE = """() => {
  const note = document.querySelector(".poster__more");
  const box = note.getBoundingClientRect();
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return top === note || note.contains(top);
}"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("length", list(LENGTHS))
def test_the_poster_prints_on_one_a4_page_with_its_name_and_a_large_qr_code(
    live_server, browser_page, tmp_path, length
):
    handled = poster(length)
    url = live_server.url + reverse(
        "communes:procedure_poster", kwargs={"pk": handled.commune_id, "code": handled.procedure.code}
    )
    page = browser_page.context.browser.new_page(viewport=PRINTED_AREA, locale="vi-VN")
    page.goto(url)

    pdf = tmp_path / "poster.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    assert re.search(r"^Page size:.*\(A4\)$", info, re.MULTILINE), info
    assert NAME in " ".join(text.split())
    assert "Bước 1." in text
    page.emulate_media(media="print")
    assert qr_symbol_mm(page) >= 60
    # The note that the text continues shows only where the text runs past the page's foot.
    assert page.evaluate(TOPMOST_AT_THE_NOTE) is (length == "far too long")
