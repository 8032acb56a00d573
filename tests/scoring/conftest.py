"""Scoring tests run Celery tasks in their own process (tests with a real worker turn this off)."""

from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture for every test here
