"""Loaded with ``-p`` before Django starts: the test run's environment, never production's.

Settings read only environment variables, so tests set them here; an operator's DATABASE_URL or
CELERY_BROKER_URL set outside wins, so the same suite runs on SQLite and on PostgreSQL + Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["DEBUG"] = "0"
# The test client and the live server speak plain HTTP.
os.environ["HTTPS"] = "0"
