"""Loading the questionnaire fixtures and making a new version of one."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from surveys.models import Factor, Question, Questionnaire

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "questionnaires.json"


@transaction.atomic
def questionnaires_load(path: Path = FIXTURE) -> tuple[int, int]:
    """Create the versions of the fixture that do not exist yet; (created, kept). A version that exists
    is never touched: it may already have answers."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = kept = 0
    for spec in data["questionnaires"]:
        if Questionnaire.objects.filter(code=spec["code"], version=spec["version"]).exists():
            kept += 1
            continue
        questionnaire = Questionnaire.objects.create(
            code=spec["code"],
            version=spec["version"],
            title_vi=spec["title_vi"],
            title_en=spec.get("title_en", ""),
            intro_vi=spec.get("intro_vi", ""),
            intro_en=spec.get("intro_en", ""),
            source=spec.get("source", ""),
        )
        factors = {
            factor["code"]: Factor.objects.create(
                questionnaire=questionnaire,
                code=factor["code"],
                slot=factor["slot"],
                name_vi=factor["vi"],
                name_en=factor.get("en", ""),
            )
            for factor in spec["factors"]
        }
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                factor=factors.get(item.get("factor")),
                code=item["code"],
                position=item["position"],
                part=item.get("part", Question.Part.ITEM),
                kind=item["kind"],
                scale=item.get("scale", ""),
                headline=item.get("headline", False),
                required=item.get("required", False),
                allows_na=item.get("allows_na", True),
                text_vi=item["vi"],
                text_en=item.get("en", ""),
                options=item.get("options", []),
                max_choices=item.get("max_choices"),
                shown_if=item.get("shown_if", {}),
            )
            for item in spec["questions"]
        )
        created += 1
    return created, kept


@transaction.atomic
def questionnaire_revise(*, questionnaire: Questionnaire) -> Questionnaire:
    """A copy of the version as the next version, to edit: answered versions never change."""
    latest = Questionnaire.objects.filter(code=questionnaire.code).aggregate(latest=Max("version"))["latest"]
    factors = list(questionnaire.factors.all())
    questions = list(questionnaire.questions.select_related("factor"))
    copy = Questionnaire.objects.create(
        code=questionnaire.code,
        version=latest + 1,
        title_vi=questionnaire.title_vi,
        title_en=questionnaire.title_en,
        intro_vi=questionnaire.intro_vi,
        intro_en=questionnaire.intro_en,
        source=questionnaire.source,
    )
    new_factors = {}
    for factor in factors:
        new_factors[factor.pk] = Factor.objects.create(
            questionnaire=copy, code=factor.code, slot=factor.slot, name_vi=factor.name_vi, name_en=factor.name_en
        )
    for question in questions:
        question.pk = None
        question.questionnaire = copy
        question.factor = new_factors.get(question.factor_id)
    Question.objects.bulk_create(questions)
    return copy
