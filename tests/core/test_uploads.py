"""Uploads are judged by their content: Pillow for images, pypdf for PDFs; metadata is dropped."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from core.uploads import MAX_UPLOAD_BYTES, NOT_A_PDF, NOT_AN_IMAGE, TOO_LARGE, clean_image, clean_pdf

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
