# Two commands for people: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
.DEFAULT_GOAL := run
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test install lint types db lock check-python bench

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

types: install
	mypy .

test: install lint types db
	@bash scripts/ensure-chromium
	DJANGO_ENV=test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=test DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Rewrites requirements.lock from pyproject.toml (only PyPI, with hashes).
lock: install
	PIP_CONFIG_FILE=/dev/null $(PY) -m piptools compile --quiet --extra dev --generate-hashes \
	  --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	  -o requirements.lock pyproject.toml

# Server time and query count of the busiest pages, on the development database with the demo
# (run `make run` once first) or on DATABASE_URL. Not part of `make test`.
bench: install db
	@$(PY) manage.py migrate --no-input -v 0 && $(PY) manage.py load_demo > /dev/null
	@$(PY) bench/pages.py $(RUNS)
