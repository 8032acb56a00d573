"""The law's arithmetic (Law 10/2022/QH15, art. 17, 21), exact at its boundaries: integers only, so a
village one household short of the threshold fails and the next one passes."""

import pytest

from democracy.models import Category, Form
from democracy.services import thresholds

ALL_ITEMS = [c.value for c in Category]


# --- Which form a matter may take (art. 17(2)) ---------------------------------------------------------


@pytest.mark.parametrize("category", [Category.CONTRIBUTIONS, Category.COMMUNITY_FUNDS])
def test_contributions_and_funds_go_to_a_meeting_or_ballots_never_online(category):
    assert thresholds.forms_allowed(category) == [Form.MEETING, Form.BALLOT]


@pytest.mark.parametrize("category", [Category.CONVENTION, Category.VILLAGE_HEAD, Category.BOARDS])
def test_items_3_to_5_are_decided_at_a_meeting_and_by_ballots_only_after_it_failed(category):
    assert thresholds.forms_allowed(category) == [Form.MEETING]
    assert thresholds.forms_allowed(category, meeting_failed=True) == [Form.MEETING, Form.BALLOT]


def test_only_other_self_managed_work_may_be_voted_online():
    assert thresholds.forms_allowed(Category.SELF_MANAGED) == [Form.MEETING, Form.BALLOT, Form.ONLINE]
    assert [c for c in ALL_ITEMS if Form.ONLINE in thresholds.forms_allowed(c, meeting_failed=True)] == [6]


# --- The meeting's quorum: more than half of the households represented --------------------------------


@pytest.mark.parametrize(
    ("present", "households", "met"),
    [(12, 24, False), (13, 24, True), (15, 30, False), (16, 30, True), (1, 1, True), (0, 1, False), (1, 2, False)],
)
def test_quorum_is_more_than_half_of_the_households(present, households, met):
    assert thresholds.quorum_met(present, households) is met


def test_a_village_without_households_never_has_a_quorum():
    assert thresholds.quorum_met(0, 0) is False


# --- A village's decision (art. 21(1)) -----------------------------------------------------------------


@pytest.mark.parametrize("category", [Category.CONTRIBUTIONS, Category.COMMUNITY_FUNDS])
def test_contributions_need_two_thirds_of_all_households_counted_exactly(category):
    # 2/3 of 30 = 20 exactly: 20 passes, 19 fails.
    assert thresholds.votes_needed(category, 30) == 20
    assert thresholds.village_passes(category, 20, 30) is True
    assert thresholds.village_passes(category, 19, 30) is False
    # 2/3 of 31 = 20.67: "from two thirds" rounds up to 21.
    assert thresholds.votes_needed(category, 31) == 21
    assert thresholds.village_passes(category, 20, 31) is False
    # 2/3 of 24 = 16.
    assert thresholds.votes_needed(category, 24) == 16
    assert thresholds.village_passes(category, 15, 24) is False


@pytest.mark.parametrize(
    "category", [Category.CONVENTION, Category.VILLAGE_HEAD, Category.BOARDS, Category.SELF_MANAGED]
)
def test_other_items_need_more_than_half_of_all_households(category):
    # Over half of 24 is 13: exactly half (12) is not enough.
    assert thresholds.votes_needed(category, 24) == 13
    assert thresholds.village_passes(category, 13, 24) is True
    assert thresholds.village_passes(category, 12, 24) is False
    # Over half of 25 is 13 as well (12.5 < 13).
    assert thresholds.votes_needed(category, 25) == 13
    assert thresholds.village_passes(category, 12, 25) is False


def test_the_threshold_counts_all_households_not_those_who_took_part():
    # 14 of the 24 households answered and all were in favour: 14 ≥ 13 passes; 12 of 12 does not.
    assert thresholds.village_passes(Category.SELF_MANAGED, 14, 24) is True
    assert thresholds.village_passes(Category.SELF_MANAGED, 12, 24) is False


def test_a_village_without_households_never_passes():
    assert thresholds.village_passes(Category.SELF_MANAGED, 0, 0) is False
    assert thresholds.village_passes(Category.CONTRIBUTIONS, 0, 0) is False


# --- Commune-wide: two thirds of the villages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("villages", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (9, 6), (10, 7), (12, 8)]
)
def test_commune_wide_matters_need_two_thirds_of_the_villages(villages, needed):
    assert thresholds.villages_needed(villages) == needed
    assert thresholds.commune_passes(needed, villages) is True
    assert thresholds.commune_passes(needed - 1, villages) is False


def test_a_commune_without_villages_passes_nothing():
    assert thresholds.commune_passes(0, 0) is False


# --- The rule as a citizen reads it ------------------------------------------------------------------------


def test_the_rule_text_names_the_households_and_the_votes_needed():
    contributions = thresholds.rule_for(Category.CONTRIBUTIONS, 30)
    self_managed = thresholds.rule_for(Category.SELF_MANAGED, 24)
    commune = thresholds.commune_rule(9)

    assert (contributions.needed, contributions.of) == (20, 30)
    assert "30" in contributions.text and "20" in contributions.text
    assert (self_managed.needed, self_managed.of) == (13, 24)
    assert "24" in self_managed.text and "13" in self_managed.text
    assert (commune.needed, commune.of) == (6, 9)
    assert "9" in commune.text and "6" in commune.text
