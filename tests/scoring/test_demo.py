"""Demo scoring: tỉnh Bắc Giang's complete 2024 cycle with its approved decision, and today's Bắc Ninh's
2025 cycle under way, one demo ward at each step; made once, on the other apps' demo data."""

from __future__ import annotations

import datetime
import io
import time
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from accounts.services import demo_accounts_ensure
from communes.data.unit_history import LEGACY_UNTIL
from communes.models import Commune, Province
from communes.services import communes_demo_ensure, units_load
from feedback.services.demo import feedback_demo_ensure
from scoring.data import demo as data
from scoring.models import Assessment, CriteriaSet, Decision, Line, Status, Step
from scoring.services.demo import DemoReport, scoring_demo_ensure, scoring_demo_summary
from surveys.services.demo import surveys_demo_ensure
from tests.communes.factories import ProvinceFactory


def rows() -> dict[str, int]:
    """Rows of every model of the scoring app, historical records included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_app_config("scoring").get_models()}


@dataclass
class Demo:
    report: DemoReport
    seconds: float
    users: dict[str, User]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The other apps' demos and this one, made once for the module (it takes a while) inside a
    transaction rolled back when the module ends; each test runs in a savepoint of it."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        units_load(province="Bắc Giang", period="legacy")
        units_load(province="Bắc Ninh", period="current")
        accounts = demo_accounts_ensure(password="ChinhQuyen-2026")
        users = {account.role: User.objects.get(email=account.email) for account in accounts}
        communes_demo_ensure(by=users["site_admin"])
        feedback_demo_ensure(by=users["site_admin"])
        surveys_demo_ensure(by=users["site_admin"])
        started = time.process_time()  # the demo's own work, whatever else the machine is doing
        report = scoring_demo_ensure(by=users["site_admin"])
        yield Demo(report, time.process_time() - started, users)
        transaction.set_rollback(True)


def test_the_demo_makes_both_cycles_once(db, demo):
    legacy = Province.objects.get(code=data.PROVINCE_CODE, valid_until=LEGACY_UNTIL)
    current = Province.objects.current().get(code=data.PROVINCE_CODE)

    assert demo.seconds < 25  # about 10 s on SQLite; a slow CI machine gets some room
    published = CriteriaSet.objects.filter(status=CriteriaSet.Status.PUBLISHED)
    assert set(published.values_list("province__code", "province__valid_until", "year")) == {
        ("24", LEGACY_UNTIL, 2024),
        ("24", LEGACY_UNTIL, 2025),
        ("24", None, 2025),
    }
    legacy_2025 = published.get(province=legacy, year=2025)
    assert legacy_2025.period_end == LEGACY_UNTIL <= legacy_2025.submission_deadline
    assert published.get(province=current).period_end == datetime.date(2025, 10, 31)

    # A second run finds everything made and leaves it alone.
    before = rows()
    again = scoring_demo_ensure(by=demo.users["site_admin"])
    assert again.created_total == 0
    assert rows() == before
    assert str(demo.report.created_total) in scoring_demo_summary(demo.report)


def test_2024_is_complete_every_line_explained_and_recognised_by_one_approved_decision(db, demo):
    assessments = Assessment.objects.filter(year=2024).select_related("commune")
    decision = Decision.objects.get()

    assert {a.commune.code for a in assessments} == {plan.code for plan in data.LEGACY_2024}
    assert set(assessments.values_list("status", flat=True)) == {Status.FINAL}
    assert set(assessments.values_list("stars", flat=True)) == {1, 2, 3, 4, 5}
    assert {a.commune.code: a.stars for a in assessments} == {plan.code: plan.stars for plan in data.LEGACY_2024}
    for line in Line.objects.filter(assessment__year=2024).select_related("criterion", "assessment__snapshot"):
        if line.criterion.is_computed:
            reading = line.assessment.snapshot.values[line.criterion.code]
            assert (reading["rows"] and reading["enough"]) or line.appraisal_reason.startswith(data.PAPER_REASON[2024])
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
    current = Province.objects.current().get(code=data.PROVINCE_CODE)
    assessments = Assessment.objects.filter(year=2025).select_related("commune")
    by_code = {a.commune.code: a for a in assessments}

    assert assessments.count() == Commune.objects.current().filter(province=current).count()
    assert not assessments.filter(snapshot__isnull=True).exists()
    assert not assessments.filter(commune__district__isnull=False).exists()  # no review step in Bắc Ninh

    draft = by_code["07798"]  # phường Vân Hà, the demo officer's: half filled, to finish in the browser
    assert draft.status == Status.DRAFT
    filled = draft.lines.filter(criterion__measure="self", self_score__isnull=False)
    assert set(filled.values_list("criterion__code", flat=True)) == set(data.DRAFT_FILLED)
    assert draft.lines.filter(criterion__measure="self", self_score__isnull=True).exists()
    assert set(draft.documents.values_list("document__code", flat=True)) == set(data.DRAFT_DOCUMENTS)

    submitted = assessments.get(status=Status.SUBMITTED)
    assert submitted.steps.get(action=Step.Action.SUBMIT).late

    appraised = assessments.get(status=Status.APPRAISED)
    lowered = appraised.lines.get(criterion__code=data.DOWNGRADE["code"])
    assert lowered.appraised_score < lowered.self_score and lowered.appraisal_reason == data.DOWNGRADE["reason"]

    provisional = assessments.get(status=Status.PROVISIONAL)
    appeal = provisional.appeals.get()
    assert appeal.is_open and appeal.line.criterion.code == data.APPEAL["code"]

    final = assessments.filter(status=Status.FINAL)
    assert final.count() == 2
    recognised, knocked_out = final.get(stars__gte=1), final.get(stars=0)
    assert recognised.commune.code == "07339"  # xã Tân Yên
    assert knocked_out.knockouts == ["discipline"] and knocked_out.discipline_note == data.DISCIPLINE_NOTE
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


def test_setup_demo_prints_one_line_about_scoring(db, demo, monkeypatch):
    from portal.management.commands import setup_demo

    # The other apps' demos and this one's content have their own tests: only the wiring is checked.
    monkeypatch.setattr(setup_demo, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(setup_demo, "communes_demo_ensure", lambda **kwargs: type("Report", (), {"summary": ""}))
    monkeypatch.setattr(setup_demo, "feedback_demo_ensure", lambda **kwargs: 0)
    monkeypatch.setattr(setup_demo, "surveys_demo_ensure", lambda **kwargs: 0)
    monkeypatch.setattr(setup_demo, "scoring_demo_ensure", lambda **kwargs: DemoReport())
    output = io.StringIO()

    call_command("setup_demo", stdout=output)

    assert scoring_demo_summary(DemoReport()) in output.getvalue().splitlines()


def test_load_criteria_loads_and_publishes_the_project_s_set_for_a_province_in_force(db):
    province = ProvinceFactory(name="Hà Nam")
    output = io.StringIO()

    call_command("load_criteria", province="ha nam", year=2026, publish=True, stdout=output)
    with pytest.raises(CommandError):
        call_command("load_criteria", province="Không có", year=2026)

    criteria_set = CriteriaSet.objects.get(province=province)
    assert (criteria_set.year, criteria_set.status, criteria_set.groups.count()) == (2026, "published", 5)
    assert criteria_set.period_end == datetime.date(2026, 10, 31)
    assert str(province) in output.getvalue()
