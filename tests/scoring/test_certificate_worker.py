"""A fault test with real worker processes on Redis: the worker is killed (SIGKILL) in the middle of a
batch; a new one takes over, and every certificate ends up existing once, valid and intact."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Role
from portal.celery import app
from portal.health import broker_ok
from scoring.models import Certificate
from scoring.services import decision_approve
from scoring.services.certificates.signing import signature_intact
from tests.celery_worker import database_url_for_worker
from tests.communes.factories import CommuneFactory
from tests.conftest import require
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.test_decisions import draft, final, recognisable_set

# The worker a SIGKILL interrupts never acknowledges its task (acks_late); Redis hands such a task out
# again after the visibility timeout, an hour by default. The test's workers use a few seconds so the
# redelivery happens within the test.
WORKER = """
import sys
from portal.celery import app
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,  # the test process's own Redis key prefix among them
    "visibility_timeout": 4, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}
app.worker_main(sys.argv[1:])
"""


@contextlib.contextmanager
def worker_process(queue: str, log_path: Path):
    """A worker on ``queue`` (the same queue for both workers, so the second finds what the first left)."""
    env = {**os.environ, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    if url := database_url_for_worker():
        env["DATABASE_URL"] = url
    with log_path.open("a") as log:
        worker = subprocess.Popen(
            [
                sys.executable, "-c", WORKER, "worker", "--queues", queue, "--pool", "solo",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
            ],
            env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield worker
        finally:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)


def wait_for(condition, seconds: float = 120, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def queue(settings, tmp_path):
    require(connection.vendor == "postgresql", "PostgreSQL")
    require(settings.CELERY_BROKER_URL.startswith("redis"), "Redis as the broker (CELERY_BROKER_URL)")
    require(broker_ok(), f"the broker at {settings.CELERY_BROKER_URL}")
    settings.MEDIA_ROOT = tmp_path / "media"
    app.conf.task_always_eager = False  # the eager_tasks fixture restores it
    name = f"test-{uuid.uuid4().hex[:12]}"
    previous = app.conf.task_routes
    app.conf.update(task_routes={"scoring.tasks.*": {"queue": name}})
    try:
        yield name
    finally:
        app.conf.update(task_routes=previous)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_every_certificate_once_and_valid(places, queue, tmp_path):  # noqa: F811
    province = places.province
    criteria_set = recognisable_set(province)
    communes = [CommuneFactory(province=province, district=places.district) for _ in range(7)]
    decision = draft(province, [final(c, criteria_set) for c in communes], user_with_role(Role.DOHA_STAFF, province))
    documents = Certificate.objects.filter(decision=decision)
    valid = documents.filter(status=Certificate.Status.VALID)
    log = tmp_path / "workers.log"

    with worker_process(queue, log) as first:
        # The approval's commit queues the eight documents (seven certificates and the decision).
        decision_approve(decision=decision, by=user_with_role(Role.PROVINCIAL_LEADER, province))
        assert documents.count() == 8
        assert wait_for(valid.exists), log.read_text()
        first.kill()  # SIGKILL: no goodbye, no acknowledgement of the task in hand
        first.wait(timeout=30)
    done_before_the_kill = valid.count()
    assert 1 <= done_before_the_kill < 8

    with worker_process(queue, log):
        assert wait_for(lambda: valid.count() == 8, seconds=180, step=0.5), log.read_text()

    assert documents.count() == 8
    assert documents.filter(kind="certificate").count() == decision.entries.count() == 7
    assert sorted(documents.values_list("entry_id", flat=True).exclude(entry=None)) == sorted(
        decision.entries.values_list("pk", flat=True)
    )
    files = sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "certificates" / "2025").iterdir())
    assert files == sorted(f"{c.serial}.pdf" for c in documents)  # one file each, no leftovers
    for certificate in documents:
        data = Path(certificate.file.path).read_bytes()
        assert signature_intact(data), certificate.serial
        assert certificate.attempts == 0
