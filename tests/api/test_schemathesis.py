"""Schemathesis against the app's own OpenAPI document, in-process (ASGI), seeded and bounded:
no server errors, responses and error bodies conform to the schema (problem+json).

Driven through Hypothesis directly (one seeded `@given` per operation) rather than
`schemathesis.pytest.from_fixture`, whose pytest plugin does not support pytest 9 yet."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Neo4jSettings

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


def _run(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        # positive_data_acceptance is off: a cursor is opaque, so any string is schema-valid,
        # yet a forged one is rightly a 400 (documented on every paginated route)
        case.call_and_validate(headers=HEADERS, excluded_checks=[positive_data_acceptance])

    check()


def test_api_conforms_to_its_schema(api_schema: Any) -> None:
    failures: list[str] = []
    operations = [r.ok() for r in api_schema.get_all_operations()]
    assert len(operations) >= 20
    for op in operations:
        try:
            _run(op)
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{op.method.upper()} {op.path}: {exc}"[:3000])
    assert not failures, "\n\n".join(failures)
