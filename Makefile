# Two commands set up and run everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test build validate java services eval-draft bench clean

run: $(STAMP) java
	$(BIN)/egkg build
	$(BIN)/egkg checks
	$(BIN)/egkg query who-coordinated-with --param "person=Edy Suharmanto"
	$(BIN)/egkg query acting-heads-met-security --param days=30
	$(BIN)/egkg query regulation-chain
	$(BIN)/egkg viz
	@echo "Views: build/views/index.html ; more questions: $(BIN)/egkg query list ; endpoint: $(BIN)/egkg serve"
	@echo "Notebooks: $(BIN)/pip install -e '.[notebook]' && $(BIN)/jupyter lab notebooks/"

test: $(STAMP) java services
	$(BIN)/python -m pytest

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

# The virtualenv is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "egkg needs Python >= 3.11" or 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The OWL reasoners (HermiT, Pellet via owlready2) run on Java; install a JRE when none is found.
java:
	@bash scripts/ensure-java.sh

# The remote-store tests start OpenLink Virtuoso on loopback; install its server binary when missing.
services:
	@bash scripts/virtuoso.sh install
	@bash scripts/ensure-chromium.sh

clean:
	rm -rf build .pytest_cache
