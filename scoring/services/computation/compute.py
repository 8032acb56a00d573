"""Opening a year's assessments and computing their figures for a whole province at once.

The computation reads each data source in one grouped query for all communes of the set (see
``scoring.services.computation.metrics``), so its cost grows with the rows of the aggregates, not with a loop of queries
per commune. Every run that finds different figures stores a new snapshot; a draft assessment takes
it at once, one already submitted keeps its figures until DoHA adopts the new ones, and an assessment
locked by a decision never changes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune
from core import pagecache
from scoring.models import Assessment, AssessmentDocument, CriteriaSet, Criterion, Line, Measure, Snapshot, Status, Step
from scoring.services.common import (
    ScoringError,
    assessment_for_update,
    assessment_lines,
    assessment_recount,
    step_add,
    steps_add,
)
from scoring.services.computation.metrics import METRICS, OWN_ONLY_SOURCES, SOURCES, linear_points
from scoring.services.computation.stars import result_of

# How far back successor links are followed (a unit reorganised twice in one year is rare).
MAX_SUCCESSION_DEPTH = 4


def unit_name_for(commune: Commune, criteria_set: CriteriaSet) -> str:
    """The unit's address as it read at the end of the assessed period (or when the unit ended)."""
    day = criteria_set.period_end
    if commune.valid_until and commune.valid_until < day:
        day = commune.valid_until
    if commune.valid_from and commune.valid_from > day:
        day = commune.valid_from
    return commune.address_on(day)


@transaction.atomic
def assessments_open(*, criteria_set: CriteriaSet, by, communes=None) -> list[Assessment]:
    """A draft assessment with one line per criterion for every unit of the province in force at the
    end of the period (or for ``communes``); units that already have one are left alone."""
    if criteria_set.status != CriteriaSet.Status.PUBLISHED:
        raise ScoringError(_("Assessments open on a published criteria set."))
    if communes is None:
        communes = Commune.objects.filter(province=criteria_set.province).on(criteria_set.period_end)
    communes = list(
        communes.select_related("district", "province") if hasattr(communes, "select_related") else communes
    )
    taken = set(
        Assessment.objects.filter(year=criteria_set.year, commune__in=communes).values_list("commune_id", flat=True)
    )
    new = [
        Assessment(
            criteria_set=criteria_set, commune=c, year=criteria_set.year, unit_name=unit_name_for(c, criteria_set)
        )
        for c in communes
        if c.pk not in taken
    ]
    Assessment.objects.bulk_create(new, batch_size=1000)
    criteria = list(Criterion.objects.filter(group__criteria_set=criteria_set))
    Line.objects.bulk_create(
        [Line(assessment=a, criterion=c) for a in new for c in criteria],
        batch_size=5000,
    )
    steps_add(new, Step.Action.OPEN, by, before="")
    return new


def predecessor_map(commune_ids: list[int], since) -> dict[int, set[int]]:
    """Each unit → itself and the units it took over that still existed on ``since`` (recursively)."""
    through = Commune.successors.through
    sources = {commune_id: {commune_id} for commune_id in commune_ids}
    frontier = {commune_id: {commune_id} for commune_id in commune_ids}  # target → units reached last round
    for _depth in range(MAX_SUCCESSION_DEPTH):
        reached = {unit for units in frontier.values() for unit in units}
        links = through.objects.filter(to_commune_id__in=reached, from_commune__valid_until__gte=since).values_list(
            "from_commune_id", "to_commune_id"
        )
        parents = defaultdict(set)
        for predecessor, successor in links:
            parents[successor].add(predecessor)
        if not parents:
            break
        frontier = {
            target: {p for unit in units for p in parents.get(unit, ())} - sources[target]
            for target, units in frontier.items()
        }
        for target, units in frontier.items():
            sources[target] |= units
    return sources


@dataclass
class ComputeReport:
    assessments: int = 0
    snapshots: int = 0
    adopted: int = 0
    waiting: int = 0


def _reading_values(criteria, counts_of, units) -> dict:
    values = {}
    for criterion in criteria:
        metric = METRICS[criterion.metric]
        if metric.source in OWN_ONLY_SOURCES:
            counts = counts_of[metric.source].get(units[0], Counter())
        else:
            counts = Counter()
            for unit in units:
                counts.update(counts_of[metric.source].get(unit, {}))
        reading = metric.read(counts)
        enough = criterion.min_rows is None or reading.rows >= criterion.min_rows
        points = linear_points(
            reading.value if enough else None, criterion.floor, criterion.target, criterion.max_points
        )
        values[criterion.code] = {
            "metric": criterion.metric,
            "value": None if reading.value is None else round(reading.value, 6),
            "rows": reading.rows,
            "enough": enough,
            "points": str(points),
            "detail": reading.detail,
        }
    return values


def _mark_missing(criteria, readings) -> None:
    """Mark ``"missing": True`` on the criteria that have no data for the year in any unit of the set
    (no row and no value: no survey campaign ran, say); the set's policy then says how they count
    (scoring.services.computation.stars.weights). A reading with data carries no mark, so the figures
    of a year with every source are those computed before the mark existed."""
    readings = list(readings)
    if not readings:
        return
    for criterion in criteria:
        code = criterion.code
        if all(values[code]["rows"] == 0 and values[code]["value"] is None for values in readings):
            for values in readings:
                values[code]["missing"] = True


@transaction.atomic
def assessments_compute(*, criteria_set: CriteriaSet, by=None, assessments=None) -> ComputeReport:
    """Compute every computed criterion of the set's assessments (all, or ``assessments``) from the
    data of the period, in one query per data source."""
    queryset = assessments if assessments is not None else criteria_set.assessments.all()
    assessments = list(queryset.select_related("snapshot").order_by("pk"))
    report = ComputeReport(assessments=len(assessments))
    if not assessments:
        return report
    criteria = list(
        Criterion.objects.filter(group__criteria_set=criteria_set)
        .exclude(measure=Measure.SELF)
        .order_by("group__position", "position")
    )
    # Every unit of the set is read, even to compute a few of its assessments: whether a criterion has
    # any data for the year is a question about the whole set.
    own_ids = sorted(set(criteria_set.assessments.values_list("commune_id", flat=True)))
    sources = predecessor_map(own_ids, criteria_set.period_start)
    all_units = sorted({unit for units in sources.values() for unit in units})
    counts_of = {}
    for source in {METRICS[c.metric].source for c in criteria}:
        ids = own_ids if source in OWN_ONLY_SOURCES else all_units
        counts_of[source] = SOURCES[source](ids, criteria_set.period_start, criteria_set.period_end)
    readings = {
        commune_id: _reading_values(criteria, counts_of, [commune_id, *sorted(sources[commune_id] - {commune_id})])
        for commune_id in own_ids
    }
    _mark_missing(criteria, readings.values())
    last = dict(
        Snapshot.objects.filter(assessment__in=assessments)
        .values("assessment_id")
        .order_by()
        .annotate(n=Max("number"))
        .values_list("assessment_id", "n")
    )
    now = timezone.now()
    new_snapshots = []
    for assessment in assessments:
        own = assessment.commune_id
        units = [own, *sorted(sources.get(own, {own}) - {own})]
        values = readings.get(assessment.commune_id) or _reading_values(criteria, counts_of, units)
        if assessment.snapshot_id and assessment.snapshot.values == values:
            continue
        new_snapshots.append(
            Snapshot(
                assessment=assessment,
                number=last.get(assessment.pk, 0) + 1,
                period_start=criteria_set.period_start,
                period_end=criteria_set.period_end,
                computed_at=now,
                computed_by=by,
                values=values,
                units=units,
            )
        )
    Snapshot.objects.bulk_create(new_snapshots, batch_size=1000)
    report.snapshots = len(new_snapshots)
    by_assessment = {a.pk: a for a in assessments}
    adopted = []
    for snapshot in new_snapshots:
        assessment = by_assessment[snapshot.assessment_id]
        if assessment.status == Status.DRAFT and not assessment.is_locked:
            assessment.snapshot = snapshot
            adopted.append(assessment)
    report.adopted = len(adopted)
    report.waiting = report.snapshots - report.adopted
    _adopt_many(criteria_set, adopted)
    Step.objects.bulk_create(
        [
            Step(
                assessment_id=s.assessment_id,
                action=Step.Action.COMPUTE,
                from_status=by_assessment[s.assessment_id].status,
                to_status=by_assessment[s.assessment_id].status,
                by=by,
                at=now,
                note=_compute_note(by_assessment[s.assessment_id], s),
            )
            for s in new_snapshots
        ],
        batch_size=2000,
    )
    return report


def _compute_note(assessment: Assessment, snapshot: Snapshot) -> str:
    if assessment.snapshot_id == snapshot.pk:
        message = _("Figures #%(number)s computed and used.")
    elif assessment.is_locked:
        # Kept so that a change of data after the decision is visible; the decision's result stands.
        message = _(
            "Figures #%(number)s computed; the assessment is locked by the recognition decision and keeps its figures."
        )
    else:
        message = _("Figures #%(number)s computed; the assessment keeps its figures until they are adopted.")
    return message % {"number": snapshot.number}


def _adopt_many(criteria_set: CriteriaSet, assessments: list[Assessment]) -> None:
    """Point the lines of ``assessments`` at their (new) snapshot and recount them: a fixed number of
    queries for any number of assessments."""
    if not assessments:
        return
    # The set's criteria are loaded once, not once per line.
    criteria = {c.pk: c for c in Criterion.objects.filter(group__criteria_set=criteria_set).select_related("group")}
    lines = list(
        Line.objects.filter(assessment__in=assessments).order_by(
            "assessment_id", "criterion__group__position", "criterion__position"
        )
    )
    for line in lines:
        line.criterion = criteria[line.criterion_id]
    by_assessment = {a.pk: a for a in assessments}
    lines_of = defaultdict(list)
    changed = []
    for line in lines:
        assessment = by_assessment[line.assessment_id]
        lines_of[assessment.pk].append(line)
        if line.criterion.is_computed:
            points = Decimal(assessment.snapshot.values[line.criterion.code]["points"])
            if line.computed_points != points:  # most recomputations move a few lines
                line.computed_points = points
                changed.append(line)
    # An upsert on the lines' unique key: one statement, without bulk_update's CASE per row.
    Line.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["assessment", "criterion"],
        update_fields=["computed_points"],
        batch_size=5000,
    )
    bands = list(criteria_set.bands.all())
    documents = list(criteria_set.documents.all())
    present = defaultdict(set)
    for assessment_id, document_id in AssessmentDocument.objects.filter(assessment__in=assessments).values_list(
        "assessment_id", "document_id"
    ):
        present[assessment_id].add(document_id)
    for assessment in assessments:
        result = result_of(assessment, lines_of[assessment.pk], bands, documents, present[assessment.pk])
        assessment.total, assessment.self_total = result.total, result.self_total
        assessment.stars, assessment.knockouts = result.stars, result.knockouts
    Assessment.objects.bulk_update(
        assessments, ["snapshot", "total", "self_total", "stars", "knockouts"], batch_size=1000
    )
    pagecache.bump("site")


@transaction.atomic
def snapshot_adopt(*, assessment: Assessment, by) -> Snapshot:
    """DoHA takes the newest figures into an assessment under review; computed lines it had already
    appraised go back to their computed points."""
    assessment = assessment_for_update(assessment)
    if assessment.status not in (Status.SUBMITTED, Status.REVIEWED, Status.APPRAISED):
        raise ScoringError(_("Newer figures are adopted during the appraisal only."))
    newest = assessment.snapshots.order_by("-number").first()
    if newest is None or newest.pk == assessment.snapshot_id:
        raise ScoringError(_("The assessment already uses the newest figures."))
    assessment.snapshot = newest
    assessment.save(update_fields=["snapshot"])
    lines = assessment_lines(assessment)
    for line in lines:
        if line.criterion.is_computed:
            line.computed_points = Decimal(newest.values[line.criterion.code]["points"])
            line.appraised_score = None
            line.appraisal_reason = ""
            line.save(update_fields=["computed_points", "appraised_score", "appraisal_reason"])
    assessment_recount(assessment, assessment_lines(assessment))
    step_add(
        assessment,
        Step.Action.ADOPT,
        by,
        note=_("Figures #%(number)s adopted.") % {"number": newest.number},
        before=assessment.status,
    )
    return newest
