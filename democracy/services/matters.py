"""Matters residents decide, from the proposal to the commune's recognition (Law 10/2022/QH15,
art. 15–21). Every function checks the law's rule it carries and raises DemocracyError with a message
for the person who asked; nothing is written then."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communes.models import Commune, Village
from core import clock
from core.codes import normalise, paper_code
from democracy.models import (
    Ballot,
    Channel,
    Choice,
    Decision,
    DecisionStatus,
    Form,
    Household,
    Matter,
    MatterStatus,
    Proposer,
    Tally,
)
from democracy.services import thresholds
from democracy.services.errors import DemocracyError
from democracy.services.subscriptions import subscribers_notify

INITIATIVE_VALID_DAYS = 92  # art. 16(3): households' support is valid for 3 months
BALLOT_CODE_LENGTH = 8


def _lock(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


# --- Proposing ---------------------------------------------------------------------------------------


def _check_proposal(
    *,
    commune: Commune,
    village: Village | None,
    category: int,
    form: str,
    proposer: str,
    initiative_households: int | None,
    initiative_collected_on: datetime.date | None,
    front_endorsed: bool,
) -> None:
    if village is not None and (village.commune_id != commune.pk or not village.is_current):
        raise DemocracyError(_("Choose a village of this commune that still exists."), "village")
    if village is None:
        if category not in thresholds.TWO_THIRDS_ITEMS:
            raise DemocracyError(
                _(
                    "Only residents' contributions and community funds (items 1–2 of art. 15) are decided by the"
                    " whole commune; choose the village."
                ),
                "village",
            )
        if proposer != Proposer.CHAIRMAN:
            raise DemocracyError(_("A matter for the whole commune is proposed by the commune chairman."), "proposer")
    if form not in thresholds.forms_allowed(category):
        if form == Form.ONLINE:
            message = _("An online vote is allowed only for other self-managed work of the community (art. 17(2)).")
        else:
            message = _("This kind of matter is decided at a community meeting (art. 17(2)).")
        raise DemocracyError(message, "form")
    if proposer == Proposer.RESIDENTS:
        if village is None:
            raise DemocracyError(_("Residents propose a matter for their own village."), "village")
        if initiative_households is None or initiative_collected_on is None:
            raise DemocracyError(
                _("Give how many households support the initiative and when their support was collected."),
                "initiative_households",
            )
        today = clock.today()
        if initiative_collected_on > today:
            raise DemocracyError(_("The support cannot be collected in the future."), "initiative_collected_on")
        if (today - initiative_collected_on).days > INITIATIVE_VALID_DAYS:
            raise DemocracyError(
                _("Households' support is valid for 3 months (art. 16(3)); collect it again."),
                "initiative_collected_on",
            )
        if 10 * initiative_households < village.households and not front_endorsed:
            raise DemocracyError(
                _(
                    "An initiative needs the support of at least 10%% of the %(n)s households (%(needed)s),"
                    " or the village Front work committee's endorsement (art. 16(3))."
                )
                % {"n": village.households, "needed": -(-village.households // 10)},
                "initiative_households",
            )


def matter_propose(
    *,
    commune: Commune,
    village: Village | None,
    title: str,
    summary: str,
    category: int,
    form: str,
    proposer: str,
    by,
    initiative_households: int | None = None,
    initiative_collected_on: datetime.date | None = None,
    front_endorsed: bool = False,
    secret: bool = True,
    document=None,
) -> Matter:
    _check_proposal(
        commune=commune,
        village=village,
        category=category,
        form=form,
        proposer=proposer,
        initiative_households=initiative_households,
        initiative_collected_on=initiative_collected_on,
        front_endorsed=front_endorsed,
    )
    matter = Matter(
        commune=commune,
        village=village,
        title=title.strip(),
        summary=summary.strip(),
        category=category,
        form=form,
        proposer=proposer,
        initiative_households=initiative_households if proposer == Proposer.RESIDENTS else None,
        initiative_collected_on=initiative_collected_on if proposer == Proposer.RESIDENTS else None,
        front_endorsed=front_endorsed,
        # A meeting votes by show of hands: secrecy is for ballots and online votes.
        secret=secret and form != Form.MEETING,
        created_by=by,
    )
    if document:
        matter.document = document
    matter._change_reason = "proposed"
    matter.save()
    return matter


# --- Opening the deciding ----------------------------------------------------------------------------


def _issue_ballots(decision: Decision) -> int:
    """One ballot per household living in the village; returns their number."""
    households = list(Household.objects.filter(village=decision.village, active=True).values_list("pk", flat=True))
    if not households:
        raise DemocracyError(
            _("%(village)s has no households on its list: the village head enters them before ballots are printed.")
            % {"village": decision.village}
        )
    # One INSERT for the village's ballots. A code already taken elsewhere (about one in 10^12 per
    # ballot) fails the whole batch in its savepoint: every code is then drawn again.
    for attempt in range(5):
        try:
            with transaction.atomic():
                Ballot.objects.bulk_create(
                    Ballot(decision=decision, household_id=household_id, code=paper_code(BALLOT_CODE_LENGTH))
                    for household_id in households
                )
            break
        except IntegrityError:
            if attempt == 4:
                raise
    Tally.objects.get_or_create(decision=decision)
    return len(households)


def _villages_deciding(matter: Matter) -> list[Village]:
    if matter.village_id:
        return [matter.village]
    return list(Village.objects.current().filter(commune=matter.commune).order_by("name"))


@transaction.atomic
def matter_open(
    *,
    matter: Matter,
    starts_at: datetime.datetime,
    by,
    ends_at: datetime.datetime | None = None,
    place: str = "",
) -> Matter:
    """Residents start deciding: a meeting is called, ballots are issued, or the online vote is set."""
    matter = _lock(Matter, matter.pk)
    if matter.status != MatterStatus.DRAFT:
        raise DemocracyError(_("This matter is already being decided."))
    if matter.form != Form.MEETING and (ends_at is None or ends_at <= starts_at):
        raise DemocracyError(_("Give when the ballots must be returned or the vote closes, after it opens."), "ends_at")
    if matter.form == Form.MEETING and not place.strip():
        raise DemocracyError(_("Give where the meeting is held."), "place")
    villages = _villages_deciding(matter)
    if not villages:
        raise DemocracyError(_("The commune has no villages on its list yet."))
    for village in villages:
        decision = Decision.objects.create(
            matter=matter,
            village=village,
            form=matter.form,
            status=DecisionStatus.OPEN,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            invited_on=clock.today(),
            households_total=village.households,
        )
        if matter.form == Form.MEETING:
            if village.households <= 0:
                raise DemocracyError(
                    _("Give the number of households of %(village)s first: the quorum is counted on it.")
                    % {"village": village}
                )
        else:
            decision.households_total = _issue_ballots(decision)
            decision.save(update_fields=["households_total"])
    matter.status = MatterStatus.DECIDING
    matter._change_reason = "opened"
    matter.save(update_fields=["status"])
    subscribers_notify(matter, "opened")
    return matter


# --- A meeting ---------------------------------------------------------------------------------------


def _decision_open(decision_pk: int) -> Decision:
    decision = _lock(Decision, decision_pk)
    if decision.status != DecisionStatus.OPEN:
        raise DemocracyError(_("This village has already counted its decision."))
    return decision


@transaction.atomic
def meeting_record(
    *,
    decision: Decision,
    present: int,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    by,
    minutes=None,
) -> Decision:
    """The meeting was held: the households represented and the show of hands. Without a quorum the
    meeting decides nothing; the head calls it again or, as art. 19(1) allows, issues ballots."""
    decision = _decision_open(decision.pk)
    if decision.form != Form.MEETING:
        raise DemocracyError(_("This village decides by ballots, not at a meeting."))
    total = decision.households_total or 0
    if present > total:
        raise DemocracyError(
            _("More households represented (%(present)s) than live in the village (%(total)s).")
            % {"present": present, "total": total},
            "present",
        )
    if votes_for + votes_against + votes_abstain > present:
        raise DemocracyError(_("More votes than households represented."), "votes_for")
    decision.households_present = present
    decision.quorum_met = thresholds.quorum_met(present, total)
    if decision.quorum_met:
        if not minutes:
            raise DemocracyError(_("Attach the meeting's minutes (PDF), signed as art. 20(2) says."), "minutes")
        decision.votes_for, decision.votes_against, decision.votes_abstain = votes_for, votes_against, votes_abstain
        decision.passed = thresholds.village_passes(decision.matter.category, votes_for, total)
        decision.decided_on = clock.date_of(decision.starts_at)
        decision.minutes = minutes
        decision.status = DecisionStatus.COUNTED
        decision._change_reason = "meeting recorded"
    else:
        decision._change_reason = "meeting without quorum"
    decision.save()
    return decision


@transaction.atomic
def meeting_reschedule(*, decision: Decision, starts_at: datetime.datetime, place: str, by) -> Decision:
    decision = _decision_open(decision.pk)
    if decision.form != Form.MEETING:
        raise DemocracyError(_("This village decides by ballots, not at a meeting."))
    decision.starts_at, decision.place = starts_at, place.strip() or decision.place
    decision.households_present, decision.quorum_met = None, None
    decision.invited_on = clock.today()
    decision._change_reason = "meeting called again"
    decision.save()
    return decision


@transaction.atomic
def decision_switch_to_ballots(*, decision: Decision, ends_at: datetime.datetime, by) -> Decision:
    """Art. 19(1): a meeting that could not gather its quorum gives way to household ballots, whatever
    the kind of matter."""
    decision = _decision_open(decision.pk)
    if decision.form != Form.MEETING or decision.quorum_met is not False:
        raise DemocracyError(_("Ballots replace a meeting only after it failed to gather its quorum."))
    now = timezone.now()
    if ends_at <= now:
        raise DemocracyError(_("Give when the ballots must be returned, in the future."), "ends_at")
    decision.form, decision.starts_at, decision.ends_at = Form.BALLOT, now, ends_at
    decision.households_total = _issue_ballots(decision)
    decision._change_reason = "ballots after a meeting without quorum"
    decision.save()
    return decision


# --- Ballots and online votes ------------------------------------------------------------------------


def _cast(ballot: Ballot, choice: str, channel: str, by) -> Ballot:
    if choice not in Choice.values:
        raise DemocracyError(_("Choose for, against or abstain."), "choice")
    now = timezone.now()
    with transaction.atomic():
        # Locked as decision_count locks it: a ballot cast while the vote is being counted waits, then
        # finds it closed, so no household is marked as taking part without being counted.
        decision = Decision.objects.select_for_update(of=("self",)).select_related("matter").get(pk=ballot.decision_id)
        if decision.status != DecisionStatus.OPEN or decision.form == Form.MEETING:
            raise DemocracyError(_("This vote is closed."))
        if channel != Channel.PAPER and not (decision.starts_at <= now < decision.ends_at):
            raise DemocracyError(_("This vote is not open now."))
        # Ballots that replaced a meeting without quorum are secret too: the meeting's show of hands was
        # open, a household's paper answer is not.
        secret = decision.matter.secret or decision.form != decision.matter.form
        # The conditional update is the one-household-one-voice rule under concurrency: of two requests
        # for the same ballot, the database lets exactly one change the row.
        changed = Ballot.objects.filter(pk=ballot.pk, cast_on__isnull=True).update(
            cast_on=clock.today(), channel=channel, choice="" if secret else choice, entered_by=by
        )
        if not changed:
            raise DemocracyError(_("This household's ballot was already returned: one household, one ballot."))
        field = {Choice.FOR: "votes_for", Choice.AGAINST: "votes_against", Choice.ABSTAIN: "votes_abstain"}[choice]
        Tally.objects.filter(decision_id=decision.pk).update(**{field: F(field) + 1})
    ballot.refresh_from_db()
    return ballot


def ballot_by_code(code: str) -> Ballot | None:
    return (
        Ballot.objects.select_related("decision__matter", "decision__village", "household")
        .filter(code=normalise(code))
        .first()
    )


def ballot_enter(*, ballot: Ballot, choice: str, by) -> Ballot:
    """A paper ballot returned to the village head, typed in by the head or an officer."""
    return _cast(ballot, choice, Channel.PAPER, by)


def ballot_answer_online(*, ballot: Ballot, choice: str) -> Ballot:
    """A household answering its ballot on the portal with the code printed on it."""
    return _cast(ballot, choice, Channel.CODE, None)


def household_of(*, decision: Decision, user) -> Household | None:
    """The household ``user`` is the verified representative of, in the deciding village."""
    if not user.is_authenticated:
        return None
    return Household.objects.filter(
        village_id=decision.village_id, representative_account=user, active=True, verified_at__isnull=False
    ).first()


def vote_online(*, decision: Decision, user, choice: str) -> Ballot:
    household = household_of(decision=decision, user=user)
    if household is None:
        raise DemocracyError(
            _("Only a household's representative verified by the village head votes online for the household.")
        )
    ballot = Ballot.objects.select_related("decision__matter").filter(decision=decision, household=household).first()
    if ballot is None:
        raise DemocracyError(_("This household had not moved in when the vote opened: it has no ballot here."))
    return _cast(ballot, choice, Channel.ACCOUNT, user)


# --- Counting, co-signing, sending ---------------------------------------------------------------------


@transaction.atomic
def decision_count(*, decision: Decision, by=None) -> Decision:
    """Close the ballots or the online vote and count them; the result is computed, never typed.
    Idempotent: a decision already counted is returned as it is."""
    decision = _lock(Decision, decision.pk)
    if decision.counted:
        return decision
    if decision.status != DecisionStatus.OPEN or decision.form == Form.MEETING:
        raise DemocracyError(_("A meeting's result is recorded from the meeting, not counted."))
    if timezone.now() < decision.ends_at:
        raise DemocracyError(
            _("The vote is open until %(end)s: it is counted after it closes.")
            % {"end": date_format(timezone.localtime(decision.ends_at, clock.VIETNAM), "SHORT_DATETIME_FORMAT")}
        )
    tally = Tally.objects.get(decision=decision)
    decision.votes_for, decision.votes_against, decision.votes_abstain = (
        tally.votes_for,
        tally.votes_against,
        tally.votes_abstain,
    )
    decision.households_present = decision.ballots.filter(cast_on__isnull=False).count()
    decision.passed = thresholds.village_passes(decision.matter.category, tally.votes_for, decision.households_total)
    decision.decided_on = clock.date_of(decision.ends_at)
    decision.status = DecisionStatus.COUNTED
    decision._change_reason = "counted"
    decision.save()
    return decision


def decisions_count_due() -> int:
    """The periodic task: every online vote and ballot whose time is over is counted."""
    due = Decision.objects.filter(status=DecisionStatus.OPEN, ends_at__lte=timezone.now()).exclude(form=Form.MEETING)
    counted = 0
    for decision in due:
        decision_count(decision=decision)
        counted += 1
    return counted


@transaction.atomic
def decision_cosign(*, decision: Decision, by) -> Decision:
    """The village Front work committee's head signs the result beside the village head (art. 20(2)(g))."""
    decision = _lock(Decision, decision.pk)
    if decision.status != DecisionStatus.COUNTED:
        raise DemocracyError(_("Only a counted result is co-signed, once."))
    decision.status, decision.cosigned_by, decision.cosigned_at = DecisionStatus.COSIGNED, by, timezone.now()
    decision._change_reason = "co-signed"
    decision.save()
    return decision


@transaction.atomic
def decision_send(*, decision: Decision, by, minutes=None) -> Decision:
    """The result goes to the commune People's Committee and Front committee (art. 20(3)); when every
    village deciding the matter has sent its own, the matter's result is computed."""
    decision = _lock(Decision, decision.pk)
    if decision.status != DecisionStatus.COSIGNED:
        raise DemocracyError(_("The result is sent once, after the Front work committee co-signed it."))
    if minutes:
        decision.minutes = minutes
    decision.status, decision.sent_by, decision.sent_on = DecisionStatus.SENT, by, clock.today()
    decision._change_reason = "sent to the commune"
    decision.save()
    matter = _lock(Matter, decision.matter_id)
    decisions = list(matter.decisions.all())
    if all(d.status == DecisionStatus.SENT for d in decisions):
        matter.villages_total = len(decisions)
        matter.villages_for = sum(1 for d in decisions if d.passed)
        if matter.is_commune_wide:
            matter.passed = thresholds.commune_passes(matter.villages_for, matter.villages_total)
        else:
            matter.passed = bool(decisions[0].passed)
        matter.status = MatterStatus.DECIDED
        matter._change_reason = "every village sent its result"
        matter.save()
    return decision


# --- The commune's recognition ---------------------------------------------------------------------------


@transaction.atomic
def matter_recognise(*, matter: Matter, number: str, on: datetime.date, by) -> Matter:
    matter = _lock(Matter, matter.pk)
    if matter.status != MatterStatus.DECIDED:
        raise DemocracyError(_("The commune recognises a result once every village has sent it."))
    if not number.strip():
        raise DemocracyError(_("Give the number of the commune's decision."), "number")
    if on > clock.today():
        raise DemocracyError(_("The decision cannot be dated in the future."), "on")
    matter.status, matter.recognition_number, matter.recognised_on = MatterStatus.RECOGNISED, number.strip(), on
    matter.recognised_by = by
    matter._change_reason = "recognised"
    matter.save()
    subscribers_notify(matter, "recognised")
    return matter


@transaction.atomic
def matter_refuse(*, matter: Matter, reason: str, on: datetime.date, by) -> Matter:
    matter = _lock(Matter, matter.pk)
    if matter.status != MatterStatus.DECIDED:
        raise DemocracyError(_("The commune rules on a result once every village has sent it."))
    if len(reason.strip()) < 10:
        raise DemocracyError(_("Give the reasons the result is not recognised (art. 20)."), "reason")
    if on > clock.today():
        raise DemocracyError(_("The decision cannot be dated in the future."), "on")
    matter.status, matter.recognition_reason, matter.recognised_on = MatterStatus.REFUSED, reason.strip(), on
    matter.recognised_by = by
    matter._change_reason = "refused"
    matter.save()
    subscribers_notify(matter, "refused")
    return matter
