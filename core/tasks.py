"""The one way to queue a task after a commit.

What was committed is the citizen's (or the officer's) answer; the task after it (a mail, a refresh of
statistics, a certificate) has a periodic sweep that finds the work undone in the database. So a broker
that is down, slow or misconfigured must never turn an accepted request into an error or a wait: the
failure is logged and the sweep catches up. Settings keep a failed publish under a second
(CELERY_BROKER_CONNECTION_TIMEOUT, CELERY_TASK_PUBLISH_RETRY, the transport's socket timeouts), and
after a failure the process does not try the broker again for RETRY_AFTER seconds, so a stalled broker
costs one request a timeout, not every request.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from core.cache import Breaker

logger = logging.getLogger(__name__)

RETRY_AFTER = 10.0
breaker = Breaker(RETRY_AFTER)


def enqueue(task, *args, **kwargs) -> bool:
    """Queue ``task`` with these arguments now; False (and a log line) if it could not be queued."""
    if breaker.is_open():
        logger.warning("Task %s%s not queued (the broker failed just now); its sweep will do it.", task.name, args)
        return False
    try:
        task.delay(*args, **kwargs)
    except Exception:  # whatever the broker or the result backend raises, the sweep will do the work
        breaker.trip()
        logger.warning("Task %s%s not queued; its periodic sweep will do it.", task.name, args, exc_info=True)
        return False
    breaker.reset()
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task`` once the current transaction commits (at once outside one), as :func:`enqueue`."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))
