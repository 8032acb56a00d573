"""A real Celery worker process for tests that must cross the broker."""

import contextlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app


def database_url_for_worker() -> str | None:
    """The worker reads the test database when it can reach it (PostgreSQL); SQLite's test database
    lives in this process's memory, so there the worker keeps its own."""
    if connection.vendor != "postgresql":
        return None
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@contextlib.contextmanager
def running_worker(log_path: Path):
    """Start a worker on a queue of its own (so a `make run` worker on the same machine cannot take
    the test's tasks), yield the queue name, stop the worker afterwards."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ}
    if url := database_url_for_worker():
        env["DATABASE_URL"] = url
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "portal", "worker", "--queues", queue,
                "--pool", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "INFO",
            ],
            env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield queue
        finally:
            worker.terminate()
            worker.wait(timeout=30)


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks run in the test process, so a test never leaves messages in the broker's folder for the
    worker of `make run`; tests with a real worker turn this off (the fixture restores it). An app's
    conftest imports it to make it apply to the app's tests."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
