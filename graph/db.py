"""Opening the driver and applying the schema. Callers own the driver's lifetime."""

from __future__ import annotations

import time

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import ServiceUnavailable

from graph import cypher
from graph.errors import GraphError
from graph.settings import Neo4jSettings


def open_driver(settings: Neo4jSettings, uri: str | None = None) -> Driver:
    target = uri or settings.uri
    if not target:
        raise GraphError("no Neo4j URI: set NEO4J_URI or start the embedded database")
    return GraphDatabase.driver(
        target,
        auth=(settings.user, settings.password),
        max_connection_pool_size=32,
        connection_acquisition_timeout=30.0,
        # "unknown property key" notices on a young graph are noise, not problems
        notifications_min_severity="OFF",
    )


def wait_until_reachable(driver: Driver, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            driver.verify_connectivity()
            return
        except (ServiceUnavailable, OSError) as exc:
            if time.monotonic() > deadline:
                raise GraphError(f"Neo4j not reachable after {timeout:.0f}s: {exc}") from exc
            time.sleep(0.5)


def apply_schema(driver: Driver, database: str | None = None) -> None:
    """Create constraints and indexes (idempotent) and wait for them to come online."""
    for stmt in cypher.schema_statements():
        driver.execute_query(stmt, database_=database)
    driver.execute_query("CALL db.awaitIndexes(120)", database_=database)


def ping(driver: Driver, database: str | None = None) -> bool:
    try:
        records, _, _ = driver.execute_query(cypher.PING, database_=database)
        return bool(records and records[0]["ok"] == 1)
    except Exception:
        return False
