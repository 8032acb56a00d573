"""The recognition decision's steps: DoHA drafts it from final results, without a number or a date;
the records office issues it (``register``: the number of the body's register for the year, and the
date); the provincial leader approves it, which locks it and every assessment in it. Approval sends
``decision_approved`` after the commit; the certificates are made from ``decision_recognitions``.

Order of the steps: draft → issue (number, date) → approve. In the province the Chairman signs in the
e-office system and the records office then numbers and dates the signed text (Decree 30/2020/NĐ-CP,
art. 15); the portal's "issue" records that number and date (or gives the next number of the register
when the portal keeps it), and the leader's approval on the portal, which needs them, locks the results
and makes the certificates that cite them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import django.dispatch
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import clock, pagecache
from scoring.models import Assessment, Decision, DecisionEntry, DecisionGround, Status, Step
from scoring.services.common import ScoringError, steps_add
from scoring.services.decisions.document import (
    DEFAULT_RECIPIENTS,
    default_grounds,
    ground_problem,
    signer_title,
    split_lines,
)

NOT_ISSUED = _lazy("The decision has no number and date yet: the records office issues it first.")

# Sent after the approval is committed, with ``decision_id``.
decision_approved = django.dispatch.Signal()


def _entries_check(province, year: int, assessments, decision: Decision | None) -> list[Assessment]:
    assessments = list(assessments)
    if not assessments:
        raise ScoringError(_("Choose at least one commune to recognise."))
    for assessment in assessments:
        if assessment.criteria_set.province_id != province.pk or assessment.year != year:
            raise ScoringError(
                _("%(unit)s is not assessed by this province for this year.") % {"unit": assessment.unit_name}
            )
        if assessment.status != Status.FINAL:
            raise ScoringError(_("%(unit)s has no final result yet.") % {"unit": assessment.unit_name})
        if not assessment.stars:
            raise ScoringError(_("%(unit)s is not recognised: it has no star.") % {"unit": assessment.unit_name})
        entry = getattr(assessment, "decision_entry", None)
        if entry is not None and (decision is None or entry.decision_id != decision.pk):
            raise ScoringError(
                _("%(unit)s is already in decision %(number)s.")
                % {"unit": assessment.unit_name, "number": entry.decision}
            )
    return assessments


def _entries_write(decision: Decision, assessments: list[Assessment]) -> None:
    decision.entries.all().delete()
    ordered = sorted(assessments, key=lambda a: (-a.stars, -a.total, a.unit_name))
    DecisionEntry.objects.bulk_create(
        [
            DecisionEntry(
                decision=decision, assessment=a, unit_name=a.unit_name, total=a.total, stars=a.stars, position=i
            )
            for i, a in enumerate(ordered, start=1)
        ]
    )
    pagecache.bump("site")


def _grounds_write(decision: Decision, lines: list[str], *, keep_for_province: bool) -> None:
    problem = ground_problem(lines)
    if problem:
        raise ScoringError(problem)
    decision.grounds.all().delete()
    DecisionGround.objects.bulk_create(
        [DecisionGround(decision=decision, position=i, text=text) for i, text in enumerate(lines, start=1)]
    )
    if keep_for_province:
        decision.province.decision_grounds.all().delete()
        DecisionGround.objects.bulk_create(
            [DecisionGround(province=decision.province, position=i, text=text) for i, text in enumerate(lines, 1)]
        )
    pagecache.bump("site")


def decision_defaults(province) -> dict:
    """What a new draft starts from: the province's grounds (or the laws in force today), the recipients
    of its last decision (or the usual ones), and the last signer."""
    today = clock.today()
    last = Decision.objects.filter(province=province).order_by("-created_at", "-pk").first()
    return {
        "grounds": default_grounds(province, today),
        "recipients": last.recipient_lines if last and last.recipients else list(DEFAULT_RECIPIENTS),
        "signer_role": last.signer_role if last else Decision.SignerRole.CHAIRMAN,
        "signer_name": last.signer_name if last else "",
    }


def _text_fields(decision: Decision, fields: dict) -> None:
    for name in ("signer_role", "signer_name", "proposal_number", "proposal_date"):
        if name in fields:
            value = fields[name]
            setattr(decision, name, value.strip() if isinstance(value, str) else value)
    if "recipients" in fields:
        recipients = fields["recipients"]
        decision.recipients = "\n".join(recipients if isinstance(recipients, list) else split_lines(recipients))
    if not decision.signer_name:
        raise ScoringError(_("Give the signer's full name."))
    day = decision.signed_on or clock.today()
    decision.signer_title = signer_title(decision.signer_role, decision.province, day)


@transaction.atomic
def decision_draft(
    *,
    province,
    year: int,
    signer_name: str,
    assessments,
    by,
    signer_role: str = Decision.SignerRole.CHAIRMAN,
    grounds: list[str] | None = None,
    recipients: list[str] | str | None = None,
    proposal_number: str = "",
    proposal_date: datetime.date | None = None,
    keep_grounds: bool = False,
) -> Decision:
    """A draft decision recognising ``assessments`` (final results with at least one star). It has no
    number and no date: the records office gives them when it issues the decision."""
    chosen = _entries_check(province, year, assessments, None)
    defaults = decision_defaults(province)
    decision = Decision(province=province, year=year, drafted_by=by)
    _text_fields(
        decision,
        {
            "signer_role": signer_role,
            "signer_name": signer_name,
            "proposal_number": proposal_number,
            "proposal_date": proposal_date,
            "recipients": defaults["recipients"] if recipients is None else recipients,
        },
    )
    decision.save()
    _grounds_write(decision, defaults["grounds"] if grounds is None else grounds, keep_for_province=keep_grounds)
    _entries_write(decision, chosen)
    return decision


@transaction.atomic
def decision_update(
    *, decision: Decision, by, assessments=None, grounds: list[str] | None = None, keep_grounds=False, **fields
) -> Decision:
    """DoHA changes its draft; once issued, the text has a number and no longer changes."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_draft:
        raise ScoringError(_("An issued decision can no longer change."))
    _text_fields(decision, fields)
    decision.save()
    if grounds is not None:
        _grounds_write(decision, grounds, keep_for_province=keep_grounds)
    if assessments is not None:
        _entries_write(decision, _entries_check(decision.province, decision.year, assessments, decision))
    return decision


@transaction.atomic
def decision_approve(*, decision: Decision, by) -> Decision:
    """The leader approves the issued decision: it and its assessments are locked. A second click does
    nothing."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_approved:
        return decision
    if not decision.is_issued:
        raise ScoringError(NOT_ISSUED)
    entries = list(decision.entries.select_related("assessment__criteria_set"))
    if not entries:
        raise ScoringError(_("The decision recognises no commune."))
    assessments = [entry.assessment for entry in entries]
    locked = list(Assessment.objects.select_for_update().filter(pk__in=[a.pk for a in assessments]))
    _entries_check(decision.province, decision.year, assessments, decision)
    # The decision states the results as they stand when it is approved.
    for entry in entries:
        entry.total, entry.stars, entry.unit_name = (
            entry.assessment.total,
            entry.assessment.stars,
            entry.assessment.unit_name,
        )
    DecisionEntry.objects.bulk_update(entries, ["total", "stars", "unit_name"])
    now = timezone.now()
    for assessment in locked:
        assessment.locked_at = now
    Assessment.objects.bulk_update(locked, ["locked_at"])
    note = _("Decision %(number)s") % {"number": decision.number}
    steps_add(locked, Step.Action.LOCK, by, note=note, at=now)
    decision.status, decision.approved_by, decision.approved_at = Decision.Status.APPROVED, by, now
    decision.save(update_fields=["status", "approved_by", "approved_at"])
    transaction.on_commit(lambda: decision_approved.send(sender=Decision, decision_id=decision.pk))
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, by) -> None:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_draft:
        raise ScoringError(_("An issued decision can no longer change."))
    decision.delete()


@dataclass(frozen=True)
class Recognition:
    """What a certificate states about one recognised commune."""

    entry_id: int
    commune_id: int
    unit_name: str
    year: int
    stars: int
    total: str
    decision_number: str  # "125/QĐ-UBND"
    decision_date: datetime.date
    signer_name: str
    signer_title: str


def decision_recognitions(decision: Decision) -> list[Recognition]:
    """The communes an approved decision recognises, as its certificates will state them."""
    if not decision.is_approved:
        raise ScoringError(_("Only an approved decision recognises communes."))
    # Approval needs the number and the date (decision_approve), so both are here.
    return [
        Recognition(
            entry_id=entry.pk,
            commune_id=entry.assessment.commune_id,
            unit_name=entry.unit_name,
            year=decision.year,
            stars=entry.stars,
            total=str(entry.total),
            decision_number=decision.number,
            decision_date=decision.signed_on,
            signer_name=decision.signer_name,
            signer_title=decision.signer_title,
        )
        for entry in decision.entries.select_related("assessment")
    ]
