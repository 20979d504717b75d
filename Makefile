# Liaison: read this file first; every workflow starts here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install proto test test-postgres demo lint bench clean

## install: virtualenv, pinned dependencies, the `liaison` command (editable)
install: $(STAMP)
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## proto: regenerate the committed gRPC/protobuf code and .pyi stubs
proto: $(STAMP)
	$(BIN)/python proto/generate.py

## test: the whole suite (PostgreSQL too when LIAISON_TEST_POSTGRES_URL is set)
test: $(STAMP)
	$(BIN)/pytest

## demo: a local federation (CA, broker, three agencies on SQLite) and a match;
## CONSOLE=1 also serves FR's web console and keeps running until Ctrl-C
demo: $(STAMP)
	$(BIN)/liaison demo $(if $(CONSOLE),--console)

## lint: ruff and mypy (strict) on our code
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: PSI with cached filters versus setup recomputed per query; audit; key rotation
bench: $(STAMP)
	$(BIN)/python -m tests.bench.bench_match
	$(BIN)/python -m tests.bench.bench_audit
	$(BIN)/python -m tests.bench.bench_rotation

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
