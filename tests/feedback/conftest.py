import pytest

from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture for every test here


@pytest.fixture(autouse=True)
def mail_in_memory(settings, tmp_path):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://portal.example.vn"
