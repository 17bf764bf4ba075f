# Two commands on a fresh machine:
#   make run   -- install, then check and publish the packaged ontology into out/
#   make test  -- install, then run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test system-deps clean

$(BIN)/kgtools: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# System packages the tools and tests call: Java, Graphviz, Chromium, Virtuoso (scripts/system-deps.sh).
system-deps:
	@sh scripts/system-deps.sh

run: system-deps $(BIN)/kgtools
	$(BIN)/kgtools publish -o out

test: system-deps $(BIN)/kgtools
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out
