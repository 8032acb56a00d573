"""Settings come from environment variables only; each case runs Django in a fresh process."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
from django.db.backends.postgresql.psycopg_any import is_psycopg3
print(json.dumps({
    "db": s.DATABASES["default"], "broker": s.CELERY_BROKER_URL, "backend": s.CELERY_RESULT_BACKEND,
    "cache": s.CACHES["default"]["BACKEND"], "debug": s.DEBUG, "psycopg3": is_psycopg3,
}, default=str))
"""


SETTINGS_VARIABLES = {
    "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "HTTPS", "DATABASE_URL", "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND", "REDIS_URL", "REDIS_KEY_PREFIX", "EMAIL_HOST", "VAR_DIR", "STATIC_ROOT",
    "MEDIA_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE",
}  # fmt: skip


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    # Start from the machine's environment less every variable the settings read (CI sets several).
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(**env: str) -> dict:
    result = run_django(PRINT_SETTINGS, SECRET_KEY="x", ALLOWED_HOSTS="x", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_startup_without_secret_key_or_allowed_hosts_stops_with_a_clear_message():
    result = run_django("import django; django.setup()", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr
    assert "README.md" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert settings_with()["debug"] is False
    assert settings_with(DEBUG="1")["debug"] is True


def test_default_database_is_sqlite_under_var_in_wal_mode(tmp_path):
    database = tmp_path / "portal.sqlite3"
    code = PRINT_SETTINGS + (
        "\nfrom django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
    )
    result = run_django(code, SECRET_KEY="x", ALLOWED_HOSTS="x", DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"
    default = settings_with()["db"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == str(settings.BASE_DIR / "var" / "portal.sqlite3")


def test_postgres_url_uses_psycopg3_with_health_checks():
    config = settings_with(DATABASE_URL="postgres://portal:secret@db.internal:5432/portal")
    assert config["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert config["db"]["HOST"] == "db.internal"
    assert config["db"]["CONN_HEALTH_CHECKS"] is True
    assert config["psycopg3"] is True


def test_default_broker_needs_no_server_and_redis_url_switches_the_cache():
    embedded = settings_with()
    assert embedded["broker"].startswith("filesystem://")
    assert embedded["backend"].startswith("file://")
    assert embedded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    production = settings_with(CELERY_BROKER_URL="redis://redis:6379/0", REDIS_URL="redis://redis:6379/1")
    assert production["broker"] == "redis://redis:6379/0"
    assert production["backend"] == "redis://redis:6379/0"
    assert production["cache"] == "core.cache.ResilientRedisCache"  # a Redis outage degrades, never raises


def test_a_redis_key_prefix_reaches_the_cache_the_broker_and_the_results():
    code = (
        "import json, django\ndjango.setup()\nfrom django.conf import settings as s\n"
        "print(json.dumps([s.CACHES['default']['KEY_PREFIX'], s.CELERY_BROKER_TRANSPORT_OPTIONS['global_keyprefix'],"
        " s.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS['global_keyprefix']]))"
    )
    redis = {"CELERY_BROKER_URL": "redis://redis:6379/0", "REDIS_URL": "redis://redis:6379/1"}
    result = run_django(code, SECRET_KEY="x", ALLOWED_HOSTS="x", REDIS_KEY_PREFIX="portal-a", **redis)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["portal-a", "portal-a:", "portal-a:"]


def test_check_deploy_with_production_variables_prints_no_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "congdichvu.example.vn",
            "HTTPS": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
            "EMAIL_HOST": "smtp.example.vn",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
