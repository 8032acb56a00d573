"""Checks of the services the portal needs, shared by /healthz and the tests.

Each check runs in a thread of its own and is given settings.HEALTH_CHECK_TIMEOUT_MS: a database or a
Redis that accepts connections and never answers would otherwise hold the probe (and the gunicorn
worker) until the operating system gives up, and the load balancer would learn nothing. A check that
is still hanging from an earlier probe is not started again: the service is reported unavailable at once
and at most one thread per check and process waits on it.
"""

import threading

from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app


def _bounded(check, lock: threading.Lock) -> bool:
    """True if ``check()`` returned True within the timeout; False if it failed, hung or still hangs."""
    if not lock.acquire(blocking=False):
        return False  # the previous probe's check has not returned yet
    answer = []

    def run() -> None:
        try:
            answer.append(check() is True)
        except Exception:  # noqa: BLE001 - any failure means "not healthy"; a probe must answer, not raise
            answer.append(False)
        finally:
            lock.release()

    thread = threading.Thread(target=run, name=f"healthz-{check.__name__}", daemon=True)
    thread.start()
    thread.join(settings.HEALTH_CHECK_TIMEOUT_MS / 1000)
    return bool(answer) and answer[0]


def _database_answers() -> bool:
    # The thread has a connection of its own (Django's are per thread); it is closed after the check.
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The server cancels the query if it is alive but too slow to answer in time.
                cursor.execute("SET statement_timeout = %s", [settings.HEALTH_CHECK_TIMEOUT_MS])
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    finally:
        connection.close()


def _broker_answers() -> bool:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=settings.HEALTH_CHECK_TIMEOUT_MS / 1000)
    return True


_database_lock = threading.Lock()
_broker_lock = threading.Lock()


def database_ok() -> bool:
    return _bounded(_database_answers, _database_lock)


def broker_ok() -> bool:
    return _bounded(_broker_answers, _broker_lock)
