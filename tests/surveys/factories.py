"""Survey state for tests, made through the services as everywhere else."""

from __future__ import annotations

import datetime

from core import clock
from surveys.models import Campaign, CodeBatch, Kiosk, Questionnaire
from surveys.services import campaign_open, codes_issue, kiosk_register, questionnaires_load
from tests.portal.factories import UserFactory

MOTCUA = "pks-motcua"
PKS07 = "pks07-than-thien"

# Every scale item of pks-motcua with its factor's headline item; F5 only when the respondent gave feedback.
MOTCUA_ITEMS = {
    "F1": ["F1.1", "F1.2", "F1.3", "F1.4", "F1.S"],
    "F2": ["F2.1", "F2.2", "F2.3", "F2.4", "F2.S"],
    "F3": ["F3.1", "F3.2", "F3.3", "F3.4", "F3.5", "F3.6", "F3.S"],
    "F4": ["F4.1", "F4.2", "F4.3", "F4.S"],
    "F5": ["F5.1", "F5.2", "F5.3", "F5.4", "F5.S"],
}


def questionnaire(code: str = MOTCUA, version: int = 1) -> Questionnaire:
    """The fixture's questionnaires loaded (once), and the asked version."""
    questionnaires_load()
    return Questionnaire.objects.get(code=code, version=version)


_fixture_questionnaire = questionnaire  # open_campaign's argument of the same name hides it


def site_admin():
    return UserFactory(is_superuser=True)


def open_campaign(
    commune,
    *,
    min_responses: int = 30,
    questionnaire: Questionnaire | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    communes=(),
    name: str = "Khảo sát thử",
    by=None,
) -> Campaign:
    """An open campaign of the commune's province covering the commune (and ``communes``), today
    inside its period unless told otherwise."""
    today = clock.today()
    campaign = Campaign.objects.create(
        province=commune.province,
        name=name,
        questionnaire=questionnaire or _fixture_questionnaire(),
        starts_on=starts_on or today - datetime.timedelta(days=30),
        ends_on=ends_on or today + datetime.timedelta(days=60),
        min_responses=min_responses,
    )
    campaign.communes.add(commune, *communes)
    return campaign_open(campaign=campaign, by=by or site_admin())


def answers(overall: int = 4, **overrides) -> dict:
    """A complete valid answer to pks-motcua as a form sends it: every headline item and OVERALL at
    ``overall``, the other items too except F1.1 (one point off, so the answer is not straight-lined),
    the feedback items shown (F5.0 "yes"). Overrides by question code, dots written as underscores
    (``F1_S=2``) or passed as ``**{"F1.S": 2}``; None leaves an item out."""
    raw = {
        "P1": "individual",
        "P3": "ho-tich",
        "P4": "in-person",
        "P5": "30-44",
        "P6": "female",
        "F2.5": 1,
        "F5.0": "yes",
        "OVERALL": overall,
        "EXP1": ["faster", "online"],
    }
    for items in MOTCUA_ITEMS.values():
        for code in items:
            raw[code] = overall
    raw["F1.1"] = overall - 1 if overall > 1 else 2
    for key, value in overrides.items():
        code = key if key in raw else key.replace("_", ".")
        if value is None:
            raw.pop(code, None)
        else:
            raw[code] = value
    return raw


def straight_answers(value: int = 4) -> dict:
    """Every scale item the same: flagged as straight-lining."""
    return answers(value, F1_1=value)


def kiosk(commune, name: str = "Bàn trả kết quả", by=None) -> Kiosk:
    return kiosk_register(commune=commune, name=name, by=by or site_admin())


def code_batch(campaign: Campaign, commune, size: int, day: datetime.date | None = None, by=None) -> CodeBatch:
    return codes_issue(campaign=campaign, commune=commune, day=day or clock.today(), size=size, by=by or site_admin())


def codes(batch: CodeBatch) -> list[str]:
    return list(batch.codes.order_by("pk").values_list("code", flat=True))
