"""The recognition decision: DoHA drafts it from final results (no number, no date), the records office
issues it (number and date), the provincial leader approves it, and approval locks it and every
assessment in it. Pages, services and every role against every page."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from communes.services.statistics import statistics_save
from scoring.models import Assessment, CriteriaSet, Decision, DecisionEntry, Line, Status
from scoring.services import (
    ScoringError,
    appeal_file,
    assessment_appraise,
    assessment_self_save,
    assessments_compute,
    criteria_set_load,
    criteria_set_publish,
    decision_approve,
    decision_approved,
    decision_delete,
    decision_draft,
    decision_issue,
    decision_recognitions,
    decision_update,
    snapshot_adopt,
)
from scoring.services.criteria import CRITERIA_FILE
from scoring.services.decisions.document import GROUND_INCOMPLETE
from tests.communes.factories import CommuneFactory
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import ROLES, make_user, places, places_build  # noqa: F401 - places is a fixture
from tests.scoring.factories import YEAR, advance, fill_self, open_assessment

pytestmark = pytest.mark.django_db

PAPER = "Số liệu năm 2025 do Sở Nội vụ tổng hợp từ báo cáo giấy"


def recognisable_set(province, year: int = YEAR) -> CriteriaSet:
    """The project's set without the survey minimum: tests have no survey, and it would refuse every star."""
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    data["knockouts"]["survey_minimum"] = False
    return criteria_set_publish(criteria_set=criteria_set_load(province=province, year=year, data=data), by=None)


def final(commune, criteria_set: CriteriaSet, *, stars: bool = True) -> Assessment:
    """A final result: DoHA appraises the computed lines at full points (or at 0: no star)."""
    assessment = advance(fill_self(open_assessment(commune, criteria_set)), "reviewed")
    scores = {
        line.pk: (line.criterion.max_points if stars else Decimal(0), PAPER)
        for line in assessment.lines.select_related("criterion")
        if line.criterion.is_computed
    }
    assessment_appraise(assessment=assessment, by=None, scores=scores)
    return advance(Assessment.objects.get(pk=assessment.pk), "final")


SIGNED_ON = datetime.date(2025, 12, 30)


def draft_only(province, assessments, by) -> Decision:
    """DoHA's draft: no number, no date."""
    return decision_draft(province=province, year=YEAR, signer_name="Nguyễn Văn Bình", assessments=assessments, by=by)


def draft(province, assessments, by, number: str = "125/QĐ-UBND") -> Decision:
    """A draft the records office has issued with ``number`` on 30/12/2025: what the leader approves."""
    decision = draft_only(province, assessments, by)
    return decision_issue(decision=decision, number=number, signed_on=SIGNED_ON, by=by)


@dataclass
class Cycle:
    criteria_set: CriteriaSet
    first: Assessment
    second: Assessment
    doha: object
    leader: object


@pytest.fixture
def cycle(places) -> Cycle:  # noqa: F811
    criteria_set = recognisable_set(places.province)
    return Cycle(
        criteria_set,
        final(places.commune, criteria_set),
        final(places.other_commune, criteria_set),
        user_with_role(Role.DOHA_STAFF, places.province),
        user_with_role(Role.PROVINCIAL_LEADER, places.province),
    )


@pytest.fixture
def decision(places, cycle) -> Decision:  # noqa: F811
    """Issued: numbered and dated, waiting for the leader."""
    return draft(places.province, [cycle.first, cycle.second], cycle.doha)


@pytest.fixture
def draft_decision(places, cycle) -> Decision:  # noqa: F811
    return draft_only(places.province, [cycle.first, cycle.second], cycle.doha)


GROUNDS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;\n"
    "Căn cứ Quyết định số 1420/QĐ-UBND ngày 20/10/2025 ban hành Bộ tiêu chí;"
)


def form_data(**changes) -> dict:
    data = {
        "signer_role": "vice_chairman",
        "signer_name": "Nguyễn Văn Bình",
        "proposal_number": "310/TTr-SNV",
        "proposal_date": "2025-12-20",
        "grounds": GROUNDS,
        "recipients": "Như Điều 3;\nBộ Nội vụ;\nLưu: VT, NV.",
    }
    return data | changes


# --- Drafting ----------------------------------------------------------------------------------


def test_doha_drafts_the_decision_from_the_final_results(client, places, cycle):  # noqa: F811
    client.force_login(cycle.doha)
    url = reverse("scoring:decision_create", kwargs={"pk": places.province.pk, "year": YEAR})

    page = client.get(url).content.decode()
    response = client.post(url, form_data(assessments=[cycle.first.pk, cycle.second.pk]))

    assert f'value="{cycle.first.pk}" id="assessment-{cycle.first.pk}" checked' in page
    assert f'value="{cycle.second.pk}" id="assessment-{cycle.second.pk}" checked' in page
    assert "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15" in page  # the laws in force, as a start
    assert 'name="number"' not in page  # the number is the records office's
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("scoring:decision", kwargs={"pk": decision.pk})
    assert (decision.number, decision.signed_on, decision.status) == ("", None, "draft")
    assert decision.drafted_by == cycle.doha
    assert decision.signer_title == f"Phó Chủ tịch Ủy ban nhân dân {places.province.official_name}"
    assert [g.text for g in decision.grounds.all()] == GROUNDS.splitlines()
    assert decision.recipient_lines == ["Như Điều 3;", "Bộ Nội vụ;", "Lưu: VT, NV."]
    assert not places.province.decision_grounds.exists()  # not kept as the province's default unless asked
    assert [e.assessment for e in decision.entries.order_by("position")] == sorted(
        [cycle.first, cycle.second], key=lambda a: (-a.stars, -a.total, a.unit_name)
    )
    assert all(e.stars == 5 and e.total == Decimal("100.00") for e in decision.entries.all())


def test_a_refused_draft_says_why_in_the_user_s_language_and_saves_nothing(client, places, cycle, decision):  # noqa: F811
    client.force_login(cycle.doha)
    third = final(CommuneFactory(province=places.province), cycle.criteria_set)
    # A ground without its instrument's number and date.
    vague = form_data(grounds="Căn cứ Luật Tổ chức chính quyền địa phương;", assessments=[third.pk])

    response = client.post(reverse("scoring:decision_create", kwargs={"pk": places.province.pk, "year": YEAR}), vague)

    assert response.status_code == 200
    with translation.override("vi"):
        expected = str(GROUND_INCOMPLETE % {"line": 1})
    assert expected.split("“")[0] in response.content.decode()
    assert Decision.objects.count() == 1
    assert not DecisionEntry.objects.filter(assessment=third).exists()


def test_doha_keeps_the_grounds_as_the_province_s_default_for_its_next_draft(client, places, cycle):  # noqa: F811
    client.force_login(cycle.doha)
    url = reverse("scoring:decision_create", kwargs={"pk": places.province.pk, "year": YEAR})

    client.post(url, form_data(keep_grounds="on", assessments=[cycle.first.pk]))
    again = client.get(url).content.decode()

    assert list(places.province.decision_grounds.values_list("text", flat=True)) == GROUNDS.splitlines()
    assert "Căn cứ Quyết định số 1420/QĐ-UBND ngày 20/10/2025" in again
    assert "Lưu: VT, NV." in again  # the last decision's recipients


@pytest.mark.parametrize("case", ["not final", "no star", "other province", "already in a decision", "other year"])
def test_a_decision_recognises_only_final_results_with_stars_of_its_province_and_year(places, cycle, case):  # noqa: F811
    if case == "not final":
        assessment = advance(
            fill_self(open_assessment(CommuneFactory(province=places.province), cycle.criteria_set)), "appraised"
        )
    elif case == "no star":
        assessment = final(CommuneFactory(province=places.province), cycle.criteria_set, stars=False)
        assert assessment.status == Status.FINAL and assessment.stars == 0
    elif case == "other province":
        assessment = final(CommuneFactory(province=places.elsewhere), recognisable_set(places.elsewhere))
    elif case == "other year":
        assessment = final(CommuneFactory(province=places.province), recognisable_set(places.province, YEAR - 1))
    else:
        draft(places.province, [cycle.first], cycle.doha, number="1/QĐ-UBND")
        assessment = cycle.first

    with pytest.raises(ScoringError):
        draft(places.province, [cycle.second, assessment], cycle.doha)

    assert not Decision.objects.filter(number="125/QĐ-UBND").exists()


def test_doha_changes_and_deletes_a_draft(client, places, cycle, draft_decision):  # noqa: F811
    decision = draft_decision
    client.force_login(cycle.doha)
    url = reverse("scoring:decision", kwargs={"pk": decision.pk})

    changed = client.post(url, form_data(signer_name="Trần Thị Hạnh", assessments=[cycle.second.pk]))
    decision.refresh_from_db()
    entries = [e.assessment_id for e in decision.entries.all()]
    deleted = client.post(reverse("scoring:decision_delete", kwargs={"pk": decision.pk}))

    assert changed.status_code == 302
    assert (decision.number, decision.signer_name, decision.signer_role) == ("", "Trần Thị Hạnh", "vice_chairman")
    assert entries == [cycle.second.pk]
    assert deleted.headers["Location"] == reverse("scoring:decisions", kwargs={"pk": places.province.pk})
    assert not Decision.objects.exists() and not DecisionEntry.objects.exists()


# --- Approval ----------------------------------------------------------------------------------


def test_the_leader_s_approval_locks_the_decision_and_every_assessment_in_it(client, places, cycle, decision):  # noqa: F811
    client.force_login(cycle.leader)
    page = client.get(reverse("scoring:decision", kwargs={"pk": decision.pk})).content.decode()
    url = reverse("scoring:decision_approve", kwargs={"pk": decision.pk})

    first = client.post(url)
    again = client.post(url)  # a second click: the decision is no longer a draft to approve

    decision.refresh_from_db()
    assert "Quyết định và hồ sơ đánh giá của từng xã trong quyết định sẽ bị khóa" in page
    assert first.status_code == 302 and again.status_code == 403
    assert (decision.status, decision.approved_by) == (Decision.Status.APPROVED, cycle.leader)
    for assessment in (cycle.first, cycle.second):
        assessment.refresh_from_db()
        assert assessment.locked_at == decision.approved_at
        assert assessment.steps.filter(action="lock").count() == 1
    approved = client.get(reverse("scoring:decision", kwargs={"pk": decision.pk})).content.decode()
    assert str(cycle.leader) in approved
    assert url not in approved


@pytest.mark.parametrize("role", ["doha_here", "doha_of_successor", "site_admin", "leader_elsewhere"])
def test_only_the_provincial_leader_approves(client, places, decision, role):  # noqa: F811
    client.force_login(make_user(role, places))

    response = client.post(reverse("scoring:decision_approve", kwargs={"pk": decision.pk}))

    decision.refresh_from_db()
    assert response.status_code == 403
    assert decision.status == Decision.Status.ISSUED
    assert not Assessment.objects.filter(locked_at__isnull=False).exists()


def test_approval_is_announced_once_after_the_commit(django_capture_on_commit_callbacks, cycle, decision):
    received = []

    def receiver(sender, decision_id, **kwargs):
        received.append(decision_id)

    decision_approved.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            decision_approve(decision=decision, by=cycle.leader)
            decision_approve(decision=decision, by=cycle.leader)
            assert received == []
    finally:
        decision_approved.disconnect(receiver)

    assert received == [decision.pk]


def test_nothing_changes_a_locked_assessment(places, cycle, decision):  # noqa: F811
    decision_approve(decision=decision, by=cycle.leader)
    assessment = Assessment.objects.get(pk=cycle.first.pk)
    line = assessment.lines.select_related("criterion").filter(criterion__measure="self").first()
    entry = DecisionEntry.objects.get(assessment=assessment)
    before = (assessment.total, assessment.stars, assessment.snapshot_id)
    lines_before = list(Line.objects.filter(assessment=assessment).values_list("computed_points", "appraised_score"))

    refused = [
        lambda: assessment_appraise(assessment=assessment, by=cycle.doha, scores={}),
        lambda: assessment_self_save(assessment=assessment, by=None, entries={line.pk: {"self_score": Decimal(0)}}),
        lambda: appeal_file(line=line, by=None, text="Xin xem lại", today=datetime.date(2025, 12, 1)),
        lambda: snapshot_adopt(assessment=assessment, by=cycle.doha),
    ]
    for action in refused:
        with pytest.raises(ScoringError):
            action()
    # Newer figures arrive: they are kept, but only as waiting figures.
    figures = {"received": 40, "resolved_early": 22, "resolved_on_time": 18, "resolved_late": 0, "pending": 0}
    figures |= {"late_with_apology": 0, "resolved_same_day": 12, "submitted_online": 30, "paid_online": 9}
    figures["digitised"] = 36
    statistics_save(commune=places.commune, month=datetime.date(2025, 3, 1), figures=figures, by=None)
    report = assessments_compute(criteria_set=cycle.criteria_set)

    assessment.refresh_from_db()
    # Both assessments get new figures: before, no unit had dossier statistics for the year (no data).
    assert (report.snapshots, report.waiting, report.adopted) == (2, 2, 0)
    assert (assessment.total, assessment.stars, assessment.snapshot_id) == before
    assert assessment.snapshots.count() == 2
    assert list(Line.objects.filter(assessment=assessment).values_list("computed_points", "appraised_score")) == (
        lines_before
    )
    entry.refresh_from_db()
    assert (entry.total, entry.stars) == (before[0], before[1])


def test_the_recognitions_are_what_the_certificates_will_state(places, cycle, decision):  # noqa: F811
    with pytest.raises(ScoringError):
        decision_recognitions(decision)
    decision = decision_approve(decision=decision, by=cycle.leader)

    recognitions = decision_recognitions(decision)

    assert [(r.commune_id, r.stars, r.decision_number) for r in recognitions] == [
        (e.assessment.commune_id, e.stars, "125/QĐ-UBND") for e in decision.entries.select_related("assessment")
    ]
    assert {r.unit_name for r in recognitions} == {cycle.first.unit_name, cycle.second.unit_name}


# --- Pages cost the same for any number of rows ------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_decision_pages_cost_the_same_for_few_and_many_communes(client, places, cycle):  # noqa: F811
    more = [final(CommuneFactory(province=places.province), cycle.criteria_set) for _index in range(4)]
    everyone = [cycle.first, cycle.second, *more]
    client.force_login(cycle.doha)
    decisions_url = reverse("scoring:decisions", kwargs={"pk": places.province.pk})
    create_url = reverse("scoring:decision_create", kwargs={"pk": places.province.pk, "year": YEAR})

    create_6 = _queries(client, create_url)  # six results to choose from
    decision = draft_only(places.province, everyone[:2], cycle.doha)
    detail_url = reverse("scoring:decision", kwargs={"pk": decision.pk})
    create_4, detail_2, list_1 = (
        _queries(client, create_url),
        _queries(client, detail_url),
        _queries(client, decisions_url),
    )
    decision_update(decision=decision, by=cycle.doha, assessments=everyone)
    detail_6 = _queries(client, detail_url)
    decision_delete(decision=decision, by=cycle.doha)
    for index, assessment in enumerate(Assessment.objects.filter(pk__in=[a.pk for a in everyone]), start=1):
        draft(places.province, [assessment], cycle.doha, number=f"{index}/QĐ-UBND")
    list_6 = _queries(client, decisions_url)

    assert create_4 == create_6
    assert detail_2 == detail_6
    assert list_1 == list_6


# --- Every role against every page -------------------------------------------------------------


def expected(allowed: set[str], *, allowed_status: int = 200) -> dict[str, int]:
    """200 (or ``allowed_status``) for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else allowed_status if role in allowed else 403 for role in ROLES}


DOHA = {"doha_here", "doha_of_successor"}
VIEWERS = DOHA | {"leader_here", "site_admin"}
OFFICE = DOHA | {"leader_here"}  # who records the number and date, and uploads the signed copy
# Expected status of a GET per route and role, on a decision of the pre-2025 province in the state
# of STATE (a draft unless said); the POST-only routes answer the roles allowed to act with 405.
MATRIX = {
    "scoring:decisions": expected(VIEWERS),
    "scoring:decision_create": expected(DOHA),
    "scoring:decision": expected(VIEWERS),
    "scoring:decision_docx": expected(VIEWERS),
    "scoring:decision_pdf": expected(VIEWERS),
    "scoring:decision_issue": expected(OFFICE, allowed_status=405),
    "scoring:decision_approve": expected({"leader_here"}, allowed_status=405),
    "scoring:decision_signed": expected(OFFICE, allowed_status=405),
    "scoring:decision_delete": expected(DOHA, allowed_status=405),
}
STATE = {"scoring:decision_approve": "issued", "scoring:decision_signed": "issued"}


@pytest.fixture(scope="module")
def matrix_scene(django_db_setup, django_db_blocker):
    """The province's two final results and every role's signed-in client, built once for the module
    inside a transaction rolled back at its end; each route's test runs in a savepoint of its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        scene = places_build()
        criteria_set = recognisable_set(scene.province)
        cycle = Cycle(
            criteria_set,
            final(scene.commune, criteria_set),
            final(scene.other_commune, criteria_set),
            user_with_role(Role.DOHA_STAFF, scene.province),
            user_with_role(Role.PROVINCIAL_LEADER, scene.province),
        )
        clients = {}
        for role in ROLES:
            clients[role], user = Client(), make_user(role, scene)
            if user is not None:
                clients[role].force_login(user)
        yield scene, cycle, clients
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", list(MATRIX))
def test_role_gets_expected_answer_from_decision_page(db, matrix_scene, name):
    scene, cycle, clients = matrix_scene
    with transaction.atomic():
        # Read again: an assessment caches the decision entry of a route before, rolled back since.
        assessments = list(Assessment.objects.filter(pk__in=[cycle.first.pk, cycle.second.pk]).order_by("pk"))
        if STATE.get(name) == "issued":
            decision = draft(scene.province, assessments, cycle.doha)
        else:
            decision = draft_only(scene.province, assessments, cycle.doha)
        kwargs = (
            {"pk": scene.province.pk}
            if name == "scoring:decisions"
            else {"pk": scene.province.pk, "year": YEAR}
            if name == "scoring:decision_create"
            else {"pk": decision.pk}
        )
        url = reverse(name, kwargs=kwargs)
        answers = {}
        for role in ROLES:
            response = clients[role].get(url)
            answers[role] = response.status_code
            if response.status_code == 302:
                assert "login" in response.headers["Location"], role
        transaction.set_rollback(True)

    assert answers == MATRIX[name]
