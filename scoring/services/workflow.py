"""The steps of an assessment: the commune fills and submits it, the district reviews it, DoHA
appraises it line by line and publishes provisional results, the commune may appeal a line for a few
working days (DoHA may close that period early), then the results become final. Each step is kept with
who, when and why. A cycle without districts (after the 2025 reform) has no review step.

Services check the state of the cycle; who may act is checked once, in ``scoring.rules``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import clock
from core.workdays import add_working_days
from scoring.models import Appeal, Assessment, AssessmentDocument, CriteriaSet, Line, Status, Step
from scoring.services.common import (
    ScoringError,
    assessment_for_update,
    assessment_lines,
    assessment_recount,
    step_add,
    steps_add,
)
from scoring.services.computation.stars import points_text


def _codes(lines) -> str:
    return ", ".join(line.criterion.code for line in lines)


def _check_score(line: Line, score: Decimal | None) -> None:
    if score is not None and not (0 <= score <= line.criterion.max_points):
        raise ScoringError(
            _("%(code)s: the score must be between 0 and %(max)s.")
            % {"code": line.criterion.code, "max": points_text(line.criterion.max_points)}
        )


# --- The commune --------------------------------------------------------------------------------


@transaction.atomic
def assessment_self_save(*, assessment: Assessment, by, entries: dict[int, dict]) -> Assessment:
    """Save the commune's self-scores, notes and evidence. ``entries`` maps a line id to any of
    ``self_score``, ``self_note``, ``evidence_index``, ``evidence`` (files already checked as PDFs).
    A file left out keeps the one already uploaded."""
    assessment = assessment_for_update(assessment)
    if assessment.status != Status.DRAFT:
        raise ScoringError(_("Only a draft assessment can be changed; this one was submitted."))
    lines = {line.pk: line for line in assessment_lines(assessment)}
    for line_id, entry in entries.items():
        line = lines.get(line_id)
        if line is None:
            raise ScoringError(_("This line is not part of the assessment."))
        fields = []
        if "self_score" in entry and not line.criterion.is_computed:
            _check_score(line, entry["self_score"])
            line.self_score = entry["self_score"]
            fields.append("self_score")
        if "self_note" in entry:
            line.self_note = entry["self_note"] or ""
            fields.append("self_note")
        for name in ("evidence_index", "evidence"):
            if entry.get(name):
                getattr(line, name).save(entry[name].name, entry[name], save=False)
                fields.append(name)
        if fields:
            line._change_reason = "self-assessment"
            line.save(update_fields=fields)
    assessment_recount(assessment, list(lines.values()))
    return assessment


@transaction.atomic
def document_attach(*, assessment: Assessment, document, file, by) -> AssessmentDocument:
    """Attach (or replace) one dossier document of a draft assessment."""
    assessment = assessment_for_update(assessment)
    if assessment.status != Status.DRAFT:
        raise ScoringError(_("Only a draft assessment can be changed; this one was submitted."))
    if document.criteria_set_id != assessment.criteria_set_id:
        raise ScoringError(_("This document is not part of the year's dossier."))
    attached = AssessmentDocument.objects.filter(assessment=assessment, document=document).first()
    attached = attached or AssessmentDocument(assessment=assessment, document=document)
    attached.file.save(file.name, file, save=False)
    attached.uploaded_by = by
    attached.save()
    assessment_recount(assessment)
    return attached


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by, note: str = "") -> Assessment:
    """The commune sends its self-assessment; a second click finds it submitted and does nothing."""
    assessment = assessment_for_update(assessment)
    if assessment.status != Status.DRAFT:
        if assessment.status == Status.SUBMITTED:
            return assessment
        raise ScoringError(_("This assessment was already submitted."))
    lines = assessment_lines(assessment)
    unscored = [line for line in lines if not line.criterion.is_computed and line.self_score is None]
    if unscored:
        raise ScoringError(
            _("Give a self-score to every criterion before submitting: %(codes)s.") % {"codes": _codes(unscored)}
        )
    unproven = [line for line in lines if not line.criterion.is_computed and line.self_score and not line.evidence]
    if unproven:
        raise ScoringError(
            _("Attach the evidence of every criterion you scored above 0: %(codes)s.") % {"codes": _codes(unproven)}
        )
    assessment.status = Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    assessment_recount(assessment, lines)
    late = clock.today() > assessment.criteria_set.submission_deadline
    step_add(assessment, Step.Action.SUBMIT, by, note=note, before=Status.DRAFT, late=late)
    return assessment


# --- The district and DoHA ----------------------------------------------------------------------


@transaction.atomic
def assessment_return(*, assessment: Assessment, by, reason: str) -> Assessment:
    """Send a submitted assessment back to the commune, saying why."""
    assessment = assessment_for_update(assessment)
    if assessment.status not in (Status.SUBMITTED, Status.REVIEWED):
        raise ScoringError(_("Only a submitted assessment can be returned to the commune."))
    if not reason.strip():
        raise ScoringError(_("Say why the assessment goes back to the commune."))
    before = assessment.status
    assessment.status = Status.DRAFT
    assessment.save(update_fields=["status"])
    step_add(assessment, Step.Action.RETURN, by, note=reason.strip(), before=before)
    return assessment


@transaction.atomic
def assessment_review(*, assessment: Assessment, by, notes: dict[int, str] | None = None, note: str = "") -> Assessment:
    """The district's review of a submitted assessment, with a note per line where it has one."""
    assessment = assessment_for_update(assessment)
    if not assessment.has_district_review:
        raise ScoringError(_("This unit has no district: its assessment goes straight to the appraisal."))
    if assessment.status != Status.SUBMITTED:
        if assessment.status == Status.REVIEWED:
            return assessment
        raise ScoringError(_("Only a submitted assessment can be reviewed."))
    for line in assessment.lines.filter(pk__in=list(notes or {})):
        line.review_note = (notes or {})[line.pk].strip()
        line.save(update_fields=["review_note"])
    assessment.status = Status.REVIEWED
    assessment.reviewed_at = timezone.now()
    assessment.save(update_fields=["status", "reviewed_at"])
    deadline = assessment.criteria_set.review_deadline
    late = deadline is not None and clock.today() > deadline
    step_add(assessment, Step.Action.REVIEW, by, note=note, before=Status.SUBMITTED, late=late)
    return assessment


@transaction.atomic
def assessment_appraise(
    *,
    assessment: Assessment,
    by,
    scores: dict[int, tuple[Decimal | None, str]],
    discipline_case: bool = False,
    discipline_note: str = "",
    note: str = "",
) -> Assessment:
    """DoHA's score of every line. A line left out, or given no score, takes what the commune put
    forward (computed points or self-score); a score that differs needs a reason."""
    assessment = assessment_for_update(assessment)
    if not assessment.is_appraisable:
        if assessment.status == Status.SUBMITTED:
            raise ScoringError(_("The district reviews this assessment before the appraisal."))
        raise ScoringError(_("Only a submitted assessment can be appraised."))
    lines = assessment_lines(assessment)
    for line in lines:
        score, reason = scores.get(line.pk, (None, ""))
        score = line.proposed if score is None else score
        score = Decimal("0.00") if score is None else score
        _check_score(line, score)
        reason = (reason or "").strip()
        if score != (line.proposed or Decimal("0.00")) and not reason:
            raise ScoringError(
                _("%(code)s: give the reason for a score that differs from the commune's.")
                % {"code": line.criterion.code}
            )
        if (line.appraised_score, line.appraisal_reason) != (score, reason):
            line.appraised_score, line.appraisal_reason = score, reason
            line._change_reason = "appraisal"
            line.save(update_fields=["appraised_score", "appraisal_reason"])
    if discipline_case and not discipline_note.strip():
        raise ScoringError(_("Describe the discipline or corruption case."))
    before = assessment.status
    assessment.discipline_case = discipline_case
    assessment.discipline_note = discipline_note.strip()
    assessment.status = Status.APPRAISED
    assessment.appraised_at = timezone.now()
    assessment.save(update_fields=["discipline_case", "discipline_note", "status", "appraised_at"])
    assessment_recount(assessment, lines)
    late = clock.today() > assessment.criteria_set.appraisal_deadline
    step_add(assessment, Step.Action.APPRAISE, by, note=note, before=before, late=late)
    return assessment


@transaction.atomic
def assessments_publish(*, criteria_set: CriteriaSet, by, assessments=None, today=None) -> int:
    """Publish the provisional results of appraised assessments; the comment period runs for the
    set's number of working days from the next working day."""
    today = today or clock.today()
    queryset = assessments if assessments is not None else criteria_set.assessments.all()
    chosen = list(queryset.select_for_update().filter(status=Status.APPRAISED, locked_at__isnull=True))
    until = add_working_days(today, criteria_set.comment_working_days)
    now = timezone.now()
    for assessment in chosen:
        assessment.status, assessment.published_at, assessment.comments_until = Status.PROVISIONAL, now, until
    Assessment.objects.bulk_update(chosen, ["status", "published_at", "comments_until"])
    note = _("Comments until %(day)s.") % {"day": until.strftime("%d/%m/%Y")}
    steps_add(chosen, Step.Action.PUBLISH, by, before=Status.APPRAISED, note=note, at=now)
    return len(chosen)


# --- Appeals ------------------------------------------------------------------------------------


@transaction.atomic
def appeal_file(*, line: Line, by, text: str, today=None) -> Appeal:
    """The commune contests one line of its provisional results; a retry returns the open appeal."""
    today = today or clock.today()
    assessment = assessment_for_update(line.assessment_id)
    if not assessment.open_for_comments(today):
        raise ScoringError(_("Appeals are accepted only while the provisional results are open for comments."))
    if not text.strip():
        raise ScoringError(_("Write what you contest and why."))
    existing = Appeal.objects.filter(line=line, outcome="").first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                assessment=assessment, line=line, text=text.strip(), filed_by=by, filed_at=timezone.now()
            )
    except IntegrityError:
        return Appeal.objects.get(line=line, outcome="")
    step_add(
        assessment, Step.Action.APPEAL, by, note=f"{line.criterion.code}: {text.strip()}", before=assessment.status
    )
    return appeal


@transaction.atomic
def appeal_answer(*, appeal: Appeal, by, outcome: str, answer: str, score: Decimal | None = None) -> Appeal:
    """DoHA's answer; an accepted appeal changes the line's appraised score."""
    assessment = assessment_for_update(appeal.assessment_id)
    appeal = Appeal.objects.select_for_update().select_related("line__criterion").get(pk=appeal.pk)
    if not appeal.is_open:
        raise ScoringError(_("This appeal was already answered."))
    if assessment.status != Status.PROVISIONAL:
        raise ScoringError(_("Appeals are answered while the results are provisional."))
    if outcome not in Appeal.Outcome.values:
        raise ScoringError(_("Choose whether the appeal is accepted."))
    if not answer.strip():
        raise ScoringError(_("Write the answer to the commune."))
    line = appeal.line
    appeal.score_before = line.points
    if outcome == Appeal.Outcome.ACCEPTED:
        if score is None:
            raise ScoringError(_("Give the new score of the line."))
        _check_score(line, score)
        line.appraised_score, line.appraisal_reason = score, answer.strip()
        line._change_reason = "appeal"
        line.save(update_fields=["appraised_score", "appraisal_reason"])
    appeal.score_after = line.points
    appeal.outcome, appeal.answer, appeal.answered_by, appeal.answered_at = outcome, answer.strip(), by, timezone.now()
    appeal.save()
    assessment_recount(assessment)
    step_add(
        assessment, Step.Action.ANSWER, by, note=f"{line.criterion.code}: {answer.strip()}", before=assessment.status
    )
    return appeal


@transaction.atomic
def comments_close_early(*, criteria_set: CriteriaSet, by, reason: str = "", assessments=None, today=None) -> int:
    """DoHA ends the comment period of the provisional results before its date: once every appeal is
    answered, or with a written reason (an appeal still open is answered before its result becomes
    final; no new one can be filed). Kept as a step on each assessment, with the reason; a second click
    finds the period closed and does nothing. Returns how many assessments it closed."""
    today = today or clock.today()
    queryset = assessments if assessments is not None else criteria_set.assessments.all()
    chosen = list(
        queryset.select_for_update().filter(
            status=Status.PROVISIONAL,
            locked_at__isnull=True,
            comments_closed_at__isnull=True,
            comments_until__gte=today,
        )
    )
    if not chosen:
        return 0
    reason = (reason or "").strip()
    unanswered = Appeal.objects.filter(assessment__in=chosen, outcome="").count()
    if unanswered and not reason:
        raise ScoringError(
            ngettext(
                "%(count)d appeal is not answered yet: answer it first, or write why the comment period closes early.",
                "%(count)d appeals are not answered yet: answer them first, or write why the comment period "
                "closes early.",
                unanswered,
            )
            % {"count": unanswered}
        )
    now = timezone.now()
    for assessment in chosen:
        assessment.comments_closed_at = now
    Assessment.objects.bulk_update(chosen, ["comments_closed_at"])
    note = reason or _("Every appeal is answered.")
    steps_add(chosen, Step.Action.CLOSE, by, before=Status.PROVISIONAL, note=note, at=now)
    return len(chosen)


# --- Final results ------------------------------------------------------------------------------


@transaction.atomic
def assessments_finalize(*, criteria_set: CriteriaSet, by, assessments=None, today=None) -> int:
    """Make final every provisional result whose comment period is over (at its date, or closed early
    by DoHA) and whose appeals are all answered; the others stay provisional."""
    today = today or clock.today()
    queryset = assessments if assessments is not None else criteria_set.assessments.all()
    chosen = list(
        queryset.select_for_update()
        .filter(status=Status.PROVISIONAL, locked_at__isnull=True)
        .filter(Q(comments_until__lt=today) | Q(comments_closed_at__isnull=False))
        .exclude(appeals__outcome="")
    )
    now = timezone.now()
    for assessment in chosen:
        assessment.status, assessment.finalized_at = Status.FINAL, now
    Assessment.objects.bulk_update(chosen, ["status", "finalized_at"])
    steps_add(chosen, Step.Action.FINALIZE, by, before=Status.PROVISIONAL, at=now)
    return len(chosen)
