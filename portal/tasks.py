from celery import shared_task
from django.core.management import call_command
from django.db import connection

from core.api import idempotency


@shared_task(acks_late=True)
def sessions_clear() -> None:
    """Daily: drop expired sessions so the table does not grow without end."""
    call_command("clearsessions")


@shared_task(acks_late=True)
def idempotent_requests_expire() -> int:
    """Daily: forget the API's stored answers to Idempotency-Keys once a day old (core.api.idempotency)."""
    return idempotency.expire()


@shared_task(ignore_result=False)  # the one task whose result is read (tasks keep none by default)
def worker_ping() -> dict:
    """Proves a worker is alive and reaches the database; used by operators and the integration test."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        database = cursor.fetchone() == (1,)
    return {"pong": True, "database": database}


@shared_task(acks_late=True)
def dashboards_refresh() -> int:
    """Hourly: the dashboards' monthly figures of every commune (pages never aggregate raw rows)."""
    from portal.dashboards.refresh import dashboard_refresh

    return dashboard_refresh()
