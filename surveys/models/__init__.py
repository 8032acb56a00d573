"""Satisfaction surveys: versioned questionnaires, campaigns, anonymous responses and their tallies.

A response is anonymous by construction: it stores the commune, the day (never the time), the channel
and the answers. What makes it unique is kept apart from any person: a visit code is bound to a commune
and a day, a kiosk answer to an id the tablet made, an open-link answer to a keyed hash of a random
cookie. The database refuses a second response for any of them.
"""

from surveys.models.campaigns import (
    BATCH_MAX,
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_VALID_DAYS,
    Campaign,
    CodeBatch,
    Kiosk,
    VisitCode,
)
from surveys.models.questionnaires import (
    FROZEN_MESSAGE,
    MAX_FACTORS,
    NOT_APPLICABLE,
    SCALE_LABELS,
    Condition,
    Factor,
    FrozenPart,
    FrozenQuestionnaire,
    Question,
    Questionnaire,
    Scale,
    bilingual,
    bilingual_option,
)
from surveys.models.responses import (
    COMMENT_MAX,
    SATISFIED_FROM,
    VERIFIED_CHANNELS,
    Channel,
    Flag,
    Response,
    Tally,
    score_field,
)

__all__ = [
    "BATCH_MAX",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CODE_VALID_DAYS",
    "COMMENT_MAX",
    "FROZEN_MESSAGE",
    "MAX_FACTORS",
    "NOT_APPLICABLE",
    "SATISFIED_FROM",
    "SCALE_LABELS",
    "VERIFIED_CHANNELS",
    "Campaign",
    "Channel",
    "CodeBatch",
    "Condition",
    "Factor",
    "Flag",
    "FrozenPart",
    "FrozenQuestionnaire",
    "Kiosk",
    "Question",
    "Questionnaire",
    "Response",
    "Scale",
    "Tally",
    "VisitCode",
    "bilingual",
    "bilingual_option",
    "score_field",
]
