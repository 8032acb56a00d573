"""The media store's public part is served with DEBUG off; nothing private is reachable by path."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import resolve
from PIL import Image

from portal.views import media

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


@override_settings(DEBUG=False)
def test_a_one_stop_shop_photo_is_served_with_debug_off(client):
    name = default_storage.save("one-stop/mot-cua.jpg", ContentFile(jpeg()))
    url = default_storage.url(name)

    response = client.get(url)

    assert resolve(url).func is media.public_media
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("public")
    assert b"".join(response.streaming_content) == jpeg()
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


@pytest.mark.parametrize(
    "name",
    [
        "private/feedback/0123456789abcdef0123456789abcdef.jpg",  # a feedback photo
        "feedback/ABCD2345/anh.jpg",  # a photo under its former name
        "evidence/2026/bang-chung.pdf",
        "one-stop/trang.html",  # not an image, even in a public folder
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_nothing_else_in_the_media_store_is_served_by_path(client, name, debug):
    default_storage.save(name, ContentFile(jpeg()))

    with override_settings(DEBUG=debug):
        response = client.get(default_storage.url(name))

    assert response.status_code == 404


def test_a_path_climbing_out_of_a_public_folder_is_not_served(client):
    default_storage.save("private/feedback/0123456789abcdef0123456789abcdef.jpg", ContentFile(jpeg()))

    response = client.get("/media/one-stop/../private/feedback/0123456789abcdef0123456789abcdef.jpg")
    encoded = client.get("/media/one-stop/%2e%2e/private/feedback/0123456789abcdef0123456789abcdef.jpg")

    assert response.status_code == 404
    assert encoded.status_code == 404
