# eCabinet — the two commands a newcomer runs are `make demo` and `make test`.
# Both need only Python 3.11+; WeasyPrint's system libraries are installed
# with apt-get where that is possible and named where it is not.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench messages venv system-libs clean serve migrate

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "eCabinet needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

venv: system-libs $(STAMP)

# WeasyPrint needs Pango (and through it HarfBuzz and fontconfig) from the system.
system-libs:
	@$(PYTHON) scripts/system_libs.py

migrate: venv
	$(PY) manage.py migrate --noinput

demo: venv migrate
	$(PY) manage.py seed_demo
	@echo
	@echo "eCabinet is starting on http://127.0.0.1:$(PORT)/ — try http://hanoi.localhost:$(PORT)/ (Ctrl+C stops it)"
	PORT=$(PORT) $(PY) manage.py serve --port $(PORT)

serve: venv
	PORT=$(PORT) $(PY) manage.py serve --port $(PORT)

# `make test TEST_CLOCK=+1y` runs the suite with its clock a year ahead (tests/clock.py:
# +400d, -3h, or a moment such as "2030-01-01 09:00").
test: venv
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || (echo "A model change has no migration: run manage.py makemigrations." && exit 1)
	ECABINET_TEST_CLOCK='$(TEST_CLOCK)' $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ecabinet meetings documents voting reports demo

bench: venv  # bench/ makes its own databases; the demo database is not needed
	$(PY) -m bench

# locale/<lang>/LC_MESSAGES/django.po is the catalogue: this adds the code's new
# strings to it, drops the ones the code no longer uses, and compiles the .mo
# files (committed, so a fresh clone needs no gettext tools to run).
messages: venv
	$(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages -l vi -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench

clean:
	rm -rf $(VENV) var
