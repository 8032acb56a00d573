"""Debian's Chromium through Playwright; never `playwright install`."""

import pytest
from playwright.sync_api import sync_playwright

from demo.accounts import DemoAccount
from tests.e2e.demo import Demo, demo_build, tables_empty

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(chromium_path, monkeypatch, settings):
    # Playwright's sync API runs an event loop in this thread; the ORM calls live in the server thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server serves static files from the source folders, under their plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        # A phone: the portal must be usable at 360 px.
        page = browser.new_page(viewport={"width": 360, "height": 780}, locale="vi-VN")
        yield page
        browser.close()


@pytest.fixture(scope="session")
def demo_built(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    """The demo, built by the first test of the process that asks for `demo` (tests/e2e/demo.py)."""
    with django_db_blocker.unblock():
        try:
            built = demo_build(tmp_path_factory.mktemp("demo") / "media")
        except BaseException:
            tables_empty()  # half a demo would be seen by the process's next tests
            raise
    yield built
    with django_db_blocker.unblock():
        built.snapshot.drop()


@pytest.fixture
def demo(demo_built, transactional_db, settings, tmp_path) -> dict[str, DemoAccount]:
    """The demo's records (those `make run` shows: the units, the demo accounts, the one-stop shops of
    today's phường Vân Hà and of the units it took over, a year of feedback, the survey campaigns, tỉnh
    Bắc Giang's complete 2024 cycle with its sealed certificates and Bắc Ninh's 2025 cycle under way),
    as built, whatever the test before changed; their files under a temporary media folder. Returns the
    demo accounts by role (password tests.conftest.DEMO_PASSWORD). A test using it needs neither
    `demo_accounts` nor `real_units` (both would load the units again)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_built.restore(settings.MEDIA_ROOT)
    return demo_built.accounts
