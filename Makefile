# Two commands set up and run everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test build validate java services eval-draft bench clean lock lock-check

run: $(STAMP) java
	$(BIN)/egkg build
	$(BIN)/egkg checks
	$(BIN)/egkg site
	$(BIN)/egkg viz
	$(BIN)/egkg tour
	@echo "Notebooks: $(UV) pip install --python $(BIN)/python -c $(LOCK) -e '.[notebook]' && $(BIN)/jupyter lab notebooks/"

# One pytest worker per core; a test file's tests stay in one worker (their module fixtures build once).
# The tests share no fixed port or directory: servers take free ports, outputs go to tmp_path.
test: lock-check $(STAMP) java services
	$(BIN)/python -m pytest -n auto --dist loadfile

build: run

validate: $(STAMP)
	$(BIN)/egkg validate

# Drafts of the curated articles scored against their records.
eval-draft: $(STAMP)
	$(BIN)/egkg eval

# Benchmarks on a synthetic corpus: `make bench SCALE=S|M|L` prints one table (see BENCHMARKS.md).
SCALE ?= S
bench: $(STAMP) java services
	$(BIN)/python -m benchmarks.run --scale $(SCALE)

# Python packages come from requirements.lock (exact versions and hashes, made by `make lock` from
# pyproject.toml's ranges): uv, itself locked there, is bootstrapped from PyPI with pip and installs
# exactly the locked set (`pip sync` also removes what the lock does not hold).
LOCK := requirements.lock
UV := $(BIN)/uv
UV_VERSION = $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' $(LOCK))
LOCK_INPUTS := pyproject.toml requirements-tools.in
LOCK_FLAGS := --quiet --extra test --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
export UV_PYTHON_DOWNLOADS := never

$(UV):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "egkg needs Python >= 3.11" or 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

# The virtualenv is re-synced when the lock or pyproject.toml changes.
$(STAMP): $(LOCK) pyproject.toml | $(UV)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	@# Bytecode written now, so that every egkg run reads it even where PYTHONDONTWRITEBYTECODE is set
	@# (without it, each run compiled about 800 modules again: 1.3 s of CPU, a third of an edit's rebuild).
	$(BIN)/python -m compileall -q kg_builder benchmarks
	touch $@

# Refresh the lock after editing the dependencies in pyproject.toml (keeps the other pins);
# `make lock UPGRADE=1` moves every package to the newest release the ranges allow.
lock: | $(UV)
	$(UV) pip compile $(LOCK_INPUTS) $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) -o $(LOCK)

# Fails when the lock no longer matches pyproject.toml (`make test` runs it first): the lock made
# again from the current one must come out unchanged.
lock-check: | $(UV)
	@fresh=$$(mktemp) && cp $(LOCK) $$fresh && \
	$(UV) pip compile $(LOCK_INPUTS) $(LOCK_FLAGS) -o $$fresh && \
	if cmp -s $$fresh $(LOCK); then rm -f $$fresh; else diff $(LOCK) $$fresh | head -20; rm -f $$fresh; \
	  echo "$(LOCK) is out of date with pyproject.toml: run \`make lock\` and commit it" >&2; exit 1; fi

# The OWL reasoners (HermiT, Pellet via owlready2) run on Java; install a JRE when none is found.
java:
	@bash scripts/ensure-java.sh

# The remote-store tests start OpenLink Virtuoso on loopback; install its server binary when missing.
services:
	@bash scripts/virtuoso.sh install
	@bash scripts/ensure-chromium.sh

clean:
	rm -rf build .pytest_cache
