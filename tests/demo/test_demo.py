"""The demo that `make run` loads, built once for the module by `manage.py setup_demo` itself: one
account per role; full one-stop profiles on today's Bắc Ninh units, the Bắc Giang communes (pre-2025)
they took over kept as history; a year of feedback in
every state, telling nobody; a year of surveys over the 2025 reform and an open campaign to try;
tỉnh Bắc Giang's complete 2024 scoring cycle with its approved decision and today's Bắc Ninh's 2025
cycle under way, one demo ward at each step.

Building it takes a while, so every test reads the same build; a test that writes (a second run, an
answer at the kiosk) does so in a savepoint rolled back after it. Under pytest-xdist, ``--dist
loadfile`` (pyproject.toml) keeps the module on one worker, so the demo is built once per run."""

from __future__ import annotations

import datetime
import io
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import RoleAssignment, User
from communes.data.unit_history import LEGACY_UNTIL
from communes.models import (
    CodeOfConduct,
    Commune,
    CommuneProcedure,
    Disclosure,
    DossierStatistics,
    Facility,
    FacilityKind,
    OneStopShop,
    Procedure,
    Province,
)
from core import clock
from core.workdays import add_working_days
from demo import feedback as feedback_demo
from demo.accounts import DemoAccount, demo_accounts_ensure
from demo.communes import communes_demo_ensure
from demo.data import communes as communes_data
from demo.data import scoring as scoring_data
from demo.feedback import DEMO_ITEMS, feedback_demo_ensure, feedback_demo_summary
from demo.management.commands import setup_demo
from demo.scoring import DemoReport, scoring_demo_ensure, scoring_demo_summary
from demo.surveys import (
    CAMPAIGN_NAME,
    EXCLUSION_REASON,
    KIOSK_NAME,
    OPEN_CODES,
    OPEN_COMMUNE,
    surveys_demo_ensure,
    surveys_demo_summary,
)
from feedback.models import Event, Feedback, Notification, RefusalReason
from feedback.models import Status as FeedbackStatus
from scoring.models import Assessment, CriteriaSet, Decision, Line, Status, Step
from surveys.models import VERIFIED_CHANNELS, Campaign, Channel, Flag, Kiosk, Response, Tally, VisitCode
from surveys.selectors import results_for
from surveys.services import response_by_code, response_by_kiosk
from tests.surveys.factories import answers

# The builders setup_demo calls, in its order.
BUILDERS = [
    "demo_accounts_ensure",
    "communes_demo_ensure",
    "democracy_demo_ensure",
    "participation_demo_ensure",
    "feedback_demo_ensure",
    "surveys_demo_ensure",
    "scoring_demo_ensure",
]


@dataclass
class Built:
    """What one builder returned on the first run, and how many SQL statements it sent."""

    result: Any
    queries: int  # bulk writes keep it far below the rows made; time is the benchmarks' concern


@dataclass
class Demo:
    output: str  # what the first run of setup_demo printed
    built: dict[str, Built]  # by builder name
    accounts: dict[str, DemoAccount]  # by role
    users: dict[str, User]  # by role


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py setup_demo` run once for the module, each builder's statements counted, inside a
    transaction rolled back when the module ends; each test runs in a savepoint of it."""
    built = {}

    def timed(name, builder):
        def run(**kwargs):
            statements = []

            def count(execute, sql, params, many, context):
                statements.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                result = builder(**kwargs)
            built[name] = Built(result, len(statements))
            return result

        return run

    output = io.StringIO()
    # The suite's fast hasher (tests/conftest.py) is a per-test fixture, not yet in force here.
    test_settings = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), test_settings, transaction.atomic():
        with pytest.MonkeyPatch.context() as patch:
            for name in BUILDERS:
                patch.setattr(setup_demo, name, timed(name, getattr(setup_demo, name)))
            call_command("setup_demo", stdout=output)
        accounts = {account.role: account for account in built["demo_accounts_ensure"].result}
        users = {role: User.objects.get(email=account.email) for role, account in accounts.items()}
        yield Demo(output.getvalue(), built, accounts, users)
        transaction.set_rollback(True)


def rows(app_label: str) -> dict[str, int]:
    """Rows of every model of an app, historical records included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_app_config(app_label).get_models()}


# --- setup_demo -----------------------------------------------------------------------------------


def test_setup_demo_prints_one_line_per_part_and_a_second_run_creates_nothing(db, demo):
    second = io.StringIO()

    call_command("setup_demo", stdout=second)

    first, again = demo.output.splitlines(), second.getvalue().splitlines()
    summaries = [
        communes_demo_ensure().summary,  # creates nothing: the line the second run printed
        feedback_demo_summary(0),
        surveys_demo_summary(0),
        scoring_demo_summary(DemoReport()),
    ]
    for summary in summaries:
        assert summary in again
        assert summary not in first  # the first run counted what it created
    shop = OneStopShop.objects.get(commune__code="07792", commune__valid_until=LEGACY_UNTIL)
    assert shop.history.get().history_user.email == "quan-tri@example.com"
    assert Campaign.objects.get(status=Campaign.Status.OPEN).created_by.email == "so-noi-vu@example.com"


# --- Accounts -------------------------------------------------------------------------------------


def test_demo_accounts_cover_every_role_and_a_second_run_changes_nothing(db, demo):
    accounts = demo.built["demo_accounts_ensure"].result
    counts = (User.objects.count(), RoleAssignment.objects.count(), EmailAddress.objects.count())
    again = demo_accounts_ensure(password=setup_demo.DEMO_PASSWORD)
    assert (User.objects.count(), RoleAssignment.objects.count(), EmailAddress.objects.count()) == counts
    assert accounts == again
    assert {a.role for a in accounts} == {
        "citizen",
        "commune_officer",
        "district_reviewer",
        "doha_staff",
        "provincial_leader",
        "site_admin",
        "village_head",
        "village_front",
        "commune_front",
    }
    assert EmailAddress.objects.filter(verified=False).count() == 0
    assert User.objects.get(email="quan-tri@example.com").is_superuser


# --- Communes -------------------------------------------------------------------------------------


def test_demo_puts_full_live_profiles_on_todays_units(db, demo):
    shops = OneStopShop.objects.filter(commune__valid_until__isnull=True).select_related("commune__province")

    codes = sorted(shop.commune.code for shop in shops)
    assert codes == sorted(spec.code for spec in communes_data.TODAY_COMMUNES)
    assert "07798" in codes  # phường Vân Hà
    today = clock.today()
    for shop in shops:
        assert shop.commune.province.valid_until is None
        assert shop.address.startswith("Trụ sở UBND ") and "Bắc Ninh" in shop.address
        assert shop.phone.startswith("0204 3")
        assert shop.email.endswith("@bacninh.gov.vn")
        assert shop.verified_on <= today
        assert shop.opening_hours.filter(weekday__lte=4).count() == 10
        assert sorted(shop.duty_leaders.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
        assert 3 <= shop.officers.count() <= 5
        assert sorted(shop.facilities.values_list("kind", flat=True)) == sorted(FacilityKind.values)
    van_ha = shops.get(commune__code="07798")
    assert van_ha.email == "ubndvanha@bacninh.gov.vn"
    assert van_ha.address.startswith("Trụ sở UBND phường Vân Hà, ")
    assert [shop.is_stale for shop in shops].count(True) == 1
    assert shops.filter(opening_hours__weekday=5).count() == 1
    assert 1 <= Facility.objects.filter(shop__in=shops, available=False).count() <= 2 * len(codes)
    assert shops.filter(opening_exceptions__date__gt=today).exists()


def test_demo_keeps_the_bac_giang_communes_shops_as_they_were_before_they_ended(db, demo):
    shops = OneStopShop.objects.filter(commune__valid_until__isnull=False).select_related("commune__district")

    codes = [shop.commune.code for shop in shops]
    assert sorted(codes) == sorted(spec.code for spec in communes_data.COMMUNES)
    assert len({shop.commune.district_id for shop in shops}) >= 2
    for shop in shops:
        assert shop.commune.valid_until == LEGACY_UNTIL
        assert shop.address.startswith("Trụ sở UBND ") and shop.address.endswith("tỉnh Bắc Giang")
        assert shop.email.endswith("@bacgiang.gov.vn")
        assert shop.verified_on <= LEGACY_UNTIL  # confirmed while the unit existed
        assert not shop.opening_exceptions.filter(date__gt=LEGACY_UNTIL).exists()
        assert shop.officers.exists() and shop.duty_leaders.exists()
        # Every one of them was taken over by a unit of today that has its own live shop.
        assert shop.commune.successors.filter(valid_until__isnull=True, one_stop_shop__isnull=False).exists()
    quang_minh = shops.get(commune__code="07792")
    assert quang_minh.email == "ubndquangminh@bacgiang.gov.vn"
    assert quang_minh.address == "Trụ sở UBND phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang"


def test_demo_fills_a_provincial_catalogue_the_communes_handle_with_local_notes(db, demo):
    for province in (
        Province.objects.get(code="24", valid_until=LEGACY_UNTIL),
        Province.objects.current().get(code="24"),
    ):
        catalogue = Procedure.objects.filter(province=province)

        assert 12 <= catalogue.count() <= 16
        assert catalogue.values("field").distinct().count() >= 4
        assert {"1.001193", "1.000894", "1.000656", "1.004873", "2.000815", "2.000884"} <= set(
            catalogue.values_list("code", flat=True)
        )
        assert catalogue.filter(same_day=True, time_limit_days__isnull=True).exists()
        for commune in Commune.objects.filter(province=province, one_stop_shop__isnull=False):
            handled = CommuneProcedure.objects.filter(commune=commune)
            assert handled.count() > catalogue.count() * 3 / 4
            assert not handled.exclude(procedure__province=province).exists()
            assert handled.exclude(local_notes="").exists()


def test_demo_statistics_run_on_across_the_reform_and_stop_when_a_unit_ended(db, demo):
    last_month = (clock.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for commune in Commune.objects.filter(one_stop_shop__isnull=False):
        months = list(DossierStatistics.objects.filter(commune=commune).order_by("month"))
        if commune.is_current:
            # Every month since the unit began, with no gap after its predecessors' June 2025.
            assert months[0].month.isoformat() == "2025-07-01"
            assert months[-1].month == last_month
            assert len(months) >= 12
            assert len({stats.month for stats in months}) == len(months)
        else:
            assert len(months) == 12
            # A commune merged away on 30 June 2025 has no figures after it ended.
            assert months[-1].month.isoformat() == "2025-06-01"
        for stats in months:
            assert stats.resolved <= stats.received
            assert stats.late_with_apology <= stats.resolved_late
            assert stats.resolved_same_day <= stats.resolved
            assert stats.submitted_online <= stats.received
            assert stats.paid_online <= stats.submitted_online


def test_demo_disclosures_carry_readable_pdfs_and_one_is_late(db, demo):
    disclosures = Disclosure.objects.select_related("commune")

    per_commune = [Disclosure.objects.filter(commune=shop.commune).count() for shop in OneStopShop.objects.all()]
    assert len(per_commune) == 8
    assert all(5 <= count <= 8 for count in per_commune)
    assert disclosures.values("category").distinct().count() >= 6
    assert any(d.is_late for d in disclosures)
    assert any(d.published_on > add_working_days(d.decision_date, 5) for d in disclosures)
    for disclosure in disclosures:
        disclosure.full_clean()
        commune = disclosure.commune
        # Each within the life of its unit: the old communes' before July 2025, today's from then on.
        if commune.valid_until:
            assert disclosure.published_on <= commune.valid_until
        else:
            assert disclosure.decision_date >= commune.valid_from
            assert disclosure.published_on <= clock.today()
        with disclosure.document.open("rb") as document:
            reader = PdfReader(io.BytesIO(document.read()))
        assert len(reader.pages) == 1
        if disclosure.is_permanent:
            assert disclosure.posted_until is None
        else:
            assert (disclosure.posted_until - disclosure.published_on).days >= 30


def test_demo_van_ha_page_shows_its_one_stop_shop_records_and_predecessors(db, demo, client):
    van_ha = Commune.objects.current().get(code="07798")
    quang_minh = Commune.objects.get(code="07792", valid_until=LEGACY_UNTIL)

    response = client.get(van_ha.get_absolute_url())

    html = response.content.decode()
    for part in ('id="today-status"', 'id="leader-today"', 'id="officers"', 'id="facilities"', 'class="verified"'):
        assert part in html, part
    assert "07:30–11:30" in html
    assert "Nguyễn Thị Thu Hà" in html
    page = response.context["page"]
    assert page.procedure_count > 10
    assert len(page.statistics) == 12
    assert len(page.disclosures) == 5
    assert f'<a href="{quang_minh.get_absolute_url()}">phường Quảng Minh</a>' in html
    assert 'id="unit-ended"' not in html


def test_demo_quang_minh_page_leads_to_van_ha_and_shows_nothing_live(db, demo, client):
    van_ha = Commune.objects.current().get(code="07798")
    quang_minh = Commune.objects.get(code="07792", valid_until=LEGACY_UNTIL)

    response = client.get(quang_minh.get_absolute_url())

    html = response.content.decode()
    banner = html.index('id="unit-ended"')
    assert banner < html.index("<h1>")
    assert f'<a href="{van_ha.get_absolute_url()}">phường Vân Hà</a>' in html[banner : html.index("<h1>")]
    for live in ('id="today-status"', 'id="leader-today"', 'class="verified"', 'id="special-days-title"'):
        assert live not in html, live
    assert 'id="records-title"' in html
    page = response.context["page"]
    assert page.statistics[0].month.isoformat() == "2025-06-01"
    assert all(d.published_on <= LEGACY_UNTIL for d in page.disclosures)
    assert "Nguyễn Thị Thu Hà" in html  # its officers, kept as history


def test_demo_adds_the_code_of_conduct_in_two_versions_and_todays_provinces_own(db, demo):
    versions = CodeOfConduct.objects.filter(province__code="24", province__valid_until=LEGACY_UNTIL)

    assert list(versions.values_list("version", flat=True)) == [2, 1]  # newest in force first
    assert "đeo thẻ" in versions.first().text
    today = CodeOfConduct.objects.get(province=Province.objects.current().get(code="24"))
    assert today.in_force_from >= datetime.date(2025, 7, 1)
    assert "Bắc Ninh" in today.decision


def test_a_second_run_creates_nothing_and_writes_no_history(db, demo):
    before = rows("communes")

    report = communes_demo_ensure()

    assert demo.built["communes_demo_ensure"].result.created_total > 200
    assert report.created_total == 0
    assert rows("communes") == before


# --- Feedback -------------------------------------------------------------------------------------


def test_the_demo_makes_a_year_of_items_in_every_state_once_and_tells_nobody(db, demo):
    assert demo.built["feedback_demo_ensure"].result == DEMO_ITEMS

    items = Feedback.objects.all()
    assert set(Counter(items.values_list("status", flat=True))) == set(FeedbackStatus.values)
    refusals = set(items.filter(status=FeedbackStatus.REFUSED).values_list("refusal_reason", flat=True))
    assert refusals == set(RefusalReason.values)
    assert items.filter(rating__isnull=False, status=FeedbackStatus.RESOLVED).exists()
    assert items.filter(rating__isnull=False, status=FeedbackStatus.CLOSED_UNRESOLVED).exists()
    assert items.filter(disputes__gt=0, status=FeedbackStatus.IN_PROGRESS).exists()
    assert items.filter(disputes__gt=0, status=FeedbackStatus.RESOLVED).exists()
    assert items.filter(overdue_notified_at__isnull=False).exists()
    assert items.filter(extension_reason__gt="").exists()
    assert items.values("commune").distinct().count() >= 3
    assert not Notification.objects.exists()

    now = timezone.now()
    assert 300 <= (now - items.order_by("submitted_at").first().submitted_at).days <= 366
    for feedback in items.prefetch_related("events"):
        times = [event.at for event in feedback.events.all()]
        assert times[0] == feedback.submitted_at
        assert all(feedback.submitted_at <= at <= now for at in times)
        if feedback.answered_at:
            assert feedback.submitted_at < feedback.answered_at <= now

    events = Event.objects.count()
    assert feedback_demo_ensure() == 0
    assert (Feedback.objects.count(), Event.objects.count()) == (DEMO_ITEMS, events)
    assert f"{DEMO_ITEMS}" in feedback_demo_summary(0)


def test_the_demo_is_the_same_on_every_run(db, demo):
    province = feedback_demo._province()
    communes = feedback_demo._demo_communes(province)
    categories = feedback_demo._categories(province)
    now = timezone.now()

    def draw():
        specs = feedback_demo._specs(random.Random(feedback_demo.SEED), communes, categories, now)  # noqa: S311
        return [(spec.commune.pk, spec.category.pk, spec.outcome, spec.submitted_at, spec.title) for spec in specs]

    assert draw() == draw()


# --- Surveys --------------------------------------------------------------------------------------


def survey_counts() -> tuple:
    return tuple(model.objects.count() for model in (Campaign, Response, VisitCode, Kiosk, Tally))


def test_the_demo_makes_thousands_of_responses_once(db, demo):
    created, queries = demo.built["surveys_demo_ensure"].result, demo.built["surveys_demo_ensure"].queries
    assert 6000 <= created == Response.objects.count() <= 10000
    # Written in bulk: a statement for many responses, not one each (about 450 for some 7,000).
    assert queries < created / 5
    before = survey_counts()
    assert surveys_demo_ensure() == 0
    assert survey_counts() == before
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


def test_the_results_have_what_a_review_needs(db, demo):
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
    assert set(excluded.values_list("excluded_by__email", flat=True)) == {demo.accounts["doha_staff"].email}
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


def test_the_open_campaign_takes_answers_at_the_kiosk_and_with_the_printed_codes(db, demo):
    today = clock.today()
    campaign = Campaign.objects.get(status=Campaign.Status.OPEN)
    assert campaign.starts_on <= today <= campaign.ends_on
    assert campaign.communes.filter(code=OPEN_COMMUNE).exists()
    assert not campaign.responses.filter(submitted_on__gte=today).exists()
    kiosk = Kiosk.objects.get(commune__code=OPEN_COMMUNE, commune__valid_until__isnull=True, name=KIOSK_NAME)
    assert kiosk.active and kiosk.registered_by.email == demo.accounts["commune_officer"].email
    response = response_by_kiosk(kiosk=kiosk, campaign=campaign, client_id=uuid.uuid4(), raw=answers())
    assert (response.campaign, response.channel) == (campaign, Channel.KIOSK)
    batch = campaign.code_batches.get(issued_on=today)
    assert batch.size == OPEN_CODES and batch.created_by.email == demo.accounts["commune_officer"].email
    code = batch.codes.filter(used_on__isnull=True).first()
    assert response_by_code(code=code.code, raw=answers(5)).commune == kiosk.commune
    # Kiosks of the communes the reform ended were retired with them.
    assert not Kiosk.objects.filter(commune__valid_until__isnull=False, retired_at__isnull=True).exists()
    assert Response.objects.filter(channel__in=VERIFIED_CHANNELS, campaign=campaign).count() > 100


# --- Scoring --------------------------------------------------------------------------------------


def test_the_demo_makes_both_cycles_once(db, demo):
    legacy = Province.objects.get(code=scoring_data.PROVINCE_CODE, valid_until=LEGACY_UNTIL)
    current = Province.objects.current().get(code=scoring_data.PROVINCE_CODE)

    # Both cycles of some 250 communes in bulk (about 3,500 statements on SQLite): not one per line.
    assert demo.built["scoring_demo_ensure"].queries < 7000
    published = CriteriaSet.objects.filter(status=CriteriaSet.Status.PUBLISHED)
    assert set(published.values_list("province__code", "province__valid_until", "year")) == {
        ("24", LEGACY_UNTIL, 2024),
        ("24", LEGACY_UNTIL, 2025),
        ("24", None, 2025),
        ("24", None, 2026),
    }
    legacy_2025 = published.get(province=legacy, year=2025)
    assert legacy_2025.period_end == LEGACY_UNTIL <= legacy_2025.submission_deadline
    assert published.get(province=current, year=2025).period_end == datetime.date(2025, 10, 31)

    # A second run finds everything made and leaves it alone.
    before = rows("scoring")
    again = scoring_demo_ensure(by=demo.users["site_admin"])
    assert again.created_total == 0
    assert rows("scoring") == before
    report = demo.built["scoring_demo_ensure"].result
    assert str(report.created_total) in scoring_demo_summary(report)


def test_2024_is_complete_every_line_explained_and_recognised_by_one_approved_decision(db, demo):
    assessments = Assessment.objects.filter(year=2024).select_related("commune")
    decision = Decision.objects.get()

    assert {a.commune.code for a in assessments} == {plan.code for plan in scoring_data.LEGACY_2024}
    assert set(assessments.values_list("status", flat=True)) == {Status.FINAL}
    assert set(assessments.values_list("stars", flat=True)) == {1, 2, 3, 4, 5}
    assert {a.commune.code: a.stars for a in assessments} == {
        plan.code: plan.stars for plan in scoring_data.LEGACY_2024
    }
    for line in Line.objects.filter(assessment__year=2024).select_related("criterion", "assessment__snapshot"):
        if line.criterion.is_computed:
            reading = line.assessment.snapshot.values[line.criterion.code]
            assert (reading["rows"] and reading["enough"]) or line.appraisal_reason.startswith(
                scoring_data.PAPER_REASON[2024]
            )
        else:
            assert line.self_note and line.evidence.name.endswith(".pdf")
    # Steps are dated in the year they belong to, none late.
    steps = Step.objects.filter(assessment__year=2024)
    assert {step.at.year for step in steps} == {2024}
    assert not steps.filter(late=True).exists()

    assert (decision.number, decision.year, decision.status) == ("1234/QĐ-UBND", 2024, Decision.Status.APPROVED)
    assert decision.province.valid_until == LEGACY_UNTIL
    assert decision.drafted_by == demo.users["doha_staff"]
    assert decision.approved_by == demo.users["provincial_leader"]
    assert decision.entries.count() == 8
    assert decision.entries.filter(
        assessment__commune__code="07792", unit_name="phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang"
    ).exists()
    assert not assessments.filter(locked_at__isnull=True).exists()


def test_2025_has_every_unit_of_bac_ninh_and_a_demo_ward_at_each_step(db, demo):
    current = Province.objects.current().get(code=scoring_data.PROVINCE_CODE)
    assessments = Assessment.objects.filter(year=2025).select_related("commune")
    by_code = {a.commune.code: a for a in assessments}

    assert assessments.count() == Commune.objects.current().filter(province=current).count()
    assert not assessments.filter(snapshot__isnull=True).exists()
    assert not assessments.filter(commune__district__isnull=False).exists()  # no review step in Bắc Ninh

    draft = by_code["07798"]  # phường Vân Hà, the demo officer's: half filled, to finish in the browser
    assert draft.status == Status.DRAFT
    filled = draft.lines.filter(criterion__measure="self", self_score__isnull=False)
    assert set(filled.values_list("criterion__code", flat=True)) == set(scoring_data.DRAFT_FILLED)
    assert draft.lines.filter(criterion__measure="self", self_score__isnull=True).exists()
    assert set(draft.documents.values_list("document__code", flat=True)) == set(scoring_data.DRAFT_DOCUMENTS)

    submitted = assessments.get(status=Status.SUBMITTED)
    assert submitted.steps.get(action=Step.Action.SUBMIT).late

    appraised = assessments.get(status=Status.APPRAISED)
    lowered = appraised.lines.get(criterion__code=scoring_data.DOWNGRADE["code"])
    assert lowered.appraised_score < lowered.self_score and lowered.appraisal_reason == scoring_data.DOWNGRADE["reason"]

    provisional = assessments.get(status=Status.PROVISIONAL)
    appeal = provisional.appeals.get()
    assert appeal.is_open and appeal.line.criterion.code == scoring_data.APPEAL["code"]

    final = assessments.filter(status=Status.FINAL)
    assert final.count() == 2
    recognised, knocked_out = final.get(stars__gte=1), final.get(stars=0)
    assert recognised.commune.code == "07339"  # xã Tân Yên
    assert "discipline" in knocked_out.knockouts and knocked_out.discipline_note == scoring_data.DISCIPLINE_NOTE
    evidence = recognised.lines.filter(criterion__measure="self").first().evidence
    with evidence.open("rb") as file:
        assert len(PdfReader(io.BytesIO(file.read())).pages) == 1


def test_the_stars_go_on_across_the_merger(db, demo, client):
    tan_yen = Commune.objects.current().get(code="07339")
    earlier = Assessment.objects.filter(commune__in=tan_yen.predecessors.all(), status=Status.FINAL, year=2024)
    van_ha = Commune.objects.current().get(code="07798")

    assert earlier.filter(commune__code="07336", stars__gte=1).exists()  # xã Cao Xá, huyện Tân Yên
    assert Assessment.objects.get(commune=tan_yen, year=2025).stars >= 1
    assert Assessment.objects.filter(commune__in=van_ha.predecessors.all(), year=2024, stars__gte=1).count() == 5

    # Today's province's DoHA and leader follow the decision of the province it replaced.
    decision = Decision.objects.get()
    for role in ("doha_staff", "provincial_leader"):
        client.force_login(demo.users[role])
        page = client.get(reverse("scoring:decision", kwargs={"pk": decision.pk}))
        assert page.status_code == 200
        assert "phường Quảng Minh" in page.content.decode()


def test_2026_computes_g1_3_to_g1_5_from_the_democracy_records_and_van_ha_s_result_is_public(db, demo, client):
    sets = CriteriaSet.objects.filter(province__code=scoring_data.PROVINCE_CODE, status=CriteriaSet.Status.PUBLISHED)
    measures = {
        (criteria_set.year, criterion.code): criterion.measure
        for criteria_set in sets
        for criterion in criteria_set.groups.get(code="G1").criteria.filter(code__in=["G1.3", "G1.4", "G1.5"])
    }
    van_ha = Assessment.objects.get(commune__code="07798", commune__valid_until__isnull=True, year=2026)

    # The sets before 2026 had them self-assessed; the 2026 set computes them.
    assert {measure for (year, _code), measure in measures.items() if year < 2026} == {"self"}
    assert {measure for (year, _code), measure in measures.items() if year == 2026} == {"democracy"}
    assert van_ha.status == Status.PROVISIONAL  # the first state the public reads
    assert Assessment.objects.filter(year=2026).count() == Assessment.objects.filter(year=2025).count()  # all units
    page = client.get(reverse("scoring:result", args=[van_ha.commune_id, 2026])).content.decode()
    for code in ("g13", "g14", "g15"):
        assert f'id="detail-{code}"' in page
    decided = van_ha.snapshot.values["G1.3"]["detail"]["decided"]
    assert f'data-key="decided" data-value="{decided}"' in page
