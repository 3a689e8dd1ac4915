# Social Cohesion Forum — `make run` serves the demo site, `make test` runs the whole suite.
SHELL := /bin/bash
# the first Python 3.11+ that actually runs (pyenv shims may exist for versions that are not active)
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FLASK := $(BIN)/flask --app forum
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench lint translations compile-translations demo clean

$(INSTALLED): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: install it, or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,production]'
	@touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(INSTALLED)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ -l $*

compile-translations: $(MO)

## run: install, compile catalogs, migrate the SQLite database in instance/, load demo data, serve with live updates
run: $(INSTALLED) compile-translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host $(HOST) --port $(PORT)

## test: install, compile catalogs and run the whole suite (browser tests run when Chromium is installed)
test: $(INSTALLED) compile-translations
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: seed a 1,000-post thread, measure thread pages and live delivery (1 process; 2 with Redis when it
## answers), then a burst of event registrations, search over 100,000 posts and the indicators pages (SQLite;
## PostgreSQL when it answers); write the figures to docs/benchmarks.md (FORUM_BENCH_DATABASE_URL / FORUM_BENCH_REDIS_URL to change)
bench: $(INSTALLED) compile-translations
	$(BIN)/python -m tests.bench.bench_threads --output docs/benchmarks.md $(BENCH_ARGS)
	$(BIN)/python -m tests.bench.bench_events docs/benchmarks.md
	$(BIN)/python -m tests.bench.bench_search docs/benchmarks.md
	$(BIN)/python -m tests.bench.bench_indicators docs/benchmarks.md

lint: $(INSTALLED)
	$(BIN)/ruff check forum tests

## translations: extract marked strings, update both catalogs (English filled from the source strings)
translations: $(INSTALLED)
	$(FLASK) translations update

clean:
	rm -rf $(VENV) .pytest_cache translations/*/LC_MESSAGES/*.mo
