"""The demo's tools: its clock, its people and their roles, its papers (real PDFs), and how it fills and
appraises an assessment. The cycles themselves are in demo/scoring/cycles.py."""

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
from django.db.models import Max
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from communes.models import Commune, Province
from demo.data import scoring as data
from scoring.models import (
    Appeal,
    Assessment,
    AssessmentDocument,
    CriteriaSet,
    Decision,
    DecisionEntry,
    DecisionGround,
    Line,
    Snapshot,
    Step,
)
from scoring.services.computation.metrics import METRICS
from scoring.services.criteria import CRITERIA_FILE, criteria_set_load, criteria_set_publish
from scoring.services.workflow import (
    assessment_self_save,
    document_attach,
)

logger = logging.getLogger(__name__)

SEED = 20241101
CENT = Decimal("0.01")
COUNTED = [CriteriaSet, Assessment, Snapshot, Step, AssessmentDocument, Appeal, Decision, DecisionEntry, DecisionGround]


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)  # model name → rows created by this run

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


def counts() -> Counter:
    return Counter({model._meta.model_name: model.objects.count() for model in COUNTED})


# --- Time ---------------------------------------------------------------------------------------


# The timestamps each model gets from the services, and the deadline each kind of step is late against.
STAMPS = {
    Assessment: ["submitted_at", "reviewed_at", "appraised_at", "published_at", "finalized_at", "locked_at"],
    Snapshot: ["computed_at"],
    AssessmentDocument: ["uploaded_at"],
    Appeal: ["filed_at", "answered_at"],
    Decision: ["created_at", "issued_at", "approved_at"],
    CriteriaSet: ["created_at", "published_at"],
}
DEADLINES = {
    Step.Action.SUBMIT: "submission_deadline",
    Step.Action.REVIEW: "review_deadline",
    Step.Action.APPRAISE: "appraisal_deadline",
}


@contextmanager
def dated(when: datetime.datetime):
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


class People:
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


class Papers:
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


def plan_papers(papers: Papers, commune: Commune, year: int, codes: list[str], documents: list[str]) -> None:
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


def fill(assessment: Assessment, *, by, quality: float, files: dict, codes: list[str] | None = None, documents=None):
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


def appraisal(assessment: Assessment, *, target: Decimal | None = None, share=Decimal("0.85"), lowered=None) -> dict:
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


def criteria_set_ensure(
    province: Province,
    year: int,
    by,
    *,
    published: datetime.datetime,
    period_end=None,
    survey_minimum: bool = True,
    self_assessed: tuple[str, ...] = (),
) -> CriteriaSet:
    """The year's published set of the province, loaded from the project's file when it has none;
    the criteria ``self_assessed`` are scored from the commune's evidence, as before the portal kept
    the records that compute them."""
    existing = CriteriaSet.objects.filter(province=province, year=year, status=CriteriaSet.Status.PUBLISHED).first()
    if existing:
        return existing
    content = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    if period_end is not None:
        content["period"]["end"] = period_end.strftime("%m-%d")
    content["knockouts"]["survey_minimum"] = survey_minimum
    criteria = [criterion for group in content["groups"] for criterion in group["criteria"]]
    evidence = next(criterion for criterion in criteria if criterion["measure"] == "self")
    for criterion in criteria:
        if criterion["code"] in self_assessed:
            criterion.update(measure="self", metric="", floor=None, target=None, min_rows=None)
            criterion.update(guidance_vi=evidence["guidance_vi"], guidance_en=evidence["guidance_en"])
    with dated(published):
        draft = criteria_set_load(province=province, year=year, by=by, data=content)
        return criteria_set_publish(criteria_set=draft, by=by)
