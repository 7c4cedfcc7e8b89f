# Convene: `make run` starts the demo site, `make test` runs every check on real services.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
# Where `make run` serves the demo (e.g. `make run HOST=0.0.0.0 PORT=8080`); it prints this address.
HOST ?= 127.0.0.1
PORT ?= 8000
# Production-like settings for `check --deploy`; the values are placeholders, not secrets.
DEPLOY_ENV := DJANGO_ENV=production SECRET_KEY=check-deploy-$(shell date +%s)-a8f3k2l9q0w7e6r5t4y3u2i1o0p9z8x7c6v5 \
	ALLOWED_HOSTS=convene.example.org EMAIL_HOST=smtp.example.org SITE_URL=https://convene.example.org

# A Python >= 3.12: on PATH, else one of pyenv's versions (which need not be on PATH).
FIND_PYTHON := for p in python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.1[3-9]*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 \
	$$(command -v pyenv >/dev/null && echo $$(pyenv root)/versions/3.1[2-9]*/bin/python3); do \
	  if [ -x "$$(command -v $$p 2>/dev/null)" ] && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$p; break; fi; done

.PHONY: help
help:
	@echo "make run    install everything, seed demo data, start http://$(HOST):$(PORT)"
	@echo "make test   lint, checks and the whole test suite on throwaway PostgreSQL and Redis"
	@echo "make lint   ruff check, format check and mypy (django-stubs)"
	@echo "make bench  the benchmarks (see docs/benchmarks.md)"
	@echo "make prod-local  the production shape (nginx, gunicorn, 2 uvicorn, Celery) at https://127.0.0.1:8443"
	@echo "make loadtest    200 simulated members for 3 minutes against prod-local (docs/benchmarks.md)"
	@echo "make soak        30 minutes at a lower rate with socket churn; memory and connections"
	@echo "make drills      fault drills against prod-local (PostgreSQL, Redis, servers killed, mail refused)"

$(VENV)/.installed: requirements.lock package.json
	@python=$$($(FIND_PYTHON)); \
	if [ -z "$$python" ]; then echo "Convene needs Python 3.12 or newer. Install it (Debian: apt-get install python3.12, or 'pyenv install 3.12') and run make again." >&2; exit 1; fi; \
	echo "Using $$python"; [ -x $(PY) ] || $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@command -v npm >/dev/null || { echo "npm is needed for the U.S. Web Design System files: install nodejs and npm." >&2; exit 1; }
	npm install --no-audit --no-fund --silent
	touch $@

.PHONY: install
install: $(VENV)/.installed

.PHONY: run
run: install
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_events_demo
	@site="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	echo "Starting Convene at http://$(HOST):$(PORT) (Ctrl-C stops it); links in e-mail and calendars point at $$site."; \
	SITE_URL="$$site" exec $(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT)

# Debian packages the test suite needs; installed with apt when we are root.
.PHONY: test-tools
test-tools:
	@missing=""; command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "The tests need these Debian packages:$$missing. Install them (sudo apt-get install$$missing) and run make test again." >&2; exit 1; fi; fi

.PHONY: test
test: install test-tools
	$(PY) tests/services.py -- $(MAKE) --no-print-directory checks

# Runs inside tests/services.py, with DATABASE_URL and REDIS_URL pointing at the throwaway servers.
.PHONY: checks
checks: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest tests --ignore=tests/e2e -p no:cacheprovider
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest tests/e2e -p no:cacheprovider

.PHONY: lint
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

.PHONY: bench
bench: install test-tools
	$(PY) tests/services.py -- $(PY) bench/directory.py

.PHONY: lock
lock:
	rm -rf var/lockenv && $$($(FIND_PYTHON)) -m venv var/lockenv
	var/lockenv/bin/pip install --quiet --upgrade pip
	var/lockenv/bin/python -c 'import tomllib; d = tomllib.load(open("pyproject.toml", "rb")); print("\n".join(d["project"]["dependencies"] + d["dependency-groups"]["test"]))' > var/requirements.in
	var/lockenv/bin/pip install --quiet -r var/requirements.in
	{ echo "# Every package pinned; regenerate with 'make lock' after changing pyproject.toml."; var/lockenv/bin/pip freeze; } > requirements.lock

# The production shape on this machine, in the foreground until Ctrl-C (config/prod_local.py).
.PHONY: prod-local
prod-local: install prod-tools
	$(PY) config/prod_local.py start

# Debian packages the production shape needs besides the test tools.
.PHONY: prod-tools
prod-tools:
	@missing=""; [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing="$$missing nginx"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "make prod-local needs these Debian packages:$$missing. Install them (sudo apt-get install$$missing)." >&2; exit 1; fi; fi

# Benchmarks against a running `make prod-local` (in another terminal); last line is one JSON
# object, exit status 1 when a gate fails (bench/loadtest.py). USERS, DURATION and LOAD_HOST
# override (not HOST: that is where `make run` serves, and it came first).
USERS ?= 200
DURATION ?= 180
LOAD_HOST ?= https://127.0.0.1:8443
.PHONY: loadtest
loadtest: install
	$(PY) bench/loadtest.py --users $(USERS) --duration $(DURATION) --host $(LOAD_HOST)

# The soak: the load test's mix at about a quarter of its rate (40 members, 5-15 s between
# actions: ~4 requests a second, where the page workers served 11 on this 2-core machine when
# it was busy and 16 without queueing when it was quiet) for 30 minutes, sockets dropped every
# minute. It gates memory growth, PostgreSQL connections, errors and chat, not latency, so its
# rate stays well inside what the machine serves while other work shares it (docs/benchmarks.md).
SOAK_USERS ?= 40
SOAK_WAIT ?= 5,15
SOAK_DURATION ?= 1800
.PHONY: soak
soak: install
	$(PY) bench/loadtest.py --soak --users $(SOAK_USERS) --duration $(SOAK_DURATION) --host $(LOAD_HOST) --wait $(SOAK_WAIT) --churn 60

# Fault drills against a running `make prod-local`: PostgreSQL stopped 15 s, Redis stopped 30 s,
# a socket server and the page workers killed, the mail server refusing for a minute; each ends
# with "nothing lost" checked, mail included (several minutes: mail retries back off).
.PHONY: drills
drills: install
	$(PY) tests/load/drills.py
