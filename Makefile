# DGK Tracker: the front door. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run serve test lint format messages compilemessages migrate demo clean bench loadtest venv

# Create the virtualenv with the newest Python 3.12+ found (scripts/find-python says why not).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || { interp=$$(scripts/find-python) && "$$interp" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

# gettext's msgfmt compiles the translations; install it where it is missing and we may.
compilemessages: venv
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq gettext >/dev/null; } \
	  || { echo "msgfmt not found: install gettext (apt-get install gettext)"; exit 1; }
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq fonts-dejavu-core >/dev/null; } \
	  || echo "The PDF statement needs Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core) or PDF_FONT"
	$(MANAGE) compilemessages --ignore=$(VENV) -v 0

migrate: venv
	$(MANAGE) migrate --noinput -v 0

demo: migrate
	$(MANAGE) seed_demo

## Start the portal with demo data on SQLite (or DATABASE_URL) at http://127.0.0.1:$(PORT)/
# The background worker (notices, imports) runs beside the server and stops with it.
run: compilemessages demo
	$(MANAGE) run_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## Serve with gunicorn and production settings, as the container does (DATABASE_URL or SQLite)
SERVE_ENV = DJANGO_SETTINGS_MODULE=dgk_tracker.settings.production \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-local-serve-only-not-secret} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-false} \
	DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-false} \
	EMAIL_URL=$${EMAIL_URL:-consolemail://} SMS_URL=$${SMS_URL:-console://} TRUSTED_PROXY_COUNT=$${TRUSTED_PROXY_COUNT:-0} \
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)}
serve: compilemessages
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v 0
	$(SERVE_ENV) $(MANAGE) migrate --noinput -v 0
	$(SERVE_ENV) $(MANAGE) run_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(SERVE_ENV) PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py dgk_tracker.wsgi:application

## Run the whole test suite (SQLite unless DATABASE_URL is set)
test: compilemessages
	$(MANAGE) makemigrations --check --dry-run -v 0 || { echo "Model changes without a migration"; exit 1; }
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pytest

## The linter, the formatter's check and the architecture contracts (pyproject.toml)
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Extract new strings into locale/*/LC_MESSAGES/django.po
messages: venv
	$(MANAGE) makemessages --all --no-location --ignore=$(VENV) --ignore=tests

clean:
	rm -rf $(VENV) .pytest_cache db.sqlite3

## Benchmarks (not part of make test): Call Centre search and reports over 1,000,000 letters, a 100,000-row import
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dgk_bench
bench: venv
	@psql "$(dir $(BENCH_DATABASE_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(BENCH_DATABASE_URL))'" | grep -q 1 \
	  || psql "$(dir $(BENCH_DATABASE_URL))postgres" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/callcentre_search.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/reports_page.py
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/throughput.py
	@psql "$(dir $(BENCH_DATABASE_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(BENCH_DATABASE_URL))_import'" | grep -q 1 \
	  || psql "$(dir $(BENCH_DATABASE_URL))postgres" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))_import"
	DATABASE_URL=$(BENCH_DATABASE_URL)_import $(PY) benchmarks/import_letters.py
	@psql "$(dir $(BENCH_DATABASE_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(BENCH_DATABASE_URL))_notices'" | grep -q 1 \
	  || psql "$(dir $(BENCH_DATABASE_URL))postgres" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))_notices"
	DATABASE_URL=$(BENCH_DATABASE_URL)_notices $(PY) benchmarks/notices.py

## Fault and load test (not part of make test): stops and restarts this machine's PostgreSQL
loadtest: compilemessages
	$(PY) benchmarks/loadtest.py
