# The two commands of the README: `make up` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 0.0.0.0
PORT ?= 8000

.PHONY: up test lint typecheck fmt messages test-deps bench load clean-data help

help:
	@echo "make up       bootstrap, migrate, prepare template and demo regions, serve on :$(PORT)"
	@echo "make test     bootstrap, then the whole test suite (real PostgreSQL, Chromium)"
	@echo "make lint     ruff and mypy"
	@echo "make bench    the benchmarks in bench/ (figures and ratios printed)"
	@echo "make load     50 users across 20 regions for 60 s (locust), then every write checked"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

messages: $(STAMP)
	@for po in $$(find locale -name '*.po'); do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done

# Debian's Chromium drives the browser tests (Playwright cannot download its own here),
# Debian's redis-server lets the Celery test start a broker where none runs already, and
# Debian's pgbouncer shows why transaction pooling is refused (tests/test_pgbouncer.py).
test-deps:
	@command -v chromium >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    apt-get install -y -qq chromium redis-server >/dev/null; \
	  else echo "install Debian's packages chromium and redis-server (the tests need them)" >&2; \
	    exit 1; fi; }
	@[ -x /usr/sbin/pgbouncer ] || command -v pgbouncer >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    apt-get install -y -qq pgbouncer >/dev/null; \
	  else echo "pgbouncer missing: tests/test_pgbouncer.py will be skipped" >&2; fi; }

up: $(STAMP) messages
	SITE_PORT=$${SITE_PORT:-$(PORT)} $(PY) -m saas.devdb run -- sh -c '$(PY) manage.py platform_prepare --demo && \
	  $(PY) manage.py collectstatic --noinput -v 0 && \
	  $(PY) manage.py runserver $(HOST):$(PORT)'

test: $(STAMP) messages test-deps
	$(PY) -m saas.devdb run -- $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=postgres://mypy-does-not-connect/none $(VENV)/bin/mypy .

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	$(PY) -m saas.devdb run -- sh -c 'for b in bench/*.py; do $(PY) $$b || exit 1; done'

# Not in `make test`: a scratch database, 20 regions, gunicorn and locust on loopback (~3 min).
load: $(STAMP)
	$(PY) -m saas.devdb run -- $(PY) load/run.py $(LOAD_ARGS)

clean-data:
	$(PY) -m saas.devdb stop
	rm -rf .data
