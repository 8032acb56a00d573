"""Computing a province's assessments: provenance, constant cost, snapshots across the cycle, the units
taken over in the 2025 reorganisation, and results a recognition decision has locked."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Role
from scoring.models import Assessment, DecisionEntry, Snapshot, Status, Step
from scoring.services import (
    ScoringError,
    assessments_compute,
    assessments_open,
    decision_approve,
    decision_draft,
    decision_issue,
    predecessor_map,
    snapshot_adopt,
)
from scoring.services.common import assessment_lines
from scoring.services.computation.compute import ComputeReport
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.portal.factories import UserFactory, user_with_role
from tests.scoring.factories import YEAR, advance, fill_self, published_set
from tests.scoring.test_metrics import (
    END,
    START,
    disclosure,
    dossier_month,
    feedback_month,
    good_year,
    one_stop_page,
    surveys_answered,
)

D = datetime.date


@pytest.fixture
def by(db):
    return UserFactory()


def opened(province, by) -> list[Assessment]:
    criteria_set = published_set(province, by=by)
    return assessments_open(criteria_set=criteria_set, by=by)


def lines_by_code(assessment) -> dict:
    return {line.criterion.code: line for line in assessment_lines(assessment)}


def late_dossiers(commune, by) -> None:
    """A month whose late dossiers (none with an apology) take G2.2 and G2.3 to 0 points."""
    online = {"submitted_online": 90, "paid_online": 70, "digitised": 100}  # as in good_year
    dossier_month(commune, D(YEAR, 3, 1), by, resolved_early=50, resolved_on_time=0, resolved_late=50, **online)


# --- Provenance and cost ----------------------------------------------------------------------------


def test_computed_lines_carry_the_value_rows_period_and_units_they_come_from(by):
    commune = CommuneFactory()
    good_year(commune, by)
    feedback_month(commune, D(YEAR, 3, 1), received=10, in_competence=8, on_time=6, late=2, rated=4, unsatisfied=1)
    [assessment] = opened(commune.province, by)

    with translation.override("en"):
        report = assessments_compute(criteria_set=assessment.criteria_set, by=by)

    assert report == ComputeReport(assessments=1, snapshots=1, adopted=1, waiting=0)
    assessment.refresh_from_db()
    snapshot = assessment.snapshot
    assert (snapshot.number, snapshot.period_start, snapshot.period_end) == (1, START, END)
    assert (snapshot.units, snapshot.computed_by) == ([commune.pk], by)
    assert timezone.now() - snapshot.computed_at < datetime.timedelta(minutes=1)
    provenance = {code: (v["metric"], v["value"], v["rows"], v["points"]) for code, v in snapshot.values.items()}
    assert provenance["G1.2"] == ("disclosure.compliance", 1.0, 14, "6.00")
    assert provenance["G2.1"] == ("profile.completeness", 1.0, 1, "3.00")
    assert provenance["G2.2"] == ("dossier.on_time_rate", 1.0, 200, "8.00")
    assert provenance["G3.3"] == ("survey.officials", 1.0, 200, "9.00")
    assert provenance["G4.2"] == ("feedback.on_time_rate", 0.75, 8, "0.00")  # under the 80% floor
    lines = lines_by_code(assessment)
    for code, line in lines.items():
        expected = Decimal(snapshot.values[code]["points"]) if line.criterion.is_computed else None
        assert line.computed_points == expected, code
    step = Step.objects.get(assessment=assessment, action=Step.Action.COMPUTE)
    assert step.note == "Figures #1 computed and used."


def _compute_queries(communes: int, by) -> int:
    province = ProvinceFactory()
    for number in range(communes):
        commune = CommuneFactory(province=province)
        surveys_answered(commune)
        dossier_month(commune, D(YEAR, 2, 1), by)
        feedback_month(commune, D(YEAR, 2, 1), received=3, in_competence=3, on_time=3)
        disclosure(commune, "01_plan", D(YEAR, 3, 3), D(YEAR, 3, 4 + number), by)
        one_stop_page(commune, by)
    [assessment, *_] = opened(province, by)
    with CaptureQueriesContext(connection) as queries:
        report = assessments_compute(criteria_set=assessment.criteria_set, by=by)
    assert report.adopted == communes
    return len(queries)


def test_computing_a_province_costs_the_same_queries_for_any_number_of_communes(by):
    assert _compute_queries(2, by) == _compute_queries(6, by)


# --- Snapshots across the cycle ---------------------------------------------------------------------


def test_computing_again_with_unchanged_data_stores_nothing(by):
    commune = CommuneFactory()
    good_year(commune, by)
    [assessment] = opened(commune.province, by)
    assessments_compute(criteria_set=assessment.criteria_set, by=by)
    steps = Step.objects.count()

    report = assessments_compute(criteria_set=assessment.criteria_set, by=by)

    assert (report.assessments, report.snapshots, report.adopted) == (1, 0, 0)
    assert Snapshot.objects.filter(assessment=assessment).count() == 1
    assert Step.objects.count() == steps


def test_new_data_reach_a_draft_at_once_and_a_submitted_assessment_when_doha_adopts_them(by):
    province = ProvinceFactory()
    draft_unit, submitted_unit = CommuneFactory(province=province), CommuneFactory(province=province)
    for commune in (draft_unit, submitted_unit):
        good_year(commune, by)
    draft, submitted = sorted(opened(province, by), key=lambda a: a.commune_id != draft_unit.pk)
    assessments_compute(criteria_set=draft.criteria_set, by=by)
    submitted = advance(fill_self(Assessment.objects.get(pk=submitted.pk), by=by), Status.SUBMITTED, by=by)
    submitted_total = submitted.total
    for commune in (draft_unit, submitted_unit):
        late_dossiers(commune, by)

    with translation.override("en"):
        report = assessments_compute(criteria_set=draft.criteria_set, by=by)

    assert (report.snapshots, report.adopted, report.waiting) == (2, 1, 1)
    draft.refresh_from_db()
    assert draft.snapshot.number == 2
    assert lines_by_code(draft)["G2.2"].computed_points == Decimal("0.00")
    submitted.refresh_from_db()
    assert (submitted.snapshot.number, submitted.total) == (1, submitted_total)
    assert lines_by_code(submitted)["G2.2"].computed_points == Decimal("8.00")
    waiting = submitted.snapshots.order_by("-number").first()
    assert (waiting.number, waiting.values["G2.2"]["points"]) == (2, "0.00")
    assert Step.objects.filter(assessment=submitted, action=Step.Action.COMPUTE).last().note == (
        "Figures #2 computed; the assessment keeps its figures until they are adopted."
    )

    doha = user_with_role(Role.DOHA_STAFF, province)
    assert snapshot_adopt(assessment=submitted, by=doha) == waiting
    submitted.refresh_from_db()
    assert (submitted.snapshot_id, submitted.total) == (waiting.pk, submitted_total - 10)  # G2.2 8 and G2.3 2
    assert lines_by_code(submitted)["G2.2"].computed_points == Decimal("0.00")
    assert Step.objects.filter(assessment=submitted, action=Step.Action.ADOPT).exists()
    with pytest.raises(ScoringError):
        snapshot_adopt(assessment=submitted, by=doha)


# --- Units reorganised in 2025 ----------------------------------------------------------------------


def test_a_unit_formed_in_2025_adds_up_the_data_of_the_units_it_took_over(by):
    province = ProvinceFactory()
    first = CommuneFactory(province=province, valid_until=D(YEAR, 6, 30))
    second = CommuneFactory(province=province, valid_until=D(YEAR, 6, 30))
    ended_before = CommuneFactory(province=province, valid_until=D(YEAR - 1, 12, 31))
    merged = CommuneFactory(province=province, valid_from=D(YEAR, 7, 1))
    merged.predecessors.add(first, second, ended_before)
    dossier_month(first, D(YEAR, 3, 1), by)
    dossier_month(second, D(YEAR, 4, 1), by, resolved_early=0, resolved_on_time=50, resolved_late=50)
    dossier_month(merged, D(YEAR, 8, 1), by)
    feedback_month(ended_before, D(YEAR, 2, 1), received=9, in_competence=9, late=9)
    one_stop_page(first, by)  # the page of a unit that ended says nothing of today's unit

    [assessment] = opened(province, by)  # only the unit in force at the end of the period
    assessments_compute(criteria_set=assessment.criteria_set, by=by)
    assessment.refresh_from_db()

    assert assessment.commune == merged
    assert assessment.snapshot.units == [merged.pk, *sorted([first.pk, second.pk])]
    values = assessment.snapshot.values
    assert (values["G2.2"]["value"], values["G2.2"]["rows"]) == (round(250 / 300, 6), 300)
    assert (values["G4.2"]["value"], values["G4.2"]["rows"]) == (1.0, 0)
    assert (values["G2.1"]["value"], values["G2.1"]["rows"]) == (None, 0)


def test_successor_links_are_followed_through_two_reorganisations_within_the_period(db):
    earliest = CommuneFactory(valid_until=D(YEAR, 3, 31))
    middle = CommuneFactory(valid_until=D(YEAR, 6, 30))
    latest = CommuneFactory(valid_from=D(YEAR, 7, 1))
    too_old = CommuneFactory(valid_until=D(YEAR - 1, 12, 31))
    middle.predecessors.add(earliest, too_old)
    latest.predecessors.add(middle)

    assert predecessor_map([latest.pk, middle.pk], START) == {
        latest.pk: {latest.pk, middle.pk, earliest.pk},
        middle.pk: {middle.pk, earliest.pk},
    }


# --- Locked by the recognition decision -------------------------------------------------------------


def _state(assessment: Assessment) -> tuple:
    assessment = Assessment.objects.select_related("decision_entry").get(pk=assessment.pk)
    entry = assessment.decision_entry
    lines = [
        (line.criterion.code, line.computed_points, line.appraised_score, line.self_score)
        for line in assessment_lines(assessment)
    ]
    return (
        (assessment.total, assessment.stars, assessment.knockouts, assessment.snapshot_id, assessment.status),
        lines,
        (entry.total, entry.stars, entry.unit_name),
    )


def test_an_approved_decision_keeps_its_results_whatever_data_arrive_later(by):
    commune = CommuneFactory()
    good_year(commune, by)
    [assessment] = opened(commune.province, by)
    assessments_compute(criteria_set=assessment.criteria_set, by=by)
    assessment = advance(fill_self(Assessment.objects.get(pk=assessment.pk), by=by), Status.FINAL, by=by)
    assert (assessment.status, assessment.stars) == (Status.FINAL, 5)
    decision = decision_draft(
        province=commune.province,
        year=YEAR,
        signer_name="Nguyễn Văn Bình",
        assessments=[assessment],
        by=user_with_role(Role.DOHA_STAFF, commune.province),
    )
    decision = decision_issue(decision=decision, number="125/QĐ-UBND", signed_on=D(YEAR + 1, 1, 15), by=None)
    decision_approve(decision=decision, by=user_with_role(Role.PROVINCIAL_LEADER, commune.province))
    locked = _state(assessment)
    assert locked[0][:2] == (Decimal("100.00"), 5)

    late_dossiers(commune, by)
    feedback_month(commune, D(YEAR, 4, 1), received=20, in_competence=20, late=20)
    assessments_compute(criteria_set=assessment.criteria_set, by=by)

    assert _state(assessment) == locked
    assert DecisionEntry.objects.get(decision=decision).total == Decimal("100.00")
    with pytest.raises(ScoringError):
        snapshot_adopt(assessment=assessment, by=by)
