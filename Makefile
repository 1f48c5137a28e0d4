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
	$(BIN)/ruff check riskcheck tests benchmarks
	$(BIN)/ruff format --check riskcheck tests benchmarks

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
