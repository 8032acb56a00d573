"""The demo's records (those `make run` shows) for the browser tests, built once per test process.

Building them takes about 20 s (the units of two provinces, a year of feedback, the surveys, two scoring
cycles with sealed certificates); each test that asks for them used to pay it. Now the first such test in
a process builds them and keeps a copy of every table (SQLite: a copy of the in-memory database through
its backup API; PostgreSQL: a copy of each table in a schema of its own, in the same database); every such
test then starts from that copy, put back in well under a second. Those tests are transactional: when
each ends, pytest-django empties every table, so the process's other tests see nothing of the demo.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import translation

from demo.accounts import DemoAccount, demo_accounts_ensure
from demo.communes import communes_demo_ensure
from demo.democracy import democracy_demo_ensure
from demo.feedback import feedback_demo_ensure
from demo.participation import participation_demo_ensure
from demo.scoring import scoring_demo_ensure
from demo.surveys import surveys_demo_ensure
from portal.celery import app
from surveys.selectors import memory_clear
from tests.conftest import DEMO_PASSWORD, real_units_load


def dashboards_demo_refresh() -> None:
    """The dashboards' monthly figures of the demo's years, as `manage.py setup_demo` rebuilds them last."""
    call_command("refresh_dashboards", since="2023-01", stdout=io.StringIO())


# What the demo is made of, in the order `manage.py setup_demo` makes it (after the units and accounts).
# A new part of the demo a browser test needs joins this list; every test using `demo` then has it.
DEMO_BUILDERS = (
    communes_demo_ensure,
    democracy_demo_ensure,
    participation_demo_ensure,
    feedback_demo_ensure,
    surveys_demo_ensure,
    scoring_demo_ensure,
    dashboards_demo_refresh,
)

SNAPSHOT_SCHEMA = "e2e_demo_snapshot"


@dataclass
class Demo:
    """The built demo: its accounts by role (all with DEMO_PASSWORD), its files, its tables' copy."""

    accounts: dict[str, DemoAccount]
    media: Path
    snapshot: SqliteSnapshot | PostgresSnapshot

    def restore(self, media_root: Path) -> None:
        """The demo's tables as they were built, and a copy of its files under media_root."""
        if self.media.exists():
            shutil.copytree(self.media, media_root, dirs_exist_ok=True)
        self.snapshot.restore()
        # Both caches hold rows by id; the ids are the demo's again, not those of the test before.
        ContentType.objects.clear_cache()
        memory_clear()


def demo_build(media: Path) -> Demo:
    """The demo in the test database, as the session's first test that needs it finds it; then its copy.

    Run outside any test, so it sets what the function-scoped fixtures would: the cheap password hasher
    (the accounts' hashes must be checkable by the tests' hasher), tasks run eagerly (the certificates are
    sealed here, before any browser: sealing runs an event loop of its own, which Playwright's would
    refuse), the default language, the files under their own folder."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with (
            override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
            translation.override(settings.LANGUAGE_CODE),
        ):
            real_units_load()
            accounts = {account.role: account for account in demo_accounts_ensure(password=DEMO_PASSWORD)}
            for build in DEMO_BUILDERS:
                build()
    finally:
        app.conf.task_always_eager = previous
    snapshot = PostgresSnapshot() if connection.vendor == "postgresql" else SqliteSnapshot()
    snapshot.take()
    return Demo(accounts=accounts, media=media, snapshot=snapshot)


def tables_empty() -> None:
    """Every table emptied, as pytest-django does after a transactional test (without post_migrate's
    content types: the next test's flush or restore brings them back)."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(sql)


class SqliteSnapshot:
    """The whole database, schema and data, copied page by page to a second in-memory database and back."""

    def __init__(self) -> None:
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)

    def take(self) -> None:
        connection.ensure_connection()
        connection.connection.backup(self.copy)

    def restore(self) -> None:
        connection.ensure_connection()
        self.copy.backup(connection.connection)

    def drop(self) -> None:
        self.copy.close()


class PostgresSnapshot:
    """Each table copied into a schema outside the search path (so Django's introspection, its flush and
    the tests never see it); put back in one transaction, the sequences then set past the largest ids.
    Table, column and sequence names come from the database's own catalogue, quoted."""

    def __init__(self) -> None:
        self.columns: dict[str, str] = {}

    def take(self) -> None:
        quote = connection.ops.quote_name
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
            # Generated columns cannot be written: only the others are copied back.
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY ordinal_position"
            )
            columns: dict[str, list[str]] = {}
            for table, column in cursor.fetchall():
                columns.setdefault(table, []).append(quote(column))
            for table in tables:
                cursor.execute(f"CREATE TABLE {SNAPSHOT_SCHEMA}.{quote(table)} AS TABLE {quote(table)}")
                self.columns[table] = ", ".join(columns[table])

    def restore(self) -> None:
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            # Django's foreign keys are checked at commit: the tables may be filled in any order.
            for sql in connection.ops.sql_flush(no_style(), list(self.columns), allow_cascade=True):
                cursor.execute(sql)
            for table, columns in self.columns.items():
                source = f"{SNAPSHOT_SCHEMA}.{quote(table)}"
                cursor.execute(f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM {source}")  # noqa: S608
            for sequence in connection.introspection.sequence_list():
                column, table = quote(sequence["column"]), quote(sequence["table"])
                past = f"SELECT setval(%s, COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {table}"  # noqa: S608
                cursor.execute(past, [sequence["name"]])

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
