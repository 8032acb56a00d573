"""The province's emblem is an uploaded image like any other: measured, checked and re-encoded by
core.uploads.clean_image."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from scoring.admin import ProvinceEmblemForm
from tests.communes.factories import ProvinceFactory

pytestmark = pytest.mark.django_db


def png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, format="PNG")
    return SimpleUploadedFile("quoc-huy.png", buffer.getvalue(), content_type="image/png")


def test_an_emblem_of_more_than_40_megapixels_is_refused():
    form = ProvinceEmblemForm(data={"province": ProvinceFactory().pk}, files={"image": png(6400, 6400)})

    assert not form.is_valid()
    assert form.errors["image"][0].startswith(("The photo is too large", "Ảnh quá lớn"))


def test_an_emblem_of_a_sane_size_is_re_encoded_and_kept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = ProvinceEmblemForm(data={"province": ProvinceFactory().pk}, files={"image": png(200, 200)})

    assert form.is_valid(), form.errors
    emblem = form.save()
    assert emblem.image.name.endswith(".png")
