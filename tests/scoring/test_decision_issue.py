"""Issuing the decision: the records office gives it the next number of the province's register for
the year of its date, or records the number the e-office system gave; "abc" is refused, a number is
never given twice, and the leader approves only an issued decision."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from scoring.models import Decision, DecisionRegister
from scoring.services import ScoringError, decision_approve, decision_issue
from scoring.services.decisions import NOT_ISSUED, register
from scoring.services.decisions.register import BAD_NUMBER, DATE_IN_FUTURE, NUMBER_TAKEN
from tests.communes.factories import CommuneFactory
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.test_decisions import cycle, draft_only, final  # noqa: F401 - cycle is a fixture

pytestmark = pytest.mark.django_db

DAY_2025 = datetime.date(2025, 12, 30)
DAY_2026 = datetime.date(2026, 1, 8)


def another_draft(places, cycle) -> Decision:  # noqa: F811
    assessment = final(CommuneFactory(province=places.province), cycle.criteria_set)
    return draft_only(places.province, [assessment], cycle.doha)


def test_the_register_gives_the_next_number_of_the_province_s_year(places, cycle):  # noqa: F811
    first = draft_only(places.province, [cycle.first], cycle.doha)
    second = draft_only(places.province, [cycle.second], cycle.doha)
    third = another_draft(places, cycle)

    first = decision_issue(decision=first, signed_on=DAY_2025, by=cycle.doha)
    second = decision_issue(decision=second, signed_on=DAY_2025, by=cycle.doha)
    third = decision_issue(decision=third, signed_on=DAY_2026, by=cycle.doha)  # a new year starts from 01

    assert (first.number, first.signed_on, first.status) == ("01/QĐ-UBND", DAY_2025, Decision.Status.ISSUED)
    assert second.number == "02/QĐ-UBND"
    assert third.number == "01/QĐ-UBND"
    assert first.issued_by == cycle.doha and first.issued_at is not None
    assert DecisionRegister.objects.get(province=places.province, year=2025).last_number == 2


def test_the_e_office_s_number_is_recorded_and_the_register_continues_after_it(places, cycle):  # noqa: F811
    recorded = decision_issue(
        decision=draft_only(places.province, [cycle.first], cycle.doha),
        number=" 1234/qđ-ubnd ",
        signed_on=DAY_2025,
        by=cycle.leader,
    )
    following = decision_issue(
        decision=draft_only(places.province, [cycle.second], cycle.doha), signed_on=DAY_2025, by=cycle.doha
    )

    assert recorded.number == "1234/QĐ-UBND"
    assert following.number == "1235/QĐ-UBND"


@pytest.mark.parametrize("number", ["abc", "125", "125/QĐ", "0/QĐ-UBND", "125/QD-UBND", "12a/QĐ-UBND"])
def test_a_number_not_in_the_register_s_form_is_refused_and_nothing_changes(places, cycle, number):  # noqa: F811
    decision = draft_only(places.province, [cycle.first], cycle.doha)

    with pytest.raises(ScoringError) as refused:
        decision_issue(decision=decision, number=number, signed_on=DAY_2025, by=cycle.doha)

    decision.refresh_from_db()
    assert str(refused.value) == BAD_NUMBER % {"number": number}
    assert (decision.number, decision.signed_on, decision.status) == ("", None, Decision.Status.DRAFT)


def test_a_number_is_given_once_a_year_but_comes_back_the_next_year(places, cycle):  # noqa: F811
    decision_issue(
        decision=draft_only(places.province, [cycle.first], cycle.doha),
        number="7/QĐ-UBND",
        signed_on=DAY_2025,
        by=cycle.doha,
    )
    second = draft_only(places.province, [cycle.second], cycle.doha)

    with pytest.raises(ScoringError) as refused:
        decision_issue(decision=second, number="07/QĐ-UBND", signed_on=DAY_2025, by=cycle.doha)
    next_year = decision_issue(decision=second, number="7/QĐ-UBND", signed_on=DAY_2026, by=cycle.doha)

    assert str(refused.value) == NUMBER_TAKEN % {"number": "07/QĐ-UBND", "year": 2025}
    assert (next_year.number, next_year.register_year) == ("7/QĐ-UBND", 2026)


def test_a_number_taken_behind_the_register_s_back_is_skipped_not_given_twice(places, cycle, monkeypatch):  # noqa: F811
    # A concurrent issue wrote 01 after this one read the register: the unique constraint refuses the
    # duplicate and the issue takes the number after it.
    decision_issue(
        decision=draft_only(places.province, [cycle.first], cycle.doha),
        number="01/QĐ-UBND",
        signed_on=DAY_2025,
        by=cycle.doha,
    )
    DecisionRegister.objects.update(last_number=0)
    monkeypatch.setattr(register, "_highest", lambda province, year: 0)

    issued = decision_issue(
        decision=draft_only(places.province, [cycle.second], cycle.doha), signed_on=DAY_2025, by=cycle.doha
    )

    assert issued.number == "02/QĐ-UBND"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_issues_never_get_the_same_number(places, cycle):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the race needs PostgreSQL's row locks")
    drafts = [draft_only(places.province, [a], cycle.doha) for a in (cycle.first, cycle.second)]
    numbers, barrier = [], threading.Barrier(2)

    def issue(decision):
        barrier.wait()
        try:
            numbers.append(decision_issue(decision=decision, signed_on=DAY_2025, by=None).number)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(numbers) == ["01/QĐ-UBND", "02/QĐ-UBND"]


def test_a_date_later_than_today_or_before_the_year_assessed_is_refused(places, cycle):  # noqa: F811
    decision = draft_only(places.province, [cycle.first], cycle.doha)

    with pytest.raises(ScoringError) as future:
        decision_issue(decision=decision, signed_on=datetime.date(2099, 1, 1), by=cycle.doha)
    with pytest.raises(ScoringError):
        decision_issue(decision=decision, signed_on=datetime.date(2024, 12, 31), by=cycle.doha)

    assert str(future.value) == str(DATE_IN_FUTURE)
    assert not DecisionRegister.objects.filter(last_number__gt=0).exists()


def test_the_leader_approves_only_an_issued_decision_and_then_its_number_stays(places, cycle):  # noqa: F811
    decision = draft_only(places.province, [cycle.first], cycle.doha)

    with pytest.raises(ScoringError) as refused:
        decision_approve(decision=decision, by=cycle.leader)
    decision = decision_issue(decision=decision, number="15/QĐ-UBND", signed_on=DAY_2025, by=cycle.doha)
    corrected = decision_issue(decision=decision, number="16/QĐ-UBND", signed_on=DAY_2025, by=cycle.doha)
    approved = decision_approve(decision=corrected, by=cycle.leader)

    assert str(refused.value) == str(NOT_ISSUED)
    assert (approved.number, approved.status) == ("16/QĐ-UBND", Decision.Status.APPROVED)
    with pytest.raises(ScoringError):
        decision_issue(decision=approved, number="17/QĐ-UBND", signed_on=DAY_2025, by=cycle.doha)


# --- The page -------------------------------------------------------------------------------------


def test_doha_issues_the_draft_on_its_page_and_the_leader_then_sees_it_to_approve(client, places, cycle):  # noqa: F811
    decision = draft_only(places.province, [cycle.first], cycle.doha)
    url = reverse("scoring:decision_issue", kwargs={"pk": decision.pk})
    client.force_login(cycle.doha)

    refused = client.post(url, {"source": "recorded", "number": "abc", "signed_on": "2025-12-30"})
    decision.refresh_from_db()
    assert refused.status_code == 400 and decision.is_draft
    with translation.override("vi"):
        assert (BAD_NUMBER % {"number": "abc"}).split("abc")[0] in refused.content.decode()
    issued = client.post(url, {"source": "next", "number": "", "signed_on": "2025-12-30"})
    client.force_login(cycle.leader)
    page = client.get(reverse("scoring:decision", kwargs={"pk": decision.pk})).content.decode()

    decision.refresh_from_db()
    assert issued.status_code == 302
    assert (decision.number, decision.signed_on) == ("01/QĐ-UBND", DAY_2025)
    assert reverse("scoring:decision_approve", kwargs={"pk": decision.pk}) in page
    assert list(Decision.objects.to_approve()) == [decision]
