# Two commands for a new machine (see README.md):
#   make run    set everything up, load the 2024 document, print the demo logins, serve
#               (with the worker that makes reports beside the web server)
#   make test   set everything up and run the tests (DATABASE_URL picks PostgreSQL)
#   make load   the load test on PostgreSQL and gunicorn (benchmarks/load_test.py)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Korean font for the PDF, fast font subsetting, pdftotext/pdffonts for its
# tests, and the browser the browser tests drive.
DEB_PACKAGES := fonts-nanum libharfbuzz-subset0 poppler-utils chromium

.PHONY: run test load audit deploy-check lint mutation setup system-packages

run: setup
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py setup_demo
	@# The worker that makes reports runs beside the web server, at a lower
	@# priority so that pages stay quick while it renders, and stops with it.
	nice -n 19 $(BIN)/python manage.py db_worker --interval 0.25 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup
	$(BIN)/python -m pytest -n auto --dist worksteal

# The load test on PostgreSQL and gunicorn (benchmarks/load_test.py).
load: setup
	$(BIN)/pip install -q -e '.[test,load]'
	$(BIN)/python benchmarks/load_test.py

# Lint: unused imports, shadowed names, likely bugs (ruff, configured in pyproject.toml; CI runs it).
lint: setup
	$(BIN)/ruff check .

# Known vulnerabilities in the installed dependencies (CI runs it).
audit: setup
	$(BIN)/pip install -q pip-audit
	$(BIN)/python .ci/audit.py

# Django's deployment checklist with production settings (CI runs it).
deploy-check: setup
	DJANGO_DEBUG=0 ALLOWED_HOSTS=goals.example \
	SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

setup: system-packages $(VENV)/.installed

system-packages:
	@missing=$$(for package in $(DEB_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Mutation testing of goals/figures.py against its tests (mutmut,
# configured in pyproject.toml): prints the mutants that survive and the score,
# and fails below 90%.
# One child process: the machine's cores are shared. Starts afresh each time.
mutation: setup
	rm -rf mutants
	$(BIN)/mutmut run --max-children 1
	$(BIN)/mutmut results
	$(BIN)/mutmut export-cicd-stats
	$(BIN)/python -c "import json, sys; s = json.load(open('mutants/mutmut-cicd-stats.json')); \
	tested = s['total'] - s['skipped']; score = 100 * (s['killed'] + s['timeout']) / tested; \
	print(f\"{s['killed'] + s['timeout']} of {tested} mutants killed, {s['survived']} survived, \
	{s['no_tests']} not reached: {score:.1f}%\"); sys.exit(score < 90)"
