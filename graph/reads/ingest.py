"""Ingest-side lookups (known pages, content hashes, simhash candidates, counts): plain
rows for the writer's own bookkeeping, not read models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import Driver, Query

from graph.cypher import admin, writes

Row = dict[str, Any]


def _run(driver: Driver, query: str, database: str | None, timeout: float | None = None,
         **params: Any) -> list[Row]:
    q = Query(query, timeout=timeout) if timeout else query
    records, _, _ = driver.execute_query(q, params, database_=database, routing_="r")
    return [r.data() for r in records]


def known_pages(driver: Driver, source_id: str, database: str | None = None) -> list[Row]:
    return _run(driver, writes.KNOWN_PAGES, database, source_id=source_id)


def existing_hashes(driver: Driver, ids: Sequence[str],
                    database: str | None = None) -> dict[str, str]:
    rows = _run(driver, writes.EXISTING_HASHES, database, ids=list(ids))
    return {r["id"]: r["content_hash"] for r in rows}


def simhash_candidates(driver: Driver, rows: list[Row], database: str | None = None) -> list[Row]:
    return _run(driver, writes.SIMHASH_CANDIDATES, database, rows=rows)


def counts(driver: Driver, database: str | None = None) -> tuple[int, int]:
    rows = _run(driver, admin.COUNTS, database)
    return int(rows[0]["nodes"]), int(rows[0]["rels"])
