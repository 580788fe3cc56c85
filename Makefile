# One task runner for people and CI: `make run` (set up, index the bundled corpus, serve) and
# `make test` (set up, lint, type-check, test). Other recipes are steps of those two.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.app-installed-stamp
STAMP := $(VENV)/.installed-stamp
# `make run` keeps the bundled corpus's index here, apart from ./index (reindex's and serve's
# default), so that what a user indexed there is never replaced by the demo corpus.
RUN_INDEX := run-index

.PHONY: install install-app system-deps lucene-deps index run test test-fast lint cluster bench-quality bench-perf bench-perf-opensearch bench-load
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The application alone (what `make run` needs)...
$(APP_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(APP_STAMP)

# ...and with the test and lint tools (what `make test` and development need).
$(STAMP): $(APP_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install-app: $(APP_STAMP)

install: $(STAMP)

index: install-app
	$(BIN)/reindex corpus --index $(RUN_INDEX)

# The port is checked first: a taken port fails at once instead of after indexing.
run: install-app
	$(BIN)/python -m web.port
	$(BIN)/reindex corpus --index $(RUN_INDEX)
	$(BIN)/serve --index $(RUN_INDEX)

lint: install
	$(BIN)/ruff check search web cli tests bench
	$(BIN)/ruff format --check search web cli tests bench
	$(BIN)/mypy

# Three OpenSearch nodes on 127.0.0.1:9200-9202 from the Maven module in cluster/ (needs Java 17
# and Maven; the first run downloads OpenSearch into ~/.m2). Foreground: Ctrl-C stops every node.
# CLUSTER_ARGS="--heap 1g --home DIR" for more memory or to keep the data between runs.
cluster: install
	$(BIN)/python -m tests.support.cluster $(CLUSTER_ARGS)

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here);
# the cluster tests need Debian's Java 17 and Maven (OpenSearch itself comes from Maven Central);
# the quality benchmark's Lucene baseline (and its test) needs a JDK and Debian's Lucene 8 jars.
LUCENE_JARS := /usr/share/java/lucene-core-8*.jar
system-deps: lucene-deps
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium chromium-driver; }
	@command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 || { \
	  echo "Installing Java 17 and Maven for the OpenSearch cluster tests"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q openjdk-17-jdk-headless maven; }

lucene-deps:
	@{ command -v javac >/dev/null 2>&1 && ls $(LUCENE_JARS) >/dev/null 2>&1; } || { \
	  echo "Installing a JDK and Debian's Lucene 8 for the quality benchmark's Lucene baseline"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q default-jdk-headless liblucene8-java; }

test: lint system-deps
	$(BIN)/pytest

# The same tests without those that start processes or a browser or run long (a minute or so).
test-fast: lint
	$(BIN)/pytest -m "not process and not browser and not slow and not cluster"

bench-quality: install lucene-deps
	$(BIN)/python bench/quality.py ../shared/data/piaf ../shared/data/spf ../shared/data/cdtn \
	  --json bench/results/quality.json

bench-perf: install
	@command -v wrk >/dev/null 2>&1 || $(SUDO) apt-get install -y -q wrk
	$(BIN)/python bench/perf.py --queries 300 --http-seconds 10 --json bench/results/perf.json

# The same with the opensearch engine beside whoosh: three nodes started by the script (Java 17
# and Maven; 1 GB of heap each), or the cluster of COMMUNIQUES_OPENSEARCH_URL.
bench-perf-opensearch: install
	@command -v wrk >/dev/null 2>&1 || $(SUDO) apt-get install -y -q wrk
	$(BIN)/python bench/perf.py --scale --engine whoosh,opensearch --queries 300 --http-seconds 10 \
	  --heap 1g --json bench/results/perf-opensearch.json

bench-load: install
	$(BIN)/python bench/load.py --json bench/results/load.json
