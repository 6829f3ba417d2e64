"""Source health (pure): from recorded runs (a source whose last N runs all failed is
unhealthy), and one run's condition: `degraded` when a source that yielded links/fields
before yields none, `blocked_by_robots` when robots.txt disallows us."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from crawlers.types import CrawlRunStats, SourceCondition

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


@dataclass
class RunObservations:
    """What one run saw that bears on the source's condition (filled in by the spider)."""

    had_history: bool = False  # the store already holds articles of this source
    listings_tried: int = 0  # listing responses parsed (or refused as unparsable)
    links: int = 0  # article links (or stored listing items) the listings yielded
    listing_misses: list[str] = field(default_factory=list)  # "URL: what matched nothing"
    listings_blocked: list[str] = field(default_factory=list)  # listing URLs robots refused
    articles_tried: int = 0  # article pages fetched or refused
    articles_parsed: int = 0  # new, unchanged or fallback articles
    articles_blocked: list[str] = field(default_factory=list)  # article URLs robots refused
    parse_failures: list[str] = field(default_factory=list)  # "URL: kind: reason"


def _first(reasons: list[str], more: int = 2) -> str:
    head = "; ".join(reasons[:more])
    return head + (f" (+{len(reasons) - more} more)" if len(reasons) > more else "")


def run_health(obs: RunObservations, robots_agent: str) -> tuple[SourceCondition, str | None]:
    """(condition, reason) of one run."""
    if obs.listings_blocked and obs.links == 0:
        return "blocked_by_robots", (
            f"robots.txt disallows {robots_agent} from the listing: {_first(obs.listings_blocked)}"
        )
    if obs.articles_blocked and obs.articles_parsed == 0 and (
        len(obs.articles_blocked) == obs.articles_tried
    ):
        return "blocked_by_robots", (
            f"robots.txt disallows {robots_agent} from every article page: "
            f"{_first(obs.articles_blocked)}"
        )
    if not obs.had_history:
        return "ok", None
    if obs.listings_tried and obs.links == 0:
        reason = _first(obs.listing_misses) if obs.listing_misses else "no links"
        return "degraded", f"listings yielded no links: {reason}"
    if obs.articles_tried and obs.articles_parsed == 0 and obs.parse_failures:
        return "degraded", f"no article page parsed: {_first(obs.parse_failures)}"
    return "ok", None
