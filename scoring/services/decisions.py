"""The recognition decision: DoHA drafts it from final results, the provincial leader approves it,
which locks it and every assessment in it. Approval sends ``decision_approved`` after the commit; the
certificates are made from ``decision_recognitions``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import django.dispatch
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import Assessment, Decision, DecisionEntry, Status, Step
from scoring.services.common import ScoringError, steps_add

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
                % {"unit": assessment.unit_name, "number": entry.decision.number}
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


@transaction.atomic
def decision_draft(
    *, province, year: int, number: str, signed_on: datetime.date, signer_name: str, signer_title: str, assessments, by
) -> Decision:
    """A draft decision recognising ``assessments`` (final results with at least one star)."""
    chosen = _entries_check(province, year, assessments, None)
    if Decision.objects.filter(province=province, number=number.strip()).exists():
        raise ScoringError(_("The province already has a decision with this number."))
    decision = Decision.objects.create(
        province=province,
        year=year,
        number=number.strip(),
        signed_on=signed_on,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        drafted_by=by,
    )
    _entries_write(decision, chosen)
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, by, assessments=None, **fields) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_approved:
        raise ScoringError(_("An approved decision can no longer change."))
    for name in ("number", "signed_on", "signer_name", "signer_title"):
        if name in fields:
            setattr(decision, name, fields[name].strip() if isinstance(fields[name], str) else fields[name])
    if Decision.objects.filter(province=decision.province, number=decision.number).exclude(pk=decision.pk).exists():
        raise ScoringError(_("The province already has a decision with this number."))
    decision.save()
    if assessments is not None:
        _entries_write(decision, _entries_check(decision.province, decision.year, assessments, decision))
    return decision


@transaction.atomic
def decision_approve(*, decision: Decision, by) -> Decision:
    """The leader approves: the decision and its assessments are locked. A second click does nothing."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_approved:
        return decision
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
    if decision.is_approved:
        raise ScoringError(_("An approved decision can no longer change."))
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
    decision_number: str
    decision_date: datetime.date
    signer_name: str
    signer_title: str


def decision_recognitions(decision: Decision) -> list[Recognition]:
    """The communes an approved decision recognises, as its certificates will state them."""
    if not decision.is_approved:
        raise ScoringError(_("Only an approved decision recognises communes."))
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
