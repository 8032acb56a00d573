"""The metrics a computed criterion can name, and the set-based reads behind them.

Each data source is read for every commune of a province in ONE grouped query over the maintained
aggregates (survey tallies, monthly feedback figures, monthly dossier statistics) or over small
tables (disclosures, one-stop profiles). A source returns additive counts per commune, so that the
counts of the communes a unit took over in the 2025 reorganisation add up into its own; a metric
turns the counts of one assessed unit into a value between 0 and 1 with the number of rows behind it.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from communes.models import (
    CommuneProcedure,
    CounterOfficer,
    DisclosureCategory,
    DossierStatistics,
    Facility,
    FacilityKind,
    OneStopShop,
    OpeningHours,
    Procedure,
)
from core import clock
from feedback.models import MonthlyFigures
from scoring.models.measures import Measure
from surveys.models import VERIFIED_CHANNELS, Tally

SIPAS = "pks-motcua"  # the one-stop satisfaction questionnaire (SIPAS factors F1–F5 in slots 1–5)
RESIDENTS = "pks07-than-thien"  # Bắc Giang's PKS07: residents on the friendly government
OVERALL_SLOT = 0
OFFICIALS_SLOT = 3  # SIPAS factor 3: the civil servants who handled the case
SIPAS_SLOTS = (1, 2, 3, 4, 5)
FRESH_DAYS = 90  # a one-stop page confirmed within 90 days counts as up to date

Counts = Counter  # additive figures of one commune: name → integer


@dataclass(frozen=True)
class Reading:
    """A metric's value for one assessed unit: a fraction, or None when there is nothing to measure."""

    value: float | None
    rows: int
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Metric:
    code: str
    measure: str
    label: Promise
    source: str
    read: Callable[[Counts], Reading]


def _ratio(numerator: int, denominator: int, *, empty: float | None = None) -> float | None:
    return numerator / denominator if denominator else empty


# --- Sources: one query each, for any number of communes ------------------------------------------


def _month_range(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    return start.replace(day=1), end.replace(day=1)


def dossier_counts(commune_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    first, last = _month_range(start, end)
    names = ["received", "resolved_early", "resolved_on_time", "resolved_late", "late_with_apology"]
    names += ["submitted_online", "paid_online", "digitised"]
    rows = (
        DossierStatistics.objects.filter(commune_id__in=commune_ids, month__gte=first, month__lte=last)
        .values("commune_id")
        .order_by()
        .annotate(months=Count("pk"), **{name: Sum(name) for name in names})
    )
    return {row.pop("commune_id"): Counter({k: v or 0 for k, v in row.items()}) for row in rows}


def feedback_counts(commune_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    first, last = _month_range(start, end)
    names = ["received", "in_competence", "on_time", "late", "rated", "unsatisfied"]
    rows = (
        MonthlyFigures.objects.filter(commune_id__in=commune_ids, month__gte=first, month__lte=last)
        .values("commune_id")
        .order_by()
        .annotate(**{name: Sum(name) for name in names})
    )
    return {row.pop("commune_id"): Counter({k: v or 0 for k, v in row.items()}) for row in rows}


def survey_counts(commune_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    """Verified answers (visit code, kiosk) of the campaigns that ended within the period."""
    rows = (
        Tally.objects.filter(
            commune_id__in=commune_ids,
            channel__in=VERIFIED_CHANNELS,
            campaign__ends_on__gte=start,
            campaign__ends_on__lte=end,
        )
        .values("commune_id", "campaign__questionnaire__code", "slot")
        .order_by()
        .annotate(answered=Sum("answered"), satisfied=Sum("satisfied"))
    )
    counts: dict[int, Counts] = defaultdict(Counter)
    for row in rows:
        key = f"{row['campaign__questionnaire__code']}/{row['slot']}"
        counts[row["commune_id"]][f"{key}/answered"] += row["answered"] or 0
        counts[row["commune_id"]][f"{key}/satisfied"] += row["satisfied"] or 0
    return counts


def disclosure_counts(commune_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    """Items published in the period, by category, and those published by their deadline: the date
    another law sets, else 5 working days after the decision (working days need the holiday calendar, so
    the deadline is taken in Python)."""
    from communes.models import Disclosure
    from communes.models.disclosures import disclosure_deadline

    rows = Disclosure.objects.filter(
        commune_id__in=commune_ids, published_on__gte=start, published_on__lte=end
    ).values_list("commune_id", "category", "decision_date", "due_on", "published_on")
    counts: dict[int, Counts] = defaultdict(Counter)
    deadlines: dict[tuple, datetime.date] = {}  # a year has a few hundred decision dates
    for commune_id, category, decided, due_on, published in rows.iterator(chunk_size=5000):
        counts[commune_id]["items"] += 1
        counts[commune_id][f"category/{category}"] += 1
        if (decided, due_on) not in deadlines:
            deadlines[decided, due_on] = disclosure_deadline(decided, due_on)
        if published <= deadlines[decided, due_on]:
            counts[commune_id]["on_time"] += 1
    return counts


def _count_of(queryset, **link):
    """The rows of ``queryset`` that point at the outer row, counted in a subquery: joining the page's
    four lists at once would multiply their rows (hours × officers × facilities × procedures)."""
    rows = queryset.filter(**link).order_by().values(*link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def profile_counts(commune_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    """The one-stop page as it stands when computed (its state is not kept per day)."""

    today = clock.today()
    shop = OuterRef("pk")
    shops = (
        OneStopShop.objects.filter(commune_id__in=commune_ids)
        .values("commune_id", "commune__province_id", "phone", "verified_on")
        .annotate(
            hours=_count_of(OpeningHours.objects.all(), shop=shop),
            officers=_count_of(CounterOfficer.objects.all(), shop=shop),
            facilities=_count_of(Facility.objects.filter(available=True), shop=shop),
            procedures=_count_of(CommuneProcedure.objects.all(), commune=OuterRef("commune_id")),
        )
        .order_by()
    )
    shops = list(shops)
    catalogue = dict(
        Procedure.objects.filter(province_id__in={s["commune__province_id"] for s in shops})
        .values("province_id")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("province_id", "n")
    )
    counts = {}
    for shop in shops:
        fresh = shop["verified_on"] is not None and (today - shop["verified_on"]).days <= FRESH_DAYS
        counts[shop["commune_id"]] = Counter(
            contact=int(bool(shop["phone"])),
            hours=int(shop["hours"] > 0),
            officers=int(shop["officers"] > 0),
            facilities=shop["facilities"],
            procedures=shop["procedures"],
            catalogue=catalogue.get(shop["commune__province_id"], 0),
            fresh=int(fresh),
        )
    return counts


SOURCES: dict[str, Callable[[Iterable[int], datetime.date, datetime.date], dict[int, Counts]]] = {
    "dossier": dossier_counts,
    "feedback": feedback_counts,
    "survey": survey_counts,
    "disclosure": disclosure_counts,
    "profile": profile_counts,
}
# A unit's own profile is what counts; the other sources add up the units it took over.
OWN_ONLY_SOURCES = {"profile"}


# --- Metrics ---------------------------------------------------------------------------------------


def _share(questionnaire: str, slot: int) -> Callable[[Counts], Reading]:
    def read(c: Counts) -> Reading:
        answered, satisfied = c[f"{questionnaire}/{slot}/answered"], c[f"{questionnaire}/{slot}/satisfied"]
        return Reading(_ratio(satisfied, answered), answered, {"satisfied": satisfied, "answered": answered})

    return read


def _sipas_index(c: Counts) -> Reading:
    shares = {}
    for slot in SIPAS_SLOTS:
        answered = c[f"{SIPAS}/{slot}/answered"]
        shares[f"F{slot}"] = round(c[f"{SIPAS}/{slot}/satisfied"] / answered, 4) if answered else None
    respondents = c[f"{SIPAS}/{OVERALL_SLOT}/answered"]
    known = [share for share in shares.values() if share is not None]
    value = sum(known) / len(known) if len(known) == len(SIPAS_SLOTS) else None
    return Reading(value, respondents, shares)


def _dossier_on_time(c: Counts) -> Reading:
    resolved = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
    in_time = c["resolved_early"] + c["resolved_on_time"]
    return Reading(_ratio(in_time, resolved), resolved, {"in_time": in_time, "resolved": resolved})


def _dossier_apology(c: Counts) -> Reading:
    # No late dossier: nothing to apologise for, full points (criteria draft G2.3).
    late = c["resolved_late"]
    return Reading(_ratio(c["late_with_apology"], late, empty=1.0), late, {"apologies": c["late_with_apology"]})


def _per_received(name: str) -> Callable[[Counts], Reading]:
    def read(c: Counts) -> Reading:
        return Reading(_ratio(c[name], c["received"]), c["received"], {name: c[name], "received": c["received"]})

    return read


def _feedback_on_time(c: Counts) -> Reading:
    # No feedback within the commune's competence: none handled late (QĐ 766 counts a ratio of items).
    n = c["in_competence"]
    return Reading(_ratio(c["on_time"], n, empty=1.0), n, {"on_time": c["on_time"], "in_competence": n})


def _feedback_satisfaction(c: Counts) -> Reading:
    # Decision 766/QĐ-TTg: (items − rated unsatisfied − overdue) ÷ items.
    n = c["in_competence"]
    good = max(n - c["unsatisfied"] - c["late"], 0)
    return Reading(_ratio(good, n, empty=1.0), n, {"unsatisfied": c["unsatisfied"], "late": c["late"], "items": n})


def _disclosure_compliance(c: Counts) -> Reading:
    # Criteria draft G1.2: half for covering the 14 categories of art. 11, half for publishing on time.
    covered = sum(1 for category in DisclosureCategory.values if c[f"category/{category}"])
    coverage = covered / len(DisclosureCategory.values)
    on_time = _ratio(c["on_time"], c["items"])
    value = None if on_time is None else 0.5 * coverage + 0.5 * on_time
    detail = {"categories": covered, "of": len(DisclosureCategory.values), "on_time": c["on_time"], "items": c["items"]}
    return Reading(value, c["items"], detail)


def _profile_completeness(c: Counts) -> Reading:
    if not c:
        return Reading(None, 0, {})
    parts = {
        "contact": c["contact"],
        "hours": c["hours"],
        "officers": c["officers"],
        "facilities": min(c["facilities"] / len(FacilityKind.values), 1.0),
        "procedures": min(c["procedures"] / c["catalogue"], 1.0) if c["catalogue"] else 0.0,
        "fresh": c["fresh"],
    }
    return Reading(sum(parts.values()) / len(parts), 1, {k: round(v, 4) for k, v in parts.items()})


METRICS: dict[str, Metric] = {
    metric.code: metric
    for metric in [
        Metric(
            "survey.sipas_index",
            Measure.SURVEY,
            _("SIPAS index: mean share satisfied over factors F1–F5"),
            "survey",
            _sipas_index,
        ),
        Metric(
            "survey.officials",
            Measure.SURVEY,
            _("Share satisfied with the civil servants (SIPAS F3)"),
            "survey",
            _share(SIPAS, OFFICIALS_SLOT),
        ),
        Metric(
            "survey.residents",
            Measure.SURVEY,
            _("Share of residents satisfied with the friendly government"),
            "survey",
            _share(RESIDENTS, OVERALL_SLOT),
        ),
        Metric(
            "feedback.on_time_rate",
            Measure.FEEDBACK,
            _("Feedback handled on time ÷ feedback within competence"),
            "feedback",
            _feedback_on_time,
        ),
        Metric(
            "feedback.satisfaction_rate",
            Measure.FEEDBACK,
            _("(Feedback − rated unsatisfied − late) ÷ feedback"),
            "feedback",
            _feedback_satisfaction,
        ),
        Metric(
            "dossier.on_time_rate",
            Measure.DOSSIER,
            _("Dossiers resolved early or on time ÷ resolved"),
            "dossier",
            _dossier_on_time,
        ),
        Metric(
            "dossier.apology_rate",
            Measure.DOSSIER,
            _("Late dossiers with an apology letter ÷ late dossiers"),
            "dossier",
            _dossier_apology,
        ),
        Metric(
            "dossier.online_rate",
            Measure.DOSSIER,
            _("Dossiers submitted online ÷ received"),
            "dossier",
            _per_received("submitted_online"),
        ),
        Metric(
            "dossier.online_payment_rate",
            Measure.DOSSIER,
            _("Dossiers paid online ÷ received"),
            "dossier",
            _per_received("paid_online"),
        ),
        Metric(
            "dossier.digitised_rate",
            Measure.DOSSIER,
            _("Dossiers digitised ÷ received"),
            "dossier",
            _per_received("digitised"),
        ),
        Metric(
            "disclosure.compliance",
            Measure.DISCLOSURE,
            _("Half the share of the 14 categories disclosed, half the share disclosed on time"),
            "disclosure",
            _disclosure_compliance,
        ),
        Metric(
            "profile.completeness",
            Measure.PROFILE,
            _("Completeness and freshness of the one-stop page"),
            "profile",
            _profile_completeness,
        ),
    ]
}


def metric_choices(measure: str | None = None) -> list[tuple[str, Promise]]:
    return [(m.code, m.label) for m in METRICS.values() if measure is None or m.measure == measure]


# --- Points ----------------------------------------------------------------------------------------

CENT = Decimal("0.01")


def linear_points(value: float | None, floor: Decimal, target: Decimal, max_points: Decimal) -> Decimal:
    """0 points at or below ``floor``, ``max_points`` at or above ``target``, linear in between,
    rounded half up to hundredths. The value is taken to 6 decimals, so 0.9 is exactly the floor 0.90."""
    if value is None:
        return Decimal("0.00")
    v = Decimal(str(round(value, 6)))
    share = min(max((v - floor) / (target - floor), Decimal(0)), Decimal(1))
    return (max_points * share).quantize(CENT, rounding=ROUND_HALF_UP)
