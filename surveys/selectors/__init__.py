"""Reads of surveys; views, services and tasks import them from here."""

from surveys.selectors.figures import (
    Z_95,
    CommuneResults,
    Figure,
    commune_page_campaigns,
    commune_results,
    results_for,
    tallies_compute,
    wilson_interval,
)
from surveys.selectors.staff import (
    campaigns_of_commune,
    campaigns_of_province,
    comments_of,
    flagged_responses,
    recent_batches,
    redacted_comments_of,
)
from surveys.selectors.submission import (
    RECENT_SECONDS,
    STRUCTURE_SECONDS,
    Structure,
    campaign_commune_ids,
    campaign_for_submission,
    forget_covered,
    forget_recent,
    kiosk_for_submission,
    memory_clear,
    questionnaire_structure,
)

__all__ = [
    "RECENT_SECONDS",
    "STRUCTURE_SECONDS",
    "Z_95",
    "CommuneResults",
    "Figure",
    "Structure",
    "campaign_commune_ids",
    "campaign_for_submission",
    "campaigns_of_commune",
    "campaigns_of_province",
    "comments_of",
    "commune_page_campaigns",
    "commune_results",
    "flagged_responses",
    "forget_covered",
    "forget_recent",
    "kiosk_for_submission",
    "memory_clear",
    "questionnaire_structure",
    "recent_batches",
    "redacted_comments_of",
    "results_for",
    "tallies_compute",
    "wilson_interval",
]
