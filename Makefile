# Common tasks. `make help` lists them.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: help install run demo test lint messages clean

# The portal starts with DEBUG off unless told otherwise; the demo and the developer's tasks run with
# the demo's settings (DEBUG on: the demo's key, SQLite, e-mail to files). `make test` needs nothing:
# the suite has its own settings (config/settings_test.py).
demo run lint messages: export DEBUG = true

help:  ## List the common tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed  ## Create the virtualenv and install requirements

demo: install  ## Migrate the SQLite database and load the demo data
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: demo  ## Serve the demo at http://127.0.0.1:8000 with a Celery worker and beat
	scripts/run-demo.sh

# Test processes in parallel (pytest-xdist; each has its own test database): 2 suits a 2-core machine.
TEST_WORKERS ?= 2

test: install  ## Run the whole test suite on a throwaway PostgreSQL and Redis
	scripts/with-services.sh $(PY) -m pytest -n $(TEST_WORKERS)

lint: install  ## Ruff, and a check that every model change has its migration
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run

messages: install  ## Update and compile the Vietnamese translation catalogue
	$(PY) manage.py makemessages -l vi --no-obsolete --no-location --ignore ".venv/*" --ignore "var/*"
	$(PY) manage.py compilemessages -l vi --ignore ".venv/*"

clean:  ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
