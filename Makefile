# Two commands from a fresh clone: `make run` and `make test`.  Each sets up .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
ADDRESS ?= 127.0.0.1
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint bench demo clean wheel-check catalogue

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# `infra-gap app` builds the demo's layers, then serves the app (its settings: the package's
# infra_gap/app/.streamlit/config.toml) on this machine; ADDRESS=0.0.0.0 serves the network.
run: $(STAMP)
	$(BIN)/infra-gap app --port $(PORT) --address $(ADDRESS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	.ci/debian-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not browser"
	$(BIN)/python -m pytest -m browser

# The quick loop while coding: unit and property tests, no app, no CLI run, no whole demo
# (tests marked `full` in tests/conftest.py are left to `make test`).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not full and not browser and not slow"

# tests/catalogue_cases.md from the tests' catalogue marks (tests/test_catalogue_table.py checks it).
catalogue: $(STAMP)
	$(BIN)/python -m tests.gen_catalogue

# A plain (not editable) install of the wheel in a fresh venv ranks the demo from elsewhere.
wheel-check: $(STAMP)
	PYTHON=$(PYTHON) .ci/wheel-check

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

demo: $(STAMP)
	$(BIN)/infra-gap demo export --out demo-export

clean:
	rm -rf $(VENV) .cache .mypy_cache .ruff_cache .pytest_cache
