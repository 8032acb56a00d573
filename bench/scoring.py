"""Scoring benchmark on PostgreSQL: computing the year's assessments of a province and of the country,
each beside the bare aggregate queries over the same rows, measured in the same run.

1. A province of 209 communes in 10 districts, its data stored as the portal stores it: 2,000,000
   survey responses (rows with their factor scores, in campaigns of pks-motcua and pks07-than-thien)
   turned into tallies by the portal's own statistics_refresh; 100,000 feedback items and
   feedback_monthly_refresh; 12 months of dossier statistics per commune; disclosures; one-stop pages.
   Timed: assessments_compute for the whole province (the first computation, in which every line gets
   its points; runs that find new figures for every commune, so each stores and adopts 209 snapshots;
   runs that find nothing new), beside the five grouped queries it rests on, written bare, and the
   service's own reads of them (scoring.services.computation.metrics.SOURCES).
2. The country: 34 provinces, 3,321 communes, 20 million survey responses. The generator writes the
   aggregates scoring reads (tallies per campaign × commune × factor × channel, monthly feedback figures,
   dossier statistics) instead of raw rows. Timed: assessments_compute of the 34 provinces' criteria
   sets one after the other (each province has its own set), beside the same bare queries province by
   province.

Needs PostgreSQL: DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/portal_bench) names
the server; a throw-away database portal_bench_scoring_<pid> is made there and dropped at the end.
The country is left out when the province's pace foretells more than COUNTRY_BUDGET_SECONDS for it.
Usage: make bench   (or: .venv/bin/python bench/scoring.py [--responses N] [--feedback N] [--country-runs N]
       [--skip province|country])
"""

import argparse
import datetime
import random
import signal
import statistics
import sys
import time
from pathlib import Path

# The repository first: this file's folder, first on the path of a script, would make it the scoring app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import analyze, copy_rows, database_migrate, throwaway_django, timed, units_make
from bench.scoring_data import (
    CATALOGUE,
    HANDLED,
    OFFICERS,
    SESSIONS,
    YEAR,
    common_store,
    country_aggregates_store,
    feedback_store,
    surveys_store,
)

PROVINCE_COMMUNES, PROVINCE_DISTRICTS = 209, 10
COUNTRY_PROVINCES, COUNTRY_COMMUNES, COUNTRY_RESPONSES = 34, 3321, 20_000_000
TARGET_PROVINCE_SECONDS, TARGET_COUNTRY_SECONDS = 2.0, 60.0
COUNTRY_BUDGET_SECONDS = 300  # the country's timed runs, as the province's per-commune time foretells them


# --- What is timed ----------------------------------------------------------------------------------


def bare_queries(commune_ids: list[int], start: datetime.date, end: datetime.date) -> dict[str, str]:
    """The five grouped reads behind the computation, as raw SQL over the same rows, without the
    scoring logic (no merging of predecessors, no metric, no points)."""
    return {
        "survey": (
            "SELECT t.commune_id, q.code, t.slot, sum(t.answered), sum(t.satisfied) FROM surveys_tally t "
            "JOIN surveys_campaign c ON c.id = t.campaign_id JOIN surveys_questionnaire q ON q.id = c.questionnaire_id "
            "WHERE t.commune_id = ANY(%(ids)s::bigint[]) AND t.channel IN ('code', 'kiosk') "
            "AND c.ends_on BETWEEN %(start)s AND %(end)s GROUP BY 1, 2, 3"
        ),
        "feedback": (
            "SELECT commune_id, sum(received), sum(in_competence), sum(on_time), sum(late), sum(rated), "
            "sum(unsatisfied) FROM feedback_monthlyfigures WHERE commune_id = ANY(%(ids)s::bigint[]) "
            "AND month BETWEEN %(first)s AND %(last)s GROUP BY 1"
        ),
        "dossier": (
            "SELECT commune_id, count(*), sum(received), sum(resolved_early), sum(resolved_on_time), "
            "sum(resolved_late), sum(late_with_apology), sum(submitted_online), sum(paid_online), sum(digitised) "
            "FROM communes_dossierstatistics WHERE commune_id = ANY(%(ids)s::bigint[]) "
            "AND month BETWEEN %(first)s AND %(last)s GROUP BY 1"
        ),
        # Calendar days here: the deadline in working days is part of the scoring logic.
        "disclosure": (
            "SELECT commune_id, category, count(*), count(*) FILTER (WHERE published_on <= decision_date + 7) "
            "FROM communes_disclosure WHERE commune_id = ANY(%(ids)s::bigint[]) "
            "AND published_on BETWEEN %(start)s AND %(end)s GROUP BY 1, 2"
        ),
        "profile": (
            "SELECT s.commune_id, s.phone <> '', s.verified_on, "
            "(SELECT count(*) FROM communes_openinghours h WHERE h.shop_id = s.id), "
            "(SELECT count(*) FROM communes_counterofficer o WHERE o.shop_id = s.id), "
            "(SELECT count(*) FROM communes_facility f WHERE f.shop_id = s.id AND f.available), "
            "(SELECT count(*) FROM communes_communeprocedure p WHERE p.commune_id = s.commune_id) "
            "FROM communes_onestopshop s WHERE s.commune_id = ANY(%(ids)s::bigint[])"
        ),
    }


def bare_run(groups: list[list[int]], start: datetime.date, end: datetime.date) -> dict[str, float]:
    """Each bare query once per group of communes (a province); seconds per query, summed over groups."""
    from django.db import connection

    spent = dict.fromkeys(bare_queries([], start, end), 0.0)
    params_base = {"start": start, "end": end, "first": start.replace(day=1), "last": end.replace(day=1)}
    with connection.cursor() as cursor:
        for ids in groups:
            for name, sql in bare_queries(ids, start, end).items():
                began = time.perf_counter()
                cursor.execute(sql, params_base | {"ids": ids})
                cursor.fetchall()
                spent[name] += time.perf_counter() - began
    return spent


def sources_run(groups: list[list[int]], start: datetime.date, end: datetime.date) -> dict[str, float]:
    """The service's own reads (scoring.services.computation.metrics.SOURCES), once per group of communes."""
    from scoring.services.computation.metrics import SOURCES

    spent = dict.fromkeys(SOURCES, 0.0)
    for ids in groups:
        for name, source in SOURCES.items():
            began = time.perf_counter()
            source(ids, start, end)
            spent[name] += time.perf_counter() - began
    return spent


def cycle_open(provinces_communes, admin) -> list:
    from scoring.services import assessments_open, criteria_set_load, criteria_set_publish

    sets = []
    for province, _rows in provinces_communes:
        criteria_set = criteria_set_load(province=province, year=YEAR, by=admin)
        criteria_set = criteria_set_publish(criteria_set=criteria_set, by=admin)
        assessments_open(criteria_set=criteria_set, by=admin)
        sets.append(criteria_set)
    return sets


def self_assessments_fill(sets) -> None:
    """What the communes put forward themselves, written directly: 60–100% of each self-assessed
    criterion, and the dossier documents of 19 assessments in 20. The computation does not read them;
    the totals and stars it recounts do."""
    from django.db import connection
    from django.utils import timezone

    from scoring.models import Assessment, AssessmentDocument, RequiredDocument

    ids = [criteria_set.pk for criteria_set in sets]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scoring_line l SET self_score = round(c.max_points * (0.6 + 0.4 * random())::numeric, 2) "
            "FROM scoring_criterion c, scoring_assessment a "
            "WHERE c.id = l.criterion_id AND a.id = l.assessment_id AND c.measure = 'self' "
            "AND a.criteria_set_id = ANY(%s)",
            [ids],
        )
    documents = {}
    for set_id, document_id in RequiredDocument.objects.filter(criteria_set__in=ids, generated=False).values_list(
        "criteria_set_id", "pk"
    ):
        documents.setdefault(set_id, []).append(document_id)
    now = timezone.now()
    copy_rows(
        AssessmentDocument,
        (
            {"assessment_id": pk, "document_id": document, "file": "scoring/ho-so.pdf", "uploaded_at": now}
            for pk, set_id in Assessment.objects.filter(criteria_set__in=ids).values_list("pk", "criteria_set_id")
            if pk % 20
            for document in documents[set_id]
        ),
    )


def figures_change() -> None:
    """One more dossier received in every commune's January: every assessment finds new figures."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE communes_dossierstatistics SET received = received + 1 WHERE month = %s",
            [datetime.date(YEAR, 1, 1)],
        )


def compute_all(sets, admin) -> dict:
    from scoring.services import assessments_compute

    reports = [assessments_compute(criteria_set=criteria_set, by=admin) for criteria_set in sets]
    return {
        "assessments": sum(r.assessments for r in reports),
        "snapshots": sum(r.snapshots for r in reports),
        "adopted": sum(r.adopted for r in reports),
    }


def scale_measure(label: str, provinces_communes, admin, *, full_runs: int, same_runs: int) -> dict:
    from django.db.models import Count

    from scoring.models import Assessment

    sets = cycle_open(provinces_communes, admin)
    self_assessments_fill(sets)
    analyze()
    groups = [[commune.pk for commune in rows] for _province, rows in provinces_communes]
    start, end = sets[0].period_start, sets[0].period_end
    bare_run(groups, start, end)  # the first pass reads the tables into memory, as in production
    bare = [bare_run(groups, start, end) for _ in range(3)]
    sources = [sources_run(groups, start, end) for _ in range(3)]
    reports = []
    first = timed(lambda: reports.append(compute_all(sets, admin)), runs=1)
    full = timed(lambda: reports.append(compute_all(sets, admin)), runs=full_runs, before=figures_change)
    same = timed(lambda: reports.append(compute_all(sets, admin)), runs=same_runs)
    stars = dict(
        Assessment.objects.filter(criteria_set__in=sets)
        .values("stars")
        .order_by("stars")
        .annotate(n=Count("pk"))
        .values_list("stars", "n")
    )
    return {
        "label": label,
        "communes": sum(len(g) for g in groups),
        "sets": len(sets),
        "bare": bare,
        "sources": sources,
        "first": first,
        "full": full,
        "same": same,
        "reports": reports,
        "stars": stars,
    }


# --- Reporting --------------------------------------------------------------------------------------

SOURCE_NAMES = {
    "survey": "survey tallies (campaign × commune × factor × channel)",
    "feedback": "monthly feedback figures",
    "dossier": "monthly dossier statistics",
    "disclosure": "disclosures",
    "profile": "one-stop pages",
}


def median_text(timings: list[float]) -> str:
    return f"{statistics.median(timings):>9.3f}  {' '.join(f'{t:.3f}' for t in timings)}"


def report_scale(results: dict, target: float) -> None:
    bare_totals = [sum(run.values()) for run in results["bare"]]
    source_totals = [sum(run.values()) for run in results["sources"]]
    print(f"{'query':<58} {'median s':>9}  runs")
    print(f"{'bare aggregates: the five grouped queries, raw SQL':<58} {median_text(bare_totals)}")
    print(f"{'the service reads: computation.metrics.SOURCES (ORM + Python)':<58} {median_text(source_totals)}")
    for source in results["bare"][0]:
        bare = statistics.median(run[source] for run in results["bare"])
        read = statistics.median(run[source] for run in results["sources"])
        print(f"  {SOURCE_NAMES[source]:<56} bare {bare:>7.3f} s, service {read:>7.3f} s")
    first_report, full_report, same_report = results["reports"][0], results["reports"][1], results["reports"][-1]
    print(
        f"{'assessments_compute, the first time (every line gets points)':<58} {median_text(results['first'])}\n"
        f"  ({first_report['snapshots']} snapshots stored and {first_report['adopted']} adopted)"
    )
    print(
        f"{'assessments_compute, new figures for every assessment':<58} {median_text(results['full'])}\n"
        f"  (one more dossier received in January everywhere: {full_report['snapshots']} snapshots stored and "
        f"{full_report['adopted']} adopted per run)"
    )
    print(
        f"{'assessments_compute again, nothing changed':<58} {median_text(results['same'])}\n"
        f"  ({same_report['snapshots']} snapshots stored)"
    )
    full = statistics.median(results["full"])
    print(
        f"per commune: {1000 * full / results['communes']:.2f} ms computing with new figures, "
        f"{1000 * statistics.median(results['same']) / results['communes']:.2f} ms with none; "
        f"the bare queries {1000 * statistics.median(bare_totals) / results['communes']:.3f} ms"
    )
    stars = ", ".join(f"{stars}★ {n}" for stars, n in sorted(results["stars"].items(), key=lambda x: x[0] or 0))
    print(f"results: {stars}")
    first = results["first"][0]

    def verdict(seconds: float) -> str:
        return f"{'met' if seconds <= target else 'NOT met'} ({seconds:.2f} s)"

    print(
        f"target ≤ {target:.0f} s for {results['label']}: the first computation {verdict(first)}, "
        f"a computation with new figures {verdict(full)}"
    )


def province_benchmark(args, admin) -> dict:
    rng = random.Random(209)  # noqa: S311  (made-up data)
    province, communes = units_make("99", "Thử Nghiệm", args.communes, PROVINCE_DISTRICTS, 90000)
    print(
        f"\nProvince: {len(communes)} communes in {PROVINCE_DISTRICTS} districts, data stored as the portal stores it"
    )
    surveys = surveys_store(province, communes, args.responses, admin)
    print(
        f"  {surveys['responses']:,} survey responses in {surveys['campaigns']} campaigns (pks-motcua ×2, pks07 ×1; "
        f"table and indexes {surveys['size']}) written in {surveys['generated']:.0f} s; "
        f"statistics_refresh of each campaign stored {surveys['tallies']:,} tallies in {surveys['refreshed']:.1f} s"
    )
    feedback = feedback_store(province, communes, args.feedback, rng)
    print(
        f"  {feedback['items']:,} feedback items written in {feedback['generated']:.1f} s; "
        f"feedback_monthly_refresh stored {feedback['months']:,} monthly rows in {feedback['refreshed']:.2f} s"
    )
    common = common_store([(province, communes)], rng)
    print(
        f"  {common['dossiers']:,} months of dossier statistics, {common['disclosures']:,} disclosures, "
        f"{common['shops']} one-stop pages ({len(SESSIONS)} sessions, 9 facilities, {OFFICERS} officers, "
        f"{HANDLED} of {CATALOGUE} procedures each) written in {common['generated']:.1f} s"
    )
    results = scale_measure(
        f"the province ({len(communes)} communes)", [(province, communes)], admin, full_runs=3, same_runs=2
    )
    report_scale(results, TARGET_PROVINCE_SECONDS)
    return results


def country_benchmark(args, admin) -> dict:
    rng = random.Random(3321)  # noqa: S311  (made-up data)
    per_province, extra = divmod(COUNTRY_COMMUNES, COUNTRY_PROVINCES)
    provinces_communes, first = [], 0
    start = time.perf_counter()
    for index in range(COUNTRY_PROVINCES):
        count = per_province + (1 if index < extra else 0)
        provinces_communes.append(units_make(f"{index + 1:02d}", f"Tỉnh {index + 1}", count, 0, first))
        first += count
    communes = sum(len(rows) for _p, rows in provinces_communes)
    print(
        f"\nCountry: {COUNTRY_PROVINCES} provinces, {communes:,} communes. The generator writes the aggregates "
        "scoring reads (survey tallies, monthly feedback figures, dossier statistics), not raw responses or items"
    )
    aggregates = country_aggregates_store(provinces_communes, COUNTRY_RESPONSES, admin, rng)
    common = common_store(provinces_communes, rng)
    print(
        f"  {aggregates['tallies']:,} tallies standing for {aggregates['represented']:,} responses "
        f"(2 campaigns a province), {aggregates['months']:,} monthly feedback rows, {common['dossiers']:,} months "
        f"of dossier statistics, {common['disclosures']:,} disclosures, {common['shops']:,} one-stop pages; "
        f"written in {time.perf_counter() - start:.0f} s"
    )
    print(f"  computed as {COUNTRY_PROVINCES} provinces, each with its own published criteria set, one after the other")
    results = scale_measure(
        f"the country ({communes:,} communes)", provinces_communes, admin, full_runs=args.country_runs, same_runs=1
    )
    report_scale(results, TARGET_COUNTRY_SECONDS)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=PROVINCE_COMMUNES, help="communes of the province (209)")
    parser.add_argument("--responses", type=int, default=2_000_000, help="survey responses (default 2,000,000)")
    parser.add_argument("--feedback", type=int, default=100_000, help="feedback items (default 100,000)")
    parser.add_argument("--country-runs", type=int, default=2, help="timed country computations (default 2)")
    parser.add_argument("--skip", choices=["province", "country"], help="leave one scale out")
    args = parser.parse_args()

    # `timeout` and Ctrl-C end the run through throwaway_django's way out, which drops the database.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    with throwaway_django("portal_bench_scoring") as (name, _workdir):
        from django.contrib.auth import get_user_model

        began = time.perf_counter()
        database_migrate(name)
        admin = get_user_model().objects.create(email="bench-scoring@example.invalid", is_superuser=True)
        results = []
        if args.skip != "province":
            results.append(province_benchmark(args, admin))
        if args.skip != "country":
            foreseen = results and statistics.median(results[0]["full"]) / results[0]["communes"] * COUNTRY_COMMUNES
            if foreseen and foreseen * (args.country_runs + 4) > COUNTRY_BUDGET_SECONDS:
                print(
                    f"\nCountry: left out. At the province's pace one computation of {COUNTRY_COMMUNES:,} communes "
                    f"would take about {foreseen:.0f} s, and the country's runs over {COUNTRY_BUDGET_SECONDS} s; "
                    "the reads above show where the time goes"
                )
            else:
                results.append(country_benchmark(args, admin))
        if len(results) == 2:
            province, country = (statistics.median(r["full"]) / r["communes"] for r in results)
            print(
                f"\nper commune, computing with new figures: {1000 * province:.2f} ms in the province, "
                f"{1000 * country:.2f} ms in the country ({country / province:.2f}×: linear growth is 1×)"
            )
        print(f"whole benchmark: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
