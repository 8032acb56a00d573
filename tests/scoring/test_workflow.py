"""The rules of the yearly cycle as the services enforce them (scoring/services/workflow.py and
compute.snapshot_adopt): what each step needs, what a second click does, the comment window and its
appeals, the final results, and an assessment locked by an approved decision."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import translation

from communes.services.statistics import statistics_save
from core.workdays import add_working_days
from scoring.models import Appeal, Assessment, Status, Step
from scoring.services import (
    ScoringError,
    appeal_answer,
    appeal_file,
    assessment_appraise,
    assessment_return,
    assessment_review,
    assessment_self_save,
    assessment_submit,
    assessments_compute,
    assessments_finalize,
    assessments_publish,
    criteria_set_load,
    criteria_set_publish,
    decision_approve,
    decision_draft,
    decision_issue,
    document_attach,
    snapshot_adopt,
)
from scoring.services.criteria import CRITERIA_FILE
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.factories import advance, fill_self, open_assessment, pdf_file, published_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The services' messages are read in the source language here; their Vietnamese is the .po's."""
    with translation.override("en"):
        yield


LOCKED = "This assessment is part of an approved recognition decision and can no longer change."
# A Thursday before New Year's Day: the five working days skip the weekend and 1 January.
CHRISTMAS = datetime.date(2025, 12, 25)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def line(assessment: Assessment, code: str):
    return assessment.lines.select_related("criterion").get(criterion__code=code)


def steps(assessment: Assessment, action: str) -> int:
    return assessment.steps.filter(action=action).count()


def dossiers_reported(commune, received: int = 100, on_time: int = 90) -> None:
    """A month of dossier statistics in the assessed period (figures a recomputation then finds)."""
    figures = dict.fromkeys(["resolved_early", "resolved_same_day", "submitted_online", "paid_online", "digitised"], 0)
    figures |= {"received": received, "resolved_on_time": on_time, "pending": 0}
    figures["resolved_late"] = figures["late_with_apology"] = received - on_time
    statistics_save(commune=commune, month=datetime.date(2025, 3, 1), figures=figures, by=None)


def recognised(commune, by=None) -> Assessment:
    """Provisional results with stars: survey minimums off and DoHA giving full points everywhere."""
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    data["knockouts"]["survey_minimum"] = False
    criteria_set = criteria_set_publish(
        criteria_set=criteria_set_load(province=commune.province, year=2025, data=data), by=by
    )
    assessment = advance(fill_self(open_assessment(commune, criteria_set)), Status.REVIEWED)
    full = {
        item.pk: (item.criterion.max_points, "Số liệu do xã cung cấp được xác minh.")
        for item in assessment.lines.select_related("criterion")
    }
    assessment = assessment_appraise(assessment=assessment, by=by, scores=full)
    return advance(assessment, Status.PROVISIONAL)


# --- Submission ------------------------------------------------------------------------------------


def test_submit_requires_a_score_on_every_self_assessed_line(places):  # noqa: F811
    assessment = open_assessment(places.commune)

    with pytest.raises(ScoringError, match=r"G1\.1, G1\.6"):
        assessment_submit(assessment=assessment, by=None)

    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT
    assert steps(assessment, Step.Action.SUBMIT) == 0


def test_submit_requires_evidence_for_every_score_above_zero(places):  # noqa: F811
    assessment = open_assessment(places.commune)
    entries = {
        item.pk: {"self_score": item.criterion.max_points, "evidence": pdf_file()}
        for item in assessment.lines.select_related("criterion")
        if not item.criterion.is_computed
    }
    unproven = line(assessment, "G3.4")
    del entries[unproven.pk]["evidence"]
    assessment_self_save(assessment=assessment, by=None, entries=entries)

    with pytest.raises(ScoringError, match=r"G3\.4"):
        assessment_submit(assessment=assessment, by=None)

    assessment_self_save(assessment=assessment, by=None, entries={unproven.pk: {"self_score": Decimal(0)}})
    assert assessment_submit(assessment=assessment, by=None).status == Status.SUBMITTED


def test_a_second_submit_changes_nothing_and_adds_no_step(places):  # noqa: F811
    assessment = fill_self(open_assessment(places.commune))

    first = assessment_submit(assessment=assessment, by=None)
    second = assessment_submit(assessment=assessment, by=None)

    assert first.submitted_at == second.submitted_at
    assert steps(assessment, Step.Action.SUBMIT) == 1


def test_a_submitted_assessment_refuses_self_scores(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.SUBMITTED)
    first = line(assessment, "G1.1")

    with pytest.raises(ScoringError, match="Only a draft assessment"):
        assessment_self_save(assessment=assessment, by=None, entries={first.pk: {"self_score": Decimal(0)}})

    assert line(assessment, "G1.1").self_score == first.self_score


# --- Review and appraisal --------------------------------------------------------------------------


def test_review_is_refused_for_a_unit_without_district_which_goes_straight_to_appraisal(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.new_commune)), Status.SUBMITTED)

    with pytest.raises(ScoringError, match="no district"):
        assessment_review(assessment=assessment, by=None)

    assert assessment_appraise(assessment=assessment, by=None, scores={}).status == Status.APPRAISED


def test_appraisal_waits_for_the_district_where_there_is_one(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.SUBMITTED)

    with pytest.raises(ScoringError, match="district reviews"):
        assessment_appraise(assessment=assessment, by=None, scores={})

    reviewed = assessment_review(assessment=assessment, by=None, notes={line(assessment, "G1.1").pk: " Đủ hồ sơ. "})
    assert reviewed.status == Status.REVIEWED
    assert line(assessment, "G1.1").review_note == "Đủ hồ sơ."


def test_an_appraised_score_that_differs_needs_a_reason(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.REVIEWED)
    lowered = line(assessment, "G2.7")  # 4 points self-assessed

    with pytest.raises(ScoringError, match=r"G2\.7: give the reason"):
        assessment_appraise(assessment=assessment, by=None, scores={lowered.pk: (Decimal(2), "  ")})

    assessment.refresh_from_db()
    assert assessment.status == Status.REVIEWED
    assert line(assessment, "G2.7").appraised_score is None
    total = assessment.total

    assessment_appraise(assessment=assessment, by=None, scores={lowered.pk: (Decimal(2), "Chưa có máy lấy số thứ tự.")})

    assessment.refresh_from_db()
    assert line(assessment, "G2.7").points == Decimal(2)
    assert assessment.total == total - 2
    assert assessment.status == Status.APPRAISED


@pytest.mark.parametrize("score", [Decimal("4.01"), Decimal(-1)])
def test_an_appraised_score_stays_within_the_criterion_s_points(places, score):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.REVIEWED)
    target = line(assessment, "G2.7")

    with pytest.raises(ScoringError, match=r"G2\.7: the score must be between 0 and 4"):
        assessment_appraise(assessment=assessment, by=None, scores={target.pk: (score, "Lý do")})

    assert line(assessment, "G2.7").appraised_score is None


def test_a_returned_assessment_is_a_draft_again_with_the_reason_kept(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.SUBMITTED)

    with pytest.raises(ScoringError, match="Say why"):
        assessment_return(assessment=assessment, by=None, reason=" ")
    returned = assessment_return(assessment=assessment, by=None, reason="Thiếu minh chứng G2.7.")

    assert returned.status == Status.DRAFT
    assert assessment.steps.get(action=Step.Action.RETURN).note == "Thiếu minh chứng G2.7."


# --- Provisional results and appeals ---------------------------------------------------------------


def test_publishing_opens_comments_for_five_working_days(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.APPRAISED)

    published = assessments_publish(
        criteria_set=assessment.criteria_set,
        by=None,
        assessments=Assessment.objects.filter(pk=assessment.pk),
        today=CHRISTMAS,
    )

    assessment.refresh_from_db()
    assert published == 1
    assert assessment.status == Status.PROVISIONAL
    assert assessment.comments_until == add_working_days(CHRISTMAS, 5) == datetime.date(2026, 1, 2)


def test_appeals_are_accepted_only_while_comments_are_open(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.APPRAISED)
    contested = line(assessment, "G1.1")

    with pytest.raises(ScoringError, match="only while the provisional results are open"):
        appeal_file(line=contested, by=None, text="Đề nghị xem lại.")

    assessment = advance(assessment, Status.PROVISIONAL, today=CHRISTMAS)
    with pytest.raises(ScoringError, match="only while the provisional results are open"):
        appeal_file(line=contested, by=None, text="Đề nghị xem lại.", today=datetime.date(2026, 1, 3))
    appeal = appeal_file(line=contested, by=None, text="Đề nghị xem lại.", today=datetime.date(2026, 1, 2))

    assert appeal.is_open
    assert steps(assessment, Step.Action.APPEAL) == 1


def test_a_line_has_one_open_appeal_and_a_retry_returns_it(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.PROVISIONAL)
    contested = line(assessment, "G1.1")

    first = appeal_file(line=contested, by=None, text="Đề nghị xem lại.")
    retry = appeal_file(line=contested, by=None, text="Đề nghị xem lại (gửi lại).")

    assert retry.pk == first.pk
    assert Appeal.objects.filter(line=contested).count() == 1
    assert steps(assessment, Step.Action.APPEAL) == 1
    appeal_answer(appeal=first, by=None, outcome=Appeal.Outcome.REJECTED, answer="Giữ nguyên điểm.")
    assert appeal_file(line=contested, by=None, text="Còn ý kiến khác.").pk != first.pk


def test_an_accepted_appeal_changes_the_line_s_points_and_the_total(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune), share=Decimal("0.5")), Status.PROVISIONAL)
    contested = line(assessment, "G2.7")  # 2 of 4 points
    total = assessment.total
    appeal = appeal_file(line=contested, by=None, text="Đã lắp máy lấy số thứ tự.")

    with pytest.raises(ScoringError, match="new score"):
        appeal_answer(appeal=appeal, by=None, outcome=Appeal.Outcome.ACCEPTED, answer="Đồng ý.")
    answered = appeal_answer(
        appeal=appeal, by=None, outcome=Appeal.Outcome.ACCEPTED, answer="Đồng ý.", score=Decimal(4)
    )

    assessment.refresh_from_db()
    assert (answered.score_before, answered.score_after) == (Decimal(2), Decimal(4))
    assert line(assessment, "G2.7").points == Decimal(4)
    assert assessment.total == total + 2
    with pytest.raises(ScoringError, match="already answered"):
        appeal_answer(appeal=appeal, by=None, outcome=Appeal.Outcome.REJECTED, answer="Không.")


def test_finalize_waits_for_the_end_of_the_window_and_for_every_answer(places):  # noqa: F811
    criteria_set = published_set(places.province)
    appealed = advance(fill_self(open_assessment(places.commune, criteria_set)), Status.PROVISIONAL, today=CHRISTMAS)
    quiet = advance(fill_self(open_assessment(places.other_commune, criteria_set)), Status.PROVISIONAL, today=CHRISTMAS)
    appeal = appeal_file(line=line(appealed, "G1.1"), by=None, text="Đề nghị xem lại.", today=CHRISTMAS)

    assert assessments_finalize(criteria_set=criteria_set, by=None, today=datetime.date(2026, 1, 2)) == 0
    assert assessments_finalize(criteria_set=criteria_set, by=None, today=datetime.date(2026, 1, 5)) == 1
    appeal_answer(appeal=appeal, by=None, outcome=Appeal.Outcome.REJECTED, answer="Giữ nguyên điểm.")
    assert assessments_finalize(criteria_set=criteria_set, by=None, today=datetime.date(2026, 1, 5)) == 1

    quiet.refresh_from_db()
    appealed.refresh_from_db()
    assert quiet.status == appealed.status == Status.FINAL
    assert steps(quiet, Step.Action.FINALIZE) == steps(appealed, Step.Action.FINALIZE) == 1


# --- Figures and the lock --------------------------------------------------------------------------


def test_newer_figures_wait_for_doha_then_replace_the_computed_points(places):  # noqa: F811
    assessment = advance(fill_self(open_assessment(places.commune)), Status.REVIEWED)
    computed = line(assessment, "G2.2")
    assessment_appraise(assessment=assessment, by=None, scores={computed.pk: (Decimal(1), "Số liệu chưa khớp.")})
    in_use, total = assessment.snapshot_id, Assessment.objects.get(pk=assessment.pk).total
    dossiers_reported(places.commune, received=100, on_time=100)

    assessments_compute(criteria_set=assessment.criteria_set, assessments=Assessment.objects.filter(pk=assessment.pk))
    assessment.refresh_from_db()
    assert assessment.snapshot_id == in_use  # kept until DoHA adopts the new figures
    assert assessment.total == total

    newest = snapshot_adopt(assessment=assessment, by=None)

    assessment.refresh_from_db()
    adopted = line(assessment, "G2.2")
    assert assessment.snapshot_id == newest.pk != in_use
    assert (adopted.computed_points, adopted.appraised_score, adopted.appraisal_reason) == (Decimal(8), None, "")
    assert assessment.total == total - 1 + 8  # only G2.2 moved: 100% on time
    assert steps(assessment, Step.Action.ADOPT) == 1
    with pytest.raises(ScoringError, match="already uses the newest figures"):
        snapshot_adopt(assessment=assessment, by=None)


def test_newer_figures_are_adopted_during_the_appraisal_only(places):  # noqa: F811
    assessment = open_assessment(places.commune)
    dossiers_reported(places.commune)
    assessments_compute(criteria_set=assessment.criteria_set, assessments=Assessment.objects.filter(pk=assessment.pk))

    with pytest.raises(ScoringError, match="during the appraisal only"):
        snapshot_adopt(assessment=assessment, by=None)


def test_a_locked_assessment_refuses_every_change(places):  # noqa: F811
    assessment = recognised(places.commune)
    first = line(assessment, "G1.1")
    appeal = appeal_file(line=first, by=None, text="Đề nghị xem lại.")
    appeal_answer(appeal=appeal, by=None, outcome=Appeal.Outcome.REJECTED, answer="Giữ nguyên điểm.")
    assessment = advance(assessment, Status.FINAL)
    assert assessment.stars == 5
    decision = decision_draft(
        province=places.province,
        year=2025,
        signer_name="Nguyễn Văn A",
        assessments=[assessment],
        by=None,
    )
    decision = decision_issue(decision=decision, number="125/QĐ-UBND", signed_on=datetime.date(2026, 1, 20), by=None)
    decision_approve(decision=decision, by=None)
    document = assessment.criteria_set.documents.filter(generated=False).first()
    changes = [
        lambda: assessment_self_save(assessment=assessment, by=None, entries={first.pk: {"self_score": Decimal(0)}}),
        lambda: document_attach(assessment=assessment, document=document, file=pdf_file(), by=None),
        lambda: assessment_submit(assessment=assessment, by=None),
        lambda: assessment_return(assessment=assessment, by=None, reason="Xem lại."),
        lambda: assessment_review(assessment=assessment, by=None),
        lambda: assessment_appraise(assessment=assessment, by=None, scores={first.pk: (Decimal(0), "Không đạt.")}),
        lambda: snapshot_adopt(assessment=assessment, by=None),
        lambda: appeal_file(line=first, by=None, text="Đề nghị xem lại."),
        lambda: appeal_answer(appeal=appeal, by=None, outcome=Appeal.Outcome.ACCEPTED, answer="Đồng ý.", score=0),
    ]

    for change in changes:
        with pytest.raises(ScoringError, match=LOCKED):
            change()

    after = Assessment.objects.get(pk=assessment.pk)
    assert (after.status, after.total, after.stars) == (Status.FINAL, Decimal(100), 5)
    assert line(assessment, "G1.1").points == first.points
