"""Scoring test data: the project's 2025 criteria set, assessments at any step of the cycle."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from core import clock
from scoring.models import Assessment, CriteriaSet, Status
from scoring.services import (
    assessment_appraise,
    assessment_review,
    assessment_self_save,
    assessment_submit,
    assessments_compute,
    assessments_finalize,
    assessments_open,
    assessments_publish,
    criteria_set_load,
    criteria_set_publish,
    document_attach,
)

YEAR = 2025


def pdf_bytes(text: str = "Minh chứng") -> bytes:
    """A small real PDF (one page) that core.uploads.clean_pdf accepts."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_file(name: str = "minh-chung.pdf") -> ContentFile:
    return ContentFile(pdf_bytes(), name=name)


def published_set(province, year: int = YEAR, by=None) -> CriteriaSet:
    """The project's criteria set (scoring/data/criteria.json), published for ``province``."""
    return criteria_set_publish(criteria_set=criteria_set_load(province=province, year=year, by=by), by=by)


def open_assessment(commune, criteria_set: CriteriaSet | None = None, by=None) -> Assessment:
    criteria_set = criteria_set or published_set(commune.province)
    assessments_open(criteria_set=criteria_set, by=by, communes=[commune])
    assessment = Assessment.objects.get(commune=commune, year=criteria_set.year)
    assessments_compute(criteria_set=criteria_set, assessments=Assessment.objects.filter(pk=assessment.pk))
    assessment.refresh_from_db()
    return assessment


def fill_self(assessment: Assessment, by=None, share: Decimal = Decimal(1)) -> Assessment:
    """Every self-assessed line scored at ``share`` of its points, with evidence; every document attached."""
    entries = {}
    for line in assessment.lines.select_related("criterion"):
        if not line.criterion.is_computed:
            entries[line.pk] = {
                "self_score": (line.criterion.max_points * share).quantize(Decimal("0.01")),
                "self_note": "Đã thực hiện đầy đủ.",
                "evidence_index": pdf_file("muc-luc.pdf"),
                "evidence": pdf_file(),
            }
    assessment_self_save(assessment=assessment, by=by, entries=entries)
    for document in assessment.criteria_set.documents.filter(generated=False):
        document_attach(assessment=assessment, document=document, file=pdf_file(f"{document.code}.pdf"), by=by)
    assessment.refresh_from_db()
    return assessment


def advance(assessment: Assessment, to: str, *, by=None, today: datetime.date | None = None) -> Assessment:
    """Take a filled assessment through the cycle up to status ``to`` (appraised scores = proposed)."""
    order = [Status.DRAFT, Status.SUBMITTED, Status.REVIEWED, Status.APPRAISED, Status.PROVISIONAL, Status.FINAL]
    target = order.index(to)
    if target >= 1 and assessment.status == Status.DRAFT:
        assessment = assessment_submit(assessment=assessment, by=by)
    if target >= 2 and assessment.has_district_review and assessment.status == Status.SUBMITTED:
        assessment = assessment_review(assessment=assessment, by=by)
    if target >= 3 and assessment.status in (Status.SUBMITTED, Status.REVIEWED):
        assessment = assessment_appraise(assessment=assessment, by=by, scores={})
    qs = Assessment.objects.filter(pk=assessment.pk)
    if target >= 4 and assessment.status == Status.APPRAISED:
        assessments_publish(criteria_set=assessment.criteria_set, by=by, assessments=qs, today=today)
    if target >= 5:
        later = (today or clock.today()) + datetime.timedelta(days=30)
        assessments_finalize(criteria_set=assessment.criteria_set, by=by, assessments=qs, today=later)
    assessment.refresh_from_db()
    return assessment
