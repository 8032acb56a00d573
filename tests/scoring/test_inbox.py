"""What the scoring side puts in the workspace inboxes (scoring.selectors.inbox), and the boards'
``waiting`` filter that lists exactly what each count counts.

The places are those of the portal's permission matrix: a pre-2025 province whose communes sit in two
districts (the district reviews), and today's province without districts (straight to the appraisal).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.selectors import user_scope
from accounts.services import role_assign
from core import clock
from scoring.models import Appeal, Assessment
from scoring.selectors.board import board
from scoring.selectors.inbox import ScoringInbox, YearCount, inbox_counts
from scoring.services import appeal_answer, appeal_file, assessment_return, decision_approve, decision_issue
from tests.communes.factories import CommuneFactory
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.factories import YEAR, advance, fill_self, open_assessment, published_set
from tests.scoring.test_decisions import SIGNED_ON, draft_only, final, recognisable_set

pytestmark = pytest.mark.django_db


def counts(user) -> ScoringInbox:
    return inbox_counts(scope=user_scope(user), today=clock.today())


def test_a_submission_with_a_district_waits_for_its_review_then_for_the_appraisal(places):  # noqa: F811
    reviewer = user_with_role(Role.DISTRICT_REVIEWER, places.district)
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    assessment = advance(fill_self(open_assessment(places.commune, published_set(places.province))), "submitted")
    assert counts(reviewer).to_review == [YearCount(places.district.pk, YEAR, 1)]
    assert counts(doha).to_appraise == []
    advance(assessment, "reviewed")
    assert counts(reviewer).to_review == []
    assert counts(doha).to_appraise == [YearCount(places.province.pk, YEAR, 1)]
    # The reviewer of the other district has nothing to do.
    assert counts(user_with_role(Role.DISTRICT_REVIEWER, places.other_district)).to_review == []


def test_a_submission_without_a_district_goes_straight_to_the_appraisal(places):  # noqa: F811
    doha = user_with_role(Role.DOHA_STAFF, places.new_province)
    ward = CommuneFactory(province=places.new_province)
    advance(fill_self(open_assessment(ward, published_set(places.new_province))), "submitted")
    assert counts(doha).to_appraise == [YearCount(places.new_province.pk, YEAR, 1)]
    assert counts(doha).to_review == []
    rows = board(province=places.new_province, year=YEAR, waiting="appraisal").rows
    assert [row.assessment.commune for row in rows] == [ward]


def test_open_appeals_wait_for_doha_until_answered(places):  # noqa: F811
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    criteria_set = published_set(places.province)
    assessment = advance(fill_self(open_assessment(places.commune, criteria_set)), "provisional")
    advance(fill_self(open_assessment(places.other_commune, criteria_set)), "provisional")
    line = assessment.lines.first()
    appeal = appeal_file(line=line, by=None, text="Xã đã tổ chức đủ 4 hội nghị đối thoại.")
    assert counts(doha).appeals == [YearCount(places.province.pk, YEAR, 1)]
    rows = board(province=places.province, year=YEAR, waiting="appeals").rows
    assert [row.assessment for row in rows] == [assessment]
    appeal_answer(appeal=appeal, by=doha, outcome=Appeal.Outcome.REJECTED, answer="Biên bản chỉ ghi 3 hội nghị.")
    assert counts(doha).appeals == []


def test_the_officer_sees_the_next_deadline_of_each_open_assessment(places, monkeypatch):  # noqa: F811
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2025, 11, 15))
    officer = user_with_role(Role.COMMUNE_OFFICER, places.commune)
    assessment = open_assessment(places.commune, published_set(places.province))
    (deadline,) = counts(officer).deadlines
    assert (deadline.kind, deadline.due, deadline.days_left) == ("submit", datetime.date(2025, 11, 20), 5)
    assessment = advance(fill_self(assessment), "submitted")
    assert counts(officer).deadlines == []
    assessment_return(assessment=assessment, by=None, reason="Thiếu biên bản hội nghị đối thoại.")
    (deadline,) = counts(officer).deadlines
    assert deadline.kind == "returned"


def test_provisional_results_wait_for_the_communes_comments_until_the_period_ends(places):  # noqa: F811
    officer = user_with_role(Role.COMMUNE_OFFICER, places.commune)
    assessment = advance(fill_self(open_assessment(places.commune, published_set(places.province))), "provisional")
    (deadline,) = counts(officer).deadlines
    assert (deadline.kind, deadline.due) == ("comments", assessment.comments_until)
    assert deadline.days_left == (assessment.comments_until - clock.today()).days


def test_a_draft_decision_waits_for_the_records_office_then_for_the_leader_until_approved(places):  # noqa: F811
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    leader = user_with_role(Role.PROVINCIAL_LEADER, places.province)
    decision = draft_only(places.province, [final(places.commune, recognisable_set(places.province))], doha)
    assert counts(doha).decisions_to_issue == {places.province.pk: 1}
    assert counts(leader).decisions_to_approve == {}
    decision = decision_issue(decision=decision, number="125/QĐ-UBND", signed_on=SIGNED_ON, by=doha)
    assert counts(doha).decisions_to_issue == {}
    assert counts(doha).decisions_to_approve == {}
    assert counts(leader).decisions_to_approve == {places.province.pk: 1}
    assert counts(user_with_role(Role.PROVINCIAL_LEADER, places.elsewhere)).decisions_to_approve == {}
    decision_approve(decision=decision, by=leader)
    assert counts(doha).decisions_to_issue == counts(leader).decisions_to_approve == {}


def test_scoring_inbox_costs_a_fixed_number_of_queries(places, django_assert_num_queries):  # noqa: F811
    user = user_with_role(Role.DOHA_STAFF, places.province)
    for role, place in (
        (Role.PROVINCIAL_LEADER, places.province),
        (Role.DISTRICT_REVIEWER, places.district),
        (Role.COMMUNE_OFFICER, places.commune),
    ):
        role_assign(user=user, role=role, place=place)
    scope = user_scope(user)
    criteria_set = published_set(places.province)
    Assessment.objects.filter(criteria_set=criteria_set).delete()
    open_assessment(places.commune, criteria_set)
    with django_assert_num_queries(4):
        inbox_counts(scope=scope, today=clock.today())


def test_a_board_ignores_an_unknown_waiting_filter(client, places):  # noqa: F811
    open_assessment(places.commune, published_set(places.province))
    client.force_login(user_with_role(Role.DOHA_STAFF, places.province))
    response = client.get(reverse("scoring:board", kwargs={"pk": places.province.pk, "year": YEAR}) + "?waiting=x")
    assert response.context["board"].waiting == ""
    assert len(response.context["board"].rows) == 1


def test_the_decision_list_keeps_one_status_when_asked(client, places):  # noqa: F811
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    draft_only(places.province, [final(places.commune, recognisable_set(places.province))], doha)
    client.force_login(doha)
    url = reverse("scoring:decisions", kwargs={"pk": places.province.pk})
    assert len(client.get(url + "?status=draft").context["decisions"]) == 1
    assert len(client.get(url + "?status=approved").context["decisions"]) == 0
    assert len(client.get(url + "?status=nonsense").context["decisions"]) == 1
