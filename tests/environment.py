"""Loaded with ``-p`` before Django starts: the test run's environment, never production's.

Settings read only environment variables, so tests set them here; an operator's DATABASE_URL or
CELERY_BROKER_URL set outside wins, so the same suite runs on SQLite and on PostgreSQL + Redis.

pytest-xdist runs several test processes at once, and two runs may share a host (a developer's and
CI's, two worktrees'). Each process keeps to a namespace of its own, named after the run and its xdist
worker: its files under a VAR_DIR of its own (media, the filesystem broker's folders, task results,
mail, the worker's SQLite), its Redis keys under a prefix, its test database (tests/conftest.py). The
Celery workers that tests start inherit the environment, so they land in the same namespace.
"""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["DEBUG"] = "0"
# The test client and the live server speak plain HTTP.
os.environ["HTTPS"] = "0"
# Every test runs with the page cache on (one process, one cache): a page a test reads after a change
# shows a stale copy if a write forgot to bump its versions.
os.environ.setdefault("PAGE_CACHE", "1")

if "TEST_RUN_ID" not in os.environ:  # the process pytest starts; its xdist workers inherit what it sets
    os.environ["TEST_RUN_ID"] = uuid.uuid4().hex[:8]
    # Static files are read, never written: every process reads what `make test` collected.
    checkout_var = os.environ.get("VAR_DIR") or Path(__file__).resolve().parent.parent / "var"
    os.environ.setdefault("STATIC_ROOT", str(Path(checkout_var) / "static"))

NAMESPACE = f"test-{os.environ['TEST_RUN_ID']}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
SCRATCH = tempfile.mkdtemp(prefix=f"portal-{NAMESPACE}-")
os.environ["VAR_DIR"] = SCRATCH
os.environ.pop("MEDIA_ROOT", None)  # under VAR_DIR with the rest
os.environ["REDIS_KEY_PREFIX"] = NAMESPACE


def pytest_unconfigure():
    shutil.rmtree(SCRATCH, ignore_errors=True)


# The browser tests that read the demo (tests/e2e/demo.py builds it once per worker, 25 s) go to one
# worker together, so the demo is built once per run instead of once on each worker.
DEMO_FILES = {
    "tests/e2e/test_phone_layout.py",
    "tests/e2e/test_accessibility.py",
    "tests/e2e/test_citizen_journey.py",
}


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class DemoTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "tests/e2e/[demo]" if scope in DEMO_FILES else scope

    return DemoTogether(config, log)
