"""Source health from recorded runs (pure): a source whose last N runs all failed is unhealthy."""

from __future__ import annotations

from collections.abc import Iterable

from crawlers.types import CrawlRunStats

UNHEALTHY_AFTER = 3  # consecutive failed runs


def failing_streak(runs: Iterable[CrawlRunStats]) -> int:
    """Number of consecutive failed runs, counting back from the most recent."""
    streak = 0
    for run in sorted(runs, key=lambda r: r.started_at, reverse=True):
        if run.status != "failed":
            break
        streak += 1
    return streak


def is_unhealthy(runs: Iterable[CrawlRunStats], after: int = UNHEALTHY_AFTER) -> bool:
    return failing_streak(runs) >= after
