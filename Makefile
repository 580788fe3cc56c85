# One task runner for people and CI: `make run` (set up, index the bundled corpus, serve) and
# `make test` (set up, lint, type-check, test). Other recipes are steps of those two.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install system-deps lucene-deps index run test test-fast lint bench-quality bench-perf bench-load
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
	$(BIN)/ruff check search web cli tests bench
	$(BIN)/ruff format --check search web cli tests bench
	$(BIN)/mypy

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here);
# the quality benchmark's Lucene baseline (and its test) needs a JDK and Debian's Lucene 8 jars.
LUCENE_JARS := /usr/share/java/lucene-core-8*.jar
system-deps: lucene-deps
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium chromium-driver; }

lucene-deps:
	@{ command -v javac >/dev/null 2>&1 && ls $(LUCENE_JARS) >/dev/null 2>&1; } || { \
	  echo "Installing a JDK and Debian's Lucene 8 for the quality benchmark's Lucene baseline"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q default-jdk-headless liblucene8-java; }

test: lint system-deps
	$(BIN)/pytest

# The same tests without those that start processes or a browser or run long (a minute or so).
test-fast: lint
	$(BIN)/pytest -m "not process and not browser and not slow"

bench-quality: install lucene-deps
	$(BIN)/python bench/quality.py ../shared/data/piaf ../shared/data/spf ../shared/data/cdtn \
	  --json bench/results/quality.json

bench-perf: install
	@command -v wrk >/dev/null 2>&1 || $(SUDO) apt-get install -y -q wrk
	$(BIN)/python bench/perf.py --queries 300 --http-seconds 10 --json bench/results/perf.json

bench-load: install
	$(BIN)/python bench/load.py --json bench/results/load.json
