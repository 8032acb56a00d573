"""The metrics a computed criterion can name, and the set-based reads behind them.

Each data source is read for every commune of a province in ONE grouped query over the maintained
aggregates (survey tallies, monthly feedback figures, monthly dossier statistics) or over small
tables (disclosures, one-stop profiles, the grassroots-democracy records). A source returns additive
counts per commune, so that the counts of the communes a unit took over in the 2025 reorganisation add
up into its own; a metric turns the counts of one assessed unit into a value between 0 and 1 with the
number of rows behind it, and a detail the pages show under the labels the metric gives its keys.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
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
from democracy.models import (
    Conference,
    ConferenceStatus,
    Consultation,
    ConsultationStatus,
    Decision,
    Matter,
    MatterStatus,
    Recommendation,
    RecommendationStatus,
)
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
    labels: dict[str, Promise] = field(default_factory=dict)  # the detail's keys in words, for the pages


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


def _quarters(start: datetime.date, end: datetime.date) -> list[tuple[int, int, datetime.date]]:
    """The calendar quarters the period touches: (year, quarter, last day)."""
    quarters = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while datetime.date(year, 3 * quarter - 2, 1) <= end:
        last = datetime.date(year + quarter // 4, 3 * quarter % 12 + 1, 1) - datetime.timedelta(days=1)
        quarters.append((year, quarter, last))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def disclosure_counts(commune_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    """Items published in the period, by category, and those published by their deadline: the date
    another law sets, else 5 working days after the decision (working days need the holiday calendar, so
    the deadline is taken in Python). And the quarterly lists (art. 13(2)) of the period's quarters that
    have ended by today: each quarter is a key of its own, so that the lists of merged units add up to
    one per quarter, not to more quarters than the period has. When no unit read has a list for any of
    those quarters, the portal did not keep them yet (before 2026): no quarter is due."""
    from communes.models import Disclosure, DisclosureList
    from communes.models.disclosures import disclosure_deadline

    commune_ids = list(commune_ids)
    today = clock.today()
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
    ended = {(year, quarter) for year, quarter, last in _quarters(start, end) if last < today}
    lists = (
        DisclosureList.objects.filter(commune_id__in=commune_ids, year__gte=start.year, year__lte=end.year)
        .values("commune_id", "year", "quarter")
        .order_by()
        .annotate(n=Count("pk"))
    )
    kept = False
    for row in lists:
        if (row["year"], row["quarter"]) in ended:
            counts[row["commune_id"]][f"quarter/{row['year']}-{row['quarter']}"] += 1
            kept = True
    for commune_id in commune_ids if kept else ():
        for year, quarter in ended:
            counts[commune_id][f"quarter_due/{year}-{quarter}"] = 1
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


def democracy_counts(commune_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    """The grassroots-democracy records of the period (Law 10/2022/QH15), one grouped query per model:

    - villages' decisions taken in the period, sent to the commune, and sent within 5 working days
      (art. 20(3)); the matters whose result the commune recognised or refused in the period;
    - consultations (art. 25–29) planned to close in the period, and those that ran their whole planned
      period of at least 20 days and published their synthesis (``Consultation.on_time``); one still
      taking comments is not due yet;
    - dialogue conferences held in the period (art. 32);
    - the boards' recommendations received in the period, and those answered by their due date (art. 40).

    A decision not yet sent, or a recommendation not yet answered, that is not due yet is counted apart
    (``*_not_yet_due``): it is neither on time nor late until its day has passed. Due dates that need the
    holiday calendar are taken in Python, once per date."""
    commune_ids = list(commune_ids)
    today = clock.today()
    counts: dict[int, Counts] = defaultdict(Counter)
    decisions = (
        Decision.objects.filter(village__commune_id__in=commune_ids, decided_on__gte=start, decided_on__lte=end)
        .values("village__commune_id", "decided_on", "sent_on")
        .order_by()
        .annotate(n=Count("pk"))
    )
    dues: dict[datetime.date, datetime.date] = {}  # a year has a few hundred days of deciding
    for row in decisions:
        c, decided, sent, n = counts[row["village__commune_id"]], row["decided_on"], row["sent_on"], row["n"]
        if decided not in dues:
            dues[decided] = Decision(decided_on=decided).send_due
        c["decided"] += n
        if sent is None:
            c["decisions_not_yet_due"] += n if dues[decided] >= today else 0
            continue
        c["sent"] += n
        c["sent_on_time"] += n if sent <= dues[decided] else 0
    ruled = (
        Matter.objects.filter(
            commune_id__in=commune_ids,
            status__in=[MatterStatus.RECOGNISED, MatterStatus.REFUSED],
            recognised_on__gte=start,
            recognised_on__lte=end,
        )
        .values("commune_id")
        .order_by()
        .annotate(
            matters_recognised=Count("pk", filter=Q(status=MatterStatus.RECOGNISED)),
            matters_refused=Count("pk", filter=Q(status=MatterStatus.REFUSED)),
        )
    )
    for row in ruled:
        counts[row.pop("commune_id")].update(row)
    # A consultation still being prepared was never put to the residents: it is not counted.
    consultations = (
        Consultation.objects.filter(commune_id__in=commune_ids, closes_on__gte=start, closes_on__lte=end)
        .exclude(status=ConsultationStatus.DRAFT)
        .values("commune_id", "opens_on", "closes_on", "closed_on", "synthesis_published_on")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in consultations:
        n, c = row.pop("n"), counts[row.pop("commune_id")]
        c["consultations"] += n
        on_time = Consultation(**row).on_time
        c["consultations_on_time"] += n if on_time else 0
        # Still taking comments: neither on time nor late before its last day has passed.
        c["consultations_not_yet_due"] += n if not on_time and row["closes_on"] >= today else 0
        c["consultations_without_synthesis"] += n if row["synthesis_published_on"] is None else 0
    conferences = (
        Conference.objects.filter(
            commune_id__in=commune_ids,
            status__in=[ConferenceStatus.HELD, ConferenceStatus.PUBLISHED],
            held_on__gte=start,
            held_on__lte=end,
        )
        .values("commune_id")
        .order_by()
        .annotate(conferences=Count("pk"))
    )
    for row in conferences:
        counts[row.pop("commune_id")].update(row)
    recommendations = (
        Recommendation.objects.filter(board__commune_id__in=commune_ids, received_on__gte=start, received_on__lte=end)
        .values("board__commune_id")
        .order_by()
        .annotate(
            recommendations=Count("pk"),
            answered_on_time=Count("pk", filter=Q(answered_on__lte=F("due_on"))),
            recommendations_not_yet_due=Count("pk", filter=Q(status=RecommendationStatus.AWAITING, due_on__gte=today)),
        )
    )
    for row in recommendations:
        counts[row.pop("board__commune_id")].update(row)
    return counts


SOURCES: dict[str, Callable[[Iterable[int], datetime.date, datetime.date], dict[int, Counts]]] = {
    "dossier": dossier_counts,
    "feedback": feedback_counts,
    "survey": survey_counts,
    "disclosure": disclosure_counts,
    "profile": profile_counts,
    "democracy": democracy_counts,
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
    # Criteria G1.2: 0.4 for covering the 14 categories of art. 11, 0.4 for publishing on time, 0.2 for
    # posting the list of each quarter of the period that has ended (art. 13(2)). No quarter due (none
    # ended yet, or no list kept on the portal for the period): the other two parts count half each.
    covered = sum(1 for category in DisclosureCategory.values if c[f"category/{category}"])
    coverage = covered / len(DisclosureCategory.values)
    on_time = _ratio(c["on_time"], c["items"])
    due = [key.split("/", 1)[1] for key, n in c.items() if key.startswith("quarter_due/") and n]
    listed = sum(1 for quarter in due if c[f"quarter/{quarter}"])
    if on_time is None:
        value = None
    elif due:
        value = 0.4 * coverage + 0.4 * on_time + 0.2 * listed / len(due)
    else:
        value = 0.5 * coverage + 0.5 * on_time
    detail = {
        "categories": covered,
        "of": len(DisclosureCategory.values),
        "on_time": c["on_time"],
        "items": c["items"],
        "quarter_lists": listed,
        "quarters": len(due),
    }
    return Reading(value, c["items"], detail)


def _decisions_sent_on_time(c: Counts) -> Reading:
    # Criteria G1.3 (art. 20(3)): the villages' results reach the commune within 5 working days. No
    # decision in the year: nothing to measure, no points (the criterion asks that residents decide).
    counted = c["decided"] - c["decisions_not_yet_due"]
    detail = {
        "decided": c["decided"],
        "sent": c["sent"],
        "sent_on_time": c["sent_on_time"],
        "not_yet_due": c["decisions_not_yet_due"],
        "matters_recognised": c["matters_recognised"],
        "matters_refused": c["matters_refused"],
    }
    return Reading(_ratio(c["sent_on_time"], counted), counted, detail)


def _consultations_on_time(c: Counts) -> Reading:
    # Criteria G1.4 (art. 25–29): consulted for the whole planned period, at least 20 days, and the
    # synthesis published; one whose synthesis is still unpublished is not on time.
    n = c["consultations"] - c["consultations_not_yet_due"]
    detail = {
        "consultations": c["consultations"],
        "on_time": c["consultations_on_time"],
        "without_synthesis": c["consultations_without_synthesis"],
        "not_yet_due": c["consultations_not_yet_due"],
    }
    return Reading(_ratio(c["consultations_on_time"], n), n, detail)


def _dialogue_and_board(c: Counts) -> Reading:
    # Criteria G1.5: half for at least one dialogue conference in the year (art. 32), half for the share
    # of the boards' recommendations answered within 15 days (art. 40). No recommendation received:
    # none answered late, that half is full (as no late dossier needs no apology).
    counted = c["recommendations"] - c["recommendations_not_yet_due"]
    answered = _ratio(c["answered_on_time"], counted, empty=1.0)
    value = 0.5 * (c["conferences"] > 0) + 0.5 * answered
    detail = {
        "conferences": c["conferences"],
        "recommendations": c["recommendations"],
        "answered_on_time": c["answered_on_time"],
        "not_yet_due": c["recommendations_not_yet_due"],
    }
    return Reading(value, c["conferences"] + counted, detail)


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
            {
                "F1": _("share satisfied, factor F1"),
                "F2": _("share satisfied, factor F2"),
                "F3": _("share satisfied, factor F3"),
                "F4": _("share satisfied, factor F4"),
                "F5": _("share satisfied, factor F5"),
            },
        ),
        Metric(
            "survey.officials",
            Measure.SURVEY,
            _("Share satisfied with the civil servants (SIPAS F3)"),
            "survey",
            _share(SIPAS, OFFICIALS_SLOT),
            {"satisfied": _("answers satisfied"), "answered": _("answers")},
        ),
        Metric(
            "survey.residents",
            Measure.SURVEY,
            _("Share of residents satisfied with the friendly government"),
            "survey",
            _share(RESIDENTS, OVERALL_SLOT),
            {"satisfied": _("answers satisfied"), "answered": _("answers")},
        ),
        Metric(
            "feedback.on_time_rate",
            Measure.FEEDBACK,
            _("Feedback handled on time ÷ feedback within competence"),
            "feedback",
            _feedback_on_time,
            {"on_time": _("handled on time"), "in_competence": _("within the commune's competence")},
        ),
        Metric(
            "feedback.satisfaction_rate",
            Measure.FEEDBACK,
            _("(Feedback − rated unsatisfied − late) ÷ feedback"),
            "feedback",
            _feedback_satisfaction,
            {"unsatisfied": _("rated unsatisfied"), "late": _("handled late"), "items": _("feedback items")},
        ),
        Metric(
            "dossier.on_time_rate",
            Measure.DOSSIER,
            _("Dossiers resolved early or on time ÷ resolved"),
            "dossier",
            _dossier_on_time,
            {"in_time": _("resolved early or on time"), "resolved": _("dossiers resolved")},
        ),
        Metric(
            "dossier.apology_rate",
            Measure.DOSSIER,
            _("Late dossiers with an apology letter ÷ late dossiers"),
            "dossier",
            _dossier_apology,
            {"apologies": _("late dossiers with an apology letter")},
        ),
        Metric(
            "dossier.online_rate",
            Measure.DOSSIER,
            _("Dossiers submitted online ÷ received"),
            "dossier",
            _per_received("submitted_online"),
            {"submitted_online": _("submitted online"), "received": _("dossiers received")},
        ),
        Metric(
            "dossier.online_payment_rate",
            Measure.DOSSIER,
            _("Dossiers paid online ÷ received"),
            "dossier",
            _per_received("paid_online"),
            {"paid_online": _("paid online"), "received": _("dossiers received")},
        ),
        Metric(
            "dossier.digitised_rate",
            Measure.DOSSIER,
            _("Dossiers digitised ÷ received"),
            "dossier",
            _per_received("digitised"),
            {"digitised": _("digitised"), "received": _("dossiers received")},
        ),
        Metric(
            "disclosure.compliance",
            Measure.DISCLOSURE,
            _("40% the share of the 14 categories disclosed, 40% the share disclosed on time, 20% the quarterly lists"),
            "disclosure",
            _disclosure_compliance,
            {
                "categories": _("categories disclosed"),
                "of": _("categories in the law"),
                "on_time": _("items disclosed on time"),
                "items": _("items disclosed"),
                "quarter_lists": _("quarterly lists posted"),
                "quarters": _("quarters whose list is due"),
            },
        ),
        Metric(
            "profile.completeness",
            Measure.PROFILE,
            _("Completeness and freshness of the one-stop page"),
            "profile",
            _profile_completeness,
            {
                "contact": _("telephone given"),
                "hours": _("opening hours given"),
                "officers": _("officers on duty given"),
                "facilities": _("share of the facilities available"),
                "procedures": _("share of the province's procedures listed"),
                "fresh": _("confirmed within 90 days"),
            },
        ),
        Metric(
            "democracy.decisions_sent_on_time",
            Measure.DEMOCRACY,
            _("Villages' decisions sent to the commune within 5 working days ÷ decisions taken"),
            "democracy",
            _decisions_sent_on_time,
            {
                "decided": _("decisions taken in villages"),
                "sent": _("sent to the commune"),
                "sent_on_time": _("sent within 5 working days"),
                "not_yet_due": _("not sent, not yet due"),
                "matters_recognised": _("matters recognised by the commune"),
                "matters_refused": _("matters not recognised"),
            },
        ),
        Metric(
            "democracy.consultations_on_time",
            Measure.DEMOCRACY,
            _("Consultations run for their full period with the synthesis published ÷ consultations"),
            "democracy",
            _consultations_on_time,
            {
                "consultations": _("consultations closing in the period"),
                "on_time": _("run in full, synthesis published"),
                "without_synthesis": _("synthesis not published"),
                "not_yet_due": _("still taking comments, not yet due"),
            },
        ),
        Metric(
            "democracy.dialogue_and_board",
            Measure.DEMOCRACY,
            _("Half for a dialogue conference held, half for the recommendations answered within 15 days"),
            "democracy",
            _dialogue_and_board,
            {
                "conferences": _("dialogue conferences held"),
                "recommendations": _("recommendations received"),
                "answered_on_time": _("answered within 15 days"),
                "not_yet_due": _("awaiting an answer, not yet due"),
            },
        ),
    ]
}


def detail_rows(metric: str, detail: dict) -> list[tuple[str, Promise | str, object]]:
    """A reading's detail as (key, label, value), in the order the metric gives it: the figures behind
    a computed line, as the commune, the reviewers and the public read them."""
    labels = METRICS[metric].labels if metric in METRICS else {}
    return [(key, labels.get(key, key), value) for key, value in detail.items()]


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
