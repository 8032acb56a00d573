"""The deciding services (Law 10/2022/QH15, art. 15–21): what the law refuses at the proposal, the whole
ballot path from the printed ballots to the commune's recognition, a meeting without its quorum, online
votes by verified representatives only, secret ballots and the five working days to send a result."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from core import clock
from democracy.models import (
    Ballot,
    Category,
    Channel,
    Choice,
    Decision,
    DecisionStatus,
    Form,
    Matter,
    MatterStatus,
    Proposer,
    Tally,
)
from democracy.services import (
    DemocracyError,
    ballot_answer_online,
    ballot_by_code,
    ballot_enter,
    decision_cosign,
    decision_count,
    decision_send,
    decision_switch_to_ballots,
    decisions_count_due,
    matter_open,
    matter_propose,
    matter_recognise,
    matter_refuse,
    meeting_record,
    vote_online,
)
from democracy.services.matters import INITIATIVE_VALID_DAYS
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import HouseholdFactory, VillageFactory, village_with_households
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def minutes() -> ContentFile:
    return ContentFile(PDF, name="bien-ban.pdf")


@pytest.fixture
def officer():
    return UserFactory()


def propose(village, category, form, by, **kwargs) -> Matter:
    defaults = {"proposer": Proposer.VILLAGE_HEAD, "title": "Việc thử", "summary": "Nội dung việc thử."}
    return matter_propose(
        commune=kwargs.pop("commune", None) or village.commune,
        village=village,
        category=category,
        form=form,
        by=by,
        **{**defaults, **kwargs},
    )


def open_ballots(matter, by, *, hours: int = 24) -> Decision:
    now = timezone.now()
    matter_open(matter=matter, starts_at=now - HOUR, ends_at=now + hours * HOUR, by=by)
    return matter.decisions.get()


def close(decision) -> Decision:
    """Time passes: the ballots' return date is over."""
    Decision.objects.filter(pk=decision.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    decision.refresh_from_db()
    return decision


def refused(call, **kwargs) -> DemocracyError:
    with pytest.raises(DemocracyError) as error:
        call(**kwargs)
    return error.value


# --- What the law refuses at the proposal --------------------------------------------------------------


@pytest.mark.parametrize("category", [1, 2, 3, 4, 5])
def test_an_online_vote_is_refused_for_items_1_to_5(officer, category):
    village = VillageFactory(households=24)
    error = refused(propose, village=village, category=category, form=Form.ONLINE, by=officer)
    assert error.field == "form"
    assert not Matter.objects.exists()


@pytest.mark.parametrize("category", [Category.CONVENTION, Category.VILLAGE_HEAD, Category.BOARDS])
def test_items_3_to_5_are_refused_by_ballot(officer, category):
    village = VillageFactory(households=24)
    error = refused(propose, village=village, category=category, form=Form.BALLOT, by=officer)
    assert error.field == "form"
    assert propose(village, category, Form.MEETING, officer).form == Form.MEETING


@pytest.mark.parametrize("category", [3, 4, 5, 6])
def test_only_items_1_and_2_are_decided_commune_wide(officer, category):
    commune = CommuneFactory()
    error = refused(
        propose, village=None, commune=commune, category=category, form=Form.MEETING, by=officer,
        proposer=Proposer.CHAIRMAN,
    )  # fmt: skip
    assert error.field == "village"
    assert not Matter.objects.exists()


def test_a_commune_wide_matter_is_proposed_by_the_chairman(officer):
    commune = CommuneFactory()
    kwargs = {"village": None, "commune": commune, "category": Category.CONTRIBUTIONS, "form": Form.BALLOT}
    assert refused(propose, by=officer, **kwargs).field == "proposer"
    assert propose(by=officer, proposer=Proposer.CHAIRMAN, **kwargs).is_commune_wide


def test_a_village_of_another_commune_or_one_that_ended_is_refused(officer):
    other = VillageFactory()
    ended = VillageFactory(valid_until=datetime.date(2025, 6, 30))
    for village, commune in ((other, CommuneFactory()), (ended, ended.commune)):
        error = refused(
            propose, village=village, commune=commune, category=6, form=Form.MEETING, by=officer
        )  # fmt: skip
        assert error.field == "village"


def initiative(village, officer, households, collected_on, **kwargs) -> Matter:
    return propose(
        village, Category.SELF_MANAGED, Form.MEETING, officer, proposer=Proposer.RESIDENTS,
        initiative_households=households, initiative_collected_on=collected_on, **kwargs,
    )  # fmt: skip


def test_a_residents_initiative_under_10_percent_needs_the_front_endorsement(officer):
    village = VillageFactory(households=24)
    today = clock.today()

    error = refused(initiative, village=village, officer=officer, households=2, collected_on=today)
    endorsed = initiative(village, officer, 2, today, front_endorsed=True)
    ten_percent = initiative(village, officer, 3, today)  # 3 of 24 is 12.5%

    assert error.field == "initiative_households"
    assert "3" in error.message  # the households needed, ceil(24 / 10)
    assert (endorsed.front_endorsed, endorsed.initiative_households) == (True, 2)
    assert ten_percent.initiative_households == 3


def test_a_residents_initiative_needs_its_support_collected_within_3_months(officer):
    village = VillageFactory(households=24)
    today = clock.today()
    stale = today - datetime.timedelta(days=INITIATIVE_VALID_DAYS + 1)

    assert refused(initiative, village=village, officer=officer, households=20, collected_on=stale).field == (
        "initiative_collected_on"
    )
    future = today + datetime.timedelta(days=1)
    assert refused(initiative, village=village, officer=officer, households=20, collected_on=future).field == (
        "initiative_collected_on"
    )
    assert refused(initiative, village=village, officer=officer, households=None, collected_on=today).field == (
        "initiative_households"
    )
    assert not Matter.objects.exists()
    last_day = today - datetime.timedelta(days=INITIATIVE_VALID_DAYS)
    assert initiative(village, officer, 20, last_day).initiative_collected_on == last_day


def test_a_meeting_votes_by_show_of_hands_so_its_matter_is_not_secret(officer):
    village = VillageFactory(households=24)
    assert propose(village, Category.CONVENTION, Form.MEETING, officer, secret=True).secret is False
    assert propose(village, Category.SELF_MANAGED, Form.BALLOT, officer).secret is True


# --- The ballot path, from printing to recognition -----------------------------------------------------------


def test_the_whole_ballot_path(officer):
    village = village_with_households(6)
    matter = propose(village, Category.CONTRIBUTIONS, Form.BALLOT, officer)
    head, front, chairman = UserFactory(), UserFactory(), UserFactory()

    decision = open_ballots(matter, head)
    ballots = list(decision.ballots.order_by("household__number"))
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DECIDING
    assert (decision.status, decision.households_total) == (DecisionStatus.OPEN, 6)
    assert sorted(b.household_id for b in ballots) == sorted(village.household_list.values_list("pk", flat=True))
    assert len({b.code for b in ballots}) == 6
    assert refused(matter_open, matter=matter, starts_at=timezone.now(), ends_at=timezone.now() + HOUR, by=head)

    for ballot in ballots[:3]:
        ballot_enter(ballot=ballot, choice=Choice.FOR, by=head)
    ballot_enter(ballot=ballots[3], choice=Choice.AGAINST, by=head)
    # The household types its code as printed, with the dash, in lower case.
    found = ballot_by_code(f"{ballots[4].code[:4].lower()}-{ballots[4].code[4:]}")
    answered = ballot_answer_online(ballot=found, choice=Choice.FOR)
    assert (answered.channel, answered.cast_on) == (Channel.CODE, clock.today())
    assert refused(ballot_answer_online, ballot=ballot_by_code(ballots[4].code), choice=Choice.AGAINST)
    assert refused(ballot_enter, ballot=ballots[0], choice=Choice.AGAINST, by=head)
    assert refused(ballot_enter, ballot=ballots[5], choice="maybe", by=head).field == "choice"

    assert refused(decision_count, decision=decision, by=head)  # still open until ends_at
    tally = Tally.objects.get(decision=decision)
    assert (tally.votes_for, tally.votes_against, tally.votes_abstain) == (4, 1, 0)
    assert refused(decision_cosign, decision=decision, by=front)
    assert refused(matter_recognise, matter=matter, number="1/QĐ-UBND", on=clock.today(), by=chairman)

    counted = decision_count(decision=close(decision), by=head)
    assert (counted.status, counted.votes_for, counted.votes_against, counted.votes_abstain) == (
        DecisionStatus.COUNTED, 4, 1, 0,
    )  # fmt: skip
    assert counted.households_present == 5
    assert counted.passed is True  # 4 of 6 households is two thirds
    assert counted.decided_on == clock.date_of(counted.ends_at)
    assert decision_count(decision=counted).status == DecisionStatus.COUNTED  # counting twice changes nothing
    assert refused(ballot_enter, ballot=Ballot.objects.get(pk=ballots[5].pk), choice=Choice.FOR, by=head)

    assert refused(decision_send, decision=counted, by=head)  # not co-signed yet
    cosigned = decision_cosign(decision=counted, by=front)
    assert (cosigned.status, cosigned.cosigned_by) == (DecisionStatus.COSIGNED, front)
    assert refused(decision_cosign, decision=cosigned, by=front)
    sent = decision_send(decision=cosigned, by=head)
    assert (sent.status, sent.sent_on, sent.sent_late) == (DecisionStatus.SENT, clock.today(), False)
    assert refused(decision_send, decision=sent, by=head)

    matter.refresh_from_db()
    assert (matter.status, matter.passed, matter.villages_total, matter.villages_for) == (
        MatterStatus.DECIDED, True, 1, 1,
    )  # fmt: skip
    assert refused(matter_recognise, matter=matter, number="  ", on=clock.today(), by=chairman).field == "number"
    tomorrow = clock.today() + datetime.timedelta(days=1)
    assert refused(matter_recognise, matter=matter, number="12/QĐ-UBND", on=tomorrow, by=chairman).field == "on"
    recognised = matter_recognise(matter=matter, number=" 12/QĐ-UBND ", on=clock.today(), by=chairman)
    assert (recognised.status, recognised.recognition_number, recognised.is_frozen) == (
        MatterStatus.RECOGNISED, "12/QĐ-UBND", True,
    )  # fmt: skip

    # Frozen: the commune's act is not made twice, nor undone.
    assert refused(matter_recognise, matter=matter, number="13/QĐ-UBND", on=clock.today(), by=chairman)
    assert refused(matter_refuse, matter=matter, reason="Lý do đủ dài để ghi.", on=clock.today(), by=chairman)
    matter.refresh_from_db()
    assert (matter.status, matter.recognition_number) == (MatterStatus.RECOGNISED, "12/QĐ-UBND")


def test_fewer_than_two_thirds_fails_and_the_commune_may_refuse_with_reasons(officer):
    village = village_with_households(6)
    matter = propose(village, Category.CONTRIBUTIONS, Form.BALLOT, officer)
    decision = open_ballots(matter, officer)
    for ballot in decision.ballots.all()[:3]:
        ballot_enter(ballot=ballot, choice=Choice.FOR, by=officer)

    counted = decision_count(decision=close(decision))
    decision_send(decision=decision_cosign(decision=counted, by=officer), by=officer)
    matter.refresh_from_db()

    assert (counted.votes_for, counted.passed, matter.passed) == (3, False, False)  # 3 of 6 < 4
    assert refused(matter_refuse, matter=matter, reason="ngắn", on=clock.today(), by=officer).field == "reason"
    ruled = matter_refuse(matter=matter, reason="Việc vượt thẩm quyền của cộng đồng.", on=clock.today(), by=officer)
    assert (ruled.status, ruled.is_frozen) == (MatterStatus.REFUSED, True)


def test_an_online_answer_outside_the_voting_time_is_refused_but_paper_is_entered(officer):
    village = village_with_households(3)
    matter = propose(village, Category.SELF_MANAGED, Form.BALLOT, officer)
    now = timezone.now()
    matter_open(matter=matter, starts_at=now + HOUR, ends_at=now + 3 * HOUR, by=officer)
    first, second = matter.decisions.get().ballots.all()[:2]

    assert refused(ballot_answer_online, ballot=first, choice=Choice.FOR)
    assert ballot_enter(ballot=second, choice=Choice.FOR, by=officer).channel == Channel.PAPER
    first.refresh_from_db()
    assert first.cast_on is None


def test_a_commune_wide_matter_passes_with_two_thirds_of_the_villages(officer):
    commune = CommuneFactory()
    villages = [village_with_households(3, commune=commune) for _ in range(3)]
    matter = propose(
        None, Category.CONTRIBUTIONS, Form.BALLOT, officer, commune=commune, proposer=Proposer.CHAIRMAN
    )  # fmt: skip
    now = timezone.now()
    matter_open(matter=matter, starts_at=now - HOUR, ends_at=now + HOUR, by=officer)
    decisions = {d.village_id: d for d in matter.decisions.all()}
    assert set(decisions) == {v.pk for v in villages}

    for village, votes_for in zip(villages, (2, 3, 1), strict=True):
        for ballot in decisions[village.pk].ballots.all()[:votes_for]:
            ballot_enter(ballot=ballot, choice=Choice.FOR, by=officer)
    for index, village in enumerate(villages):
        counted = decision_count(decision=close(decisions[village.pk]))
        decision_send(decision=decision_cosign(decision=counted, by=officer), by=officer)
        matter.refresh_from_db()
        if index < 2:
            assert matter.status == MatterStatus.DECIDING  # waits for every village

    assert (matter.status, matter.villages_total, matter.villages_for, matter.passed) == (
        MatterStatus.DECIDED, 3, 2, True,
    )  # fmt: skip


def test_a_ballot_read_before_the_count_is_not_entered_after_it(officer):
    decision = open_ballots(propose(village_with_households(3), 6, Form.BALLOT, officer), officer)
    ballot = decision.ballots.select_related("decision__matter").first()  # the form shown before the count
    decision_count(decision=close(decision))

    assert refused(ballot_enter, ballot=ballot, choice=Choice.FOR, by=officer)
    ballot.refresh_from_db()
    assert ballot.cast_on is None


def test_the_periodic_count_closes_only_what_is_over(officer):
    over = open_ballots(propose(village_with_households(2), 6, Form.BALLOT, officer), officer)
    running = open_ballots(propose(village_with_households(2), 6, Form.BALLOT, officer), officer)
    close(over)

    assert decisions_count_due() == 1
    over.refresh_from_db()
    running.refresh_from_db()
    assert (over.status, running.status) == (DecisionStatus.COUNTED, DecisionStatus.OPEN)


# --- A meeting, and ballots when it failed its quorum ------------------------------------------------------


def open_meeting(village, officer, category=Category.CONVENTION) -> Decision:
    matter = propose(village, category, Form.MEETING, officer)
    assert refused(matter_open, matter=matter, starts_at=timezone.now(), by=officer).field == "place"
    matter_open(matter=matter, starts_at=timezone.now() - HOUR, place="Nhà văn hoá", by=officer)
    return matter.decisions.get()


def test_a_meeting_without_quorum_decides_nothing_and_gives_way_to_ballots(officer):
    village = village_with_households(24)
    decision = open_meeting(village, officer)
    assert refused(
        decision_switch_to_ballots, decision=decision, ends_at=timezone.now() + HOUR, by=officer
    )  # fmt: skip

    failed = meeting_record(decision=decision, present=12, votes_for=12, votes_against=0, votes_abstain=0, by=officer)
    assert (failed.status, failed.quorum_met, failed.votes_for, failed.passed) == (
        DecisionStatus.OPEN, False, None, None,
    )  # fmt: skip
    past = timezone.now() - HOUR
    assert refused(decision_switch_to_ballots, decision=failed, ends_at=past, by=officer).field == "ends_at"

    switched = decision_switch_to_ballots(decision=failed, ends_at=timezone.now() + 24 * HOUR, by=officer)
    assert (switched.form, switched.status, switched.households_total) == (Form.BALLOT, DecisionStatus.OPEN, 24)
    assert switched.ballots.count() == 24
    assert Tally.objects.filter(decision=switched).exists()
    assert refused(
        meeting_record, decision=switched, present=20, votes_for=20, votes_against=0, votes_abstain=0, by=officer
    )  # fmt: skip


def test_a_meeting_with_quorum_records_the_show_of_hands(officer):
    village = village_with_households(24)
    decision = open_meeting(village, officer)
    kwargs = {"decision": decision, "by": officer}

    assert refused(meeting_record, present=25, votes_for=13, votes_against=0, votes_abstain=0, **kwargs).field == (
        "present"
    )
    assert refused(meeting_record, present=13, votes_for=13, votes_against=1, votes_abstain=0, **kwargs).field == (
        "votes_for"
    )
    assert refused(meeting_record, present=13, votes_for=13, votes_against=0, votes_abstain=0, **kwargs).field == (
        "minutes"
    )
    decision.refresh_from_db()
    assert decision.households_present is None  # nothing was written

    recorded = meeting_record(present=13, votes_for=13, votes_against=0, votes_abstain=0, minutes=minutes(), **kwargs)
    assert (recorded.status, recorded.quorum_met, recorded.passed) == (DecisionStatus.COUNTED, True, True)
    assert recorded.decided_on == clock.date_of(recorded.starts_at)
    assert recorded.minutes.name.endswith(".pdf")
    assert refused(meeting_record, present=13, votes_for=13, votes_against=0, votes_abstain=0, **kwargs)


def test_at_a_meeting_half_of_the_households_in_favour_is_not_enough(officer):
    decision = open_meeting(village_with_households(24), officer)
    recorded = meeting_record(
        decision=decision, present=20, votes_for=12, votes_against=8, votes_abstain=0, minutes=minutes(), by=officer
    )  # fmt: skip
    assert (recorded.quorum_met, recorded.passed) == (True, False)


# --- Online votes: the verified representative only -----------------------------------------------------------


def test_only_a_verified_representative_votes_online_once(officer):
    village = village_with_households(5)
    verified, unverified, moved, stranger = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    first, second, third = village.household_list.order_by("number")[:3]
    now = timezone.now()
    first.representative_account, first.verified_at, first.verified_by = verified, now, officer
    first.save()
    second.representative_account = unverified  # not yet verified by the village head
    second.save()
    third.representative_account, third.verified_at, third.active = moved, now, False
    third.save()
    matter = propose(village, Category.SELF_MANAGED, Form.ONLINE, officer)
    decision = open_ballots(matter, officer)

    for user in (unverified, moved, stranger, AnonymousUser()):
        assert refused(vote_online, decision=decision, user=user, choice=Choice.FOR)
    ballot = vote_online(decision=decision, user=verified, choice=Choice.AGAINST)
    assert (ballot.household, ballot.channel, ballot.entered_by) == (first, Channel.ACCOUNT, verified)
    assert refused(vote_online, decision=decision, user=verified, choice=Choice.FOR)

    tally = Tally.objects.get(decision=decision)
    assert (tally.votes_for, tally.votes_against) == (0, 1)


def test_a_household_that_moved_in_after_the_vote_opened_has_no_ballot(officer):
    village = village_with_households(3)
    decision = open_ballots(propose(village, Category.SELF_MANAGED, Form.ONLINE, officer), officer)
    newcomer = UserFactory()
    HouseholdFactory(village=village, representative_account=newcomer, verified_at=timezone.now())

    assert refused(vote_online, decision=decision, user=newcomer, choice=Choice.FOR)
    assert not Ballot.objects.filter(household__representative_account=newcomer).exists()


# --- Secrecy ------------------------------------------------------------------------------------------------------


def cast_all(decision, officer, choices) -> None:
    for ballot, choice in zip(decision.ballots.order_by("household__number"), choices, strict=False):
        ballot_enter(ballot=ballot, choice=choice, by=officer)


def test_a_secret_matter_keeps_no_choice_on_any_ballot_only_the_count(officer):
    village = village_with_households(5)
    decision = open_ballots(propose(village, Category.SELF_MANAGED, Form.BALLOT, officer), officer)
    first, *others = decision.ballots.order_by("household__number")[:4]
    ballot_answer_online(ballot=first, choice=Choice.ABSTAIN)
    for ballot, choice in zip(others, (Choice.FOR, Choice.FOR, Choice.AGAINST), strict=True):
        ballot_enter(ballot=ballot, choice=choice, by=officer)

    assert decision.ballots.filter(cast_on__isnull=False).count() == 4
    assert not decision.ballots.exclude(choice="").exists()
    tally = Tally.objects.get(decision=decision)
    assert (tally.votes_for, tally.votes_against, tally.votes_abstain) == (2, 1, 1)
    counted = decision_count(decision=close(decision))
    assert (counted.votes_for, counted.votes_against, counted.votes_abstain) == (2, 1, 1)


def test_a_matter_that_is_not_secret_keeps_each_households_choice(officer):
    village = village_with_households(3)
    matter = propose(village, Category.SELF_MANAGED, Form.BALLOT, officer, secret=False)
    decision = open_ballots(matter, officer)
    cast_all(decision, officer, [Choice.FOR, Choice.AGAINST, Choice.ABSTAIN])

    assert list(decision.ballots.order_by("household__number").values_list("choice", flat=True)) == [
        Choice.FOR, Choice.AGAINST, Choice.ABSTAIN,
    ]  # fmt: skip
    tally = Tally.objects.get(decision=decision)
    assert (tally.votes_for, tally.votes_against, tally.votes_abstain) == (1, 1, 1)


# --- Five working days to send the result (art. 20(3)) ----------------------------------------------------------


def test_a_result_is_due_5_working_days_after_the_decision_and_late_the_6th():
    monday = datetime.date(2025, 3, 3)
    decision = Decision(decided_on=monday)

    assert decision.send_due == datetime.date(2025, 3, 10)  # Monday to Monday: 5 working days
    assert decision.sent_late is False  # not sent yet
    decision.sent_on = datetime.date(2025, 3, 10)
    assert decision.sent_late is False
    decision.sent_on = datetime.date(2025, 3, 11)  # the 6th working day
    assert decision.sent_late is True


def test_the_working_days_skip_holidays_and_count_exchanged_saturdays():
    # Friday 25/04/2025; Saturday 26/04 was worked in exchange for Friday 02/05; 30/04 and 01/05 are holidays.
    decision = Decision(decided_on=datetime.date(2025, 4, 25), sent_on=datetime.date(2025, 5, 6))

    assert decision.send_due == datetime.date(2025, 5, 6)
    assert decision.sent_late is False
    decision.sent_on = datetime.date(2025, 5, 7)
    assert decision.sent_late is True


def test_a_decision_not_yet_decided_has_no_due_date():
    assert Decision().send_due is None
    assert Decision(sent_on=datetime.date(2025, 3, 3)).sent_late is False
