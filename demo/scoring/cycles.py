"""Demo scoring for a local run: three yearly cycles across the 2025 reform (see demo/data/scoring.py).

tỉnh Bắc Giang's 2024 cycle is complete: eight communes final with one to five stars, recognised by an
approved decision. Today's Bắc Ninh has its 2025 cycle under way: every unit has an assessment with its
computed figures, and the demo wards stand at each step, the officer's ward still a draft. Its 2026
cycle is the first whose set computes G1.3–G1.5 from the grassroots-democracy records the portal keeps
(the sets of 2024 and 2025 had them self-assessed); phường Vân Hà's provisional result is public, its
figures read from whatever democracy records the demo holds for the period.

Every step goes through the scoring services, so steps, snapshots and history are the real ones. The
services stamp the time they run; a clock then dates what each step wrote to the day of the demo's
timeline, as the feedback demo does, so a 2024 submission does not read as made (and late) today.
Idempotent: a cycle whose assessments exist is left as it is, whatever a demo user did to it since.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from communes.data.unit_history import LEGACY_UNTIL
from communes.models import Commune, Province
from demo.data import communes as communes_data
from demo.data import scoring as data
from demo.democracy import COMMUNE_CODE as DEMOCRACY_WARD
from demo.scoring.tools import (
    DemoReport,
    Papers,
    People,
    appraisal,
    counts,
    criteria_set_ensure,
    dated,
    fill,
    plan_papers,
)
from feedback.services.monthly import feedback_monthly_refresh
from scoring.models import (
    Assessment,
    CriteriaSet,
    Decision,
    DecisionGround,
    Status,
)
from scoring.services.computation.compute import assessments_compute, assessments_open
from scoring.services.computation.metrics import METRICS
from scoring.services.decisions import decision_approve, decision_draft, decision_issue
from scoring.services.workflow import (
    appeal_file,
    assessment_appraise,
    assessment_review,
    assessment_submit,
    assessments_finalize,
    assessments_publish,
)

# --- 2024: tỉnh Bắc Giang, a complete cycle -----------------------------------------------------


def _cycle_2024(criteria_set: CriteriaSet, people: People) -> None:
    province = criteria_set.province
    doha, leader = people.doha(province), people.leader(province)
    plans = {plan.code: plan for plan in data.LEGACY_2024}
    communes = list(
        Commune.objects.filter(province=province, code__in=list(plans)).select_related("district", "province")
    )
    dates = data.DATES_2024
    with dated(dates["open"]):
        assessments_open(criteria_set=criteria_set, by=doha, communes=communes)
        assessments_compute(criteria_set=criteria_set, by=doha)
    assessments = {
        a.commune.code: a
        for a in criteria_set.assessments.select_related("commune__district", "commune__province", "criteria_set")
    }
    papers = Papers()
    self_codes = _self_codes(criteria_set)
    documents = _document_codes(criteria_set)
    for commune in communes:
        plan_papers(papers, commune, criteria_set.year, self_codes, documents)
    files = papers.render()
    for code, assessment in sorted(assessments.items()):
        plan, commune = plans[code], assessment.commune
        officer = people.officer(commune)
        with dated(dates["fill"]):
            fill(assessment, by=officer, quality=plan.quality, files=files)
        with dated(dates["submit"]):
            assessment_submit(assessment=assessment, by=officer)
        with dated(dates["review"]):
            assessment_review(assessment=assessment, by=people.reviewer(commune), note=data.REVIEW_NOTE_2024)
        target = Decimal(data.TARGET_TOTAL[plan.stars])
        with dated(dates["appraise"]):
            scores = appraisal(assessment, target=target)
            assessment_appraise(assessment=assessment, by=doha, scores=scores, note=data.APPRAISAL_NOTE)
    with dated(dates["publish"]):
        assessments_publish(criteria_set=criteria_set, by=doha, today=dates["publish"].date())
    with dated(dates["finalize"]):
        assessments_finalize(criteria_set=criteria_set, by=doha, today=dates["finalize"].date())
    recognised = criteria_set.assessments.filter(status=Status.FINAL, stars__gte=1).select_related("criteria_set")
    with dated(dates["draft"]):
        decision = decision_draft(
            province=province, year=criteria_set.year, assessments=recognised, by=doha, **data.DECISION_2024
        )
    with dated(dates["issue"]):
        decision = decision_issue(decision=decision, by=doha, **data.ISSUE_2024)
    with dated(dates["approve"]):
        decision_approve(decision=decision, by=leader)


def _self_codes(criteria_set: CriteriaSet) -> list[str]:
    return list(
        criteria_set.groups.filter(criteria__measure="self")
        .order_by("position", "criteria__position")
        .values_list("criteria__code", flat=True)
    )


def _document_codes(criteria_set: CriteriaSet) -> list[str]:
    return list(criteria_set.documents.filter(generated=False).order_by("position").values_list("code", flat=True))


# --- 2025: Bắc Ninh, a cycle under way ----------------------------------------------------------


def _wards_2025(province: Province) -> dict[str, Commune]:
    """The demo wards by the step they stand at: the successors of the demo communes, and the first
    other wards of the province so that every step has one."""
    codes = [spec.code for spec in communes_data.COMMUNES]
    demo = list(
        Commune.objects.current()
        .filter(province=province, predecessors__code__in=codes, predecessors__valid_until=LEGACY_UNTIL)
        .distinct()
        .order_by("code")
    )
    others = list(
        Commune.objects.current().filter(province=province).exclude(pk__in=[c.pk for c in demo]).order_by("code")
    )
    by_predecessor = {}
    for commune in demo:
        for code in commune.predecessors.filter(code__in=codes).values_list("code", flat=True):
            by_predecessor[code] = commune
    steps = {
        "draft": by_predecessor.get("07792"),  # phường Vân Hà, the demo officer's ward
        "final": by_predecessor.get("07336"),  # xã Tân Yên: recognised
        "knocked_out": by_predecessor.get("07795"),  # phường Nếnh: a discipline case
        "provisional": by_predecessor.get("07777"),  # phường Việt Yên: appeals a line
        "submitted": others[0] if others else None,
        "appraised": others[1] if len(others) > 1 else None,
    }
    return {step: commune for step, commune in steps.items() if commune is not None}


def _cycle_2025(criteria_set: CriteriaSet, people: People) -> None:
    province = criteria_set.province
    doha = people.doha(province)
    dates = data.DATES_2025
    with dated(dates["open"]):
        assessments_open(criteria_set=criteria_set, by=doha)
        assessments_compute(criteria_set=criteria_set, by=doha)
    wards = _wards_2025(province)
    assessments = {
        step: Assessment.objects.select_related("commune__province", "criteria_set").get(
            criteria_set=criteria_set, commune=commune
        )
        for step, commune in wards.items()
    }
    self_codes, documents = _self_codes(criteria_set), _document_codes(criteria_set)
    papers = Papers()
    for step, commune in wards.items():
        partial = step == "draft"
        codes = data.DRAFT_FILLED if partial else self_codes
        plan_papers(papers, commune, criteria_set.year, codes, data.DRAFT_DOCUMENTS if partial else documents)
    files = papers.render()
    quality = {"final": 0.97, "knocked_out": 0.93, "provisional": 0.9, "submitted": 0.88, "appraised": 0.92}
    for step, assessment in assessments.items():
        officer = people.officer(assessment.commune)
        with dated(dates["fill"]):
            if step == "draft":
                fill(
                    assessment,
                    by=officer,
                    quality=0.94,
                    files=files,
                    codes=data.DRAFT_FILLED,
                    documents=data.DRAFT_DOCUMENTS,
                )
                continue
            fill(assessment, by=officer, quality=quality[step], files=files)
        late = step == "submitted"
        with dated(dates["submit_late" if late else "submit"]):
            assessment_submit(assessment=assessment, by=officer, note=data.LATE_NOTE if late else "")
    with dated(dates["appraise"]):
        for step, kwargs in (
            ("final", {"target": Decimal(data.TARGET_TOTAL[1])}),
            ("knocked_out", {}),
            ("provisional", {"lowered": data.APPEAL}),
            ("appraised", {"lowered": data.DOWNGRADE}),
        ):
            if step not in assessments:
                continue
            assessment = assessments[step]
            discipline = step == "knocked_out"
            assessment_appraise(
                assessment=assessment,
                by=doha,
                scores=appraisal(assessment, **kwargs),
                discipline_case=discipline,
                discipline_note=data.DISCIPLINE_NOTE if discipline else "",
                note=data.APPRAISAL_NOTE,
            )
    published = [assessments[s].pk for s in ("final", "knocked_out", "provisional") if s in assessments]
    with dated(dates["publish"]):
        assessments_publish(
            criteria_set=criteria_set,
            by=doha,
            assessments=Assessment.objects.filter(pk__in=published),
            today=dates["publish"].date(),
        )
    if "provisional" in assessments:
        assessment = assessments["provisional"]
        line = assessment.lines.get(criterion__code=data.APPEAL["code"])
        with dated(dates["appeal"]):
            appeal_file(
                line=line,
                by=people.officer(assessment.commune),
                text=data.APPEAL["text"],
                today=dates["appeal"].date(),
            )
    final = [assessments[s].pk for s in ("final", "knocked_out") if s in assessments]
    with dated(dates["finalize"]):
        assessments_finalize(
            criteria_set=criteria_set,
            by=doha,
            assessments=Assessment.objects.filter(pk__in=final),
            today=dates["finalize"].date(),
        )


# --- 2026: Bắc Ninh, G1.3–G1.5 computed from the portal's records -------------------------------

# The criteria the portal computes from the grassroots-democracy records from 2026 on; the sets
# published before were scored from the commune's evidence (the demo's 2025 appeal and downgrade are
# about them).
DEMOCRACY_CRITERIA = ("G1.3", "G1.4", "G1.5")
PUBLISHED_2026 = data.at(2026, 3, 2, 9, 0)
DATES_2026 = {
    "open": data.at(2026, 11, 2, 8, 0),
    "fill": data.at(2026, 11, 12, 9, 30),
    "submit": data.at(2026, 11, 17, 15, 0),
    "appraise": data.at(2026, 12, 1, 14, 0),
    "publish": data.at(2026, 12, 3, 8, 0),
}
QUALITY_2026 = 0.95
# A criterion no unit has data for is scored by DoHA from the commune's papers (the set's policy).
PAPER_SHARE_2026 = Decimal("0.90")
PAPER_REASON_2026 = "Cổng chưa có số liệu năm 2026 cho tiêu chí này ở mọi đơn vị; Sở Nội vụ chấm theo báo cáo giấy"
PAPER_DEMOCRACY = "biên bản, báo cáo thực hiện dân chủ ở cơ sở do UBND cấp xã gửi kèm hồ sơ."


def _paper_scores(assessment: Assessment) -> dict:
    """DoHA's scores for the computed lines without data for the year in any unit (``missing``)."""
    values = assessment.snapshot.values
    scores = {}
    for line in assessment.lines.select_related("criterion"):
        criterion = line.criterion
        if criterion.is_computed and values.get(criterion.code, {}).get("missing"):
            source = data.PAPER_SOURCE.get(METRICS[criterion.metric].source, PAPER_DEMOCRACY)
            points = (criterion.max_points * PAPER_SHARE_2026).quantize(Decimal("0.01"))
            scores[line.pk] = (points, f"{PAPER_REASON_2026}: {source}")
    return scores


def _cycle_2026(criteria_set: CriteriaSet, people: People) -> None:
    """Every unit's assessment opened and computed; phường Vân Hà's filled, submitted, appraised (its
    computed figures as they stand) and published: provisional results are the first the public reads
    (PUBLIC_STATUSES), with the figures behind every computed line."""
    province = criteria_set.province
    doha = people.doha(province)
    dates = DATES_2026
    with dated(dates["open"]):
        assessments_open(criteria_set=criteria_set, by=doha)
        assessments_compute(criteria_set=criteria_set, by=doha)
    assessment = (
        criteria_set.assessments.select_related("commune__province", "criteria_set")
        .filter(commune__code=DEMOCRACY_WARD)
        .first()
    )
    if assessment is None:
        return
    ward, officer = assessment.commune, people.officer(assessment.commune)
    papers = Papers()
    plan_papers(papers, ward, criteria_set.year, _self_codes(criteria_set), _document_codes(criteria_set))
    files = papers.render()
    with dated(dates["fill"]):
        fill(assessment, by=officer, quality=QUALITY_2026, files=files)
    with dated(dates["submit"]):
        assessment_submit(assessment=assessment, by=officer)
    with dated(dates["appraise"]):
        # The portal's figures stand as computed; only a criterion without data anywhere is scored on paper.
        assessment.refresh_from_db()
        scores = _paper_scores(assessment)
        assessment_appraise(assessment=assessment, by=doha, scores=scores, note=data.APPRAISAL_NOTE)
    with dated(dates["publish"]):
        assessments_publish(
            criteria_set=criteria_set,
            by=doha,
            assessments=Assessment.objects.filter(pk=assessment.pk),
            today=dates["publish"].date(),
        )


# --- Entry points -------------------------------------------------------------------------------


def _grounds_ensure(province: Province, grounds: list[str]) -> None:
    """The province's default grounds for its decisions, unless DoHA has kept its own."""
    if not province.decision_grounds.exists():
        DecisionGround.objects.bulk_create(
            [DecisionGround(province=province, position=i, text=text) for i, text in enumerate(grounds, start=1)]
        )


@transaction.atomic
def scoring_demo_ensure(*, by=None) -> DemoReport:
    """Give the demo provinces their criteria sets, tỉnh Bắc Giang its complete 2024 cycle and today's
    Bắc Ninh its 2025 cycle under way and its 2026 cycle computed from the portal's records. A second
    call creates nothing; without the units it does nothing."""
    report = DemoReport()
    legacy = Province.objects.filter(code=data.PROVINCE_CODE, valid_until=LEGACY_UNTIL).first()
    current = Province.objects.current().filter(code=data.PROVINCE_CODE).first()
    if legacy is None or current is None:
        return report
    before = counts()
    people = People(by)
    legacy_doha, current_doha = people.doha(legacy), people.doha(current)
    # 2024's surveys were on paper: a minimum of answers on the portal could not apply that year.
    set_2024 = criteria_set_ensure(
        legacy,
        2024,
        legacy_doha,
        published=data.PUBLISHED["legacy", 2024],
        survey_minimum=False,
        self_assessed=DEMOCRACY_CRITERIA,
    )
    # tỉnh Bắc Giang ended on 30 June 2025: its last set's data stop there (its deadlines come later).
    criteria_set_ensure(
        legacy,
        2025,
        legacy_doha,
        published=data.PUBLISHED["legacy", 2025],
        period_end=data.LEGACY_PERIOD_END,
        self_assessed=DEMOCRACY_CRITERIA,
    )
    set_2025 = criteria_set_ensure(
        current, 2025, current_doha, published=data.PUBLISHED["current", 2025], self_assessed=DEMOCRACY_CRITERIA
    )
    set_2026 = criteria_set_ensure(current, 2026, current_doha, published=PUBLISHED_2026)
    _grounds_ensure(legacy, data.GROUNDS["legacy"])
    _grounds_ensure(current, data.GROUNDS["current"])
    todo_2024 = not Assessment.objects.filter(criteria_set__province=legacy, year=2024).exists()
    todo_2025 = not set_2025.assessments.exists()
    todo_2026 = not set_2026.assessments.exists()
    if todo_2024 or todo_2025 or todo_2026:
        # Feedback figures are kept by month; the demo's items must be counted before any computation.
        feedback_monthly_refresh(since=datetime.date(2024, 1, 1))
    if todo_2024:
        _cycle_2024(set_2024, people)
    if todo_2025:
        _cycle_2025(set_2025, people)
    if todo_2026:
        _cycle_2026(set_2026, people)
    report.created = counts() - before
    return report


def scoring_demo_summary(report: DemoReport) -> str:
    """One line for ``setup_demo``."""
    assessments = Assessment.objects.filter(
        year__in=[2024, 2025, 2026], criteria_set__province__code=data.PROVINCE_CODE
    )
    return _(
        "Demo scoring: %(sets)d criteria sets, %(assessments)d assessments (%(final)d final), "
        "%(decisions)d approved decisions (%(created)d records created now)."
    ) % {
        "sets": CriteriaSet.objects.filter(
            province__code=data.PROVINCE_CODE, status=CriteriaSet.Status.PUBLISHED
        ).count(),
        "assessments": assessments.count(),
        "final": assessments.filter(status=Status.FINAL).count(),
        "decisions": Decision.objects.filter(
            province__code=data.PROVINCE_CODE, status=Decision.Status.APPROVED
        ).count(),
        "created": report.created_total,
    }
