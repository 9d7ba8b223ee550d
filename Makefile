# Thin aliases; each target sets up what it needs from nothing.
VENV ?= .venv
PY := $(VENV)/bin/python
DHR := $(VENV)/bin/dhr
PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: setup demo serve test test-sqlite test-postgres lint format typecheck bench bench-reminders clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
	bash scripts/setup-system.sh

demo: export DHR_DATABASE_URL = sqlite:///$(CURDIR)/var/dhr-demo.sqlite3
demo: export DHR_BASE_URL = http://127.0.0.1:$(PORT)
demo: setup                 ## the main job on embedded SQLite (var/ of this checkout): seed a demo, print sign-ins, serve it
	mkdir -p var
	$(DHR) db upgrade
	$(DHR) demo
	$(DHR) serve --host 127.0.0.1 --port $(PORT)

serve: setup                ## the web app and API at http://127.0.0.1:8000 (embedded reminder scheduler without Redis)
	$(DHR) serve

test: test-sqlite test-postgres   ## the whole suite, on SQLite and then on PostgreSQL

# worksteal: an idle worker takes half of what the other has left. Under `load` the first worker keeps the first
# quarter of its share, which holds every long test (they are collected first), however long they run.
test-sqlite: setup
	$(PY) -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

test-postgres: setup
	DHR_TEST_DB=postgres $(PY) -m pytest -n 2 --dist worksteal -m "not single_db" $(PYTEST_ARGS)

lint: setup                 ## ruff, the layout contracts (import-linter) and the rules they cannot express
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_layout.py

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: setup
	$(VENV)/bin/mypy

bench: setup
	$(PY) -m bench.cli
	$(PY) -m bench.transitions
	$(PY) -m bench.main_path
	$(PY) -m bench.documents
	$(PY) -m bench.pack
	$(PY) -m bench.web --cases 10000 --requests 300

bench-reminders: setup      ## claim latency at 1M rows; Redis + Celery to SMTP throughput
	$(PY) -m bench.reminders_claim
	$(PY) -m bench.reminders_throughput --database sqlite
	$(PY) -m bench.reminders_throughput --database postgres

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
