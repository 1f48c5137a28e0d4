# riskcheck: two commands set everything up on a fresh machine.
#   make run    start the app (SQLite by default, shipped questionnaires loaded)
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run test lint validate bench clean chromium translations

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	RISKCHECK_ENV=development $(BIN)/flask --app riskcheck run --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check riskcheck tests benchmarks scripts loadtest
	$(BIN)/ruff format --check riskcheck tests benchmarks scripts loadtest

validate: $(STAMP)
	$(BIN)/riskcheck validate --strict

# Browser tests drive Debian's chromium (Playwright's own browser download fails offline).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; }

test: lint chromium
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.engine

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info

# Translations: extract the UI strings, then add a language with
#   .venv/bin/pybabel init -i riskcheck/translations/messages.pot -d riskcheck/translations -l fr
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o riskcheck/translations/messages.pot --no-location .
	$(BIN)/pybabel update -i riskcheck/translations/messages.pot -d riskcheck/translations --ignore-obsolete || true
	$(BIN)/pybabel compile -d riskcheck/translations || true

# Web benchmarks: PDF render time, and HTTP with gunicorn (pinned in setup.cfg) driven by
# wrk (apt-get install -y wrk; without it the HTTP part is skipped with a message).
.PHONY: bench-web
bench-web: $(STAMP)
	$(BIN)/python -m benchmarks.web

# Security scan: bandit over the package, then wapiti against the app served on loopback
# (production settings, HTTPS with a throw-away certificate), as an anonymous visitor and
# signed in as a clinician; fails on any finding. wapiti lives in its own venv (its pins
# downgrade Flask). Details: scripts/scan.py. Reports land in .scan/.
#   make scan SCAN_ARGS="--max-scan-time 300"    longer runs; --http for plain http
WAPITI_VERSION := 3.2.3
SCAN_VENV      := .scan/venv
SCAN_ARGS      ?=

.PHONY: scan

$(SCAN_VENV)/.wapiti-$(WAPITI_VERSION):
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check wapiti3==$(WAPITI_VERSION)
	rm -f $(SCAN_VENV)/.wapiti-* && touch $@

scan: $(STAMP) $(SCAN_VENV)/.wapiti-$(WAPITI_VERSION)
	$(BIN)/bandit -q -r riskcheck -ll
	$(BIN)/python scripts/scan.py --wapiti $(SCAN_VENV)/bin/wapiti $(SCAN_ARGS)

# Load and fault runs (loadtest/run.py, about 2 minutes each): two gunicorn instances x 2
# workers on loopback, PostgreSQL database riskcheck_load (reset), Redis db 14 (flushed).
# Locust has its own venv (.load/venv): its dependencies stay out of the app's.
# `make faults` stops and starts the local PostgreSQL cluster once.
.PHONY: load faults load-deps
LOAD_VENV := .load/venv
load-deps: $(STAMP)
	$(BIN)/python -c 'import gunicorn' 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check gunicorn==27.0.1
	test -x $(LOAD_VENV)/bin/locust || { $(PYTHON) -m venv $(LOAD_VENV) && \
	  $(LOAD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check locust==2.47.0; }

load: load-deps
	$(BIN)/python loadtest/run.py

faults: load-deps
	$(BIN)/python loadtest/run.py --faults

# Mutation testing (mutmut, pinned in setup.cfg; not part of `make test`): each mutant of one
# area's code runs against that area's fast tests only (never the browser tests). An area
# works in .mutants/AREA/ (symlinks to the tree and a generated [tool.mutmut] table), so its
# results are kept and a rerun retests only the functions that changed. Niced, one child at
# a time by default: the machine is shared. Figures and triage: docs/mutation-testing.md.
#   make mutants                     every area, one after the other
#   make mutants AREA=scoring        one of: scoring answers expressions clinician
#   make mutants MUTANTS_JOBS=2      more children at once
#   make mutants RETEST=1            retest the last run's survivors (after adding tests)
AREA         ?= scoring answers expressions clinician
MUTANTS_JOBS ?= 1
RETEST       ?=
MUTANTS_MUTATE_scoring     := riskcheck/scoring.py
MUTANTS_MUTATE_answers     := riskcheck/answers.py
MUTANTS_MUTATE_expressions := riskcheck/expressions/*.py
MUTANTS_MUTATE_clinician   := riskcheck/web/clinician/*.py
# The tests that exercise each area through its public functions.
MUTANTS_TESTS_scoring := tests/test_scoring.py tests/test_properties.py tests/test_interruptions.py \
  tests/test_journey.py tests/test_impact.py tests/test_examples.py tests/test_shipped_content.py \
  tests/report/test_content.py
MUTANTS_TESTS_answers := tests/test_answers.py $(MUTANTS_TESTS_scoring)
MUTANTS_TESTS_expressions := tests/expressions tests/test_loader.py tests/test_scoring.py
MUTANTS_TESTS_clinician := tests/web/test_clinician.py tests/web/test_clinician_review.py \
  tests/web/test_access.py tests/web/test_csrf.py tests/web/test_rate_limits.py \
  tests/web/test_log_privacy.py tests/web/test_sessions.py
comma := ,
empty :=
space := $(empty) $(empty)
toml_list = [$(subst $(space),$(comma)$(space),$(strip $(patsubst %,"%",$(1))))]

.PHONY: mutants
mutants: $(STAMP)
	@set -e; for area in $(AREA); do \
	  case " scoring answers expressions clinician " in *" $$area "*) ;; \
	    *) echo "make mutants: unknown AREA '$$area'" >&2; exit 2;; esac; \
	  dir=.mutants/$$area; mkdir -p $$dir; \
	  for path in riskcheck tests questionnaires templates static; do \
	    ln -sfn ../../$$path $$dir/$$path; done; \
	  cp setup.cfg $$dir/setup.cfg; \
	  $(MAKE) --no-print-directory -s $$dir/pyproject.toml; \
	  names=""; if [ -n "$(RETEST)" ] && [ -f $$dir/survivors.txt ]; then \
	    names=$$(cat $$dir/survivors.txt); \
	    [ -n "$$names" ] || { echo "== mutants: $$area: no survivors to retest"; continue; }; fi; \
	  echo "== mutants: $$area ($$dir/run.log)"; start=$$(date +%s); \
	  ( cd $$dir && nice -n 10 ../../$(BIN)/mutmut run --max-children $(MUTANTS_JOBS) $$names ) \
	    > $$dir/run.log 2>&1 || { tail -40 $$dir/run.log; exit 1; }; \
	  ( cd $$dir && ../../$(BIN)/mutmut results && ../../$(BIN)/mutmut export-cicd-stats ) \
	    > $$dir/results.txt; \
	  sed -n 's/^ *\(.*\): survived$$/\1/p' $$dir/results.txt > $$dir/survivors.txt; \
	  echo "   $$(( $$(date +%s) - start )) s;" $$(tr -d '\n "{}' < $$dir/mutants/mutmut-cicd-stats.json); \
	  echo "   $$(wc -l < $$dir/survivors.txt) survivors: $$dir/survivors.txt;" \
	    "cd $$dir && ../../$(BIN)/mutmut show NAME"; \
	done

.mutants/%/pyproject.toml: Makefile
	printf '%s\n' '[tool.mutmut]' 'source_paths = ["riskcheck"]' \
	  'only_mutate = $(call toml_list,$(MUTANTS_MUTATE_$*))' \
	  'also_copy = ["questionnaires", "templates", "static"]' \
	  'pytest_add_cli_args = ["-p", "no:cacheprovider", "-m", "not browser"]' \
	  'pytest_add_cli_args_test_selection = $(call toml_list,$(MUTANTS_TESTS_$*))' > $@
