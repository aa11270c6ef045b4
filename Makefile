# The commands people run. Everything goes through the project's own virtualenv in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in mail, feeds and the sitemap point at the port the site really runs on.
SITE_URL ?= http://127.0.0.1:$(PORT)
DEV_ENV := DEBUG=1 SITE_URL=$(SITE_URL)

.PHONY: run test test-production lint format bench relevance

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py seed_demo_newsletter
	@echo
	@echo "  Site:  http://127.0.0.1:$(PORT)/"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/  (user: admin, password: admin)"
	@echo
	@echo "  The task worker runs beside the server; Ctrl+C stops both."
	@echo
	$(DEV_ENV) $(BIN)/python manage.py run_site 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Only the production tier: DEBUG off, collectstatic, gunicorn and nginx from deploy/, Chromium.
test-production: $(VENV)/.installed-dev
	$(BIN)/pytest tests/production $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# wrk, from Debian, loads the pages; BENCH names benchmarks to run (e.g. BENCH="load fault").
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py $(BENCH)

# Judged reader queries on the demo content, scored on SQLite and PostgreSQL (search/relevance.py).
relevance: $(VENV)/.installed-dev
	$(BIN)/python bench/relevance.py
