"""Demo scoring for a local run: two yearly cycles across the 2025 reform (see scoring/data/demo.py).

tỉnh Bắc Giang's 2024 cycle is complete: eight communes final with one to five stars, recognised by an
approved decision. Today's Bắc Ninh has its 2025 cycle under way: every unit has an assessment with its
computed figures, and the demo wards stand at each step, the officer's ward still a draft.

Every step goes through the scoring services, so steps, snapshots and history are the real ones. The
services stamp the time they run; a clock then dates what each step wrote to the day of the demo's
timeline, as the feedback demo does, so a 2024 submission does not read as made (and late) today.
Idempotent: a cycle whose assessments exist is left as it is, whatever a demo user did to it since.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import logging
import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.data import demo as communes_data
from communes.data.unit_history import LEGACY_UNTIL
from communes.models import Commune, Province
from feedback.services.monthly import feedback_monthly_refresh
from portal.models import Role, RoleAssignment
from scoring.data import demo as data
from scoring.metrics import METRICS
from scoring.models import (
    Appeal,
    Assessment,
    AssessmentDocument,
    CriteriaSet,
    Decision,
    DecisionEntry,
    Line,
    Snapshot,
    Status,
    Step,
)
from scoring.services.compute import assessments_compute, assessments_open
from scoring.services.criteria import CRITERIA_FILE, criteria_set_load, criteria_set_publish
from scoring.services.decisions import decision_approve, decision_draft
from scoring.services.workflow import (
    appeal_file,
    assessment_appraise,
    assessment_review,
    assessment_self_save,
    assessment_submit,
    assessments_finalize,
    assessments_publish,
    document_attach,
)

logger = logging.getLogger(__name__)

SEED = 20241101
CENT = Decimal("0.01")
COUNTED = [CriteriaSet, Assessment, Snapshot, Step, AssessmentDocument, Appeal, Decision, DecisionEntry]


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)  # model name → rows created by this run

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


def _counts() -> Counter:
    return Counter({model._meta.model_name: model.objects.count() for model in COUNTED})


# --- Time ---------------------------------------------------------------------------------------


# The timestamps each model gets from the services, and the deadline each kind of step is late against.
STAMPS = {
    Assessment: ["submitted_at", "reviewed_at", "appraised_at", "published_at", "finalized_at", "locked_at"],
    Snapshot: ["computed_at"],
    AssessmentDocument: ["uploaded_at"],
    Appeal: ["filed_at", "answered_at"],
    Decision: ["created_at", "approved_at"],
    CriteriaSet: ["created_at", "published_at"],
}
DEADLINES = {
    Step.Action.SUBMIT: "submission_deadline",
    Step.Action.REVIEW: "review_deadline",
    Step.Action.APPRAISE: "appraisal_deadline",
}


@contextmanager
def _at(when: datetime.datetime):
    """Date everything the services write inside the block to ``when``."""
    started = timezone.now()
    mark = Step.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    for model, names in STAMPS.items():
        for name in names:
            model.objects.filter(**{f"{name}__gte": started}).update(**{name: when})
    steps = Step.objects.filter(pk__gt=mark)
    steps.update(at=when)
    for step in steps.filter(action__in=list(DEADLINES)).select_related("assessment__criteria_set"):
        late = when.date() > getattr(step.assessment.criteria_set, DEADLINES[step.action])
        if step.late != late:
            Step.objects.filter(pk=step.pk).update(late=late)


# --- People -------------------------------------------------------------------------------------


class _People:
    """Who acts for a place: the demo account holding the role over it (or over the unit that took it
    over), else the site administrator who runs the demo."""

    def __init__(self, by):
        self.by = by
        self.assignments = list(RoleAssignment.objects.select_related("user"))

    def _holder(self, role: str, field_name: str, places) -> object:
        ids = {place.pk for place in places}
        found = [a for a in self.assignments if a.role == role and getattr(a, f"{field_name}_id") in ids]
        return min(found, key=lambda a: a.pk).user if found else self.by

    def officer(self, commune: Commune):
        return self._holder(Role.COMMUNE_OFFICER, "commune", [commune, *commune.successors.all()])

    def reviewer(self, commune: Commune):
        return self._holder(Role.DISTRICT_REVIEWER, "district", [commune.district] if commune.district else [])

    def doha(self, province: Province):
        return self._holder(Role.DOHA_STAFF, "province", [province, *province.successors.all()])

    def leader(self, province: Province):
        return self._holder(Role.PROVINCIAL_LEADER, "province", [province, *province.successors.all()])


# --- Documents ----------------------------------------------------------------------------------


class _Papers:
    """The cycle's PDFs, rendered in one WeasyPrint run (a run costs far more than a page) and split
    into one file per document."""

    # Floats, not a table, for the letterhead: table layout is what costs most in a long run.
    STYLE = """@page { size: A4; margin: 2cm; }
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 12pt; line-height: 1.45; }
section { break-after: page; }
.issuer { float: left; width: 45%; text-align: center; font-weight: bold; font-size: 11pt; }
.motto { float: right; width: 50%; text-align: center; font-size: 11pt; }
h1 { clear: both; font-size: 15pt; text-align: center; padding-top: 1.5cm; margin: 0 0 .8cm; }
.note { margin-top: 1.5cm; font-size: 9pt; color: #555; }"""

    def __init__(self):
        self.pages: list[tuple[tuple, str, str, tuple[str, ...]]] = []

    def add(self, key: tuple, title: str, issuer: str, body: tuple[str, ...]) -> None:
        self.pages.append((key, title, issuer, body))

    def _section(self, title: str, issuer: str, body: tuple[str, ...]) -> str:
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body)
        return (
            f'<section><p class="issuer">{html.escape(issuer.upper())}</p>'
            '<p class="motto"><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><br>Độc lập - Tự do - Hạnh phúc</p>'
            f'<h1>{html.escape(title)}</h1>{paragraphs}<p class="note">{html.escape(data.DEMO_NOTE)}</p></section>'
        )

    def render(self) -> dict[tuple, bytes]:
        if not self.pages:
            return {}
        from pypdf import PdfReader, PdfWriter

        sections = "".join(self._section(title, issuer, body) for _key, title, issuer, body in self.pages)
        page = f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>{self.STYLE}</style></head>'
        page += f"<body>{sections}</body></html>"
        quiet = [logging.getLogger(name) for name in ("weasyprint", "weasyprint.progress", "fontTools")]
        levels = [logger_.level for logger_ in quiet]
        for logger_ in quiet:
            logger_.setLevel(logging.ERROR)
        try:
            from weasyprint import HTML  # imported here: it loads system libraries

            reader = PdfReader(io.BytesIO(HTML(string=page).write_pdf()))
            pages = list(reader.pages)
        except OSError as error:
            # WeasyPrint's system libraries (Pango) are missing: blank pages still make valid documents.
            logger.warning("WeasyPrint is unavailable (%s); demo evidence gets blank PDF pages.", error)
            pages = [None] * len(self.pages)
        finally:
            for logger_, level in zip(quiet, levels, strict=True):
                logger_.setLevel(level)
        files = {}
        for (key, title, _issuer, _body), pdf_page in zip(self.pages, pages, strict=True):
            writer = PdfWriter()
            if pdf_page is None:
                writer.add_blank_page(width=595.28, height=841.89)
            else:
                writer.add_page(pdf_page)
            writer.add_metadata({"/Title": title})
            output = io.BytesIO()
            writer.write(output)
            files[key] = output.getvalue()
        return files


def _plan_papers(papers: _Papers, commune: Commune, year: int, codes: list[str], documents: list[str]) -> None:
    end = datetime.date(year, 12, 31)
    issuer = f"UBND {commune.name_on(min(commune.valid_until or end, end))}"
    for code in codes:
        evidence = data.EVIDENCE[code]
        papers.add((commune.pk, code), evidence.title.format(year=year), issuer, evidence.body)
    for code in documents:
        title, body = data.DOCUMENTS[code]
        papers.add((commune.pk, code), title.format(year=year), issuer, body)


# --- One assessment's steps ---------------------------------------------------------------------


def _quarter(value: Decimal) -> Decimal:
    """Points as communes give them: in quarters."""
    return ((value * 4).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 4).quantize(CENT)


def _lines(assessment: Assessment) -> list[Line]:
    return list(
        assessment.lines.select_related("criterion__group").order_by(
            "criterion__group__position", "criterion__position"
        )
    )


def _fill(assessment: Assessment, *, by, quality: float, files: dict, codes: list[str] | None = None, documents=None):
    """The commune's self-scores with notes and evidence (all self-assessed criteria, or ``codes``), and
    its dossier documents (all, or ``documents``)."""
    rng = random.Random(f"{SEED}-{assessment.commune.code}-{assessment.year}")  # noqa: S311 - demo figures
    entries = {}
    for line in _lines(assessment):
        code = line.criterion.code
        if line.criterion.is_computed or (codes is not None and code not in codes):
            continue
        share = min(1.0, quality + rng.uniform(-0.05, 0.06))
        entries[line.pk] = {
            "self_score": _quarter(line.criterion.max_points * Decimal(str(share))),
            "self_note": data.EVIDENCE[code].note.format(year=assessment.year),
            "evidence": ContentFile(files[assessment.commune_id, code], name=f"{code}-minh-chung.pdf"),
        }
    assessment_self_save(assessment=assessment, by=by, entries=entries)
    for document in assessment.criteria_set.documents.filter(generated=False).order_by("position"):
        if documents is None or document.code in documents:
            file = ContentFile(files[assessment.commune_id, document.code], name=f"{document.code}.pdf")
            document_attach(assessment=assessment, document=document, file=file, by=by)


def _from_paper(line: Line, values: dict, criteria_set: CriteriaSet) -> bool:
    """A computed line the portal has no figures for (nothing recorded, or too few answers), which DoHA
    scores from the commune's paper reports; where too few answers is a knock-out, paper cannot stand
    in for them."""
    if not line.criterion.is_computed:
        return False
    reading = values[line.criterion.code]
    if reading["rows"] and reading["enough"]:
        return False
    return not (criteria_set.knockout_survey_minimum and line.criterion.min_rows_knockout)


def _appraisal(assessment: Assessment, *, target: Decimal | None = None, share=Decimal("0.85"), lowered=None) -> dict:
    """DoHA's scores: the computed lines without figures from the paper reports, at the share that
    brings the total to ``target`` (or at ``share``), and ``lowered`` = {code, share, reason}."""
    assessment.refresh_from_db()
    values = assessment.snapshot.values
    reason = data.PAPER_REASON[assessment.year]
    lines = _lines(assessment)
    paper = [line for line in lines if _from_paper(line, values, assessment.criteria_set)]
    scores = {}
    if lowered:
        line = next(line for line in lines if line.criterion.code == lowered["code"])
        scores[line.pk] = (_quarter(line.proposed * Decimal(lowered["share"])), lowered["reason"])
    fixed = sum(
        (scores[line.pk][0] if line.pk in scores else line.proposed or Decimal(0))
        for line in lines
        if line not in paper
    )
    room = sum((line.criterion.max_points for line in paper), Decimal(0))
    if target is not None and room:
        share = min(max((target - fixed) / room, Decimal("0.5")), Decimal(1))
    for line in paper:
        source = METRICS[line.criterion.metric].source
        scores[line.pk] = ((line.criterion.max_points * share).quantize(CENT), f"{reason}: {data.PAPER_SOURCE[source]}")
    return scores


# --- Criteria sets ------------------------------------------------------------------------------


def _criteria_set(
    province: Province, year: int, by, *, published: datetime.datetime, period_end=None, survey_minimum: bool = True
) -> CriteriaSet:
    """The year's published set of the province, loaded from the project's file when it has none."""
    existing = CriteriaSet.objects.filter(province=province, year=year, status=CriteriaSet.Status.PUBLISHED).first()
    if existing:
        return existing
    content = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    if period_end is not None:
        content["period"]["end"] = period_end.strftime("%m-%d")
    content["knockouts"]["survey_minimum"] = survey_minimum
    with _at(published):
        draft = criteria_set_load(province=province, year=year, by=by, data=content)
        return criteria_set_publish(criteria_set=draft, by=by)


# --- 2024: tỉnh Bắc Giang, a complete cycle -----------------------------------------------------


def _cycle_2024(criteria_set: CriteriaSet, people: _People) -> None:
    province = criteria_set.province
    doha, leader = people.doha(province), people.leader(province)
    plans = {plan.code: plan for plan in data.LEGACY_2024}
    communes = list(
        Commune.objects.filter(province=province, code__in=list(plans)).select_related("district", "province")
    )
    dates = data.DATES_2024
    with _at(dates["open"]):
        assessments_open(criteria_set=criteria_set, by=doha, communes=communes)
        assessments_compute(criteria_set=criteria_set, by=doha)
    assessments = {
        a.commune.code: a
        for a in criteria_set.assessments.select_related("commune__district", "commune__province", "criteria_set")
    }
    papers = _Papers()
    self_codes = _self_codes(criteria_set)
    documents = _document_codes(criteria_set)
    for commune in communes:
        _plan_papers(papers, commune, criteria_set.year, self_codes, documents)
    files = papers.render()
    for code, assessment in sorted(assessments.items()):
        plan, commune = plans[code], assessment.commune
        officer = people.officer(commune)
        with _at(dates["fill"]):
            _fill(assessment, by=officer, quality=plan.quality, files=files)
        with _at(dates["submit"]):
            assessment_submit(assessment=assessment, by=officer)
        with _at(dates["review"]):
            assessment_review(assessment=assessment, by=people.reviewer(commune), note=data.REVIEW_NOTE_2024)
        target = Decimal(data.TARGET_TOTAL[plan.stars])
        with _at(dates["appraise"]):
            scores = _appraisal(assessment, target=target)
            assessment_appraise(assessment=assessment, by=doha, scores=scores, note=data.APPRAISAL_NOTE)
    with _at(dates["publish"]):
        assessments_publish(criteria_set=criteria_set, by=doha, today=dates["publish"].date())
    with _at(dates["finalize"]):
        assessments_finalize(criteria_set=criteria_set, by=doha, today=dates["finalize"].date())
    recognised = criteria_set.assessments.filter(status=Status.FINAL, stars__gte=1).select_related("criteria_set")
    with _at(dates["draft"]):
        decision = decision_draft(
            province=province, year=criteria_set.year, assessments=recognised, by=doha, **data.DECISION_2024
        )
    with _at(dates["approve"]):
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


def _cycle_2025(criteria_set: CriteriaSet, people: _People) -> None:
    province = criteria_set.province
    doha = people.doha(province)
    dates = data.DATES_2025
    with _at(dates["open"]):
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
    papers = _Papers()
    for step, commune in wards.items():
        partial = step == "draft"
        codes = data.DRAFT_FILLED if partial else self_codes
        _plan_papers(papers, commune, criteria_set.year, codes, data.DRAFT_DOCUMENTS if partial else documents)
    files = papers.render()
    quality = {"final": 0.97, "knocked_out": 0.93, "provisional": 0.9, "submitted": 0.88, "appraised": 0.92}
    for step, assessment in assessments.items():
        officer = people.officer(assessment.commune)
        with _at(dates["fill"]):
            if step == "draft":
                _fill(
                    assessment,
                    by=officer,
                    quality=0.94,
                    files=files,
                    codes=data.DRAFT_FILLED,
                    documents=data.DRAFT_DOCUMENTS,
                )
                continue
            _fill(assessment, by=officer, quality=quality[step], files=files)
        late = step == "submitted"
        with _at(dates["submit_late" if late else "submit"]):
            assessment_submit(assessment=assessment, by=officer, note=data.LATE_NOTE if late else "")
    with _at(dates["appraise"]):
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
                scores=_appraisal(assessment, **kwargs),
                discipline_case=discipline,
                discipline_note=data.DISCIPLINE_NOTE if discipline else "",
                note=data.APPRAISAL_NOTE,
            )
    published = [assessments[s].pk for s in ("final", "knocked_out", "provisional") if s in assessments]
    with _at(dates["publish"]):
        assessments_publish(
            criteria_set=criteria_set,
            by=doha,
            assessments=Assessment.objects.filter(pk__in=published),
            today=dates["publish"].date(),
        )
    if "provisional" in assessments:
        assessment = assessments["provisional"]
        line = assessment.lines.get(criterion__code=data.APPEAL["code"])
        with _at(dates["appeal"]):
            appeal_file(
                line=line,
                by=people.officer(assessment.commune),
                text=data.APPEAL["text"],
                today=dates["appeal"].date(),
            )
    final = [assessments[s].pk for s in ("final", "knocked_out") if s in assessments]
    with _at(dates["finalize"]):
        assessments_finalize(
            criteria_set=criteria_set,
            by=doha,
            assessments=Assessment.objects.filter(pk__in=final),
            today=dates["finalize"].date(),
        )


# --- Entry points -------------------------------------------------------------------------------


@transaction.atomic
def scoring_demo_ensure(*, by=None) -> DemoReport:
    """Give the demo provinces their criteria sets, tỉnh Bắc Giang its complete 2024 cycle and today's
    Bắc Ninh its 2025 cycle under way. A second call creates nothing; without the units it does nothing."""
    report = DemoReport()
    legacy = Province.objects.filter(code=data.PROVINCE_CODE, valid_until=LEGACY_UNTIL).first()
    current = Province.objects.current().filter(code=data.PROVINCE_CODE).first()
    if legacy is None or current is None:
        return report
    before = _counts()
    people = _People(by)
    legacy_doha, current_doha = people.doha(legacy), people.doha(current)
    # 2024's surveys were on paper: a minimum of answers on the portal could not apply that year.
    set_2024 = _criteria_set(legacy, 2024, legacy_doha, published=data.PUBLISHED["legacy", 2024], survey_minimum=False)
    # tỉnh Bắc Giang ended on 30 June 2025: its last set's data stop there (its deadlines come later).
    _criteria_set(
        legacy, 2025, legacy_doha, published=data.PUBLISHED["legacy", 2025], period_end=data.LEGACY_PERIOD_END
    )
    set_2025 = _criteria_set(current, 2025, current_doha, published=data.PUBLISHED["current", 2025])
    todo_2024 = not Assessment.objects.filter(criteria_set__province=legacy, year=2024).exists()
    todo_2025 = not set_2025.assessments.exists()
    if todo_2024 or todo_2025:
        # Feedback figures are kept by month; the demo's items must be counted before any computation.
        feedback_monthly_refresh(since=datetime.date(2024, 1, 1))
    if todo_2024:
        _cycle_2024(set_2024, people)
    if todo_2025:
        _cycle_2025(set_2025, people)
    report.created = _counts() - before
    return report


def scoring_demo_summary(report: DemoReport) -> str:
    """One line for ``setup_demo``."""
    assessments = Assessment.objects.filter(year__in=[2024, 2025], criteria_set__province__code=data.PROVINCE_CODE)
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
