"""Survey benchmarks on PostgreSQL, each beside a baseline measured in the same run.

1. Submissions: kiosk answers posted by concurrent clients to the real endpoint, served by gunicorn,
   beside a bare Django POST view behind the same middleware; then 5% of them sent again, and the rows
   counted: none may be lost, none stored twice.
2. Statistics: the grouped aggregate behind every figure (surveys.selectors.tallies_compute) over
   2 million responses of 209 communes, beside the same aggregate written as one raw SQL query, and the
   whole statistics_refresh.

Needs PostgreSQL: DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/portal_bench) names
the server; a throw-away database portal_bench_<pid> is made there and dropped at the end. The cache is
Redis when REDIS_URL (default redis://127.0.0.1:6379/2) answers, else each worker's local memory.
Usage: make bench   (or: .venv/bin/python bench/surveys.py [--requests N] [--clients N] [--rows N])
"""

import argparse
import datetime
import http.client
import json
import multiprocessing
import os
import random
import secrets
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

# The repository first: this file's folder, first on the path of a script, would make it the surveys app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    RESPONSES,
    database_migrate,
    gunicorn_start,
    gunicorn_stop,
    random_answers,
    redis_url,
    throwaway_django,
    timed,
    units_make,
)
from core import clock

# Two cores: three processes (as docker-compose runs the web container) keep both busy while one waits
# on the database; four threads each let a worker overlap its clients' database round trips. gthread is
# gunicorn's worker that keeps connections alive, as a tablet's browser does. 3×4 measured 536–597/s,
# 4×4 433–513/s and 4×2 534/s in alternating runs.
GUNICORN = ["-w", "3", "-k", "gthread", "--threads", "4", "--keep-alive", "30"]
TARGET_PER_SECOND = 500
TARGET_SECONDS = 2.0
REPLAY_SHARE = 0.05


# --- The load generator ---------------------------------------------------------------------------


def _client_process(port: int, jobs: list, threads: int, barrier, results) -> None:
    """``threads`` clients, each with its own keep-alive connection, sending their share of ``jobs``."""
    shares = [jobs[i::threads] for i in range(threads)]
    outcomes = [None] * threads
    gate = threading.Event()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.connect()
        statuses, latencies, retries = Counter(), [], 0
        gate.wait()
        for path, headers, body in shares[index]:
            start = time.perf_counter()
            for _attempt in range(3):
                try:
                    connection.request("POST", path, body, headers)
                    reply = connection.getresponse()
                    reply.read()
                    break
                except (OSError, http.client.HTTPException):
                    # The server closed a kept-alive connection: send again, as the tablet does. A resend
                    # of a kiosk answer is safe by design (its id makes it an already-received answer).
                    retries += 1
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            else:
                statuses["error"] += 1
                continue
            latencies.append(time.perf_counter() - start)
            statuses[reply.status] += 1
        connection.close()
        outcomes[index] = (statuses, latencies, retries)

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(0.2)  # let every client connect before the clock starts
    barrier.wait()
    started = time.perf_counter()
    gate.set()
    for worker in workers:
        worker.join()
    finished = time.perf_counter()
    statuses, latencies, retries = Counter(), [], 0
    for outcome_statuses, outcome_latencies, outcome_retries in outcomes:
        statuses.update(outcome_statuses)
        latencies += outcome_latencies
        retries += outcome_retries
    results.put((started, finished, statuses, latencies, retries))


def load(port: int, jobs: list, clients: int, processes: int) -> dict:
    """Send every job with ``clients`` concurrent keep-alive clients spread over ``processes`` processes
    (the client is Python too: one process could not keep a fast server busy)."""
    context = multiprocessing.get_context("fork")
    processes = max(1, min(processes, clients))
    barrier = context.Barrier(processes + 1)
    results = context.Queue()
    workers = []
    for index in range(processes):
        threads = clients // processes + (1 if index < clients % processes else 0)
        share = jobs[index::processes]
        workers.append(context.Process(target=_client_process, args=(port, share, threads, barrier, results)))
    for worker in workers:
        worker.start()
    barrier.wait()
    outcomes = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    statuses, latencies, retries = Counter(), [], 0
    for _started, _finished, outcome_statuses, outcome_latencies, outcome_retries in outcomes:
        statuses.update(outcome_statuses)
        latencies += outcome_latencies
        retries += outcome_retries
    elapsed = max(o[1] for o in outcomes) - min(o[0] for o in outcomes)
    return {
        "count": len(jobs),
        "elapsed": elapsed,
        "rate": len(jobs) / elapsed,
        "median_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": 1000 * statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else float("nan"),
        "statuses": statuses,
        "retries": retries,
    }


def statuses_text(statuses: Counter) -> str:
    return " ".join(f"{status}×{count}" for status, count in sorted(statuses.items(), key=str))


# --- Benchmark 1: submissions ---------------------------------------------------------------------


def submissions(args, port: int, setup: dict) -> dict:

    from surveys.models import Response
    from surveys.views.kiosk import TOKEN_HEADER

    rng = random.Random(5)  # noqa: S311  (made-up answers, not secrets)
    kiosks, campaign, structure = setup["kiosks"], setup["campaign"], setup["structure"]
    today = clock.today().isoformat()

    def kiosk_jobs(count: int) -> list:
        jobs = []
        for index in range(count):
            kiosk = kiosks[index % len(kiosks)]
            body = {
                "campaign": campaign.pk,
                "client_id": str(uuid.uuid4()),
                "answers": random_answers(structure, rng),
                "answered_on": today,
                "language": "vi",
                "elapsed": rng.randint(45, 400),
            }
            headers = {"Content-Type": "application/json", TOKEN_HEADER: kiosk.token}
            jobs.append((f"/kiosk/{kiosk.pk}/responses/", headers, json.dumps(body).encode()))
        return jobs

    warm_up = kiosk_jobs(20 * args.clients)
    timed = kiosk_jobs(args.requests)
    # The baseline gets the same bodies, so it parses as much JSON as the real view.
    bare = [("/bench/bare-post/", {"Content-Type": "application/json"}, body) for _path, _headers, body in timed]
    replays = rng.sample(timed, max(1, round(REPLAY_SHARE * len(timed))))

    processes = min(args.clients, os.cpu_count() or 2)
    load(port, bare[: len(warm_up)], args.clients, processes)  # workers load code, caches fill
    load(port, warm_up, args.clients, processes)
    results = {
        "bare": load(port, bare, args.clients, processes),
        "real": load(port, timed, args.clients, processes),
        "replay": load(port, replays, args.clients, processes),
    }

    sent = {json.loads(body)["client_id"] for _path, _headers, body in warm_up + timed}
    stored = [
        str(client_id) for client_id in Response.objects.filter(campaign=campaign).values_list("client_id", flat=True)
    ]
    results["rows"] = {
        "expected": len(sent),
        "stored": len(stored),
        "lost": len(sent - set(stored)),
        "duplicated": len(stored) - len(set(stored)) + len(set(stored) - sent),
        "burst": Response.objects.filter(campaign=campaign, flags__contains="burst").count(),
    }
    results["warm_up"] = len(warm_up)
    return results


def submissions_setup(kiosk_count: int) -> dict:
    from django.contrib.auth import get_user_model

    from communes.services import units_load
    from surveys.models import Campaign, Questionnaire
    from surveys.selectors import questionnaire_structure
    from surveys.services import campaign_open, kiosk_register, questionnaires_load

    questionnaires_load()
    province = units_load(province="Bắc Ninh", period="current").provinces[0]
    communes = list(province.communes.order_by("code"))
    admin = get_user_model().objects.create(email="bench@example.invalid", is_superuser=True)
    today = clock.today()
    questionnaire = Questionnaire.objects.get(code="pks-motcua", version=1)
    campaign = Campaign.objects.create(
        province=province,
        name="Benchmark",
        questionnaire=questionnaire,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60),
    )
    campaign.communes.set(communes)
    campaign_open(campaign=campaign, by=admin)
    kiosks = [
        kiosk_register(commune=communes[index % len(communes)], name=f"Quầy {index + 1}", by=admin)
        for index in range(kiosk_count)
    ]
    return {"campaign": campaign, "kiosks": kiosks, "structure": questionnaire_structure(questionnaire)}


# --- Benchmark 2: statistics over 2 million responses ---------------------------------------------

# 100–500 in hundredths, no answer for about 5%; slots 6 and 7 are not used by the one-stop questionnaire.
SCORE = "CASE WHEN random() < 0.05 THEN NULL ELSE 100 + (random() * 400)::int END"


def raw_aggregate_sql() -> str:
    from surveys.models import MAX_FACTORS, SATISFIED_FROM

    columns = ", ".join(
        f"count(score_{slot}), sum(score_{slot}), count(*) FILTER (WHERE score_{slot} >= {SATISFIED_FROM})"
        for slot in range(MAX_FACTORS + 1)
    )
    return (
        f"SELECT commune_id, channel, count(*), {columns} FROM surveys_response "  # noqa: S608  (constants only)
        "WHERE campaign_id = %s AND NOT excluded GROUP BY 1, 2"
    )


def aggregates_setup(row_count: int, commune_count: int, sample_answers: dict) -> dict:
    from django.db import connection

    from surveys.models import Campaign, Kiosk, Questionnaire

    province, communes = units_make("99", "Thử Nghiệm", commune_count, 0, 90000)
    kiosks = Kiosk.objects.bulk_create(
        Kiosk(commune=commune, name="Quầy kết quả", token=secrets.token_urlsafe(32)) for commune in communes
    )
    today = clock.today()
    campaign = Campaign.objects.create(
        province=province,
        name="Benchmark, 2 million",
        questionnaire=Questionnaire.objects.get(code="pks-motcua", version=1),
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today,
        status=Campaign.Status.OPEN,
    )
    campaign.communes.set(communes)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        cursor.execute("SET synchronous_commit = off")
        if superuser:
            # Every id below exists by construction: skip the foreign-key triggers, three lookups a row.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            RESPONSES.format(day="%(first_day)s::date + i %% 60", scores=", ".join([SCORE] * 6 + ["NULL", "NULL"])),
            {
                "campaign": campaign.pk,
                "communes": [commune.pk for commune in communes],
                "kiosks": [kiosk.pk for kiosk in kiosks],
                "commune_count": commune_count,
                "first_day": today - datetime.timedelta(days=60),
                "answers": json.dumps(sample_answers),
                "first": 1,
                "last": row_count,
            },
        )
        # What autovacuum would have done by the time a real campaign has 2 million answers.
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("VACUUM (ANALYZE) surveys_response")
        generated = time.perf_counter() - start
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('surveys_response'))")
        size = cursor.fetchone()[0]
    return {"campaign": campaign, "generated": generated, "size": size}


def aggregates(args, sample_answers: dict) -> dict:
    from django.db import connection

    from surveys.models import Response
    from surveys.selectors import tallies_compute
    from surveys.services import identical_flag, statistics_refresh

    setup = aggregates_setup(args.rows, args.communes, sample_answers)
    campaign = setup["campaign"]
    sql = raw_aggregate_sql()

    def raw() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, [campaign.pk])
            return cursor.fetchall()

    raw()  # the first pass reads the table into memory; every later one finds it there, as in production
    results = {
        "rows": Response.objects.filter(campaign=campaign).count(),
        "communes": args.communes,
        "generated": setup["generated"],
        "size": setup["size"],
        "orm": timed(lambda: tallies_compute(campaign)),
        "raw": timed(raw),
        "refresh": timed(lambda: statistics_refresh(campaign=campaign)),
        "identical": timed(lambda: identical_flag(campaign)),
        "groups": len(raw()),
    }
    orm_totals = sorted(
        (t.commune_id, t.channel, t.slot, t.answered, t.satisfied, t.total) for t in tallies_compute(campaign)
    )
    slots = sorted({slot for _c, _ch, slot, *_ in orm_totals})
    raw_totals = sorted(
        (row[0], row[1], slot, row[3 + 3 * slot], row[5 + 3 * slot], row[4 + 3 * slot] or 0)
        for row in raw()
        for slot in slots
    )
    results["same"] = orm_totals == raw_totals
    if args.explain:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, [campaign.pk])
            results["plan"] = "\n".join(row[0] for row in cursor.fetchall())
    return results


# --- Running and reporting ------------------------------------------------------------------------


def report_submissions(results: dict, args, cache: str) -> None:
    print(
        f"\nSubmissions through gunicorn {' '.join(GUNICORN)}; cache: {cache}\n"
        f"{args.clients} concurrent keep-alive clients in {min(args.clients, os.cpu_count() or 2)} processes, "
        f"{args.kiosks} kiosks, {args.requests} requests per line, after {results['warm_up']} warm-up answers"
    )
    print(f"{'view':<38} {'responses/s':>11} {'median ms':>10} {'p95 ms':>8}  statuses")
    rows = [
        ("bare POST view (baseline)", results["bare"]),
        ("kiosk answer, real view", results["real"]),
        (f"kiosk resends, {REPLAY_SHARE:.0%} (same id and body)", results["replay"]),
    ]
    for name, result in rows:
        retries = f" (retried {result['retries']})" if result["retries"] else ""
        print(
            f"{name:<38} {result['rate']:>11.0f} {result['median_ms']:>10.1f} {result['p95_ms']:>8.1f}  "
            f"{statuses_text(result['statuses'])}{retries}"
        )
    counted = results["rows"]
    real = results["real"]["rate"]
    print(
        f"rows: {counted['expected']} answers with distinct ids sent, {counted['stored']} stored: "
        f"lost={counted['lost']} duplicated={counted['duplicated']} ({counted['burst']} flagged as bursts)\n"
        f"target ≥ {TARGET_PER_SECOND} responses/s with none lost or duplicated: "
        + ("met" if real >= TARGET_PER_SECOND and not counted["lost"] and not counted["duplicated"] else "NOT met")
        + f" ({real / results['bare']['rate']:.0%} of the bare view's rate)"
    )


def report_aggregates(results: dict) -> None:
    print(
        f"\nStatistics over {results['rows']:,} responses of {results['communes']} communes "
        f"({results['groups']} commune × channel groups; each row with a full answer, table {results['size']}, "
        f"generated in {results['generated']:.0f} s)"
    )
    print(f"{'query':<50} {'median s':>9}  runs")
    rows = [
        ("tallies_compute: the ORM grouped aggregate", results["orm"]),
        ("the same aggregate as one raw SQL query", results["raw"]),
        ("statistics_refresh: flags, compute and store", results["refresh"]),
        ("  of which identical_flag (a quality signal)", results["identical"]),
    ]
    for name, timings in rows:
        print(f"{name:<50} {statistics.median(timings):>9.2f}  {' '.join(f'{t:.2f}' for t in timings)}")
    orm = statistics.median(results["orm"])
    print(
        f"the ORM and the raw query give the same figures: {'yes' if results['same'] else 'NO'}\n"
        f"target ≤ {TARGET_SECONDS:.0f} s for the aggregate: {'met' if orm <= TARGET_SECONDS else 'NOT met'}"
    )
    if "plan" in results:
        print(results["plan"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="answers per timed line (default 5000)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--kiosks", type=int, default=20, help="kiosks the answers are spread over (default 20)")
    parser.add_argument("--rows", type=int, default=2_000_000, help="responses to aggregate (default 2,000,000)")
    parser.add_argument("--communes", type=int, default=209, help="communes they belong to (default 209)")
    parser.add_argument("--explain", action="store_true", help="print the raw aggregate's EXPLAIN ANALYZE")
    parser.add_argument("--skip", choices=["submissions", "aggregates"], help="leave one benchmark out")
    args = parser.parse_args()

    cache = redis_url()
    with throwaway_django("portal_bench", REDIS_URL=cache or "") as (name, workdir):
        from django.db import connections

        database_migrate(name)
        setup = submissions_setup(args.kiosks)
        sample_answers = random_answers(setup["structure"], random.Random(1))  # noqa: S311
        if args.skip != "submissions":
            connections.close_all()  # the client processes are forked: they must not share the connection
            server, port = gunicorn_start(workdir, GUNICORN)
            try:
                results = submissions(args, port, setup)
                where = f"Redis {urlsplit(cache).netloc}{urlsplit(cache).path}" if cache else None
                report_submissions(results, args, where or "local memory of each worker (Redis not reachable)")
            finally:
                gunicorn_stop(server)
        if args.skip != "aggregates":
            report_aggregates(aggregates(args, sample_answers))


if __name__ == "__main__":
    main()
