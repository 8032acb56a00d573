"""Scoring: the province's criteria set of a year, each commune's assessment against it, and the
recognition decision that gives the stars."""

from scoring.models.assessments import (
    Appeal,
    Assessment,
    AssessmentDocument,
    Line,
    Snapshot,
    Status,
    Step,
)
from scoring.models.certificates import Certificate, CertificateRegister, ProvinceEmblem
from scoring.models.criteria import (
    CriteriaGroup,
    CriteriaSet,
    Criterion,
    FrozenSet,
    RequiredDocument,
    StarBand,
)
from scoring.models.decisions import Decision, DecisionEntry, DecisionGround, DecisionRegister
from scoring.models.measures import Measure

__all__ = [
    "Appeal",
    "Assessment",
    "AssessmentDocument",
    "Certificate",
    "CertificateRegister",
    "CriteriaGroup",
    "CriteriaSet",
    "Criterion",
    "Decision",
    "DecisionEntry",
    "DecisionGround",
    "DecisionRegister",
    "FrozenSet",
    "Line",
    "Measure",
    "ProvinceEmblem",
    "RequiredDocument",
    "Snapshot",
    "StarBand",
    "Status",
    "Step",
]
