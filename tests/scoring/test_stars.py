"""Stars from points on the project's bands, and the knock-out conditions that withhold them.

Every knock-out is shown on its own against an assessment that otherwise earns full points: the data
of ``good_year`` gives every computed criterion its maximum, the commune scores its own criteria in
full and DoHA's appraisal confirms them (100 points, 5 stars).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import translation

from scoring.models import Status
from scoring.services import (
    assessment_appraise,
    assessment_self_save,
    criteria_set_load,
    criteria_set_publish,
    document_attach,
)
from scoring.services.common import assessment_lines
from scoring.services.computation.stars import DISCIPLINE, DOCUMENTS, GROUP, SURVEY, knockout_text, result_of, stars_for
from scoring.services.criteria import CRITERIA_FILE
from tests.communes.factories import CommuneFactory
from tests.portal.factories import UserFactory
from tests.scoring.factories import advance, fill_self, open_assessment, pdf_file, published_set
from tests.scoring.test_metrics import good_year, surveys_answered


@pytest.fixture
def bands(db):
    return list(published_set(CommuneFactory().province).bands.all())


@pytest.mark.parametrize(
    ("total", "stars"),
    [
        ("100.00", 5),
        ("95.00", 5),
        ("94.99", 4),
        ("90.00", 4),
        ("89.99", 3),
        ("85.00", 3),
        ("84.99", 2),
        ("80.00", 2),
        ("79.99", 1),
        ("70.00", 1),
        ("69.99", 0),
        ("0.00", 0),
    ],
)
def test_stars_of_the_highest_band_reached_bounds_included(bands, total, stars):
    assert stars_for(Decimal(total), bands) == stars


@pytest.fixture
def by(db):
    return UserFactory()


@pytest.fixture
def hundred(by):
    """An appraised assessment of a unit without district: 100 points, 5 stars."""
    commune = CommuneFactory()
    good_year(commune, by)
    assessment = fill_self(open_assessment(commune, by=by), by=by)
    return advance(assessment, Status.APPRAISED, by=by)


def result(assessment, *, scores=None, documents=None, discipline=False):
    """result_of over the assessment's lines as loaded, with ``scores`` (code → points) given in memory
    as DoHA's; ``documents``: the codes present (default: all)."""
    criteria_set = assessment.criteria_set
    lines = assessment_lines(assessment)
    for line in lines:
        if scores and line.criterion.code in scores:
            line.appraised_score = Decimal(scores[line.criterion.code])
    required = list(criteria_set.documents.all())
    present = {d.pk for d in required if documents is None or d.code in documents}
    assessment.discipline_case = discipline
    return result_of(assessment, lines, list(criteria_set.bands.all()), required, present)


def all_points(assessment, **changes) -> dict[str, Decimal]:
    points = {line.criterion.code: line.criterion.max_points for line in assessment_lines(assessment)}
    return points | {code.replace("_", "."): Decimal(value) for code, value in changes.items()}


def test_full_points_and_no_knockout_give_five_stars(hundred):
    assert (hundred.total, hundred.stars, hundred.knockouts) == (Decimal("100.00"), 5, [])


def test_a_missing_document_withholds_the_stars(hundred):
    outcome = result(hundred, documents={"HS2", "HS3", "HS4", "HS5"})

    assert (outcome.total, outcome.stars, outcome.knockouts) == (Decimal("100.00"), 0, [DOCUMENTS])


def test_the_self_scoring_sheet_is_generated_so_it_is_never_missing(by):
    commune = CommuneFactory()
    good_year(commune, by)
    assessment = open_assessment(commune, by=by)
    entries = {
        line.pk: {"self_score": line.criterion.max_points}
        for line in assessment_lines(assessment)
        if not line.criterion.is_computed
    }
    assessment = assessment_self_save(assessment=assessment, by=by, entries=entries)
    assert (assessment.total, assessment.knockouts) == (Decimal("100.00"), [DOCUMENTS])

    for document in assessment.criteria_set.documents.filter(generated=False):  # HS3 is printed by the portal
        document_attach(assessment=assessment, document=document, file=pdf_file(), by=by)
    assessment.refresh_from_db()

    assert assessment.knockouts == []


def test_a_group_under_half_its_points_withholds_the_stars(hundred):
    # G1 has 20 points: 9.99 is under half of them; the total 89.99 would be 3 stars.
    under = result(hundred, scores=all_points(hundred, G1_1=0, G1_2=0, G1_5="3.99", G1_6=0))
    half = result(hundred, scores=all_points(hundred, G1_1=0, G1_2=0, G1_6=0))

    assert (under.groups["G1"], under.total, under.stars, under.knockouts) == (
        Decimal("9.99"),
        Decimal("89.99"),
        0,
        [GROUP + "G1"],
    )
    assert (half.groups["G1"], half.total, half.stars, half.knockouts) == (Decimal("10.00"), Decimal("90.00"), 4, [])


@pytest.mark.parametrize(
    ("answers", "code"),
    [({"officials": 29}, "G3.3"), ({"sipas": 49}, "G5.1")],
    ids=["G3.3 under 30 answers", "G5.1 under 50 respondents"],
)
def test_too_few_survey_answers_for_a_knockout_criterion_withhold_the_stars(by, answers, code):
    commune = CommuneFactory()
    surveys_answered(commune, **answers)
    assessment = open_assessment(commune, by=by)
    assert assessment.snapshot.values[code]["enough"] is False

    outcome = result(assessment, scores=all_points(assessment))

    assert (outcome.total, outcome.stars, outcome.knockouts) == (Decimal("100.00"), 0, [SURVEY + code])


def test_too_few_residents_answers_give_no_points_but_no_knockout(by):
    commune = CommuneFactory()
    surveys_answered(commune, residents=99)  # G5.2 needs 100
    assessment = open_assessment(commune, by=by)
    g52 = next(line for line in assessment_lines(assessment) if line.criterion.code == "G5.2")
    assert (assessment.snapshot.values["G5.2"]["value"], g52.computed_points) == (1.0, Decimal("0.00"))

    scores = {code: points for code, points in all_points(assessment).items() if code != "G5.2"}
    outcome = result(assessment, scores=scores)

    assert (outcome.total, outcome.stars, outcome.knockouts) == (Decimal("94.00"), 4, [])


def test_a_discipline_case_withholds_the_stars(hundred, by):
    assessment = assessment_appraise(
        assessment=hundred, by=by, scores={}, discipline_case=True, discipline_note="Kỷ luật cảnh cáo một công chức."
    )
    assessment.refresh_from_db()

    assert (assessment.total, assessment.stars, assessment.knockouts) == (Decimal("100.00"), 0, [DISCIPLINE])


def test_knockouts_switched_off_on_the_set_do_not_apply(by):
    commune = CommuneFactory()
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    data["knockouts"] = {"documents": False, "group_share": "0", "survey_minimum": False, "discipline": False}
    criteria_set = criteria_set_publish(
        criteria_set=criteria_set_load(province=commune.province, year=2025, data=data), by=by
    )
    assessment = open_assessment(commune, criteria_set, by=by)  # no survey answer, no document

    outcome = result(
        assessment, scores=all_points(assessment, G1_1=0, G1_2=0, G1_5="3.99", G1_6=0), documents=set(), discipline=True
    )

    assert (outcome.total, outcome.stars, outcome.knockouts) == (Decimal("89.99"), 3, [])


def test_every_knockout_has_its_message(db):
    criteria_set = published_set(CommuneFactory().province)

    with translation.override("en"):
        texts = [
            knockout_text(DOCUMENTS),
            knockout_text(DISCIPLINE),
            knockout_text(GROUP + "G2", criteria_set),
            knockout_text(SURVEY + "G3.3"),
        ]

    assert texts == [
        "The application dossier is incomplete.",
        "A discipline or corruption case was recorded in the year.",
        "Group G2 reached less than 50% of its points.",
        "Criterion G3.3 has fewer survey answers than required.",
    ]
