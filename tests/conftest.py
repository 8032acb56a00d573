import contextlib
import functools
import itertools
import os
import re
import shutil
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import translation
from xdist.scheduler import LoadFileScheduling

import core.cache
import core.tasks
from communes.models import Commune
from communes.services import units_load
from demo.accounts import demo_accounts_ensure
from surveys.selectors import memory_clear

DEMO_PASSWORD = "ChinhQuyen-2026"


@functools.cache
def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def redis_keys_delete(url: str) -> None:
    """This test process's keys only (tests/environment.py prefixes them): FLUSHDB would empty them for
    every worker and run that shares the Redis database."""
    client = redis_client(url)
    for keys in itertools.batched(client.scan_iter(match=f"{settings.REDIS_KEY_PREFIX}:*", count=1000), 1000):
        client.delete(*keys)


def pytest_unconfigure():
    for url in {settings.REDIS_URL, settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND or ""}:
        if url.startswith("redis"):
            with contextlib.suppress(redis.RedisError):  # a missing Redis was reported by the tests
                redis_keys_delete(url)


def cache_keys_written() -> list[str]:
    """Every key this test process holds in the configured cache: on Redis (CI), those under the run's
    prefix; on the in-memory cache, all of its keys."""
    location = settings.CACHES["default"].get("LOCATION", "")
    if isinstance(location, str) and location.startswith("redis"):
        pattern = f"{settings.REDIS_KEY_PREFIX}:*"
        return [key.decode() for key in redis_client(location).scan_iter(match=pattern, count=1000)]
    return [str(key) for key in cache._cache]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """pytest-django names an xdist worker's test database test_portal_gw0; the run's id keeps two runs on
    one host apart: test_portal_gw0_<run>, made and dropped by the run (its migrations take about 14 s
    on PostgreSQL). SQLite's test database lives in the process's memory; --reuse-db keeps a stable name
    to come back to."""
    if request.config.getvalue("reuse_db"):
        return
    for database in settings.DATABASES.values():
        if database["ENGINE"] != "django.db.backends.sqlite3":
            test = database.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{os.environ['TEST_RUN_ID']}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then, before it drops the run's PostgreSQL database, an end to the sessions tests
    left open: DROP DATABASE refuses while one remains, and the database would outlive the run. (The
    e2e scoring journey leaves one: its ORM calls under Playwright run on a connection nothing closes.)"""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


# What a test costs, in seconds on the 2-core CI machine (pytest --durations): a tenth of a second,
# more for what it uses (a marker or a fixture of its closure); some costs are paid once per file.
SECONDS_PER_TEST = 0.1
SECONDS_EXTRA = {"e2e": 6.0, "worker": 5.0, "real_units": 0.7}  # a browser; a Celery process; the units
SECONDS_ONCE_PER_FILE = {"demo": 25.0}  # the whole demo, built once per file at most (tests/e2e/demo.py)


def file_seconds(items: list[pytest.Item]) -> float:
    uses = [set(item.fixturenames) | {marker.name for marker in item.iter_markers()} for item in items]
    each = sum(SECONDS_PER_TEST + sum(s for name, s in SECONDS_EXTRA.items() if name in used) for used in uses)
    return each + sum(s for name, s in SECONDS_ONCE_PER_FILE.items() if any(name in used for used in uses))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under xdist (make test: -n auto --dist loadfile), the costliest files first. xdist hands out whole
    files in the order of the collection (its own reordering, by number of tests, is turned off in
    pyproject.toml: it sent the browser tests, few to a file, last, and one worker ran them alone for the
    last two minutes). A file's own tests keep pytest-django's order (the transactional ones last)."""
    if not hasattr(config, "workerinput"):
        return
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    cost = {path: file_seconds(file_items) for path, file_items in files.items()}
    items[:] = [item for path in sorted(files, key=lambda path: -cost[path]) for item in files[path]]


# A test asks for the demo by naming the fixture among its arguments.
_USES_DEMO = re.compile(r"def test_\w+\([^)]*\bdemo\b", re.S)


@functools.cache
def uses_demo(path: str) -> bool:
    file = Path(settings.BASE_DIR) / path
    return file.suffix == ".py" and file.is_file() and bool(_USES_DEMO.search(file.read_text(encoding="utf-8")))


class DemoFilesOnOneWorker(LoadFileScheduling):
    """xdist's --dist loadfile, but every file whose tests use the demo is one unit of work: the demo is
    built once per worker process (tests/e2e/demo.py), and two workers building it at once on two cores
    took about 95 s each instead of about 50 s once. (--dist loadgroup would say the same with a marker,
    but xdist 3.8 cannot tag pytest 9.2 node ids: pytest-xdist#1386.)"""

    def _split_scope(self, nodeid: str) -> str:
        path = super()._split_scope(nodeid)
        return "the demo's files" if uses_demo(path) else path


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return DemoFilesOnOneWorker(config, log)
    return None


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


def real_units_load() -> None:
    """Bắc Giang before the 2025 reform and Bắc Ninh today, from the vietnam-provinces package."""
    units_load(province="Bắc Giang", period="legacy")
    units_load(province="Bắc Ninh", period="current")


@pytest.fixture
def real_units(db):
    real_units_load()


@pytest.fixture
def quang_minh(real_units):
    """Phường Quảng Minh (thị xã Việt Yên, Bắc Giang), which ended on 30/06/2025."""
    return Commune.objects.get(code="07792", valid_until__isnull=False)


@pytest.fixture
def van_ha(real_units):
    """Today's phường Vân Hà (Bắc Ninh), which took Quảng Minh over on 01/07/2025: where a citizen of
    Quảng Minh lives in 2026."""
    return Commune.objects.current().get(code="07798")


@pytest.fixture
def demo_accounts(real_units):
    return {account.role: account for account in demo_accounts_ensure(password=DEMO_PASSWORD)}


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    # Hashing strength is Django's concern, not ours; PBKDF2's deliberate cost would dominate the suite.
    # For the session, so that the scenes built once per module (before any test's own fixtures) have it.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def keep_the_default_language():
    # LocaleMiddleware activates a request's language for the whole thread and leaves it active:
    # without this, a request to /en/ makes later tests reverse() and render in English.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def services_presumed_up():
    # A test that stops Redis or the broker leaves the process's breakers open for a few seconds;
    # the next test starts with both services presumed up again.
    yield
    core.cache.breaker.reset()
    core.tasks.breaker.reset()


@pytest.fixture(autouse=True)
def empty_cache():
    # allauth keeps its rate limits in the cache; with Redis they would outlive the test that set them.
    # Survey questionnaires are kept in memory by id, and ids are reused after a rollback.
    if settings.REDIS_URL:
        redis_keys_delete(settings.REDIS_URL)
    else:
        cache.clear()
    memory_clear()
