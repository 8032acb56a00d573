"""Dashboards benchmark: the province and commune dashboards through gunicorn, at province and at country
scale, each line beside a bare Django view measured in the same run. The dashboards read maintained
aggregates (portal.models.CommuneMonth, CategoryMonth, the scoring results), never raw rows
at request time: the target is p95 ≤ 200 ms, with a number of queries that does not grow with communes.

1. The province: 209 communes in 10 districts, stored as the portal stores it (bench/scoring_data.py):
   2,000,000 survey responses and their tallies, 100,000 feedback items and their monthly figures, dossier
   statistics, disclosures, one-stop pages. Then dashboard_refresh, the hourly task, rebuilds the
   aggregates from those rows: timed (a task, not a request, but its cost must be known).
2. The country: 34 provinces, 3,321 communes, and a small province of 20 communes, written as the
   aggregates (12 months per commune). Every commune has two years of scoring results (stars, movers).
3. In-process: the staff province dashboard's queries at 20 communes, at 209 and at a country province
   of ~98 (the database holding all of them): they must be equal.
4. Through gunicorn (bench/pages.py's workers; Redis as the page cache), wrk at a low concurrency so that
   the percentiles are a reader's wait and not a queue's: the bare view; the public province dashboard,
   its first request alone, then under load from the page cache; first requests of pages not cached yet;
   the live render (a query parameter the page cache does not know makes the view render, with the
   province's figures kept since the first request of the period); the staff
   dashboard of a signed-in DoHA officer, cached and live; the public commune dashboard, cached and live.

Needs PostgreSQL (DATABASE_URL, see bench/common.py), Redis (REDIS_URL, default redis://127.0.0.1:6379/2)
and wrk. Usage: make bench   (or: .venv/bin/python bench/dashboards.py [--quick] [--seconds N]
[--connections N] [--responses N] [--feedback N] [--country-communes N])
"""

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    DEFAULT_REDIS_URL,
    analyze,
    database_migrate,
    fail,
    gunicorn_start,
    gunicorn_stop,
    redis_url,
    throwaway_django,
    timed,
    units_make,
)
from bench.dashboards_data import aggregates_store, country_units, province_store, results_store
from bench.pages import GUNICORN
from bench.scoring_data import REFRESH_DAY, YEAR

PROVINCE_COMMUNES, PROVINCE_DISTRICTS, SMALL_COMMUNES = 209, 10, 20
COUNTRY_PROVINCES = 34
SIZES = {
    "full": {"responses": 2_000_000, "feedback": 100_000, "country_communes": 3321},
    "quick": {"responses": 100_000, "feedback": 10_000, "country_communes": 680},
}
TARGET_MS = 200.0
PERIOD = f"?start={YEAR}-01&end={YEAR}-12"  # the data's year: twelve months of every figure
LIVE = "&bench=live"  # not one of the view's parameters: the page cache renders such a request live
# More pages not cached yet, each asked once alone: the same period sorted otherwise (the same rows read).
OTHER_SORTS = ["&sort=name", "&sort=feedback_on_time", "&sort=dossiers_on_time&order=asc", "&sort=stars"]

WRK_SCRIPT = """
wrk.method = "GET"
%(headers)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "errors": %%d, "status": %%d, ' ..
    '"p50_ms": %%f, "p95_ms": %%f, "p99_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


# --- Requests ---------------------------------------------------------------------------------------


def wrk(port: int, path: str, *, seconds: int, connections: int, workdir: str, headers=None) -> dict:
    script = Path(workdir) / "wrk-dashboards.lua"
    lines = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items())
    script.write_text(WRK_SCRIPT % {"headers": lines})
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rate"] = figures["requests"] / figures["seconds"]
    figures["errors"] += figures.pop("status")  # answers other than 2xx and 3xx
    return figures


def settle(figures: dict) -> None:
    """Wait for the requests wrk left in flight: a sync worker finishes a request whose client has gone,
    and the next request timed alone would queue behind it."""
    time.sleep(min(10.0, 0.3 + 2 * figures["p99_ms"] / 1000))


def fetch(port: int, path: str, headers=None) -> tuple[int, bytes, float]:
    """One request alone: status, body and milliseconds."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own server)
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, body, 1000 * (time.perf_counter() - start)


# --- Sign-in and paths ------------------------------------------------------------------------------


def doha_session(province) -> str:
    """A DoHA officer of ``province`` signed in by the bench's own Django: the session cookie wrk sends."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import Role
    from accounts.services import role_assign, user_create

    user = user_create(email=f"so-noi-vu-{province.code}@example.invalid", password="x", email_verified=True)
    role_assign(user=user, role=Role.DOHA_STAFF, place=province)
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def scale_paths(label: str, province, commune) -> dict:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("vi"):
        return {
            "label": label,
            "province": province,
            "cookie": doha_session(province),
            "public": reverse("portal:province_dashboard", args=[province.pk]) + PERIOD,
            "staff": reverse("portal:province_dashboard_staff", args=[province.pk]) + PERIOD,
            "commune": reverse("portal:commune_dashboard", args=[commune.pk]) + PERIOD,
        }


# --- 3. Queries, in-process -------------------------------------------------------------------------


def queries_in_process(path: str, cookie: str, runs: int) -> tuple[int, float, float]:
    """The page's number of queries and its median render times, in this process, rendered live (LIVE): with
    the province's figures computed (the "site" version bumped before each run, as the hourly rebuild
    does) and with them kept from the run before (another sort, language or commune of the same period)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from core import pagecache

    def changed():
        pagecache.bump("site")

    client = Client(headers={"cookie": cookie} if cookie else {})
    path += LIVE
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client.get(path)  # warm the template loaders
        changed()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        # Counted now: every request that starts empties the connection's log, and the slice with it.
        queries = len(captured)
        if response.status_code != 200:
            fail(f"{path} answered {response.status_code} in-process")
        computed = timed(lambda: client.get(path), runs=runs, before=changed)
        kept = timed(lambda: client.get(path), runs=runs)
    return queries, 1000 * statistics.median(computed), 1000 * statistics.median(kept)


def report_queries(scales: list[dict], runs: int) -> bool:
    print(
        f"\n3. Queries per page, in-process (rendered live; render time the median of {runs}: figures computed /"
        " figures kept from the run before)"
    )
    header = "".join(f"{scale['label']:>26}" for scale in scales)
    print(f"{'':<34}{header}")
    equal = True
    for key, label in [("staff", "staff province dashboard"), ("public", "public province dashboard")]:
        measured = [queries_in_process(s[key], s["cookie"] if key == "staff" else "", runs) for s in scales]
        cells = "".join(f"{f'{n} queries, {ms:.0f}/{kept:.0f} ms':>26}" for n, ms, kept in measured)
        same = len({n for n, _ms, _kept in measured}) == 1
        equal = equal and same
        print(f"{label:<34}{cells}  {'PASS: equal' if same else 'FAIL: the count grows'}")
    return equal


# --- 4. Under load ----------------------------------------------------------------------------------

COLUMNS = f"{'':<46} {'KB':>5} {'req/s':>7} {'× bare':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"


def verdict(p95: float, errors: int) -> str:
    if errors:
        return "FAIL (errors)"
    return f"{'PASS' if p95 <= TARGET_MS else 'FAIL'} p95 ≤ {TARGET_MS:.0f} ms"


class Lines:
    def __init__(self, port: int, args, workdir: str):
        self.port, self.args, self.workdir = port, args, workdir
        self.bare: float | None = None
        self.failed: list[str] = []
        self.where = ""

    def load(self, label: str, path: str, cookie: str = "") -> None:
        headers = {"Cookie": cookie} if cookie else {}
        status, body, _ms = fetch(self.port, path, headers)
        if status != 200:
            fail(f"{path} answered {status}:\n{body[:2000].decode(errors='replace')}")
        options = {"connections": self.args.connections, "workdir": self.workdir, "headers": headers}
        settle(wrk(self.port, path, seconds=2, **options))  # warm the workers
        figures = wrk(self.port, path, seconds=self.args.seconds, **options)
        settle(figures)
        self.bare = self.bare or figures["rate"]
        mark = "" if path == "/bench/bare" else verdict(figures["p95_ms"], figures["errors"])
        if mark.startswith("FAIL"):
            self.failed.append(f"{self.where}: {label.strip()}")
        print(
            f"{label:<46} {len(body) / 1024:>5.0f} {figures['rate']:>7.0f} {figures['rate'] / self.bare:>7.2f} "
            f"{figures['p50_ms']:>7.1f} {figures['p95_ms']:>7.1f} {figures['p99_ms']:>7.1f} {figures['errors']:>6}"
            f"  {mark}"
        )

    def first(self, label: str, paths: list[str]) -> None:
        """Each path's first request, alone: the page cache has none of them yet."""
        timings = []
        for path in paths:
            status, body, ms = fetch(self.port, path)
            if status != 200:
                fail(f"{path} answered {status}:\n{body[:2000].decode(errors='replace')}")
            timings.append(ms)
        worst = max(timings)
        mark = verdict(worst, 0).replace("p95", "each")
        if mark.startswith("FAIL"):
            self.failed.append(f"{self.where}: {label.strip()}")
        print(f"{label:<46} {'':>5} {'':>7} {'':>7} {' '.join(f'{t:.0f}' for t in timings)} ms  {mark}")

    def scale(self, scale: dict) -> None:
        self.where = scale["label"]
        print(f"\n{scale['label']}")
        # Every worker's templates and connections are warm before a first request is timed.
        warm = {"connections": self.args.connections, "workdir": self.workdir, "headers": {"Cookie": scale["cookie"]}}
        settle(wrk(self.port, scale["staff"] + "&sort=name", seconds=2, **warm))
        settle(wrk(self.port, scale["commune"] + LIVE, seconds=2, **warm))
        public = scale["public"]
        self.first("province dashboard, first request (not cached)", [public])
        self.load("province dashboard, public, from the page cache", public)
        self.first(f"  {len(OTHER_SORTS)} more pages not cached yet, alone", [public + sort for sort in OTHER_SORTS])
        self.load("province dashboard, public, rendered live", public + LIVE)
        self.load("province dashboard, staff (DoHA), from the page cache", scale["staff"], scale["cookie"])
        self.load("province dashboard, staff (DoHA), rendered live", scale["staff"] + LIVE, scale["cookie"])
        self.first("commune dashboard, first request (not cached)", [scale["commune"]])
        self.load("commune dashboard, public, from the page cache", scale["commune"])
        self.load("commune dashboard, public, rendered live", scale["commune"] + LIVE)


# --- The run ----------------------------------------------------------------------------------------


def data_build(args, admin) -> list[dict]:
    """Both scales' data, with the refresh timed; returns the pages of each province measured."""
    from core import pagecache
    from portal.dashboards.refresh import dashboard_refresh
    from portal.models import CommuneMonth

    started = time.perf_counter()
    province, communes, stored = province_store(
        communes=PROVINCE_COMMUNES,
        districts=PROVINCE_DISTRICTS,
        responses=args.responses,
        feedback=args.feedback,
        admin=admin,
    )
    surveys, items, common = stored["surveys"], stored["feedback"], stored["common"]
    print(
        f"\n1. Province: {len(communes)} communes in {PROVINCE_DISTRICTS} districts, stored as the portal stores it\n"
        f"  {surveys['responses']:,} survey responses ({surveys['size']}) written in {surveys['generated']:.0f} s, "
        f"{surveys['tallies']:,} tallies in {surveys['refreshed']:.1f} s; {items['items']:,} feedback items in "
        f"{items['generated']:.1f} s; {common['dossiers']:,} months of dossier statistics, "
        f"{common['disclosures']:,} disclosures, {common['shops']} one-stop pages"
    )
    rng = random.Random(3321)  # noqa: S311  (made-up data)
    results = results_store([(province, communes)], admin, rng)

    # The hourly task as it runs on the day the feedback was counted: the fourteen months up to it.
    months: list[int] = []
    refresh = timed(lambda: months.append(dashboard_refresh(today=REFRESH_DAY)), runs=2)
    print(
        f"dashboard_refresh (the hourly task, 14 months up to {REFRESH_DAY:%d/%m/%Y}) over it: "
        f"{months[-1]:,} commune-months from the raw rows in {refresh[0]:.1f} s, again in {refresh[1]:.1f} s "
        f"(a task in the worker, not a request)"
    )

    # Written after the refresh, which rebuilds every commune's recent months from raw rows they lack.
    country = country_units(COUNTRY_PROVINCES, args.country_communes)
    small = [units_make("98", "Tỉnh Nhỏ", SMALL_COMMUNES, 2, 95000)]
    written = aggregates_store([*country, *small], rng)
    results += results_store([*country, *small], admin, rng)
    analyze()
    pagecache.bump("site")  # the rows were copied, past the models' signals
    country_communes = sum(len(rows) for _p, rows in country)
    print(
        f"\n2. Country: {COUNTRY_PROVINCES} provinces, {country_communes:,} communes, and a province of "
        f"{SMALL_COMMUNES} communes, written as the dashboards' aggregates: {written['months']:,} commune-months, "
        f"{written['categories']:,} category-months, {written['dossiers']:,} months of dossier statistics "
        f"in {written['generated']:.1f} s\n"
        f"Scoring results: {results:,} assessments ({YEAR - 1} final, {YEAR} provisional); "
        f"the database holds {CommuneMonth.objects.count():,} commune-months; "
        f"data written in {time.perf_counter() - started:.0f} s"
    )
    country_province, country_rows = max(country, key=lambda item: len(item[1]))
    small_province, small_rows = small[0]
    return [
        scale_paths(f"{len(small_rows)} communes", small_province, small_rows[len(small_rows) // 2]),
        scale_paths(f"province, {len(communes)} communes", province, communes[len(communes) // 2]),
        scale_paths(f"country, {len(country_rows)} communes", country_province, country_rows[len(country_rows) // 2]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller data to try the bench (100,000 responses)")
    parser.add_argument("--responses", type=int, help="the province's survey responses (default 2,000,000)")
    parser.add_argument("--feedback", type=int, help="the province's feedback items (default 100,000)")
    parser.add_argument("--country-communes", type=int, help="the country's communes (default 3,321)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per line under wrk (default 10)")
    parser.add_argument("--connections", type=int, default=4, help="wrk's connections (default 4)")
    parser.add_argument("--runs", type=int, default=20, help="in-process renders per timing (default 20)")
    args = parser.parse_args()
    for name, value in SIZES["quick" if args.quick else "full"].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if not shutil.which("wrk"):
        fail("wrk is needed: apt-get install wrk")
    cache = redis_url()
    if cache is None:
        fail(f"this benchmark needs Redis (the page cache): set REDIS_URL (default {DEFAULT_REDIS_URL})")

    # `timeout` and Ctrl-C end the run through throwaway_django's way out, which drops the database.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    # The generator's statements (700,000 responses in one) run past the portal's 10 s statement timeout;
    # the gunicorn below has it back.
    environment = {"REDIS_URL": cache, "PAGE_CACHE": "1", "DATABASE_STATEMENT_TIMEOUT": "0"}
    with throwaway_django("portal_bench_dashboards", **environment) as (name, workdir):
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections

        began = time.perf_counter()
        print(
            "Dashboards: the province and commune dashboards read maintained aggregates; target p95 ≤ "
            f"{TARGET_MS:.0f} ms under load and a number of queries that does not grow with communes.\n"
            f"Sizes: a province of {PROVINCE_COMMUNES} communes with {args.responses:,} survey responses and "
            f"{args.feedback:,} feedback items in {YEAR}; a country of {args.country_communes:,} communes in "
            f"{COUNTRY_PROVINCES} provinces as aggregates; pages over {PERIOD[1:].replace('&', ' ')}."
        )
        database_migrate(name)
        call_command("collectstatic", interactive=False, verbosity=0)  # the pages name their hashed files
        admin = get_user_model().objects.create(email="bench-dashboards@example.invalid", is_superuser=True)
        scales = data_build(args, admin)
        equal = report_queries(scales, args.runs)

        connections.close_all()  # gunicorn's workers open their own
        del os.environ["DATABASE_STATEMENT_TIMEOUT"]
        server, port = gunicorn_start(workdir, GUNICORN)
        try:
            load_average = " ".join(f"{value:.1f}" for value in os.getloadavg())
            print(
                f"\n4. Through gunicorn {' '.join(GUNICORN)} on {os.cpu_count()} cores (load average {load_average}), "
                f"page cache in Redis {cache}; wrk -t{min(2, args.connections)} -c{args.connections}, "
                f"{args.seconds} s a line"
            )
            print(COLUMNS)
            lines = Lines(port, args, workdir)
            lines.load("bare view (baseline)", "/bench/bare")
            for scale in scales[1:]:
                lines.scale(scale)
        finally:
            gunicorn_stop(server)
        print(f"\nqueries: {'equal at every scale' if equal else 'NOT equal'}")
        print(f"p95 ≤ {TARGET_MS:.0f} ms: {'met by every line' if not lines.failed else 'missed by'}")
        for label in lines.failed:
            print(f"  {label}")
        print(f"whole benchmark: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
