# The README's two commands: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

.PHONY: setup run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

run: setup
	$(BIN)/unionfacts run

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/bench_numbers.py
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_publish.py

clean:
	rm -rf $(VENV) .prefect warehouse/unionfacts.duckdb
