"""One household, one voice, under concurrency: two requests casting the same ballot at the same moment
(the head typing the paper ballot while the household answers with its code, or a double submit). On
PostgreSQL, row locks decide the race; SQLite takes one writer at a time, so the race needs PostgreSQL
(a missing PostgreSQL skips on a developer's machine and fails in CI, REQUIRE_SERVICES=1)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from democracy.models import Ballot, Category, Choice, Form, Proposer, Tally
from democracy.services import DemocracyError, ballot_answer_online, ballot_enter, matter_open, matter_propose
from tests.conftest import require
from tests.democracy.factories import village_with_households
from tests.portal.factories import UserFactory
from tests.surveys.test_services import at_once  # the same barrier of threads

HOUR = datetime.timedelta(hours=1)


def open_ballot_vote(households: int):
    officer = UserFactory()
    village = village_with_households(households)
    matter = matter_propose(
        commune=village.commune,
        village=village,
        title="Giờ đóng cổng ngõ",
        summary="Tổ dân phố quyết định giờ đóng cổng ngõ buổi tối.",
        category=Category.SELF_MANAGED,
        form=Form.BALLOT,
        proposer=Proposer.VILLAGE_HEAD,
        by=officer,
    )
    now = timezone.now()
    matter_open(matter=matter, starts_at=now - HOUR, ends_at=now + HOUR, by=officer)
    return matter.decisions.get(), officer


@pytest.mark.django_db(transaction=True)
def test_the_same_ballot_cast_twice_at_once_counts_once():
    require(connection.vendor == "postgresql", "PostgreSQL")
    decision, officer = open_ballot_vote(3)
    code = decision.ballots.order_by("household__number").values_list("code", flat=True).first()

    def cast(index):
        # Each request reads the ballot itself, as a view does.
        ballot = Ballot.objects.select_related("decision__matter").get(code=code)
        if index % 2:
            return ballot_answer_online(ballot=ballot, choice=Choice.AGAINST)
        return ballot_enter(ballot=ballot, choice=Choice.FOR, by=officer)

    outcomes = at_once(2, cast)

    cast_ballots = [outcome for outcome in outcomes if isinstance(outcome, Ballot)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, DemocracyError)]
    assert (len(cast_ballots), len(refusals)) == (1, 1), outcomes
    tally = Tally.objects.get(decision=decision)
    assert tally.votes_for + tally.votes_against + tally.votes_abstain == 1
    assert decision.ballots.filter(cast_on__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_double_submits_of_one_ballot_count_once_and_other_ballots_all_count():
    require(connection.vendor == "postgresql", "PostgreSQL")
    decision, officer = open_ballot_vote(4)
    codes = list(decision.ballots.order_by("household__number").values_list("code", flat=True))

    def cast(index):
        # Five requests race for the first ballot; the three others each cast their own.
        code = codes[0] if index < 5 else codes[index - 4]
        ballot = Ballot.objects.select_related("decision__matter").get(code=code)
        return ballot_enter(ballot=ballot, choice=Choice.FOR, by=officer)

    outcomes = at_once(8, cast)

    assert sum(isinstance(outcome, Ballot) for outcome in outcomes) == 4, outcomes
    assert sum(isinstance(outcome, DemocracyError) for outcome in outcomes) == 4, outcomes
    assert Tally.objects.get(decision=decision).votes_for == 4
    assert decision.ballots.filter(cast_on__isnull=False).count() == 4
