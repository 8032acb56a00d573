"""The statistics jobs: a campaign's figures are stored by a task, after a close, and every ten minutes
for open campaigns; a real worker does it through the configured broker."""

import datetime
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.celery import app
from portal.health import broker_ok
from surveys import tasks
from surveys.models import Campaign, Tally
from surveys.services import campaign_close, response_by_link
from tests.celery_worker import running_worker
from tests.communes.factories import CommuneFactory
from tests.conftest import require
from tests.surveys.factories import answers, open_campaign, site_admin

pytestmark = pytest.mark.django_db


def answered(commune, count=2, **kwargs):
    campaign = open_campaign(commune, **kwargs)
    for index in range(count):
        response_by_link(
            campaign=campaign, commune=commune, device_cookie=f"device-{index}", raw=answers(3 + index % 3)
        )
    return campaign


def test_the_campaign_task_stores_its_tallies_and_can_run_twice():
    commune = CommuneFactory()
    campaign = answered(commune)
    assert tasks.refresh_campaign_statistics.delay(campaign.pk).get() == 6
    assert tasks.refresh_campaign_statistics.delay(campaign.pk).get() == 6
    assert Tally.objects.filter(campaign=campaign, slot=0).get().answered == 2
    assert tasks.refresh_campaign_statistics.delay(0).get() == 0  # a campaign deleted meanwhile


def test_closing_a_campaign_queues_its_statistics_after_commit(django_capture_on_commit_callbacks):
    campaign = answered(CommuneFactory())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        campaign_close(campaign=campaign, by=site_admin())
    assert not Tally.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert Tally.objects.filter(campaign=campaign).count() == 6
    assert Campaign.objects.get(pk=campaign.pk).statistics_at is not None


def test_the_periodic_job_covers_open_campaigns_and_those_closed_in_the_last_day():
    commune = CommuneFactory()
    open_one = answered(commune, name="Đang mở")
    just_closed = answered(commune, name="Vừa đóng")
    long_closed = answered(commune, name="Đóng lâu rồi")
    for campaign in (just_closed, long_closed):
        campaign_close(campaign=campaign, by=site_admin())
    Campaign.objects.filter(pk=long_closed.pk).update(closed_at=timezone.now() - datetime.timedelta(days=2))
    Tally.objects.all().delete()
    assert tasks.refresh_statistics.delay().get() == 12
    assert set(Tally.objects.values_list("campaign_id", flat=True)) == {open_one.pk, just_closed.pk}


# --- A real worker --------------------------------------------------------------------------------


@pytest.fixture
def worker(tmp_path, monkeypatch):
    """A worker on a queue of its own, with the survey tasks routed to it; PostgreSQL only, as the
    worker must read the rows this test writes."""
    require(connection.vendor == "postgresql", "PostgreSQL")
    require(broker_ok(), f"the broker at {settings.CELERY_BROKER_URL}")
    app.conf.task_always_eager = False  # the eager_tasks fixture restores it
    log = tmp_path / "worker.log"
    with running_worker(log) as queue:
        previous = app.conf.task_routes
        app.conf.update(task_routes={"surveys.tasks.*": {"queue": queue}})
        try:
            yield log
        finally:
            app.conf.update(task_routes=previous)


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_stores_a_campaigns_statistics(worker):
    campaign = answered(CommuneFactory())
    assert tasks.refresh_campaign_statistics.apply_async([campaign.pk], ignore_result=False).get(timeout=90) == 6
    assert Tally.objects.filter(campaign=campaign).count() == 6
    assert "surveys.tasks.refresh_campaign_statistics" in worker.read_text()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refreshes_a_campaign_closed_by_doha(worker):
    campaign = answered(CommuneFactory())
    campaign_close(campaign=campaign, by=site_admin())
    assert wait_for(lambda: Tally.objects.filter(campaign=campaign).count() == 6)
    assert Campaign.objects.get(pk=campaign.pk).statistics_at is not None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_periodic_refresh(worker):
    first, second = answered(CommuneFactory()), answered(CommuneFactory())
    assert tasks.refresh_statistics.apply_async(ignore_result=False).get(timeout=90) == 12
    assert set(Tally.objects.values_list("campaign_id", flat=True)) == {first.pk, second.pk}
