# Two commands from a fresh clone: `make run` and `make test`.  Each sets up .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint bench demo clean wheel-check catalogue

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -c 'from infra_gap.synthetic.demo import load_demo; from infra_gap.app.ui.cached import cache_dir, data_dir; load_demo(data_dir(), cache_dir())'
	$(BIN)/streamlit run infra_gap/app/main.py --server.headless true --server.port $(PORT)

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
