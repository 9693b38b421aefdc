# The README's two commands: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

.PHONY: setup run test lint format bench clean server stop browser
PORT ?= 4200
BENCH_DOCS ?= 10000

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

run: setup
	$(BIN)/unionfacts run

test: setup browser lint
	$(BIN)/python -m pytest -q

# ruff (pyproject.toml): the linter, and the formatter's check; `make format` rewrites what it would change
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# the Prefect server (127.0.0.1:$(PORT)), work pool, deployments and a worker, in the background
server: setup
	$(BIN)/python -m unionfacts.server start --port $(PORT)

# the worker, then the server; nothing left running or listening
stop:
	$(BIN)/python -m unionfacts.server stop

# Debian's Chromium and a Chinese font for the browser tests (Prefect UI, the HTML report), installed
# when missing and this user may; else those tests are skipped
BROWSER_PACKAGES = chromium fonts-wqy-microhei
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . ; } || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && \
	    apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1; }; }; } || \
	  echo "chromium or a Chinese font is missing and cannot be installed here: the browser tests will be skipped"

bench: setup
	$(BIN)/python bench/bench_numbers.py
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_publish.py
	$(BIN)/python bench/bench_linearity.py
	BENCH_DOCS=$(BENCH_DOCS) $(BIN)/python bench/bench_scale.py

clean:
	rm -rf $(VENV) .prefect warehouse/unionfacts.duckdb
