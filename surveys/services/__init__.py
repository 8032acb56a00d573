"""Survey services; views and tasks import them from here."""

from surveys.services.campaigns import (
    campaign_close,
    campaign_open,
    campaign_save,
    codes_issue,
    comment_redact,
    identical_flag,
    kiosk_register,
    kiosk_retire,
    responses_exclude,
    responses_include,
    statistics_refresh,
    statistics_refresh_open,
)
from surveys.services.common import AlreadyReceived, Conflict, SurveyError
from surveys.services.questionnaires import questionnaire_revise, questionnaires_load
from surveys.services.responses import (
    campaign_current,
    link_answered,
    response_by_code,
    response_by_kiosk,
    response_by_link,
    visit_code_find,
)

__all__ = [
    "AlreadyReceived",
    "Conflict",
    "SurveyError",
    "campaign_close",
    "campaign_current",
    "campaign_open",
    "campaign_save",
    "codes_issue",
    "comment_redact",
    "identical_flag",
    "kiosk_register",
    "kiosk_retire",
    "link_answered",
    "questionnaire_revise",
    "questionnaires_load",
    "response_by_code",
    "response_by_kiosk",
    "response_by_link",
    "responses_exclude",
    "responses_include",
    "statistics_refresh",
    "statistics_refresh_open",
    "visit_code_find",
]
