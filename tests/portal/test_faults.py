"""A failing service never turns an accepted request into an error (issue 14, items 4 to 6).

The services are really unavailable here: Redis and the broker are pointed at a port of 127.0.0.1
where nothing listens, and a hanging database is a socket that accepts connections and never answers.
The settings are those portal/settings.py makes from the environment (read again with that URL),
not a copy of them in the test.
"""

import logging
import runpy
import socket
import threading
from pathlib import Path

import psycopg
import pytest
from django.core.cache import caches
from django.db.utils import ConnectionHandler
from django.urls import reverse
from kombu import pools as kombu_pools

import core.cache
import portal.settings
from core import counters
from feedback.models import Feedback, Notification
from portal import health
from portal.celery import app as celery_app
from tests.communes.factories import CommuneFactory
from tests.conftest import require
from tests.feedback.factories import CategoryFactory
from tests.portal.factories import UserFactory
from tests.surveys.factories import answers, open_campaign

pytestmark = pytest.mark.django_db

FEEDBACK = {
    "title": "Đèn đường hỏng ở thôn Trung",
    "description": "Ba cột đèn trước nhà văn hóa không sáng từ đầu tuần.",
    "address": "Trước nhà văn hóa thôn Trung",
    "consent": "on",
    "website": "",
    "submission_token": "tok-" + "f" * 30,
    "contact_name": "Lê Thị Kín Đáo",
    "contact_email": "kin.dao@example.com",
}


def production_settings(monkeypatch, **environment) -> dict:
    """The settings portal/settings.py makes with these environment variables."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(portal.settings.__file__)))


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: bound, then closed, as a stopped Redis leaves it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_socket():
    """A server that accepts connections and never answers, as a stuck database does."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def _reset_celery_connections() -> None:
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    # kombu keeps producer pools in a registry of its own, keyed by the connection's address: without a
    # reset, the next test that publishes to the same address acquires from the pool closed here.
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def broker_down(monkeypatch, closed_port):
    """The Celery app configured as production is for a Redis broker (and result backend) that is stopped."""
    url = f"redis://127.0.0.1:{closed_port}/0"
    made = production_settings(monkeypatch, CELERY_BROKER_URL=url)
    assert made["CELERY_RESULT_BACKEND"] == url  # production keeps results on the broker's Redis
    names = {name.removeprefix("CELERY_").lower(): name for name in made if name.startswith("CELERY_")}
    names = {key: name for key, name in names.items() if key.startswith(("broker_", "result_", "redis_", "task_"))}
    saved = {key: celery_app.conf.get(key) for key in names}
    celery_app.conf.update({key: made[name] for key, name in names.items()})
    celery_app.conf.task_always_eager = False
    _reset_celery_connections()
    yield
    celery_app.conf.update(saved)
    _reset_celery_connections()


@pytest.fixture
def cache_down(settings, monkeypatch, closed_port):
    """The default cache configured as production is for a Redis that is stopped."""
    made = production_settings(monkeypatch, REDIS_URL=f"redis://127.0.0.1:{closed_port}/1")
    settings.CACHES = made["CACHES"]  # Django drops its cache connections when CACHES changes
    counters._clients.clear()
    yield
    caches["default"].close()
    counters._clients.clear()


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def category(commune):
    return CategoryFactory(province=commune.province, name="Môi trường", time_limit_days=5)


def submit(client, commune, category):
    return client.post(reverse("feedback:submit", kwargs={"pk": commune.pk}), {**FEEDBACK, "category": category.pk})


# --- 4. The broker is down ---------------------------------------------------------------------------


def test_a_submission_with_the_broker_down_gets_its_receipt_and_its_mail_waits_for_the_sweep(
    client, broker_down, commune, category, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING, logger="core.tasks"), django_capture_on_commit_callbacks(execute=True):
        response = submit(client, commune, category)

    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("feedback:receipt", kwargs={"code": feedback.code}))
    notification = Notification.objects.get(feedback=feedback)
    assert notification.sent_at is None and notification.attempts == 0  # the sweep sends it
    assert "feedback.tasks.send_notification" in caplog.text and "not queued" in caplog.text


def test_after_one_failed_publish_the_next_ones_do_not_try_the_dead_broker_again(broker_down, monkeypatch):
    from core.tasks import enqueue
    from feedback.tasks import send_notification

    assert enqueue(send_notification, 1) is False
    attempts = []
    monkeypatch.setattr(celery_app, "send_task", lambda *args, **kwargs: attempts.append(args))
    assert enqueue(send_notification, 2) is False
    assert attempts == []


def test_no_task_keeps_a_result_nobody_reads():
    celery_app.loader.import_default_modules()  # every app's tasks.py
    portal_tasks = {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}
    assert "feedback.tasks.send_notification" in portal_tasks
    keeping = {name for name, task in portal_tasks.items() if not task.ignore_result}
    assert keeping == {"portal.tasks.worker_ping"}  # operators read its answer


# --- 5. The cache (Redis) is down ----------------------------------------------------------------------


def test_sign_in_works_with_the_cache_down(client, cache_down):
    user = UserFactory(email="dan@example.com")
    user.set_password("Mat-khau-dung-1")
    user.save()

    assert client.get(reverse("account_login")).status_code == 200
    wrong = client.post(reverse("account_login"), {"login": "dan@example.com", "password": "sai"})
    assert wrong.status_code == 200  # the form again, with its error
    right = client.post(reverse("account_login"), {"login": "dan@example.com", "password": "Mat-khau-dung-1"})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_feedback_is_accepted_with_the_cache_down(client, cache_down, commune, category):
    response = submit(client, commune, category)

    assert response.status_code == 302
    assert Feedback.objects.count() == 1


def test_lookups_answer_with_the_cache_down_in_the_citizens_favour(client, cache_down, caplog):
    url = reverse("feedback:lookup")
    with caplog.at_level(logging.WARNING):
        responses = [client.get(url, {"code": "ABCD-EFGH"}) for _ in range(30)]  # beyond the per-minute limit

    assert {response.status_code for response in responses} == {200}
    assert "rate limits are off" in caplog.text or "Cache unavailable" in caplog.text


def test_the_open_link_survey_works_with_the_cache_down(client, cache_down, commune):
    open_campaign(commune, name="Khảo sát một cửa 2026")
    url = reverse("surveys:commune_survey", kwargs={"pk": commune.pk})

    assert client.get(url).status_code == 200
    response = client.post(url, answers(comment=None))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("surveys:thanks"))


def test_public_pages_answer_and_stay_current_with_the_cache_down(client, cache_down, commune):
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(commune.get_absolute_url()).status_code == 200

    commune.name = "Vân Hà mới"
    commune.save()

    assert "Vân Hà mới" in client.get(commune.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_change_made_while_redis_was_down_is_on_the_page_once_it_is_back(client, settings, monkeypatch, closed_port):
    require(bool(settings.REDIS_URL), "Redis as the cache (REDIS_URL)")
    settings.PAGE_CACHE = True
    commune = CommuneFactory(name="Vân Hà")
    assert "Vân Hà" in client.get(commune.get_absolute_url()).content.decode()  # stored in Redis
    working = settings.CACHES

    settings.CACHES = production_settings(monkeypatch, REDIS_URL=f"redis://127.0.0.1:{closed_port}/1")["CACHES"]
    commune.name = "Vân Hà mới"
    commune.save()  # its bump cannot reach Redis
    settings.CACHES = working
    core.cache.breaker.reset()  # as after RETRY_AFTER seconds

    assert "Vân Hà mới" in client.get(commune.get_absolute_url()).content.decode()


# --- 6. The database accepts connections and never answers ----------------------------------------------


def test_healthz_answers_503_when_the_database_does_not_answer(client, monkeypatch):
    stuck = threading.Event()

    def hangs():
        stuck.wait(30)  # as a SELECT 1 on a database that never answers; released below
        return True

    monkeypatch.setattr(health, "_database_answers", hangs)
    try:
        first = client.get("/healthz")
        again = client.get("/healthz")  # while the first check still hangs
    finally:
        stuck.set()

    assert first.status_code == 503 and first.json()["database"] == "unavailable"
    assert again.status_code == 503 and again.json()["database"] == "unavailable"


def test_connecting_to_a_database_that_never_answers_gives_up(monkeypatch, silent_socket):
    url = f"postgres://portal:secret@127.0.0.1:{silent_socket}/portal"
    made = production_settings(monkeypatch, DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="1")
    database = ConnectionHandler({"default": made["DATABASES"]["default"]})["default"]
    assert "statement_timeout=" in database.settings_dict["OPTIONS"]["options"]
    params = database.get_connection_params()
    outcome = []

    def connect():
        try:
            psycopg.connect(**params).close()
            outcome.append("connected")
        except psycopg.OperationalError:
            outcome.append("gave up")

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(30)  # not a measure of speed: without a connect timeout it would never return
    assert outcome == ["gave up"]


def test_the_dashboards_answer_with_the_cache_down(client, cache_down, commune):
    """The page cache and the kept province figures both live in Redis: without it the pages are computed."""
    province = client.get(reverse("portal:province_dashboard", kwargs={"pk": commune.province_id}))
    assert province.status_code == 200
    assert f'id="commune-{commune.pk}"'.encode() in province.content  # its row in the communes' table

    own = client.get(reverse("portal:commune_dashboard", kwargs={"pk": commune.pk}))
    assert own.status_code == 200
    assert commune.name.encode() in own.content
