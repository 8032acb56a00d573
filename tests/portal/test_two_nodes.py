"""Two web nodes and two workers on one PostgreSQL, one Redis and one media store, as the README's
"Several web nodes" section runs them: two gunicorn processes side by side, a browser going from one to
the other. A session opened on one node holds on the other, a submission sent to one is tracked on the
other, a change on one is on the other's cached pages at once, and a certificate batch approved on one
node is issued by two workers and downloaded from the other."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from feedback.models import Feedback
from portal.celery import QUEUE_CERTIFICATES
from portal.health import broker_ok
from scoring.models import Certificate
from tests.celery_worker import database_url_for_worker
from tests.communes.factories import CommuneFactory
from tests.conftest import require
from tests.feedback.factories import CategoryFactory
from tests.portal.factories import PASSWORD, user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.test_certificate_worker import wait_for, worker_process
from tests.scoring.test_decisions import draft, final, recognisable_set

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One browser: its cookies (a cookie is the host's, whatever the port) go to both nodes."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str, dict]:
        return self._open(urllib.request.Request(url))  # noqa: S310 - the test's own nodes on loopback

    def post(self, url: str, form: dict, *, token_from: str) -> tuple[int, str, dict]:
        _status, page, _headers = self.get(token_from)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": TOKEN.search(page).group(1), **form}).encode()
        return self._open(urllib.request.Request(url, data=data))  # noqa: S310

    def _open(self, request) -> tuple[int, str, dict]:
        try:
            with self.opener.open(request, timeout=30) as reply:
                return reply.status, reply.read().decode(errors="replace"), dict(reply.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test reads each redirect itself


@contextlib.contextmanager
def web_node(environment: dict, log_path: Path):
    """gunicorn serving the portal on a free port, with ``environment``; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=environment, cwd=settings.BASE_DIR, stdout=log, stderr=log)
        try:
            base = f"http://127.0.0.1:{port}"
            assert wait_for(lambda: _answers(base), seconds=60, step=0.2), log_path.read_text()
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - our own node on loopback
            return True
    except (OSError, urllib.error.HTTPError):
        return False


@pytest.fixture
def shared(settings, tmp_path) -> dict:
    """The environment both nodes and both workers run with: the test's database, its Redis (cache and
    broker, under the test process's key prefix, so the queues are its own), one media folder."""
    require(connection.vendor == "postgresql", "PostgreSQL")
    require(bool(settings.REDIS_URL), "Redis as the cache (REDIS_URL)")
    require(settings.CELERY_BROKER_URL.startswith("redis"), "Redis as the broker (CELERY_BROKER_URL)")
    require(broker_ok(), f"the broker at {settings.CELERY_BROKER_URL}")
    settings.MEDIA_ROOT = tmp_path / "media"
    # The nodes check passwords with the portal's own hashers, not the suite's fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    return {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PAGE_CACHE": "1",
    }


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_nodes_share_sessions_submissions_pages_and_a_certificate_batch(shared, places, tmp_path):  # noqa: F811
    commune = CommuneFactory(name="Vân Hà")
    category = CategoryFactory(province=commune.province, name="Môi trường")
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, email="lan@example.vn")
    leader = user_with_role(Role.PROVINCIAL_LEADER, places.province, email="leader@example.vn")
    criteria_set = recognisable_set(places.province)
    communes = [CommuneFactory(province=places.province, district=places.district) for _ in range(3)]
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    decision = draft(places.province, [final(c, criteria_set) for c in communes], doha)
    login = reverse("account_login")

    with (
        web_node(shared, tmp_path / "a.log") as a,
        web_node(shared, tmp_path / "b.log") as b,
    ):
        # A session opened on A holds on B.
        officer_browser = Browser()
        status, _page, headers = officer_browser.post(
            f"{a}{login}", {"login": officer.email, "password": PASSWORD}, token_from=f"{a}{login}"
        )
        assert status == 302, _page
        status, page, _headers = officer_browser.get(f"{b}{reverse('portal:workspace')}")
        assert status == 200
        assert "lan@example.vn" in page

        # A change made on A is on B's cached page at the next request.
        citizen = Browser()
        assert "Số 9 đường Lê Lợi" not in citizen.get(f"{b}{commune.get_absolute_url()}")[1]
        profile = reverse("communes:manage_profile", kwargs={"pk": commune.pk})
        saved = officer_browser.post(
            f"{a}{profile}",
            {"address": "Số 9 đường Lê Lợi", "phone": "", "email": "", "directions": ""},
            token_from=f"{a}{profile}",
        )
        assert saved[0] == 302
        assert "Số 9 đường Lê Lợi" in citizen.get(f"{b}{commune.get_absolute_url()}")[1]

        # A submission sent to B is tracked on A.
        submit = reverse("feedback:submit", kwargs={"pk": commune.pk})
        status, page, headers = citizen.post(
            f"{b}{submit}",
            {
                "category": category.pk,
                "title": "Đèn đường hỏng ở thôn Trung",
                "description": "Ba cột đèn trước nhà văn hóa không sáng từ đầu tuần.",
                "address": "Trước nhà văn hóa thôn Trung",
                "consent": "on",
                "website": "",
                "submission_token": "tok-" + uuid.uuid4().hex,
            },
            token_from=f"{b}{submit}",
        )
        assert status == 302, page
        item = Feedback.objects.get(commune=commune)
        status, page, _headers = citizen.get(f"{a}{item.get_absolute_url()}")
        assert status == 200
        assert "Đèn đường hỏng ở thôn Trung" in page

        # A batch approved on A, issued by two workers, downloaded from B.
        documents = Certificate.objects.filter(decision=decision)
        log = tmp_path / "workers.log"
        with worker_process(QUEUE_CERTIFICATES, log), worker_process(QUEUE_CERTIFICATES, log):
            leader_browser = Browser()
            assert (
                leader_browser.post(
                    f"{a}{login}", {"login": leader.email, "password": PASSWORD}, token_from=f"{a}{login}"
                )[0]
                == 302
            )
            page_of_decision = reverse("scoring:decision", kwargs={"pk": decision.pk})
            approved = leader_browser.post(
                f"{b}{reverse('scoring:decision_approve', kwargs={'pk': decision.pk})}",
                {},
                token_from=f"{b}{page_of_decision}",
            )
            assert approved[0] == 302
            valid = documents.filter(status=Certificate.Status.VALID)
            assert wait_for(lambda: documents.count() == 4 and valid.count() == 4, seconds=180, step=0.5), (
                log.read_text()[-5000:]
            )
        for certificate in documents:
            status, _body, headers = Browser().get(
                f"{b}{reverse('scoring:certificate_download', kwargs={'serial': certificate.serial})}"
            )
            assert status == 200, certificate.serial
            assert headers["Content-Type"] == "application/pdf"
