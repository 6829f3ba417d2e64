"""Source health from its latest runs: unhealthy ("failing") after 3 failed runs in a row."""

from __future__ import annotations

from api.routes.sources import health


def runs(*statuses: str) -> list[dict[str, object]]:
    """Newest first, as the API reads them."""
    return [{"id": f"r{i}", "status": s, "pages_fetched": 5} for i, s in enumerate(statuses)]


def test_three_failures_in_a_row_mark_a_source_failing() -> None:
    assert health(runs("failed", "failed", "failed", "ok")).status == "failing"


def test_fewer_failures_or_a_recovery_are_degraded_not_failing() -> None:
    assert health(runs("failed", "failed", "ok")).status == "degraded"
    assert health(runs("ok", "failed", "failed", "failed")).status == "degraded"
    assert health(runs("ok", "ok")).status == "ok"
    assert health([]).status == "never_run"
