"""The Celery application; tasks live in each app's tasks.py and are found automatically."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# --- Queues by kind ------------------------------------------------------------------------------
# Each kind of work has its own queue, so a long batch (209 certificates, a statistics refresh over
# millions of answers) never sits in front of a citizen's mail. Workers name the queues they take
# (`-Q`); docker-compose runs one worker for mail+default and one for statistics+certificates.
QUEUE_MAIL, QUEUE_STATISTICS, QUEUE_CERTIFICATES, QUEUE_DEFAULT = "mail", "statistics", "certificates", "default"
QUEUES = (QUEUE_MAIL, QUEUE_DEFAULT, QUEUE_STATISTICS, QUEUE_CERTIFICATES)
TASK_ROUTES = {
    "feedback.tasks.send_notification": {"queue": QUEUE_MAIL},
    "feedback.tasks.sweep_notifications": {"queue": QUEUE_MAIL},
    "feedback.tasks.refresh_monthly_figures": {"queue": QUEUE_STATISTICS},
    "portal.tasks.dashboards_refresh": {"queue": QUEUE_STATISTICS},
    "democracy.tasks.send_subscription_mail": {"queue": QUEUE_MAIL},
    "democracy.tasks.notify_subscribers": {"queue": QUEUE_MAIL},
    "democracy.tasks.send_escalation_mail": {"queue": QUEUE_MAIL},
    "surveys.tasks.*": {"queue": QUEUE_STATISTICS},
    "scoring.tasks.*": {"queue": QUEUE_CERTIFICATES},
}
app.conf.task_default_queue = QUEUE_DEFAULT
app.conf.task_routes = TASK_ROUTES
# --- end of queues -------------------------------------------------------------------------------


def _make_filesystem_folders() -> None:
    # kombu's filesystem transport and Celery's file result backend expect their folders to exist.
    from django.conf import settings

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    folders = [options.get(key) for key in ("data_folder_in", "data_folder_out", "control_folder")]
    if (settings.CELERY_RESULT_BACKEND or "").startswith("file://"):
        folders.append(settings.CELERY_RESULT_BACKEND.removeprefix("file://"))
    for folder in filter(None, folders):
        os.makedirs(folder, exist_ok=True)


_make_filesystem_folders()
