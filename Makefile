# Two commands for people: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
.DEFAULT_GOAL := run
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test install lint types security db lock check-python bench bench-growth backup restore load reliability messages

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null || { \
	  echo "error: Python 3.11 is needed; found '$(PYTHON)'. Install python3.11 or run: make run PYTHON=/path/to/python3.11"; exit 1; }

# Reinstalls only when requirements.lock changes, so a second `make run` starts in seconds.
$(INSTALLED): requirements.lock | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

install: $(INSTALLED)

run: install
	@$(PY) -m program.devserver

db: install
	@if [ -z "$$DATABASE_URL" ]; then $(PY) -m program.devdb start; fi

lint: install
	ruff check .
	ruff format --check .
	djlint templates --lint

types: install
	mypy .

# Known-vulnerable dependencies (pip-audit) and insecure code (bandit, medium and up). A finding
# fails unless security/exceptions.toml accepts it with a reason and an expiry date.
security: install
	$(PY) scripts/security-scan

# The suite's test databases are copies of one migrated template (tests/template_db.py), built
# here while the lint, type and security checks run: migrating costs about 90 s of one core and
# the checks leave the other free. Without a template that matches, the suite migrates its own.
test: install db
	@mkdir -p var; DJANGO_ENV=test $(PY) scripts/test-template-db > var/test-template.log 2>&1 & builder=$$!; \
	  $(MAKE) --no-print-directory lint types security; checks=$$?; \
	  wait $$builder || echo "note: no test template (var/test-template.log); the suite migrates"; \
	  exit $$checks
	@bash scripts/ensure-chromium
	@bash scripts/ensure-gettext
	DJANGO_ENV=test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=test DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n 2 --dist loadgroup \
	  -m "not reliability" $(PYTEST_ARGS)

# The long fault drills (tests marked `reliability`, README "Fault drills"): a Celery worker
# killed in the nightly sweep, Redis down and back empty, PostgreSQL restarted under load. Each
# starts its own private servers (Redis, a PostgreSQL cluster, gunicorn, Celery workers) and
# stops them even when it fails or is interrupted; about four minutes on a busy machine. Needs
# the same PostgreSQL as `make test` (for the test database). .ci/run runs it after `make test`.
reliability: install db
	DJANGO_ENV=test DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -p no:xdist -m reliability -s \
	  tests/reliability $(PYTEST_ARGS)

# The Danish and Albanian catalogues (docs/i18n.md): add the strings the code has gained to locale/da/.../django.po
# and drops the ones it has lost, then compiles the .mo Django reads. Translate the new entries
# (empty msgstr) and run it again; tests/i18n fails while any entry is untranslated.
messages: install
	@bash scripts/ensure-gettext
	DJANGO_ENV=test $(PY) manage.py makemessages -l da -l sq
	$(PY) scripts/compile_messages.py

# Rewrites requirements.lock from pyproject.toml (only PyPI, with hashes).
lock: install
	PIP_CONFIG_FILE=/dev/null $(PY) -m piptools compile --quiet --extra dev --generate-hashes \
	  --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	  -o requirements.lock pyproject.toml

# The benchmark at national scale (README, "Benchmark"): seeds or reuses the scratch database
# <app db>_bench_$(SCALE) beside the app's own (only one it created), measures against the floor, prints
# each budget's verdict and writes bench/results/. Not in `make test`.
SCALE ?= 100000
RUNS ?= 30
BATCH_RUNS ?= 3
bench: install db
	@$(PY) -m bench.run --scale $(SCALE) --runs $(RUNS) --batch-runs $(BATCH_RUNS) $(BENCH_ARGS)

# The same at 10,000, 100,000 and 300,000 inmates, then how each figure grows (seeding 300,000
# the first time takes a while).
SCALES ?= 10000,100000,300000
bench-growth: install db
	@$(PY) -m bench.run --growth $(SCALES) --runs $(RUNS) --batch-runs $(BATCH_RUNS) $(BENCH_ARGS)

# A custom-format dump of the app database (DATABASE_URL, or the development cluster) in
# var/backups/<UTC time>.dump. Not part of `make test` (tests/reliability/test_backup_restore.py is).
backup: install db
	@$(PY) scripts/backup.py backup

# Restores a dump into a new database, never over an existing one unless REPLACE=1:
#   make restore DUMP=var/backups/<time>.dump INTO=program_restored
restore: install db
	@test -n "$(DUMP)" -a -n "$(INTO)" || { \
	  echo "usage: make restore DUMP=var/backups/<time>.dump INTO=<new database> [REPLACE=1]"; exit 2; }
	@$(PY) scripts/backup.py restore "$(DUMP)" --into "$(INTO)" $(if $(REPLACE),--replace)

# 40 Locust users (caseworkers, occupancy administrators, finance staff) against gunicorn on the
# demo data for 60 s; prints requests/s, p50, p95, p99 and failures per group. LOAD_ARGS=--help.
load: install db
	@$(PY) manage.py migrate --no-input -v 0 && $(PY) manage.py load_demo > /dev/null
	@$(PY) scripts/load.py $(LOAD_ARGS)
