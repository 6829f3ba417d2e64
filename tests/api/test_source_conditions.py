"""Degraded and blocked_by_robots sources, with their reason, through the writer, the graph
and GET /v1/sources/{id} (issue 11: breakage is loud)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from neo4j import Driver

from api.routes.sources import health
from crawlers.types import CrawlRunStats
from graph import writer
from graph.settings import Neo4jSettings

T = datetime(2025, 7, 1, tzinfo=UTC)


def test_health_prefers_the_condition_of_the_last_run() -> None:
    last = {"id": "r2", "status": "ok", "pages_fetched": 1, "health": "degraded",
            "health_reason": "listings yielded no links: link_selector 'li a' matched nothing"}
    earlier = {"id": "r1", "status": "ok", "pages_fetched": 5, "health": "ok"}
    h = health([last, earlier])
    assert h.status == "degraded" and h.reason is not None and "'li a'" in h.reason
    blocked = {"id": "r3", "status": "failed", "health": "blocked_by_robots",
               "health_reason": "robots.txt disallows TokenwatchBot from the listing: /x"}
    assert health([blocked, blocked, blocked]).status == "blocked_by_robots"
    assert health([earlier]).reason is None and health([earlier]).status == "ok"


@pytest.mark.neo4j
def test_get_source_shows_degraded_and_blocked_with_the_reason(
    empty_graph: Driver, neo4j_settings: Neo4jSettings, api_client: Any, admin_key: str
) -> None:
    db = neo4j_settings.database
    writer.write_sources(empty_graph, [
        writer.SourceRow("deg", "改版的站点", "industry", "zh", "https://deg.example.test"),
        writer.SourceRow("rob", "Blocked", "intl", "en", "https://rob.example.test"),
    ], db)  # fmt: skip
    reason = "listings yielded no links: https://deg.example.test/: link_selector 'ul.news li a' matched nothing"
    runs = [
        CrawlRunStats(id="d1", source_id="deg", started_at=T, pages_fetched=5, new_articles=4),
        CrawlRunStats(id="d2", source_id="deg", started_at=T.replace(day=2), pages_fetched=1,
                      health="degraded", health_reason=reason),
        CrawlRunStats(id="b1", source_id="rob", started_at=T, errors={"robots_disallowed": 1},
                      status="failed", health="blocked_by_robots",
                      health_reason="robots.txt disallows TokenwatchBot from the listing: https://rob.example.test/news"),
    ]  # fmt: skip
    for run in runs:
        writer.write_crawl_run(empty_graph, run, db)
    auth = {"Authorization": f"Bearer {admin_key}"}
    deg = api_client.get("/v1/sources/deg", headers=auth).json()
    assert deg["health"]["status"] == "degraded" and deg["health"]["reason"] == reason
    assert deg["recent_runs"][0]["health"] == "degraded"
    rob = api_client.get("/v1/sources/rob", headers=auth).json()
    assert rob["health"]["status"] == "blocked_by_robots"
    assert "robots.txt disallows TokenwatchBot" in rob["health"]["reason"]
    listed = {s["id"]: s for s in api_client.get("/v1/sources", headers=auth).json()["items"]}
    assert listed["deg"]["health"]["status"] == "degraded"
