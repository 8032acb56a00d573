import pytest

from portal.celery import app


@pytest.fixture(autouse=True)
def eager_tasks():
    # Tasks run in the test process, so a test never leaves messages in the broker's folder for the
    # worker of `make run`; the real worker round trip turns this off.
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def mail_in_memory(settings, tmp_path):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://portal.example.vn"
