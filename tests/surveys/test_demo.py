"""Demo surveys: a year of answers over the 2025 reform, made once, and an open campaign to try."""

import datetime
import io
import time
import uuid

import pytest
from django.core.management import call_command

from communes.data.unit_history import LEGACY_UNTIL
from core import clock
from surveys.models import VERIFIED_CHANNELS, Campaign, Channel, Flag, Kiosk, Response, Tally, VisitCode
from surveys.selectors import results_for
from surveys.services import response_by_code, response_by_kiosk
from surveys.services.demo import (
    CAMPAIGN_NAME,
    EXCLUSION_REASON,
    KIOSK_NAME,
    OPEN_CODES,
    OPEN_COMMUNE,
    surveys_demo_ensure,
    surveys_demo_summary,
)
from tests.surveys.factories import answers

pytestmark = pytest.mark.django_db


def counts() -> tuple:
    return tuple(model.objects.count() for model in (Campaign, Response, VisitCode, Kiosk, Tally))


@pytest.fixture
def demo(demo_accounts):
    started = time.monotonic()
    created = surveys_demo_ensure()
    return created, time.monotonic() - started


def test_the_demo_makes_thousands_of_responses_once(demo):
    created, seconds = demo
    assert 6000 <= created == Response.objects.count() <= 10000
    assert seconds < 20  # about 6 s on SQLite; a slow CI machine gets some room
    before = counts()
    assert surveys_demo_ensure() == 0
    assert counts() == before
    assert f"{created}" in surveys_demo_summary(0)

    # Each half of 2025 is surveyed in the units of its time.
    closed = Campaign.objects.filter(status=Campaign.Status.CLOSED, name=CAMPAIGN_NAME.format(year=2025))
    legacy = closed.get(province__valid_until=LEGACY_UNTIL)
    current = closed.get(province__valid_until__isnull=True)
    assert (legacy.starts_on, legacy.ends_on) == (datetime.date(2025, 1, 1), LEGACY_UNTIL)
    assert (current.starts_on, current.ends_on) == (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    assert not legacy.communes.filter(valid_until__isnull=True).exists()
    assert not current.communes.exclude(valid_until__isnull=True).exists()
    for campaign in (legacy, current):
        assert campaign.communes.count() == 20
        responses = campaign.responses
        assert responses.filter(submitted_on__lt=campaign.starts_on).count() == 0
        assert responses.filter(submitted_on__gt=campaign.ends_on).count() == 0
        assert responses.filter(commune__in=campaign.communes.all()).count() == responses.count()
        channels = {channel: responses.filter(channel=channel).count() / responses.count() for channel in Channel}
        assert 0.45 < channels[Channel.CODE] < 0.55
        assert 0.30 < channels[Channel.KIOSK] < 0.40
        assert 0.10 < channels[Channel.LINK] < 0.20
        # Every code response holds a code used that day, from a batch of its commune.
        for response in responses.filter(channel=Channel.CODE).select_related("visit_code__batch")[:200]:
            batch = response.visit_code.batch
            assert response.visit_code.used_on == response.submitted_on
            assert (batch.commune_id, batch.campaign_id) == (response.commune_id, campaign.pk)
            assert batch.issued_on <= response.submitted_on <= batch.issued_on + datetime.timedelta(days=6)


def test_the_results_have_what_a_review_needs(demo_accounts, demo):
    # Most communes satisfied, some less, a few without enough answers.
    for campaign in Campaign.objects.filter(status=Campaign.Status.CLOSED):
        results = results_for(campaign, list(campaign.communes.values_list("pk", flat=True)))
        too_few = [result for result in results.values() if not result.enough]
        assert 2 <= len(too_few) <= 4
        shares = [result.overall.percent for result in results.values() if result.enough]
        assert sum(65 <= share <= 95 for share in shares) >= len(shares) - 4
        assert any(share < 65 for share in shares)
        assert all(
            result.overall.answered >= result.campaign.min_responses for result in results.values() if result.enough
        )
    assert Tally.objects.filter(campaign__status=Campaign.Status.OPEN).exists()
    assert not Campaign.objects.filter(statistics_at__isnull=True).exists()

    # Bursts to look at, one excluded by DoHA.
    bursts = Response.objects.filter(flags__contains=Flag.BURST)
    groups = set(bursts.values_list("burst", flat=True))
    assert len(groups) >= 3 and "" not in groups
    for group in groups:
        burst = bursts.filter(burst=group)
        assert burst.values("kiosk", "submitted_on").distinct().count() == 1
        assert burst.count() >= 9
        assert all(
            Flag.STRAIGHT in flags and Flag.IDENTICAL in flags for flags in burst.values_list("flags", flat=True)
        )
    excluded = Response.objects.filter(excluded=True)
    assert excluded.values("burst").distinct().count() == 1
    assert set(excluded.values_list("exclusion_reason", flat=True)) == {EXCLUSION_REASON}
    assert set(excluded.values_list("excluded_by__email", flat=True)) == {demo_accounts["doha_staff"].email}
    campaign = excluded.first().campaign
    tallies = Tally.objects.filter(campaign=campaign, slot=0).values_list("responses", flat=True)
    assert sum(tallies) == campaign.responses.filter(excluded=False).count()

    # Comments, some redacted for the commune.
    comments = Response.objects.exclude(comment="")
    assert comments.count() > 100
    redacted = comments.filter(comment_reviewed=True).exclude(comment_redacted="")
    assert redacted.exclude(comment_redacted__contains="[").exists()  # kept as written
    assert redacted.filter(comment_redacted__contains="[đã ẩn").exists()  # names and phone numbers taken out
    assert comments.filter(comment_reviewed=True, comment_redacted="").exists()  # kept from the commune
    assert comments.filter(comment_reviewed=False).exists()  # waiting for DoHA


def test_the_open_campaign_takes_answers_at_the_kiosk_and_with_the_printed_codes(demo_accounts, demo):
    today = clock.today()
    campaign = Campaign.objects.get(status=Campaign.Status.OPEN)
    assert campaign.starts_on <= today <= campaign.ends_on
    assert campaign.communes.filter(code=OPEN_COMMUNE).exists()
    assert not campaign.responses.filter(submitted_on__gte=today).exists()
    kiosk = Kiosk.objects.get(commune__code=OPEN_COMMUNE, commune__valid_until__isnull=True, name=KIOSK_NAME)
    assert kiosk.active and kiosk.registered_by.email == demo_accounts["commune_officer"].email
    response = response_by_kiosk(kiosk=kiosk, campaign=campaign, client_id=uuid.uuid4(), raw=answers())
    assert (response.campaign, response.channel) == (campaign, Channel.KIOSK)
    batch = campaign.code_batches.get(issued_on=today)
    assert batch.size == OPEN_CODES and batch.created_by.email == demo_accounts["commune_officer"].email
    code = batch.codes.filter(used_on__isnull=True).first()
    assert response_by_code(code=code.code, raw=answers(5)).commune == kiosk.commune
    # Kiosks of the communes the reform ended were retired with them.
    assert not Kiosk.objects.filter(commune__valid_until__isnull=False, retired_at__isnull=True).exists()
    assert Response.objects.filter(channel__in=VERIFIED_CHANNELS, campaign=campaign).count() > 100


def test_setup_demo_makes_the_surveys_and_prints_one_line_about_them(real_units, monkeypatch):
    from portal.management.commands import setup_demo

    # The units are loaded by the fixture; the other apps' demos have their own tests.
    monkeypatch.setattr(setup_demo, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(setup_demo, "communes_demo_ensure", lambda **kwargs: type("Report", (), {"summary": ""}))
    monkeypatch.setattr(setup_demo, "feedback_demo_ensure", lambda **kwargs: 0)
    monkeypatch.setattr(setup_demo, "scoring_demo_ensure", lambda **kwargs: None)
    monkeypatch.setattr(setup_demo, "scoring_demo_summary", lambda report: "")
    first, second = io.StringIO(), io.StringIO()
    call_command("setup_demo", stdout=first)
    call_command("setup_demo", stdout=second)
    summary = surveys_demo_summary(0)
    assert summary in second.getvalue().splitlines()
    assert summary not in first.getvalue().splitlines()  # the first run counted what it created
    assert Campaign.objects.get(status=Campaign.Status.OPEN).created_by.email == "so-noi-vu@example.com"
