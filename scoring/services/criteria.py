"""Criteria sets: loaded from the project's file or edited by DoHA as drafts, checked and published
(then frozen), revised into a new version."""

from __future__ import annotations

import datetime
import itertools
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import Assessment, CriteriaGroup, CriteriaSet, Criterion, Line, RequiredDocument, StarBand, Status
from scoring.models.criteria import province_has_districts
from scoring.services.common import ScoringError
from scoring.services.computation.stars import points_text

CRITERIA_FILE = Path(__file__).resolve().parent.parent / "data" / "criteria.json"


def _day(year: int, month_day: str) -> datetime.date:
    month, day = (int(part) for part in month_day.split("-"))
    return datetime.date(year, month, day)


@transaction.atomic
def criteria_set_load(*, province, year: int, by=None, data: dict | None = None) -> CriteriaSet:
    """A draft set of ``year`` for ``province`` from ``data`` (default: scoring/data/criteria.json),
    as the next version of that year."""
    data = data or json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    last = CriteriaSet.objects.filter(province=province, year=year).order_by("-version").first()
    knockouts = data.get("knockouts", {})
    period_end = _day(year, data["period"]["end"])
    # A cycle whose units have no district (after the 2025 reform) has no district review to date, and
    # its documents name the province's steering committee where they named the district's.
    districts = province_has_districts(province, period_end)
    review = data["deadlines"].get("review")
    criteria_set = CriteriaSet.objects.create(
        province=province,
        year=year,
        version=(last.version + 1) if last else 1,
        name_vi=data["name_vi"],
        name_en=data.get("name_en", ""),
        legal_basis=data.get("legal_basis", ""),
        period_start=_day(year, data["period"]["start"]),
        period_end=period_end,
        submission_deadline=_day(year, data["deadlines"]["submission"]),
        review_deadline=_day(year, review) if review and districts else None,
        appraisal_deadline=_day(year, data["deadlines"]["appraisal"]),
        comment_working_days=data.get("comment_working_days", 5),
        knockout_documents=knockouts.get("documents", True),
        knockout_group_share=Decimal(str(knockouts.get("group_share", "0.50"))),
        knockout_survey_minimum=knockouts.get("survey_minimum", True),
        missing_data_policy=data.get("missing_data", CriteriaSet.MissingData.APPRAISAL),
        knockout_discipline=knockouts.get("discipline", True),
        created_by=by,
    )
    for position, doc in enumerate(data.get("documents", []), start=1):
        doc = dict(doc)
        without = {name: doc.pop(f"{name}_no_district", None) for name in ("name_vi", "name_en")}
        if not districts:
            doc |= {name: text for name, text in without.items() if text}
        RequiredDocument.objects.create(criteria_set=criteria_set, position=position, **doc)
    for band in data.get("bands", []):
        StarBand.objects.create(criteria_set=criteria_set, **{**band, "min_points": Decimal(str(band["min_points"]))})
    for g_position, group in enumerate(data["groups"], start=1):
        row = CriteriaGroup.objects.create(
            criteria_set=criteria_set,
            code=group["code"],
            name_vi=group["name_vi"],
            name_en=group.get("name_en", ""),
            max_points=Decimal(str(group["max_points"])),
            position=g_position,
        )
        for c_position, criterion in enumerate(group["criteria"], start=1):
            fields = {**criterion}
            for name in ("max_points", "floor", "target"):
                if fields.get(name) is not None:
                    fields[name] = Decimal(str(fields[name]))
            Criterion.objects.create(group=row, position=c_position, **fields)
    return criteria_set


def criteria_set_problems(criteria_set: CriteriaSet) -> list[str]:
    """What stops a draft from being published, in words; empty when it can be."""
    problems = []
    groups = list(criteria_set.groups.prefetch_related("criteria"))
    if not groups:
        problems.append(_("The set has no group of criteria."))
    for group in groups:
        criteria = list(group.criteria.all())
        if not criteria:
            problems.append(_("Group %(group)s has no criterion.") % {"group": group.code})
        total = sum((c.max_points for c in criteria), Decimal(0))
        if total != group.max_points:
            problems.append(
                _("The criteria of group %(group)s add up to %(total)s points, not %(max)s.")
                % {"group": group.code, "total": points_text(total), "max": points_text(group.max_points)}
            )
        for criterion in criteria:
            try:
                criterion.clean()
            except Exception as error:  # noqa: BLE001 - a ValidationError's messages, shown as they are
                messages = getattr(error, "messages", [str(error)])
                problems.append(f"{criterion.code}: {' '.join(str(m) for m in messages)}")
    bands = list(criteria_set.bands.all())
    if not any(band.stars >= 1 for band in bands):
        problems.append(_("The set has no star band."))
    ordered = sorted((b for b in bands if b.stars >= 1), key=lambda b: b.stars)
    if any(a.min_points >= b.min_points for a, b in itertools.pairwise(ordered)):
        problems.append(_("More stars must need more points."))
    return problems


@transaction.atomic
def criteria_set_publish(*, criteria_set: CriteriaSet, by) -> CriteriaSet:
    """Publish a checked draft; it replaces the year's published version, whose draft assessments
    move onto it (keeping the self-scores of criteria with the same code). Once an assessment of the
    year has been submitted, the year's set can no longer be replaced."""
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.status != CriteriaSet.Status.DRAFT:
        raise ScoringError(_("This set is already published."))
    problems = criteria_set_problems(criteria_set)
    if problems:
        raise ScoringError(" ".join(problems))
    previous = CriteriaSet.objects.filter(
        province=criteria_set.province, year=criteria_set.year, status=CriteriaSet.Status.PUBLISHED
    ).first()
    if previous is not None:
        if previous.assessments.exclude(status=Status.DRAFT).exists():
            raise ScoringError(_("Assessments of this year were already submitted; the published set stays in force."))
        CriteriaSet.objects.filter(pk=previous.pk).update(status=CriteriaSet.Status.RETIRED)
    criteria_set.status = CriteriaSet.Status.PUBLISHED
    criteria_set.published_at, criteria_set.published_by = timezone.now(), by
    criteria_set.save(update_fields=["status", "published_at", "published_by"])
    if previous is not None:
        _rebase(previous, criteria_set)
    return criteria_set


def _rebase(old: CriteriaSet, new: CriteriaSet) -> None:
    criteria = {c.code: c for c in Criterion.objects.filter(group__criteria_set=new)}
    for assessment in Assessment.objects.filter(criteria_set=old):
        kept = {line.criterion.code: line for line in assessment.lines.select_related("criterion")}
        assessment.lines.all().delete()
        Line.objects.bulk_create(
            [
                Line(
                    assessment=assessment,
                    criterion=criterion,
                    self_score=kept[code].self_score if code in kept and not criterion.is_computed else None,
                    self_note=kept[code].self_note if code in kept else "",
                    evidence_index=kept[code].evidence_index if code in kept else "",
                    evidence=kept[code].evidence if code in kept else "",
                )
                for code, criterion in criteria.items()
            ]
        )
        assessment.criteria_set, assessment.snapshot = new, None
        assessment.save(update_fields=["criteria_set", "snapshot"])


@transaction.atomic
def criteria_set_revise(*, criteria_set: CriteriaSet, by) -> CriteriaSet:
    """A new draft version of a set, copied row by row."""
    data = criteria_set_data(criteria_set)
    return criteria_set_load(province=criteria_set.province, year=criteria_set.year, by=by, data=data)


def criteria_set_data(criteria_set: CriteriaSet) -> dict:
    """The set in the structure of scoring/data/criteria.json (used to copy and to export)."""

    def month_day(day: datetime.date) -> str:
        return f"{day.month:02d}-{day.day:02d}"

    return {
        "name_vi": criteria_set.name_vi,
        "name_en": criteria_set.name_en,
        "legal_basis": criteria_set.legal_basis,
        "period": {"start": month_day(criteria_set.period_start), "end": month_day(criteria_set.period_end)},
        "deadlines": {
            "submission": month_day(criteria_set.submission_deadline),
            "review": month_day(criteria_set.review_deadline) if criteria_set.review_deadline else None,
            "appraisal": month_day(criteria_set.appraisal_deadline),
        },
        "comment_working_days": criteria_set.comment_working_days,
        "missing_data": criteria_set.missing_data_policy,
        "knockouts": {
            "documents": criteria_set.knockout_documents,
            "group_share": str(criteria_set.knockout_group_share),
            "survey_minimum": criteria_set.knockout_survey_minimum,
            "discipline": criteria_set.knockout_discipline,
        },
        "documents": [
            {"code": d.code, "name_vi": d.name_vi, "name_en": d.name_en, "generated": d.generated}
            for d in criteria_set.documents.all()
        ],
        "bands": [
            {"stars": b.stars, "min_points": str(b.min_points), "label_vi": b.label_vi, "label_en": b.label_en}
            for b in criteria_set.bands.all()
        ],
        "groups": [
            {
                "code": g.code,
                "name_vi": g.name_vi,
                "name_en": g.name_en,
                "max_points": str(g.max_points),
                "criteria": [
                    {
                        "code": c.code,
                        "name_vi": c.name_vi,
                        "name_en": c.name_en,
                        "max_points": str(c.max_points),
                        "measure": c.measure,
                        "metric": c.metric,
                        "floor": None if c.floor is None else str(c.floor),
                        "target": None if c.target is None else str(c.target),
                        "min_rows": c.min_rows,
                        "min_rows_knockout": c.min_rows_knockout,
                        "guidance_vi": c.guidance_vi,
                        "guidance_en": c.guidance_en,
                        "provenance": c.provenance,
                    }
                    for c in g.criteria.all()
                ],
            }
            for g in criteria_set.groups.prefetch_related("criteria")
        ],
    }
