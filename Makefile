# One task runner for people and CI: `make run` (set up, index the bundled corpus, serve) and
# `make test` (set up, lint, type-check, test). Other recipes are steps of those two.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install system-deps index run test lint cluster bench-quality bench-perf bench-load
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/reindex corpus

run: index
	$(BIN)/serve

lint: install
	$(BIN)/ruff check search web tests bench
	$(BIN)/ruff format --check search web tests bench
	$(BIN)/mypy

# Three OpenSearch nodes on 127.0.0.1:9200-9202 from the Maven module in cluster/ (needs Java 17
# and Maven; the first run downloads OpenSearch into ~/.m2). Foreground: Ctrl-C stops every node.
# CLUSTER_ARGS="--heap 1g --home DIR" for more memory or to keep the data between runs.
cluster: install
	$(BIN)/python -m tests.support.cluster $(CLUSTER_ARGS)

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here);
# the cluster tests need Debian's Java 17 and Maven (OpenSearch itself comes from Maven Central).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium chromium-driver; }
	@command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 || { \
	  echo "Installing Java 17 and Maven for the OpenSearch cluster tests"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q openjdk-17-jdk-headless maven; }

test: lint system-deps
	$(BIN)/pytest

bench-quality: install
	$(BIN)/python bench/quality.py ../shared/data/piaf ../shared/data/spf --json bench/results/quality.json

bench-perf: install
	@command -v wrk >/dev/null 2>&1 || $(SUDO) apt-get install -y -q wrk
	$(BIN)/python bench/perf.py --queries 300 --http-seconds 10 --json bench/results/perf.json

bench-load: install
	$(BIN)/python bench/load.py --json bench/results/load.json
