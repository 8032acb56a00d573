"""What every submission reads: a questionnaire's structure, the communes a campaign covers, the
kiosk and the campaign, each kept in this process's memory for a short time."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from surveys.models import (
    Campaign,
    Factor,
    Kiosk,
    Question,
)

# --- Questionnaire structure ---------------------------------------------------------------------


@dataclass
class Structure:
    questionnaire_id: int
    factors: list[Factor]
    questions: list[Question]
    items_by_factor: dict[int, list[Question]] = field(default_factory=dict)

    @property
    def scale_questions(self) -> list[Question]:
        return [question for question in self.questions if question.kind == Question.Kind.SCALE]


_STRUCTURES: dict[int, tuple[float, Structure]] = {}
STRUCTURE_SECONDS = 60  # a version with answers never changes; a draft's edits show within a minute


def questionnaire_structure(questionnaire) -> Structure:
    """Factors and questions of a version, kept in memory briefly: every submission needs them."""
    cached = _STRUCTURES.get(questionnaire.pk)
    if cached and time.monotonic() - cached[0] < STRUCTURE_SECONDS:
        return cached[1]
    factors = list(Factor.objects.filter(questionnaire_id=questionnaire.pk).order_by("slot"))
    questions = list(Question.objects.filter(questionnaire_id=questionnaire.pk).order_by("position"))
    slot_of = {factor.pk: factor.slot for factor in factors}
    items = defaultdict(list)
    for question in questions:
        if question.factor_id and question.kind == Question.Kind.SCALE:
            items[slot_of[question.factor_id]].append(question)
    structure = Structure(questionnaire.pk, factors, questions, dict(items))
    _STRUCTURES[questionnaire.pk] = (time.monotonic(), structure)
    return structure


_COVERED: dict[int, tuple[float, frozenset[int]]] = {}


def campaign_commune_ids(campaign) -> frozenset[int]:
    """The communes a campaign covers, kept in memory briefly: every submission checks it, and an open
    campaign's communes no longer change (services.campaign_save)."""
    cached = _COVERED.get(campaign.pk)
    if cached and time.monotonic() - cached[0] < STRUCTURE_SECONDS:
        return cached[1]
    ids = frozenset(campaign.communes.values_list("pk", flat=True))
    _COVERED[campaign.pk] = (time.monotonic(), ids)
    return ids


_RECENT: dict[tuple[str, int], tuple[float, object]] = {}
RECENT_SECONDS = 10  # how long another web worker may still see a kiosk retired or a campaign closed


def _recent(kind: str, pk: int, load):
    cached = _RECENT.get((kind, pk))
    if cached and time.monotonic() - cached[0] < RECENT_SECONDS:
        return cached[1]
    found = load()
    if found is not None:
        _RECENT[(kind, pk)] = (time.monotonic(), found)
    return found


def kiosk_for_submission(pk: int):
    """The kiosk an answer is posted to (with its commune), kept in memory for a few seconds: a busy
    counter posts every few seconds, and a retirement reaches every worker within RECENT_SECONDS."""
    return _recent("kiosk", pk, lambda: Kiosk.objects.select_related("commune").filter(pk=pk).first())


def campaign_for_submission(pk: int):
    """The campaign an answer names (with its questionnaire), kept in memory like the kiosk."""
    return _recent("campaign", pk, lambda: Campaign.objects.select_related("questionnaire").filter(pk=pk).first())


def forget_recent(sender, instance, **kwargs) -> None:
    """Connected to the kiosk's and the campaign's post_save: this process sees a change at once."""
    _RECENT.pop((sender._meta.model_name, instance.pk), None)


def forget_covered(sender, instance, **kwargs) -> None:
    """Connected to Campaign.communes' m2m_changed: this process sees a change at once, others within
    STRUCTURE_SECONDS."""
    if isinstance(instance, Campaign):
        _COVERED.pop(instance.pk, None)
    else:  # changed from the commune's side
        _COVERED.clear()


def memory_clear() -> None:
    """Forget what is kept in memory (tests: ids are reused after a rollback)."""
    _STRUCTURES.clear()
    _COVERED.clear()
    _RECENT.clear()
