"""Public pages under load, each beside a bare Django view measured in the same run (issue 14, item 3).

1. Cold render, in-process: the commune page rendered with the page cache off, its time and queries, with
   the demo's rows and with ten times the demo's feedback (the time must not grow with the data).
2. Warm, through gunicorn on PostgreSQL + Redis with the page cache on: home, the commune page, the
   province ranking, a feedback tracking page and the open-link survey, each driven by wrk, and the ratio
   of its rate to the bare view's (target ≥ 0.5).
3. The page mix at 200 connections for 60 s: errors (target 0) and p99 (target under 1 s).
4. With --sweep: the commune page and the bare view under each gunicorn worker setup considered.

Needs PostgreSQL (DATABASE_URL, see bench/common.py), Redis (REDIS_URL, default redis://127.0.0.1:6379/2)
and wrk (Debian: apt-get install wrk). Usage: make bench   (or: .venv/bin/python bench/pages.py [--seconds N]
[--mix-seconds N] [--sweep])
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    DEFAULT_REDIS_URL,
    database_migrate,
    fail,
    gunicorn_start,
    gunicorn_stop,
    redis_url,
    throwaway_django,
)

# The setup docker-compose runs and the README names; --sweep prints the measurements behind the choice.
# On 2 cores (2026-12-07, 8 s per line, the mix at 200 connections): sync ×3 gave the mix 1,063/s with
# p99 234 ms; gthread 3×4 served the bare view and a warm page 20-25% faster but the mix no faster
# (1,099/s) with p99 770 ms, its threads queueing behind one another for the interpreter; sync ×5 and the
# other thread counts were slower on every line. A citizen feels the tail, so the web runs sync ×3.
GUNICORN = ["-w", "3", "-k", "sync"]
SWEEP = {
    "sync, 3 workers": GUNICORN,
    "sync, 5 workers": ["-w", "5", "-k", "sync"],
    "gthread, 3 workers × 4 threads": ["-w", "3", "-k", "gthread", "--threads", "4", "--keep-alive", "30"],
    "gthread, 2 workers × 8 threads": ["-w", "2", "-k", "gthread", "--threads", "8", "--keep-alive", "30"],
    "gthread, 5 workers × 2 threads": ["-w", "5", "-k", "gthread", "--threads", "2", "--keep-alive", "30"],
}
CONNECTIONS = 64
MIX_CONNECTIONS = 200
WARM_TARGET = 0.5
COLD_TARGET_MS = 15.0

# wrk's script: the paths in turn, one per request, and the figures as JSON at the end.
WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, ' ..
    '"timeout": %%d, "p50_ms": %%f, "p99_ms": %%f, "max_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def wrk(port: int, paths: list[str], *, seconds: int, connections: int, workdir: str) -> dict:
    script = Path(workdir) / "wrk.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(path) for path in paths))
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rate"] = figures["requests"] / figures["seconds"]
    figures["errors"] = sum(figures[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return figures


# --- The data ---------------------------------------------------------------------------------------


def demo_load() -> dict:
    """The demo (units, one-stop shops, feedback, surveys, scoring) and the pages to measure."""
    from django.core.management import call_command

    from communes.models import Commune
    from feedback.models import Feedback
    from scoring.models import Decision
    from surveys.services.responses import campaign_current

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name their hashed files
    call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    item = Feedback.objects.order_by("pk").first()
    commune = item.commune
    surveyed = next(c for c in Commune.objects.current().order_by("code") if campaign_current(c))
    decision = Decision.objects.filter(status=Decision.Status.APPROVED).order_by("-year").first()
    ranking = f"/provinces/{decision.province_id}/rankings/{decision.year}/"
    return {
        "bare view (baseline)": "/bench/bare",
        "home": "/",
        "commune page": commune.get_absolute_url(),
        "province ranking": ranking,
        "feedback tracking page": item.get_absolute_url(),
        "open-link survey": f"/communes/{surveyed.pk}/survey/",
    }


def feedback_multiply(commune_id: int, factor: int) -> int:
    """The commune's feedback copied until it has ``factor`` times as many items (new codes, same
    states and dates), written in bulk; returns the new count."""
    from feedback.models import Feedback

    items = list(Feedback.objects.filter(commune_id=commune_id))
    copies = []
    fields = [f.attname for f in Feedback._meta.concrete_fields if not f.primary_key]
    for _round in range(1, factor):
        for item in items:
            copy = Feedback(**{name: getattr(item, name) for name in fields})
            copy.code = f"X{len(copies):07d}"  # unique, and never a code the portal hands out
            copy.submission_token = None
            copies.append(copy)
    Feedback.objects.bulk_create(copies, batch_size=2000)
    return Feedback.objects.filter(commune_id=commune_id).count()


# --- 1. Cold render -----------------------------------------------------------------------------------


def cold(url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    with override_settings(PAGE_CACHE=False, ALLOWED_HOSTS=["testserver"]):
        for _ in range(5):
            client.get(url)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            timings.append(1000 * (time.perf_counter() - start))
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1], len(queries)


def bare_in_process(runs: int) -> float:
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get("/bench/bare")
            timings.append(1000 * (time.perf_counter() - start))
    return statistics.median(timings)


def query_floor(commune_pk: int, runs: int) -> tuple[float, float, float]:
    """What one query costs at the least, beside which the page's count of queries is read: a small
    table's rows through the ORM, the same statement through the bare cursor, and the part of the page's
    render spent waiting for PostgreSQL."""
    from django.db import connection

    from communes.models import OpeningHours
    from portal.views.commune import _commune_page

    shop_id = OpeningHours.objects.filter(shop__commune_id=commune_pk).values_list("shop_id", flat=True).first()
    queryset = OpeningHours.objects.filter(shop_id=shop_id).order_by("weekday", "opens")
    sql, params = queryset.query.sql_with_params()

    def orm() -> None:
        list(OpeningHours.objects.filter(shop_id=shop_id).order_by("weekday", "opens"))

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    waited = []

    def waiting(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[-1] += time.perf_counter() - start

    def in_database() -> float:
        waited.append(0.0)
        with connection.execute_wrapper(waiting):
            _commune_page(commune_pk)
        return 1000 * waited[-1]

    def median_ms(function) -> float:
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            function()
            timings.append(1000 * (time.perf_counter() - start))
        return statistics.median(timings)

    return median_ms(orm), median_ms(bare), statistics.median(in_database() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="seconds per page under wrk (default 10)")
    parser.add_argument("--mix-seconds", type=int, default=60, help="seconds of the 200-connection mix (default 60)")
    parser.add_argument("--runs", type=int, default=100, help="in-process renders per figure (default 100)")
    parser.add_argument("--sweep", action="store_true", help="also compare gunicorn worker setups")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        fail("wrk is needed for the load figures: apt-get install wrk")

    cache = redis_url()
    if cache is None:
        fail(f"this benchmark needs Redis (the page cache): start it or set REDIS_URL (default {DEFAULT_REDIS_URL})")
    with throwaway_django("portal_pages", REDIS_URL=cache, PAGE_CACHE="1") as (name, workdir):
        from django.db import connections

        from communes.models import Commune

        database_migrate(name)
        pages = demo_load()
        commune = Commune.objects.get(pk=int(pages["commune page"].strip("/").split("/")[-1]))
        print(f"gunicorn {' '.join(GUNICORN)}; page cache in Redis {cache}; wrk -t2\n")

        print("1. Cold render, in-process (page cache off)")
        print(f"{'':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        bare = bare_in_process(args.runs)
        print(f"{'bare view (baseline)':<44} {bare:>10.2f} {'':>8} {0:>8}")
        before = commune.feedback.count()
        median, p95, queries = cold(pages["commune page"], args.runs)
        verdict = "ok" if median <= COLD_TARGET_MS else f"over the {COLD_TARGET_MS:.0f} ms target"
        print(f"{f'commune page, {before} feedback items':<44} {median:>10.2f} {p95:>8.2f} {queries:>8}  {verdict}")
        after = feedback_multiply(commune.pk, 10)
        median10, p95, queries10 = cold(pages["commune page"], args.runs)
        print(f"{f'commune page, {after} feedback items (10×)':<44} {median10:>10.2f} {p95:>8.2f} {queries10:>8}")
        print(f"{'':<44} time ×{median10 / median:.2f} with 10× the rows; queries {queries} → {queries10}")
        orm, bare_query, waiting = query_floor(commune.pk, args.runs)
        print(
            f"{'one small query: ORM / bare cursor':<44} {orm:>10.2f} {bare_query:>8.2f}\n"
            f"{'commune page: waiting for PostgreSQL':<44} {waiting:>10.2f}   "
            f"its {queries} queries at the ORM's least cost: {queries * orm:.1f} ms before any template\n"
        )

        connections.close_all()  # gunicorn's workers open their own
        server, port = gunicorn_start(workdir, GUNICORN)
        try:
            print(f"2. Warm, through gunicorn, {CONNECTIONS} connections, {args.seconds} s each")
            print(f"{'page':<28} {'KB':>5} {'req/s':>8} {'× bare':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
            baseline = None
            for label, path in pages.items():
                wrk(port, [path], seconds=2, connections=CONNECTIONS, workdir=workdir)  # warm: workers, cache
                figures = wrk(port, [path], seconds=args.seconds, connections=CONNECTIONS, workdir=workdir)
                baseline = baseline or figures["rate"]
                ratio = figures["rate"] / baseline
                mark = "" if label.startswith("bare") else ("  ok" if ratio >= WARM_TARGET else "  under 0.5×")
                size = len(urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).read()) / 1024
                print(
                    f"{label:<28} {size:>5.0f} {figures['rate']:>8.0f} {ratio:>7.2f} {figures['p50_ms']:>8.1f} "
                    f"{figures['p99_ms']:>8.1f} {figures['errors']:>7}{mark}"
                )

            mix = [path for label, path in pages.items() if not label.startswith("bare")]
            print(f"\n3. The page mix ({len(mix)} pages in turn), {MIX_CONNECTIONS} connections, {args.mix_seconds} s")
            figures = wrk(port, mix, seconds=args.mix_seconds, connections=MIX_CONNECTIONS, workdir=workdir)
            verdict = "ok" if figures["errors"] == 0 and figures["p99_ms"] < 1000 else "target missed"
            print(
                f"{figures['requests']} requests, {figures['rate']:.0f}/s, errors {figures['errors']} "
                f"(connect {figures['connect']}, read {figures['read']}, status {figures['status']}, "
                f"timeout {figures['timeout']}), p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
                f"max {figures['max_ms']:.0f} ms  {verdict}"
            )
        finally:
            gunicorn_stop(server)

        if args.sweep:
            print(f"\n4. Worker setups: bare view and commune page, {CONNECTIONS} and {MIX_CONNECTIONS} connections")
            print(f"{'gunicorn':<32} {'bare/s':>8} {'commune/s':>10} {'mix/s':>7} {'mix p99 ms':>11} {'errors':>7}")
            for label, options in SWEEP.items():
                server, port = gunicorn_start(workdir, options)
                try:
                    wrk(port, ["/bench/bare", *mix], seconds=2, connections=CONNECTIONS, workdir=workdir)
                    bare_figures = wrk(port, ["/bench/bare"], seconds=args.seconds, connections=64, workdir=workdir)
                    page = wrk(port, [pages["commune page"]], seconds=args.seconds, connections=64, workdir=workdir)
                    mixed = wrk(port, mix, seconds=args.seconds, connections=MIX_CONNECTIONS, workdir=workdir)
                finally:
                    gunicorn_stop(server)
                print(
                    f"{label:<32} {bare_figures['rate']:>8.0f} {page['rate']:>10.0f} {mixed['rate']:>7.0f} "
                    f"{mixed['p99_ms']:>11.1f} {mixed['errors']:>7}"
                )


if __name__ == "__main__":
    main()
