"""Uploaded files are checked by what they contain, not by their name.

Images are opened with Pillow and re-encoded, which drops EXIF (camera, GPS) and other metadata;
PDFs are parsed with pypdf. Anything else, a renamed executable included, is refused with a
message in the user's language. Every image and PDF the portal accepts goes through this module.
"""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# A 5 MB file may still claim gigapixels, and decoding costs time and memory by the pixel, not by the
# byte: a 116 KB PNG of 6300×6300 takes seconds of a worker. 40 MP is more than a phone's photo.
MAX_IMAGE_PIXELS = 40_000_000
# Pillow's own ceiling, in this one place: it warns above it and raises DecompressionBombError at twice
# it, so images are measured from their header (image_pixels_check) before Pillow decodes anything.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# Between the ceiling and twice it Pillow only warns; image_pixels_check refuses those itself.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
# A PDF's dictionaries and arrays are walked to look for scripts; a real document has a few thousand.
MAX_PDF_OBJECTS = 100_000

TOO_LARGE = _("The file is larger than 5 MB. Please send a smaller file.")
NOT_AN_IMAGE = _("This file is not a photo. Please send a JPEG, PNG or WebP image.")
IMAGE_TOO_LARGE = _(
    "The photo is too large: at most %(megapixels)d megapixels. Please send a smaller photo (the phone's "
    "“share” or “resize” option makes one)."
)
NOT_A_PDF = _("This file is not a PDF document. Please send a PDF file.")
PDF_ACTIVE = _(
    "This PDF contains scripts or actions that run when it is opened, which the portal does not publish. "
    "Please print it again to PDF (or save it as PDF/A) and send that file."
)

# Names that make a PDF run something when opened or touched: scripts, launching programs, sending data.
# Actions under /OpenAction or /AA (additional actions) are walked like the rest: a signed decision's
# field may carry a harmless /AA (go to a page), and refusing it would refuse the signed original.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/XFA"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"}


def _check_size(upload) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")


def _image_too_large() -> ValidationError:
    return ValidationError(IMAGE_TOO_LARGE, code="image_too_large", params={"megapixels": MAX_IMAGE_PIXELS // 10**6})


def image_pixels_check(upload) -> None:
    """Refuse an image whose header claims more than MAX_IMAGE_PIXELS, reading the header only (no
    pixel is decoded), so it is cheap enough to run before the rate limit."""
    _check_size(upload)
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            width, height = probe.size
    except Image.DecompressionBombError as error:
        raise _image_too_large() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        upload.seek(0)
    if width * height > MAX_IMAGE_PIXELS:
        raise _image_too_large()


def clean_image(upload) -> ContentFile:
    """A copy of the uploaded image without its metadata; raises ValidationError if it is no image or
    larger than MAX_IMAGE_PIXELS. The one way an image enters the portal."""
    image_pixels_check(upload)
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
    except Image.DecompressionBombError as error:
        raise _image_too_large() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    stem = Path(upload.name or "photo").stem[:60] or "photo"
    return ContentFile(output.getvalue(), name=f"{stem}.{IMAGE_FORMATS[image_format]}")


_CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)


def _has_active_content(reader: PdfReader) -> bool:
    """True if any object reachable from the trailer is a script or an action that runs something.
    pypdf reads names with their #xx escapes decoded and objects out of object streams, so hiding a
    name (/J#53) or compressing it does not hide it here."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            reference = (item.idnum, item.generation)
            if reference in seen:
                continue
            seen.add(reference)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many objects to check")
        if isinstance(item, DictionaryObject):  # streams too: their dictionary, never their data
            if _ACTIVE_KEYS.intersection(item.keys()):
                return True
            action = item.get("/S")
            if isinstance(action, NameObject) and action in _ACTIVE_ACTIONS:
                return True
            stack.extend(value for value in item.values() if isinstance(value, _CONTAINERS))
        elif isinstance(item, ArrayObject):
            stack.extend(value for value in item if isinstance(value, _CONTAINERS))
    return False


def clean_pdf(upload):
    """The uploaded file, once a PDF parser has read every page of it and found no script in it;
    raises ValidationError if not."""
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
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except RecursionError as error:  # a deeply nested object
        logger.warning("A PDF upload was refused: nested too deeply.")
        raise ValidationError(NOT_A_PDF, code="not_a_pdf") from error
    except Exception as error:
        # pypdf raises many kinds (PdfReadError, LimitReachedError, and plain KeyError, TypeError or
        # AttributeError on malformed files): any of them means "not readable", never a 500.
        logger.warning("A PDF upload was refused: %s: %s", type(error).__name__, str(error)[:200])
        raise ValidationError(NOT_A_PDF, code="not_a_pdf") from error
    if active:
        raise ValidationError(PDF_ACTIVE, code="pdf_active")
    upload.seek(0)
    return upload


class ImageUploadField(forms.FileField):
    """A form field whose new upload comes out as clean_image's copy: for forms (the admin's too, by
    ``formfield_overrides``) that would otherwise take Django's ImageField, which decodes on its own."""

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        return clean_image(value) if isinstance(value, UploadedFile) else value


class PdfUploadField(forms.FileField):
    """A form field whose new upload has passed clean_pdf."""

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        return clean_pdf(value) if isinstance(value, UploadedFile) else value
