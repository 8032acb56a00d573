# The portal's commands. `make` alone lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Commands that only need Django loaded (checks, static files) run with throw-away settings.
CHECK_ENV := SECRET_KEY=build-only ALLOWED_HOSTS=localhost

.DEFAULT_GOAL := help
.PHONY: help run setup test lint fmt messages schema bench clean

help: ## List the commands
	@echo "Chính quyền thân thiện · friendly-government portal"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "Python 3.12 or newer is needed (found $$($(PYTHON) --version 2>&1)). Install it, or run: make PYTHON=python3.12 run"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.installed: requirements.txt $(VENV)/.python-ok
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed ## Install, migrate, compile messages, collect static, load units and demo accounts
	@$(PY) bin/check_system_libs.py
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) compile_translations
	DEBUG=1 $(MANAGE) collectstatic --noinput --verbosity 0
	DEBUG=1 $(MANAGE) setup_demo

run: setup ## Start the portal on http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops all)
	DEBUG=1 DEMO_DATA=1 $(MANAGE) run_embedded

test: $(VENV)/.installed-dev ## Lint, check migrations, run the test suite on every core (DATABASE_URL, CELERY_BROKER_URL if set)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(CHECK_ENV) $(MANAGE) makemigrations --check --dry-run
	$(CHECK_ENV) $(MANAGE) compile_translations
	$(CHECK_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(PY) -m pytest -n auto

lint: $(VENV)/.installed-dev ## Ruff and the migrations check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(CHECK_ENV) $(MANAGE) makemigrations --check --dry-run

fmt: $(VENV)/.installed-dev ## Format and fix what ruff can
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(VENV)/.installed-dev ## Extract strings into locale/*/django.po (needs GNU gettext) and compile them
	$(CHECK_ENV) $(MANAGE) makemessages --locale vi --locale en --no-obsolete --add-location file --ignore '.venv/*' --ignore 'var/*'
	$(CHECK_ENV) $(MANAGE) compile_translations

schema: $(VENV)/.installed ## Write the API's OpenAPI schema to docs/openapi.yaml (commit it: a test compares)
	$(CHECK_ENV) $(MANAGE) spectacular --validate --fail-on-warn --lang en --file docs/openapi.yaml

bench: $(VENV)/.installed-dev ## Benchmarks, each beside a baseline measured in the same run (PostgreSQL: DATABASE_URL; Redis and wrk for the pages)
	$(PY) bench/run.py
	$(PY) bench/pages.py
	$(PY) bench/surveys.py
	$(PY) bench/scoring.py
	$(PY) bench/certificates.py
	$(PY) bench/api.py
	$(PY) bench/dashboards.py

clean: ## Remove the local database, broker queue, static and media files (var/)
	rm -rf var
