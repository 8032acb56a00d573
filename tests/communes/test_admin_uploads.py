"""Files changed through the admin are checked as in the back office (core.uploads)."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from communes.models import Disclosure, OneStopShop
from core.uploads import ImageUploadField, PdfUploadField
from tests.core.test_uploads import pdf_with_catalogue, png_of


def admin_field(model, name):
    return admin.site._registry[model].formfield_for_dbfield(model._meta.get_field(name), request=None)


def test_the_one_stop_shop_s_photo_in_the_admin_is_measured_and_re_encoded():
    field = admin_field(OneStopShop, "photo")
    assert isinstance(field, ImageUploadField)
    with pytest.raises(ValidationError) as caught:
        field.clean(SimpleUploadedFile("lon.png", png_of(6400, 6400), content_type="image/png"))
    assert caught.value.code == "image_too_large"


def test_a_disclosure_s_document_in_the_admin_is_checked_for_scripts():
    field = admin_field(Disclosure, "document")
    assert isinstance(field, PdfUploadField)
    scripted = pdf_with_catalogue(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    with pytest.raises(ValidationError) as caught:
        field.clean(SimpleUploadedFile("a.pdf", scripted, content_type="application/pdf"))
    assert caught.value.code == "pdf_active"
