# riskcheck: two commands set everything up on a fresh machine.
#   make run    start the app (SQLite by default, shipped questionnaires loaded)
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run test lint validate bench clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	RISKCHECK_ENV=development $(BIN)/flask --app riskcheck run --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check riskcheck tests benchmarks

validate: $(STAMP)
	$(BIN)/riskcheck validate --strict

test: lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.engine

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info
