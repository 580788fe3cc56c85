# One task runner for people and CI: `make run` (set up, index the bundled corpus, serve) and
# `make test` (set up, lint, type-check, test). Other recipes are steps of those two.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install index run test lint bench-quality

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

test: lint
	$(BIN)/pytest

bench-quality: install
	$(BIN)/python bench/quality.py ../shared/data/piaf ../shared/data/spf
