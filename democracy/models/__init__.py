"""The democracy app's models (Law 10/2022/QH15), one module per sub-domain."""

from democracy.models.conventions import Convention, ConventionKind, ConventionVersion, VersionStatus
from democracy.models.households import Household
from democracy.models.matters import (
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
from democracy.models.subscriptions import Subscription

__all__ = [
    "Ballot",
    "Category",
    "Channel",
    "Choice",
    "Convention",
    "ConventionKind",
    "ConventionVersion",
    "Decision",
    "DecisionStatus",
    "Form",
    "Household",
    "Matter",
    "MatterStatus",
    "Proposer",
    "Subscription",
    "Tally",
    "VersionStatus",
]
