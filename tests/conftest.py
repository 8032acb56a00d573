import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from communes.services import units_load
from demo.accounts import demo_accounts_ensure
from surveys.selectors import memory_clear

DEMO_PASSWORD = "ChinhQuyen-2026"


def require(available: bool, what: str) -> None:
    """Skip when a service is missing on a developer's machine; fail in CI (REQUIRE_SERVICES=1)."""
    if available:
        return
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES is set but {what} is not available")
    pytest.skip(f"{what} is not available")


@pytest.fixture
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    require(bool(shutil.which(path)), f"Chromium at {path}")
    return path


@pytest.fixture
def real_units(db):
    """Bắc Giang before the 2025 reform and Bắc Ninh today, from the vietnam-provinces package."""
    units_load(province="Bắc Giang", period="legacy")
    units_load(province="Bắc Ninh", period="current")


@pytest.fixture
def demo_accounts(real_units):
    return {account.role: account for account in demo_accounts_ensure(password=DEMO_PASSWORD)}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing strength is Django's concern, not ours; PBKDF2's deliberate cost would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def keep_the_default_language():
    # LocaleMiddleware activates a request's language for the whole thread and leaves it active:
    # without this, a request to /en/ makes later tests reverse() and render in English.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    # allauth keeps its rate limits in the cache; with Redis they would outlive the test that set them.
    # Survey questionnaires are kept in memory by id, and ids are reused after a rollback.
    cache.clear()
    memory_clear()
