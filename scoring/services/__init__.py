"""Scoring services: every write of the scoring app goes through these functions (see STYLE.md)."""

from scoring.services.common import ScoringError, assessment_recount
from scoring.services.computation.compute import assessments_compute, assessments_open, predecessor_map, snapshot_adopt
from scoring.services.criteria import (
    criteria_set_data,
    criteria_set_load,
    criteria_set_problems,
    criteria_set_publish,
    criteria_set_revise,
)
from scoring.services.criteria_edit import criteria_set_replace, criteria_set_update
from scoring.services.decisions import (
    Recognition,
    decision_approve,
    decision_approved,
    decision_delete,
    decision_draft,
    decision_issue,
    decision_recognitions,
    decision_signed_upload,
    decision_update,
)
from scoring.services.workflow import (
    appeal_answer,
    appeal_file,
    assessment_appraise,
    assessment_return,
    assessment_review,
    assessment_self_save,
    assessment_submit,
    assessments_finalize,
    assessments_publish,
    comments_close_early,
    document_attach,
)

__all__ = [
    "Recognition",
    "ScoringError",
    "appeal_answer",
    "appeal_file",
    "assessment_appraise",
    "assessment_recount",
    "assessment_return",
    "assessment_review",
    "assessment_self_save",
    "assessment_submit",
    "assessments_compute",
    "assessments_finalize",
    "assessments_open",
    "assessments_publish",
    "comments_close_early",
    "criteria_set_data",
    "criteria_set_load",
    "criteria_set_problems",
    "criteria_set_publish",
    "criteria_set_replace",
    "criteria_set_revise",
    "criteria_set_update",
    "decision_approve",
    "decision_approved",
    "decision_delete",
    "decision_draft",
    "decision_issue",
    "decision_recognitions",
    "decision_signed_upload",
    "decision_update",
    "document_attach",
    "predecessor_map",
    "snapshot_adopt",
]
