"""Scoring reads that pages and the API share (see STYLE.md), one module per part of the app; import
from the modules themselves."""

from scoring.selectors.assessment import (
    AssessmentPage,
    Change,
    Reading,
    assessment_page,
    assessments_of_commune,
    document_rows,
    line_groups,
    snapshot_changes,
)

__all__ = [
    "AssessmentPage",
    "Change",
    "Reading",
    "assessment_page",
    "assessments_of_commune",
    "document_rows",
    "line_groups",
    "snapshot_changes",
]
