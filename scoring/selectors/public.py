"""What the public scoring pages read: a commune's result of a year explained, its stars over the
years through the 2025 reorganisation, and a province's rankings.

Only results in ``PUBLIC_STATUSES`` are read, and only what the public may see: points, figures and
the commune's evidence, never who did what (the steps, appeals and users stay on the staff pages).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from communes.models import Commune, District
from core.text import fold
from scoring.models import (
    Assessment,
    Certificate,
    CriteriaGroup,
    CriteriaSet,
    Decision,
    Line,
    Measure,
    Snapshot,
    StarBand,
)
from scoring.models.assessments import PUBLIC_STATUSES
from scoring.services.computation.metrics import METRICS
from scoring.services.computation.stars import knockout_text, stars_for

# How many reorganisations back a unit's history reaches (2025, and the mergers of 2019–2021 before it).
LINEAGE_DEPTH = 3
MAX_STARS = 5
ZERO = Decimal("0.00")


def published_set(*, province, year: int) -> CriteriaSet | None:
    """The province's criteria set in force for ``year``, if it published one."""
    return CriteriaSet.objects.filter(province=province, year=year, status=CriteriaSet.Status.PUBLISHED).first()


def lineage_filter(commune: Commune, *, prefix: str = "commune") -> Q:
    """Rows of ``commune`` and of the units it took over (recursively): one condition with nested
    subqueries, so a history costs one query however many units merged."""
    through = Commune.successors.through
    condition = Q(**{prefix: commune})
    taken_over = through.objects.filter(to_commune=commune).values("from_commune")
    for _depth in range(LINEAGE_DEPTH):
        condition |= Q(**{f"{prefix}__in": taken_over})
        taken_over = through.objects.filter(to_commune__in=taken_over).values("from_commune")
    return condition


# --- One result explained -------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultLine:
    line: Line
    reading: dict | None  # the snapshot's figures of a computed criterion

    @property
    def criterion(self):
        return self.line.criterion

    @property
    def metric_label(self) -> str:
        metric = METRICS.get(self.criterion.metric)
        return str(metric.label) if metric else ""

    @property
    def percent(self) -> float | None:
        value = (self.reading or {}).get("value")
        return None if value is None else value * 100

    @property
    def appraisal_differs(self) -> bool:
        proposed = self.line.proposed or ZERO
        return self.line.appraised_score is not None and self.line.appraised_score != proposed


@dataclass(frozen=True)
class ResultGroup:
    group: CriteriaGroup
    lines: list[ResultLine]
    points: Decimal


@dataclass(frozen=True)
class ResultUnit:
    commune: Commune
    name: str  # as the unit was named at the end of the assessed period


@dataclass(frozen=True)
class PublicResult:
    assessment: Assessment
    groups: list[ResultGroup]
    bands: list[StarBand]  # the set's bands, highest first
    band: StarBand | None  # the band of the stars given
    points_band: StarBand | None  # the band the points alone reach, when a knock-out kept the commune from it
    knockouts: list[str]
    snapshot: Snapshot | None
    units: list[ResultUnit]  # the units whose data counted, the assessed unit first
    decision: Decision | None
    successors: list[Commune]

    @property
    def criteria_set(self) -> CriteriaSet:
        return self.assessment.criteria_set

    @property
    def star_bands(self) -> list[StarBand]:
        return [band for band in self.bands if band.stars]

    @property
    def taken_over(self) -> list[ResultUnit]:
        return self.units[1:]


def _units_of(snapshot: Snapshot | None) -> list[ResultUnit]:
    if snapshot is None or not snapshot.units:
        return []
    found = Commune.objects.in_bulk(snapshot.units)
    units = [found[pk] for pk in snapshot.units if pk in found]
    return [ResultUnit(commune=unit, name=_capital(unit.name_on(snapshot.period_end))) for unit in units]


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def _decision_of(assessment: Assessment) -> Decision | None:
    entry = getattr(assessment, "decision_entry", None)
    return entry.decision if entry is not None and entry.decision.is_approved else None


def public_result(*, commune_pk: int, year: int) -> PublicResult:
    """The commune's public result of ``year`` with everything behind it, in a fixed number of
    queries; raises Assessment.DoesNotExist when there is none (or it is not public yet)."""
    assessment = Assessment.objects.select_related(
        "criteria_set__province",
        "commune__district",
        "commune__province",
        "snapshot",
        "decision_entry__decision",
    ).get(commune_id=commune_pk, year=year, status__in=PUBLIC_STATUSES)
    snapshot = assessment.snapshot
    values = snapshot.values if snapshot else {}
    lines = assessment.lines.select_related("criterion__group").order_by(
        "criterion__group__position", "criterion__position"
    )
    by_group: dict[int, ResultGroup] = {}
    for line in lines:
        group = line.criterion.group
        if group.pk not in by_group:
            by_group[group.pk] = ResultGroup(group=group, lines=[], points=ZERO)
        reading = values.get(line.criterion.code) if line.criterion.is_computed else None
        by_group[group.pk].lines.append(ResultLine(line=line, reading=reading))
    groups = [
        ResultGroup(group=g.group, lines=g.lines, points=sum((r.line.points or ZERO for r in g.lines), ZERO))
        for g in by_group.values()
    ]
    bands = list(assessment.criteria_set.bands.all())
    band = next((b for b in bands if b.stars == (assessment.stars or 0)), None)
    points_band = None
    if assessment.knockouts:
        reached = stars_for(assessment.total or ZERO, bands)
        points_band = next((b for b in bands if b.stars == reached and reached > 0), None)
    commune = assessment.commune
    return PublicResult(
        assessment=assessment,
        groups=groups,
        bands=bands,
        band=band,
        points_band=points_band,
        knockouts=[knockout_text(code, assessment.criteria_set) for code in assessment.knockouts],
        snapshot=snapshot,
        units=_units_of(snapshot),
        decision=_decision_of(assessment),
        successors=[] if commune.is_current else list(commune.successors.all()),
    )


# --- Stars over the years -------------------------------------------------------------------------


@dataclass(frozen=True)
class StarHistory:
    commune: Commune
    results: list[Assessment]  # newest first; each names its unit as it was (``unit_name``)
    predecessors: list[Commune]
    successors: list[Commune]
    certificates: list[Certificate]  # valid and revoked, newest first (``commune_certificates``)


def _public_results(commune: Commune):
    return (
        Assessment.objects.filter(lineage_filter(commune), status__in=PUBLIC_STATUSES)
        .select_related("criteria_set__province", "decision_entry__decision")
        .order_by("-year", "unit_name", "pk")
    )


def star_history(*, commune_pk: int) -> StarHistory:
    """The public results and certificates of the unit and of the units it took over, newest first, in
    five queries whatever the number of units and years; raises Commune.DoesNotExist."""
    commune = (
        Commune.objects.select_related("district", "province")
        .prefetch_related("predecessors", "successors")
        .get(pk=commune_pk)
    )
    return StarHistory(
        commune=commune,
        results=list(_public_results(commune)),
        predecessors=list(commune.predecessors.all()),
        successors=list(commune.successors.all()),
        certificates=commune_certificates(commune=commune),
    )


@dataclass(frozen=True)
class CommuneStars:
    """The commune page's recognition panel: the unit's latest public result or, when it has none
    that year, those of the units it took over."""

    commune: Commune
    year: int | None
    own: Assessment | None
    taken_over: list[Assessment]


def commune_stars(*, commune: Commune) -> CommuneStars:
    """One query: the public results of the unit's lineage, of which the latest year is kept."""
    results = list(_public_results(commune))
    if not results:
        return CommuneStars(commune=commune, year=None, own=None, taken_over=[])
    year = results[0].year
    latest = [a for a in results if a.year == year]
    own = next((a for a in latest if a.commune_id == commune.pk), None)
    return CommuneStars(commune=commune, year=year, own=own, taken_over=[] if own else latest)


def commune_certificates(*, commune: Commune) -> list[Certificate]:
    """The issued star certificates of the commune and of the units it took over, newest first: one
    query. A revoked one is listed too, so the page can say it is revoked (and offer no download) rather
    than leave a holder of its file to think it still valid."""
    return list(
        Certificate.objects.filter(
            lineage_filter(commune),
            kind=Certificate.Kind.CERTIFICATE,
            status__in=[Certificate.Status.VALID, Certificate.Status.REVOKED],
        )
        .only("serial", "unit_name", "year", "stars", "status", "revoked_at", "revoked_reason", "commune_id")
        .order_by("-year", "unit_name", "serial")
    )


# --- Rankings -------------------------------------------------------------------------------------


def ranking_years(*, province) -> list[int]:
    """The years in which the province has public results, newest first: one query."""
    return list(
        Assessment.objects.filter(criteria_set__province=province, status__in=PUBLIC_STATUSES)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


# Line.points in SQL: the appraised score, else the computed points or the self-score.
LINE_POINTS = Coalesce(
    "appraised_score",
    Case(When(criterion__measure=Measure.SELF, then=F("self_score")), default=F("computed_points")),
    Value(ZERO),
    output_field=DecimalField(max_digits=8, decimal_places=2),
)


@dataclass(frozen=True)
class RankingRow:
    rank: int
    assessment: Assessment
    points: list[Decimal]  # per group, in the order of the set's groups

    @property
    def commune(self) -> Commune:
        return self.assessment.commune


@dataclass(frozen=True)
class StarCount:
    stars: int
    count: int
    percent: float


@dataclass(frozen=True)
class Rankings:
    criteria_set: CriteriaSet | None
    groups: list[CriteriaGroup]
    rows: list[RankingRow]
    districts: list[District]  # those of the ranked units, for the filter
    distribution: list[StarCount]  # 5★ down to 1★, then "not recognised" (0)
    sort: str
    district: District | None

    @property
    def has_districts(self) -> bool:
        return bool(self.districts)


DEFAULT_SORT = "rank"


def ranking_sorts(groups: list[CriteriaGroup]) -> list[str]:
    """The columns a ranking can be sorted by: a whitelist for ``?sort=``."""
    return [DEFAULT_SORT, "name", "total", "stars", *(group.code for group in groups)]


def _merit(row: RankingRow) -> tuple:
    # Stars first (a knock-out ranks below any recognised unit), then points; as in the decision.
    a = row.assessment
    return (-(a.stars or 0), -(a.total or ZERO))


def _name(row: RankingRow) -> tuple:
    return (fold(row.assessment.unit_name), row.commune.code)


def _sort_key(sort: str, codes: list[str]):
    if sort == "name":
        return _name
    if sort == "total":
        return lambda row: (-(row.assessment.total or ZERO), *_merit(row), *_name(row))
    if sort in codes:
        index = codes.index(sort)
        return lambda row: (-row.points[index], *_merit(row), *_name(row))
    return lambda row: (*_merit(row), *_name(row))


def _distribution(rows: list[RankingRow]) -> list[StarCount]:
    counts = Counter(row.assessment.stars or 0 for row in rows)
    total = len(rows) or 1
    return [StarCount(stars=s, count=counts[s], percent=100 * counts[s] / total) for s in range(MAX_STARS, -1, -1)]


def rankings(*, province, year: int, sort: str = DEFAULT_SORT, district_pk: int | None = None) -> Rankings:
    """The province's public results of ``year`` (provisional and final), ranked by stars then
    points (equal results share a rank), sorted by a whitelisted column and filtered by district.
    Four queries whatever the number of communes."""
    criteria_set = published_set(province=province, year=year)
    if criteria_set is None:
        return Rankings(
            criteria_set=None, groups=[], rows=[], districts=[], distribution=[], sort=DEFAULT_SORT, district=None
        )
    groups = list(criteria_set.groups.order_by("position", "code"))
    codes = [group.code for group in groups]
    assessments = list(
        Assessment.objects.filter(criteria_set=criteria_set, status__in=PUBLIC_STATUSES).select_related(
            "commune__district", "decision_entry__decision"
        )
    )
    points: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        Line.objects.filter(assessment__criteria_set=criteria_set, assessment__status__in=PUBLIC_STATUSES)
        .values("assessment_id", "criterion__group__code")
        .order_by()
        .annotate(points=Sum(LINE_POINTS))
    ):
        points[row["assessment_id"]][row["criterion__group__code"]] = row["points"] or ZERO
    rows = [
        RankingRow(rank=0, assessment=a, points=[points[a.pk].get(code, ZERO) for code in codes]) for a in assessments
    ]
    rows.sort(key=_sort_key(DEFAULT_SORT, codes))
    ranked, previous = [], None
    for position, row in enumerate(rows, start=1):
        rank = ranked[-1].rank if previous == _merit(row) else position
        previous = _merit(row)
        ranked.append(RankingRow(rank=rank, assessment=row.assessment, points=row.points))
    districts = sorted(
        {row.commune.district for row in ranked if row.commune.district_id}, key=lambda d: (d.code, d.pk)
    )
    district = next((d for d in districts if d.pk == district_pk), None)
    if district is not None:
        ranked = [row for row in ranked if row.commune.district_id == district.pk]
    sort = sort if sort in ranking_sorts(groups) else DEFAULT_SORT
    ranked.sort(key=_sort_key(sort, codes))
    return Rankings(
        criteria_set=criteria_set,
        groups=groups,
        rows=ranked,
        districts=districts,
        distribution=_distribution(ranked),
        sort=sort,
        district=district,
    )
