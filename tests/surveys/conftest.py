"""Every survey test runs Celery tasks in its own process (tests with a real worker turn this off)."""

from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture for every test here
