"""Driving Schemathesis through Hypothesis directly (one seeded `@given` per operation), since
`schemathesis.pytest.from_fixture`'s plugin does not support pytest 9 yet. Shared by the
graph/query API run and the alert routes' run."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance


def _run(operation: Any, headers: dict[str, str], examples: int) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        # positive_data_acceptance is off: a cursor is opaque, so any string is schema-valid,
        # yet a forged one is rightly a 400 (documented on every paginated route)
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()


def schema_failures(schema: Any, headers: dict[str, str], examples: int,
                    min_operations: int) -> list[str]:
    """Every operation of `schema` fuzzed; one line per failing operation."""
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= min_operations, f"only {len(operations)} operations selected"
    failures: list[str] = []
    for op in operations:
        try:
            _run(op, headers, examples)
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{op.method.upper()} {op.path}: {exc}"[:3000])
    return failures
