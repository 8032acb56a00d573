"""Uploads are judged by their content: Pillow for images, pypdf for PDFs; metadata is dropped."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from core.uploads import (
    IMAGE_TOO_LARGE,
    MAX_UPLOAD_BYTES,
    NOT_A_PDF,
    NOT_AN_IMAGE,
    PDF_ACTIVE,
    TOO_LARGE,
    clean_image,
    clean_pdf,
)

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (21.0, 17.0, 0.0), 3: "E", 4: (106.0, 11.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def a_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_photo_keeps_its_pixels_and_loses_camera_and_gps_data():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(GPS_IFD) is not None
    cleaned = clean_image(upload("anh-quay.jpg", original, "image/jpeg"))
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.size == (64, 48)
    assert len(image.getexif()) == 0
    assert cleaned.name == "anh-quay.jpg"


def test_a_png_named_jpg_is_stored_under_its_real_type():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10)).save(buffer, format="PNG")
    assert clean_image(upload("logo.jpg", buffer.getvalue())).name == "logo.png"


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, b"#!/bin/sh\nrm -rf /\n", b"GIF89a\x01\x00\x01\x00"],
    ids=["windows-executable", "shell-script", "truncated-gif"],
)
def test_a_file_that_is_not_a_photo_is_refused_in_vietnamese_whatever_its_name(content):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        clean_image(upload("anh-the.jpg", content, "image/jpeg"))
    assert error.value.code == "not_an_image"
    with translation.override("vi"):
        assert error.value.messages == [str(NOT_AN_IMAGE)]


def test_a_file_over_5_mb_is_refused_before_it_is_read():
    with pytest.raises(ValidationError) as error:
        clean_image(upload("big.jpg", b"\xff\xd8" + b"\x00" * MAX_UPLOAD_BYTES))
    assert error.value.messages == [str(TOO_LARGE)]


def test_a_real_pdf_is_accepted():
    document = upload("quyet-dinh.pdf", a_pdf(), "application/pdf")
    assert clean_pdf(document) is document


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00", b"%PDF-1.7\nnot really a pdf", jpeg_with_gps()],
    ids=["executable", "pdf-header-only", "a-photo"],
)
def test_anything_but_a_readable_pdf_is_refused(content):
    with pytest.raises(ValidationError) as error:
        clean_pdf(upload("quyet-dinh.pdf", content, "application/pdf"))
    assert error.value.messages == [str(NOT_A_PDF)]


# --- Crafted files (issue 14, items 9 and 11) ---------------------------------------------------------


def png_of(width: int, height: int) -> bytes:
    """A PNG of many pixels in few bytes: one bit per pixel, all white, compresses to almost nothing."""
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels, with one row of data: a decompression bomb
    as Pillow sees it when it opens the file."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def pdf_of(*bodies: bytes) -> bytes:
    """A PDF written by hand from its objects' bodies (numbered from 1, the first being the catalogue),
    for files no PDF library would write."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref))
    return out.getvalue()


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def pdf_with_200000_page_references() -> bytes:
    kids = b"3 0 R " * 200_000
    return pdf_of(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count 200000 >>", PAGE)


def pdf_with_catalogue(extra: bytes, *more: bytes) -> bytes:
    return pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE, *more
    )


def test_a_photo_of_more_than_40_megapixels_is_refused_from_its_header():
    # 6400×6400 is 41 MP in 130 KB: Pillow alone stores it (it only refuses above twice its ceiling).
    content = png_of(6400, 6400)
    assert len(content) < 200_000
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_image(upload("anh.png", content, "image/png"))
    assert caught.value.code == "image_too_large"
    assert caught.value.messages[0] == str(IMAGE_TOO_LARGE) % {"megapixels": 40}


def test_a_decompression_bomb_is_refused_as_too_large_without_decoding():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_image(upload("bomb.png", png_header_claiming(100_000, 100_000), "image/png"))
    assert caught.value.code == "image_too_large"


def test_a_photo_of_a_sane_size_is_still_accepted():
    assert clean_image(upload("anh.png", png_of(4000, 3000), "image/png")).name == "anh.png"


def test_a_pdf_past_the_parser_limits_is_refused_not_an_error():
    content = pdf_with_200000_page_references()
    assert len(content) < MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError) as caught:
        clean_pdf(upload("quyet-dinh.pdf", content, "application/pdf"))
    assert caught.value.code == "not_a_pdf"


def test_a_pdf_whose_page_tree_refers_to_itself_is_refused():
    content = pdf_of(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", PAGE)
    with pytest.raises(ValidationError) as caught:
        clean_pdf(upload("vong.pdf", content, "application/pdf"))
    assert caught.value.code == "not_a_pdf"


@pytest.mark.parametrize(
    "content",
    [
        pdf_with_catalogue(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        pdf_with_catalogue(b"/OpenAction 4 0 R", b"<< /S /Launch /F (cmd.exe) >>"),
        pdf_with_catalogue(b"/Names << /JavaScript 4 0 R >>", b"<< /Names [(a) << /S /JavaScript /JS (x) >>] >>"),
        pdf_with_catalogue(b"/AA << /WC << /S /GoTo /D [3 0 R /Fit] /Next << /S /Launch /F (x.exe) >> >> >>"),
        # A name written with an escape (#53 is S) is the same name to a PDF reader.
        pdf_with_catalogue(b"/OpenAction << /S /JavaScript /J#53 (app.alert(1)) >>"),
    ],
    ids=["open-action-js", "launch", "names-tree", "additional-actions", "escaped-name"],
)
def test_a_pdf_that_runs_something_when_opened_is_refused(content):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_pdf(upload("thong-bao.pdf", content, "application/pdf"))
    assert caught.value.code == "pdf_active"
    assert caught.value.messages[0] == str(PDF_ACTIVE)


@pytest.mark.parametrize(
    "extra", [b"/OpenAction [3 0 R /Fit]", b"/AA << /WC << /S /GoTo /D [3 0 R /Fit] >> >>"], ids=["open", "aa-goto"]
)
def test_a_pdf_whose_actions_only_go_to_a_page_is_accepted(extra):
    document = upload("ok.pdf", pdf_with_catalogue(extra), "application/pdf")
    assert clean_pdf(document) is document
