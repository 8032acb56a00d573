"""Uploaded files are checked by what they contain, not by their name.

Images are opened with Pillow and re-encoded, which drops EXIF (camera, GPS) and other metadata;
PDFs are parsed with pypdf. Anything else, a renamed executable included, is refused with a
message in the user's language.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Decompression bombs: a 5 MB file may still claim gigapixels.
Image.MAX_IMAGE_PIXELS = 40_000_000

TOO_LARGE = _("The file is larger than 5 MB. Please send a smaller file.")
NOT_AN_IMAGE = _("This file is not a photo. Please send a JPEG, PNG or WebP image.")
NOT_A_PDF = _("This file is not a PDF document. Please send a PDF file.")


def _check_size(upload) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")


def clean_image(upload) -> ContentFile:
    """A copy of the uploaded image without its metadata; raises ValidationError if it is no image."""
    _check_size(upload)
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
            image_format = image.format
            # Apply the camera's rotation before the EXIF that carries it is dropped.
            image = ImageOps.exif_transpose(image)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            output = io.BytesIO()
            # Saving without exif=/pnginfo= writes pixels only: no camera, time or GPS data.
            image.save(output, format=image_format, quality=88)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    stem = Path(upload.name or "photo").stem[:60] or "photo"
    return ContentFile(output.getvalue(), name=f"{stem}.{IMAGE_FORMATS[image_format]}")


def clean_pdf(upload):
    """The uploaded file, once a PDF parser has read every page of it; raises ValidationError if not."""
    _check_size(upload)
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise ValidationError(NOT_A_PDF, code="not_a_pdf")
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted or len(reader.pages) == 0:
            raise ValidationError(NOT_A_PDF, code="not_a_pdf")
        for page in reader.pages:
            page.mediabox  # noqa: B018 - touching each page makes the parser read it
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(NOT_A_PDF, code="not_a_pdf") from error
    upload.seek(0)
    return upload
