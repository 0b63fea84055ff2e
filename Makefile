# The README's two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
DB     ?= eventlens.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
SERVE  ?= 1

.PHONY: run test test-fast install install-dev lint typecheck unit bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[dev,postgres,ray]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/eventlens run examples --db $(DB)
	$(BIN)/eventlens events --db $(DB)
ifeq ($(SERVE),1)
	$(BIN)/eventlens serve --db $(DB) --host $(HOST) --port $(PORT)
endif

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/pytest -q

test: lint unit

# The fast tier (under a minute): no spaCy model, classifier, built-in gazetteer, coding workers,
# PostgreSQL, Chromium or Ray; stops at the first failure. `make test` still runs everything.
test-fast: $(VENV)/.installed-dev
	$(BIN)/pytest -q -x -m "not slow and not postgres and not browser and not ray"

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run_all.py

fuzz: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/fuzz.py --seconds $${FUZZ_SECONDS:-600}

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
