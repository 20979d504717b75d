# Liaison: read this file first; every workflow starts here.
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WHEELHOUSE ?= wheelhouse

# The interpreter: PYTHON if given, else the first of these that is Python 3.11 to 3.13.
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
PYTHON_OK := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c '$(PYTHON_OK)' 2>/dev/null && echo $(p))))
endif

.PHONY: python install proto test test-postgres demo lint bench wheelhouse clean

## python: the interpreter the virtualenv is built with, or which one is needed
python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "make: Liaison needs Python 3.11, 3.12 or 3.13 (with venv); none of $(PYTHON_CANDIDATES) is one: install one, or run make PYTHON=/path/to/python3.X" >&2; exit 1; fi
	@$(PYTHON) -c '$(PYTHON_OK)' 2>/dev/null || { \
	  echo "make: $(PYTHON) is not Python 3.11, 3.12 or 3.13, which Liaison needs" >&2; exit 1; }
	@echo "$(PYTHON): Python $$($(PYTHON) -c 'import platform; print(platform.python_version())')"

## install: virtualenv, pinned dependencies, the `liaison` command (editable)
install: $(STAMP)
$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## proto: regenerate the committed gRPC/protobuf code and .pyi stubs
proto: $(STAMP)
	$(BIN)/python proto/generate.py

## test: the whole suite (PostgreSQL too when LIAISON_TEST_POSTGRES_URL is set)
test: $(STAMP)
	$(BIN)/pytest -n auto --dist loadfile

## demo: a local federation (CA, broker, three agencies on SQLite) and a match;
## CONSOLE=1 also serves FR's web console and keeps running until Ctrl-C
demo: $(STAMP)
	$(BIN)/liaison demo $(if $(CONSOLE),--console)

## lint: ruff and mypy (strict) on our code
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: a federation of real processes (100,000 records a partner; FULL=1: 1,000,000) -> bench.json; audit; key rotation
bench: $(STAMP)
	$(BIN)/python -m tests.bench.bench_federation $(if $(FULL),--full,)
	$(BIN)/python -m tests.bench.bench_audit
	$(BIN)/python -m tests.bench.bench_rotation

## wheelhouse: Liaison's wheel and every pinned dependency's in $(WHEELHOUSE)/, for an
## offline install (docs/operations.md); WHEELHOUSE_ARGS='--python-version 3.12' for another
wheelhouse: $(STAMP)
	rm -rf build  # a stale build/ would carry old modules into the wheel
	$(BIN)/pip wheel --quiet --no-deps --no-build-isolation --wheel-dir $(WHEELHOUSE) .
	$(BIN)/pip download --quiet --only-binary :all: --dest $(WHEELHOUSE) $(WHEELHOUSE_ARGS) \
	    "$$(ls $(WHEELHOUSE)/liaison-*.whl | tail -n 1)[postgres]"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache $(WHEELHOUSE)
