"""A task travels through the configured broker (the filesystem one, or Redis in CI) to a real
worker process and its result comes back."""

import pytest
from django.conf import settings

from portal.health import broker_ok
from portal.tasks import worker_ping
from tests.celery_worker import running_worker
from tests.conftest import require


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker_through_the_configured_broker(tmp_path):
    require(broker_ok(), f"the broker at {settings.CELERY_BROKER_URL}")
    log_path = tmp_path / "worker.log"
    with running_worker(log_path) as queue:
        result = worker_ping.apply_async(queue=queue)
        assert result.get(timeout=90) == {"pong": True, "database": True}
        assert result.successful()
    assert "portal.tasks.worker_ping" in log_path.read_text()
