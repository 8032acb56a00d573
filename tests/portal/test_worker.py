"""A task travels through the configured broker (the filesystem one, or Redis in CI) to a real
worker process and its result comes back."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection

from portal.health import broker_ok
from portal.tasks import worker_ping
from tests.conftest import require


def database_url_for_worker() -> str | None:
    """The worker reads the test database when it can reach it (PostgreSQL); SQLite's test database
    lives in this process's memory, so there the worker keeps its own."""
    if connection.vendor != "postgresql":
        return None
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker_through_the_configured_broker(tmp_path):
    require(broker_ok(), f"the broker at {settings.CELERY_BROKER_URL}")
    # A queue of its own, so that a worker of `make run` on the same machine cannot take the task.
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ}
    if url := database_url_for_worker():
        env["DATABASE_URL"] = url
    log_path = tmp_path / "worker.log"
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
            result = worker_ping.apply_async(queue=queue)
            assert result.get(timeout=90) == {"pong": True, "database": True}
            assert result.successful()
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert "portal.tasks.worker_ping" in log_path.read_text()
