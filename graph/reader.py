"""Read helpers used by ingest and the API. All Cypher comes from graph.cypher."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from neo4j import Driver, Query

from graph import cypher


def _run(driver: Driver, query: str, database: str | None, timeout: float | None = None,
         **params: Any) -> list[dict[str, Any]]:
    q = Query(query, timeout=timeout) if timeout else query
    records, _, _ = driver.execute_query(q, params, database_=database, routing_="r")
    return [r.data() for r in records]


def known_pages(driver: Driver, source_id: str, database: str | None = None) -> list[dict[str, Any]]:
    return _run(driver, cypher.KNOWN_PAGES, database, source_id=source_id)


def existing_hashes(driver: Driver, ids: Sequence[str], database: str | None = None) -> dict[str, str]:
    rows = _run(driver, cypher.EXISTING_HASHES, database, ids=list(ids))
    return {r["id"]: r["content_hash"] for r in rows}


def simhash_candidates(driver: Driver, rows: list[dict[str, Any]],
                       database: str | None = None) -> list[dict[str, Any]]:
    return _run(driver, cypher.SIMHASH_CANDIDATES, database, rows=rows)


def counts(driver: Driver, database: str | None = None) -> tuple[int, int]:
    rows = _run(driver, cypher.COUNTS, database)
    return int(rows[0]["nodes"]), int(rows[0]["rels"])


def list_articles(driver: Driver, limit: int, cursor: tuple[datetime, str] | None,
                  database: str | None = None, timeout: float | None = None) -> list[dict[str, Any]]:
    published, aid = cursor if cursor else (None, None)
    return _run(driver, cypher.LIST_ARTICLES, database, timeout, limit=limit,
                cursor_published=published, cursor_id=aid)


def entity_profile(driver: Driver, entity_id: str, database: str | None = None,
                   timeout: float | None = None, obs_limit: int = 20) -> dict[str, Any] | None:
    rows = _run(driver, cypher.ENTITY_PROFILE, database, timeout, id=entity_id)
    if not rows:
        return None
    profile = rows[0]
    profile["observations"] = _run(
        driver, cypher.ENTITY_LATEST_OBSERVATIONS, database, timeout, id=entity_id, limit=obs_limit
    )
    return profile
