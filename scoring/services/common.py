"""What every scoring service shares: its error, the step log and the recount of one assessment."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core import pagecache
from core.errors import ServiceError
from scoring.models import Assessment, Line, Step
from scoring.services.computation.stars import Result, result_of


class ScoringError(ServiceError):
    """An action refused by the rules of the cycle; the message is translated and shown as is."""


def step_add(assessment: Assessment, action: str, by, *, note: str = "", before: str = "", late: bool = False) -> Step:
    return Step.objects.create(
        assessment=assessment,
        action=action,
        from_status=before,
        to_status=assessment.status,
        by=by,
        at=timezone.now(),
        note=note,
        late=late,
    )


def steps_add(assessments, action: str, by, *, before: str | None = None, note: str = "", at=None) -> None:
    """The same step for many assessments at once (opening, publishing, finalising, locking), in one
    insert; without ``before`` the step did not change the status."""
    at = at or timezone.now()
    Step.objects.bulk_create(
        [
            Step(
                assessment=a,
                action=action,
                from_status=a.status if before is None else before,
                to_status=a.status,
                by=by,
                at=at,
                note=note,
            )
            for a in assessments
        ],
        batch_size=2000,
    )
    # Every bulk change of assessments (opened, published, finalised, locked) is recorded here.
    pagecache.bump("site")


def assessment_for_update(assessment: Assessment | int) -> Assessment:
    """The row locked until the transaction ends, so that two clicks apply one after the other;
    refused once a recognition decision has locked it."""
    pk = assessment.pk if isinstance(assessment, Assessment) else assessment
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("criteria_set", "commune", "snapshot")
        .get(pk=pk)
    )
    if locked.is_locked:
        raise ScoringError(_("This assessment is part of an approved recognition decision and can no longer change."))
    return locked


def assessment_lines(assessment: Assessment) -> list[Line]:
    return list(
        assessment.lines.select_related("criterion__group").order_by(
            "criterion__group__position", "criterion__position"
        )
    )


def assessment_recount(assessment: Assessment, lines: list[Line] | None = None) -> Result:
    """Total, stars and knock-outs from the lines as they stand; saved on the assessment."""
    lines = lines if lines is not None else assessment_lines(assessment)
    criteria_set = assessment.criteria_set
    present = set(assessment.documents.values_list("document_id", flat=True))
    result = result_of(assessment, lines, criteria_set.bands.all(), criteria_set.documents.all(), present)
    assessment.total = result.total
    assessment.self_total = result.self_total
    assessment.stars = result.stars
    assessment.knockouts = result.knockouts
    assessment.save(update_fields=["total", "self_total", "stars", "knockouts"])
    return result
