# Two commands for a newcomer: `make run` (the service) and `make test` (the suite).
# Everything is installed from PyPI and Maven Central by these targets; nothing by hand.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
LAUNCHER := graph/neo4j/target/classes/tokenwatch/neo4j/Launcher.class
# the console's front-end packages (echarts, htmx) from npm, pinned by the committed lock file
CONSOLE_ASSETS := api/console/node_modules/.package-lock.json

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy

.PHONY: setup run test test-dates lint bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON)
	touch $(STAMP)

$(LAUNCHER): graph/neo4j/pom.xml graph/neo4j/src/main/java/tokenwatch/neo4j/Launcher.java
	cd graph/neo4j && mvn -q -B package -DskipTests

$(CONSOLE_ASSETS): api/console/package.json api/console/package-lock.json
	cd api/console && npm ci --no-audit --no-fund --loglevel=error
	touch $(CONSOLE_ASSETS)

setup: $(STAMP) $(LAUNCHER) $(CONSOLE_ASSETS)

# The scaled-out roles (`tokenwatch up --role …`, README "Scaling out") and their tests need a
# Redis server: Debian's redis-server, installed when missing (root, as on CI).
REDIS_SERVER := command -v redis-server >/dev/null || command -v valkey-server >/dev/null \
	|| (apt-get update -qq && apt-get install -y -qq redis-server)

run: setup
	$(if $(ROLE),$(REDIS_SERVER) || echo "redis-server could not be installed",)
	$(VENV)/bin/tokenwatch up $(if $(ROLE),--role $(ROLE),)

# The render test (tests/crawlers/test_crawl_render.py, `render: true` sources) needs Debian's
# chromium (playwright never downloads a browser); installed when missing (root, as on CI).
# Where it cannot be installed, that one test is skipped and says why.
test: setup
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium) \
	  || echo "chromium could not be installed: the render test will be skipped"
	$(REDIS_SERVER) || echo "redis-server could not be installed: tests/distributed will be skipped"
	fc-list :lang=zh | grep -q . || apt-get install -y -qq fonts-wqy-microhei \
	  || echo "no Chinese font: the console's screenshots show boxes for Chinese text"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q

# The crawler and NLP tests at two machine dates far apart (issue: the suite passes on any day).
# faketime is Debian's package; installed here when missing (root, as on CI).
test-dates: setup
	command -v faketime >/dev/null || (apt-get update -qq && apt-get install -y -qq faketime)
	for day in "2027-06-15 10:00:00" "2031-01-02 00:30:00"; do \
	  faketime "$$day" $(VENV)/bin/pytest -q -p no:cacheprovider tests/crawlers tests/nlp || exit 1; \
	done

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .tools graph/neo4j/target
