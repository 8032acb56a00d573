"""Tasks go to a queue by kind, so a batch of certificates or statistics never delays a citizen's mail."""

import re
from pathlib import Path

import pytest
from django.conf import settings

# Every task module registers its tasks with the app on import.
import feedback.tasks  # noqa: F401
import portal.tasks  # noqa: F401
import scoring.tasks  # noqa: F401
import surveys.tasks  # noqa: F401
from portal.celery import QUEUES, app

EXPECTED = {
    "feedback.tasks.send_notification": "mail",
    "feedback.tasks.sweep_notifications": "mail",
    "feedback.tasks.refresh_monthly_figures": "statistics",
    "portal.tasks.dashboards_refresh": "statistics",
    "surveys.tasks.refresh_campaign_statistics": "statistics",
    "surveys.tasks.refresh_statistics": "statistics",
    "scoring.tasks.issue_certificate": "certificates",
    "scoring.tasks.issue_pending_certificates": "certificates",
    "feedback.tasks.mark_overdue_feedback": "default",
    "feedback.tasks.expire_pending_photos": "default",
    "portal.tasks.sessions_clear": "default",
    "portal.tasks.idempotent_requests_expire": "default",
    "portal.tasks.worker_ping": "default",
    "democracy.tasks.send_subscription_mail": "mail",
    "democracy.tasks.notify_subscribers": "mail",
    "democracy.tasks.count_due_decisions": "default",
    "democracy.tasks.expire_subscriptions": "default",
    "democracy.tasks.send_escalation_mail": "mail",
    "democracy.tasks.escalate_overdue_recommendations": "default",
    "democracy.tasks.close_due_consultations": "default",
}


def routed_queue(name: str) -> str:
    """The queue Celery's own router picks for a task sent without options, as `.delay()` does."""
    options = app.amqp.router.route({}, name, args=(), kwargs={})
    return options["queue"].name


@pytest.mark.parametrize(("task", "queue"), sorted(EXPECTED.items()))
def test_each_task_is_routed_to_the_queue_of_its_kind(task, queue):
    assert routed_queue(task) == queue


def test_every_task_of_the_portal_is_in_the_table():
    import importlib
    import importlib.util

    from django.apps import apps

    for config in apps.get_app_configs():  # every app's tasks module, as the worker's autodiscovery finds them
        if importlib.util.find_spec(f"{config.name}.tasks"):
            importlib.import_module(f"{config.name}.tasks")
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    assert ours == set(EXPECTED)


def test_the_embedded_worker_takes_every_queue(monkeypatch):
    from portal.management.commands import run_embedded

    started = []

    class Stopped:
        returncode = 0

        def __init__(self, command, env):
            started.append(command)

        def poll(self):
            return 0

        def wait(self, timeout):
            return 0

    monkeypatch.setattr(run_embedded.subprocess, "Popen", Stopped)
    monkeypatch.setattr(run_embedded.signal, "signal", lambda *args: None)
    with pytest.raises(SystemExit):
        run_embedded.Command().handle(addrport="127.0.0.1:0")
    worker = next(command for command in started if "worker" in command)
    assert set(worker[worker.index("--queues") + 1].split(",")) == set(QUEUES)


def test_the_compose_workers_take_every_queue_and_mail_never_waits_behind_a_batch():
    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    workers = [set(found.split(",")) for found in re.findall(r"celery -A portal worker --queues (\S+)", compose)]
    assert set().union(*workers) == set(QUEUES)
    mail = next(queues for queues in workers if "mail" in queues)
    assert not mail & {"statistics", "certificates"}
