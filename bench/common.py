"""What the PostgreSQL benchmarks (bench/surveys.py, bench/scoring.py) share: ending a run with its reason,
timing, the throw-away database and Django set up against it, plausible survey answers, and writing
generated rows fast.

The scripts run as files, so each puts the repository first on sys.path before it imports this module
(bench/surveys.py and bench/scoring.py must not stand for the surveys and scoring apps).
"""

import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
# The portal's WSGI application with bench/urls.py (the bare views beside the portal's own).
APP = "bench.wsgi:application"


def fail(message: str) -> None:
    """End the run with ``message``, named after the script that runs."""
    print(f"bench/{Path(sys.argv[0]).name}: {message}", file=sys.stderr)
    sys.exit(2)


def timed(function, runs: int = 3, before=None) -> list[float]:
    """Wall times of ``runs`` calls; ``before`` runs untimed ahead of each."""
    timings = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return timings


# --- Services -------------------------------------------------------------------------------------


def redis_url() -> str | None:
    """REDIS_URL (default DEFAULT_REDIS_URL) if a Redis answers there, else None."""
    import redis

    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except (redis.RedisError, OSError):
        return None
    return url


def gunicorn_start(workdir: str, options: list[str]) -> tuple[subprocess.Popen, int]:
    """gunicorn serving APP on a free port with ``options``, once its bare view answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(f"{workdir}/gunicorn.log", "w")  # noqa: SIM115  (closed with the process)
    command = [str(ROOT / ".venv/bin/gunicorn"), APP, "-b", f"127.0.0.1:{port}", "--backlog", "2048", *options]
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/bench/bare")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    log.close()
    fail("gunicorn did not start:\n" + Path(f"{workdir}/gunicorn.log").read_text()[-3000:])


def gunicorn_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# --- The throw-away database ----------------------------------------------------------------------


def server_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        fail(
            f"this benchmark needs PostgreSQL, and DATABASE_URL is {url.split(':')[0]}:…\n"
            f"Set DATABASE_URL to a PostgreSQL server, e.g. {DEFAULT_DATABASE_URL}"
        )
    return url


def admin_connect(url: str):
    """A connection to the server's maintenance database, to create and drop the throw-away one."""
    import psycopg

    parts = urlsplit(url)
    try:
        return psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )
    except psycopg.OperationalError as error:
        fail(
            f"cannot connect to PostgreSQL at {parts.hostname}:{parts.port or 5432} ({str(error).strip()}).\n"
            "Start it, or point DATABASE_URL at one, e.g. "
            f"DATABASE_URL={DEFAULT_DATABASE_URL} make bench"
        )


@contextlib.contextmanager
def throwaway_django(prefix: str, **environment: str) -> Iterator[tuple[str, str]]:
    """Django set up against a new database ``<prefix>_<pid>`` on the DATABASE_URL server, with a new
    working directory as VAR_DIR; yields both names. On the way out, however the run ends, the
    connections are closed, the database is dropped and the directory removed. ``environment`` adds
    to the settings' variables."""
    url = server_url()
    admin = admin_connect(url)
    name = f"{prefix}_{os.getpid()}"
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # noqa: BLE001  (any refusal ends the run with its reason)
        fail(f"could not create the throw-away database {name}: {error}")
    workdir = tempfile.mkdtemp(prefix="portal-bench-")
    os.makedirs(f"{workdir}/static")  # WhiteNoise expects STATIC_ROOT to exist
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY=secrets.token_urlsafe(32),  # a new key: burst counters of an earlier run do not count
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
        HTTPS="0",
        DATABASE_URL=urlsplit(url)._replace(path=f"/{name}").geturl(),
        VAR_DIR=workdir,
        LOG_LEVEL="WARNING",
        **environment,
    )
    try:
        import django

        django.setup()
        yield name, workdir
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110  (Django may not have started; the drop below still runs)
            pass
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(workdir, ignore_errors=True)


def database_migrate(name: str) -> None:
    """The portal's tables in the new database, then a line on what the run measures on."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    load_average = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"PostgreSQL {version}, {os.cpu_count()} cores (load average {load_average}), database {name}")


# --- Generated data ---------------------------------------------------------------------------------


def units_make(code: str, name: str, communes: int, districts: int, first_code: int):
    from communes.models import Commune, District, DivisionType, Province
    from core.text import fold

    province = Province.objects.create(code=code, name=name, division_type=DivisionType.PROVINCE)
    district_rows = District.objects.bulk_create(
        District(
            code=f"{code[-1]}{index:02d}",
            name=f"{name} {index + 1}",
            search_name=fold(f"{name} {index + 1}"),
            division_type=DivisionType.RURAL_DISTRICT,
            province=province,
        )
        for index in range(districts)
    )
    rows = Commune.objects.bulk_create(
        (
            Commune(
                code=f"{first_code + index:05d}",
                name=f"{name} xã {index + 1}",
                search_name=fold(f"{name} xa {index + 1}"),
                division_type=DivisionType.COMMUNE,
                province=province,
                district=district_rows[index % districts] if districts else None,
            )
            for index in range(communes)
        ),
        batch_size=2000,
    )
    return province, rows


# Survey responses as the database writes them fast: row i of generate_series(first, last), seven in ten
# by kiosk and the rest by link, spread over the communes in turn; ``day`` is the SQL of the day it was
# submitted and ``scores`` that of the eight factor slots.
RESPONSES = """
INSERT INTO surveys_response (
    campaign_id, commune_id, channel, submitted_on, language, answers, comment, comment_redacted,
    comment_reviewed, visit_code_id, kiosk_id, client_id, device, content_hash, flags, burst, excluded,
    exclusion_reason, excluded_by_id,
    score_0, score_1, score_2, score_3, score_4, score_5, score_6, score_7
)
SELECT
    %(campaign)s,
    (%(communes)s::int[])[1 + i %% %(commune_count)s],
    CASE WHEN i %% 10 < 7 THEN 'kiosk' ELSE 'link' END,
    {day},
    'vi', %(answers)s::jsonb, '', '', false, NULL,
    CASE WHEN i %% 10 < 7 THEN (%(kiosks)s::int[])[1 + i %% %(commune_count)s] END,
    -- ids in insertion order: the unique indexes grow at their end, and the rows come in fast
    CASE WHEN i %% 10 < 7 THEN ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid END,
    CASE WHEN i %% 10 < 7 THEN '' ELSE lpad(to_hex(i), 32, '0') END,
    encode(sha256(i::text::bytea), 'hex'), '', '', false, '', NULL,
    {scores}
FROM generate_series(%(first)s, %(last)s) AS i
"""


def random_answers(structure, rng: random.Random) -> dict:
    """A plausible complete answer to the questionnaire, as the kiosk's script sends it."""
    from surveys.models import NOT_APPLICABLE, Question

    answers = {}
    leaning = rng.choice([2, 3, 4, 4, 5])  # a respondent's general mood, so answers are not uniform noise
    for question in structure.questions:
        if question.kind == Question.Kind.SCALE:
            value = max(1, min(5, leaning + rng.choice([-1, 0, 0, 1])))
            answers[question.code] = NOT_APPLICABLE if question.allows_na and rng.random() < 0.05 else value
        elif question.kind == Question.Kind.SINGLE:
            answers[question.code] = str(rng.choice(question.options)["value"])
        elif question.kind == Question.Kind.MULTIPLE:
            values = [str(option["value"]) for option in question.options]
            answers[question.code] = rng.sample(values, min(len(values), question.max_choices or 2, 2))
        elif question.kind == Question.Kind.NUMBER:
            answers[question.code] = rng.randint(0, 3)
        elif rng.random() < 0.1:
            answers[question.code] = "Cán bộ hướng dẫn tận tình, nhưng phải chờ hơi lâu."
    return answers


def copy_rows(model, rows) -> int:
    """COPY ``rows`` (dicts by attribute name; fields left out take their default) into ``model``'s table."""
    from django.db import connection
    from django.db.models import JSONField

    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields}
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = defaults | row
            copy.write_row(
                [json.dumps(values[f.attname]) if isinstance(f, JSONField) else values[f.attname] for f in fields]
            )
            written += 1
    return written


def fast_inserts() -> None:
    """For the generator's session: no wait on the log at commit and, as a superuser, no foreign-key
    triggers (every id it writes exists by construction)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET session_replication_role = replica")


def normal_inserts() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET synchronous_commit = on")


def vacuum(*models) -> None:
    """What autovacuum would have done by the time a year's data is in."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def analyze() -> None:
    """Fresh planner statistics for every table, as autovacuum keeps them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
