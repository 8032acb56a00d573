"""Debian's Chromium through Playwright; never `playwright install`."""

import pytest
from playwright.sync_api import sync_playwright

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
