"""The demo's tests run Celery tasks in their own process, as the apps' tests do."""

from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture for every test here
