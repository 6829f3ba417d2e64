# Two commands for a newcomer: `make run` (the service) and `make test` (the suite).
# Everything is installed from PyPI and Maven Central by these targets; nothing by hand.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
LAUNCHER := graph/neo4j/target/classes/tokenwatch/neo4j/Launcher.class

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy

.PHONY: setup run test lint bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON)
	touch $(STAMP)

$(LAUNCHER): graph/neo4j/pom.xml graph/neo4j/src/main/java/tokenwatch/neo4j/Launcher.java
	cd graph/neo4j && mvn -q -B package -DskipTests

setup: $(STAMP) $(LAUNCHER)

run: setup
	$(VENV)/bin/tokenwatch up

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .tools graph/neo4j/target
