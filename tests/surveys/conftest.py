import pytest

from portal.celery import app


@pytest.fixture(autouse=True)
def eager_tasks():
    # Tasks queued by the services (statistics after a close or an exclusion) run in the test process,
    # so a test never leaves messages in the broker's folder for the worker of `make run`; the tests
    # with a real worker turn this off.
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
