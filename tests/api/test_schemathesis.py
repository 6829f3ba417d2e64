"""Schemathesis against the app's own OpenAPI document, in-process (ASGI), seeded and bounded:
no server errors, responses and error bodies conform to the schema (problem+json).

Driven through Hypothesis directly (one seeded `@given` per operation) rather than
`schemathesis.pytest.from_fixture`, whose pytest plugin does not support pytest 9 yet."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis

from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Neo4jSettings
from tests.api.fuzz import schema_failures

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

ADMIN = "tw_schemathesis1_" + "admin-key-for-the-schemathesis-run"
HEADERS = {"Authorization": f"Bearer {ADMIN}"}
# the graph/query API; the alert routes (rules, webhooks, alerts, schedules) are left to
# their own owner's run
TAGS = ["entities", "policies", "metrics", "articles", "risks", "sources", "admin", "keys",
        "health"]
EXAMPLES = 15


@pytest.fixture(scope="module")
def api_schema(shared_sample_graph: object, neo4j_settings: Neo4jSettings) -> Any:
    app = create_app(neo4j_settings, api_settings=ApiSettings(admin_key=ADMIN, rate_per_min=0))
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(tag=TAGS)


def test_api_conforms_to_its_schema(api_schema: Any) -> None:
    failures = schema_failures(api_schema, HEADERS, EXAMPLES, min_operations=20)
    assert not failures, "\n\n".join(failures)
