"""The demo when what it builds on is missing: the units, the demo communes, WeasyPrint's libraries."""

import io

import pytest
from pypdf import PdfReader

from demo import communes as communes_demo
from demo.communes import DemoError, communes_demo_ensure
from demo.feedback import feedback_demo_ensure


def test_the_demo_needs_the_units_loaded_first(db):
    with pytest.raises(DemoError):
        communes_demo_ensure()


def test_without_the_demo_communes_the_demo_makes_nothing(db):
    assert feedback_demo_ensure() == 0


def test_disclosure_documents_fall_back_to_a_blank_titled_page_without_weasyprints_libraries(monkeypatch):
    import weasyprint

    def missing_pango(*args, **kwargs):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(weasyprint, "HTML", missing_pango)
    communes_demo._pdf.cache_clear()
    try:
        content = communes_demo._pdf("Danh sách công dân nhập ngũ", "UBND xã Cao Xá", ("Nội dung",))
    finally:
        communes_demo._pdf.cache_clear()

    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Danh sách công dân nhập ngũ"
