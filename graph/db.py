"""Opening the driver and applying the schema. Callers own the driver's lifetime."""

from __future__ import annotations

import time

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

from graph import aggregates, cypher
from graph.access import Graph
from graph.errors import GraphError
from graph.settings import Neo4jSettings


def open_driver(settings: Neo4jSettings, uri: str | None = None) -> Driver:
    target = uri or settings.uri
    if not target:
        raise GraphError("no Neo4j URI: set NEO4J_URI or start the embedded database")
    try:
        return GraphDatabase.driver(
            target,
            auth=(settings.user, settings.password),
            max_connection_pool_size=32,
            connection_acquisition_timeout=30.0,
            connection_timeout=settings.connect_timeout_s,
            # "unknown property key" notices on a young graph are noise, not problems
            notifications_min_severity="OFF",
        )
    except (ValueError, ConfigurationError) as exc:
        raise GraphError(
            f"NEO4J_URI {target!r} is not a Neo4j address ({_first_line(exc)}); "
            "use bolt://host:7687 or neo4j://host:7687, or unset it for the embedded database"
        ) from exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def wait_until_reachable(driver: Driver, timeout: float = 60.0) -> None:
    """Wait for Bolt to answer; GraphError with what to do after `timeout` seconds. Wrong
    credentials fail at once (waiting would not help)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            driver.verify_connectivity()
            return
        except AuthError as exc:
            raise GraphError(
                f"Neo4j refused the credentials ({_first_line(exc)}); "
                "check NEO4J_USER and NEO4J_PASSWORD"
            ) from exc
        except (ServiceUnavailable, OSError) as exc:
            if time.monotonic() > deadline:
                raise GraphError(
                    f"Neo4j not reachable after {timeout:.0f}s ({_first_line(exc)}); "
                    "is the server running and is NEO4J_URI right?"
                ) from exc
            time.sleep(0.5)


def apply_schema(driver: Driver, database: str | None = None) -> None:
    """Create constraints and indexes (idempotent), wait for them to come online, then run
    the data migrations a database written by an older version needs (each runs once)."""
    for stmt in cypher.schema_statements():
        driver.execute_query(stmt, database_=database)
    driver.execute_query("CALL db.awaitIndexes(120)", database_=database)
    aggregates.migrate(driver, database)


def ping(g: Graph) -> bool:
    try:
        rows = g.rows(cypher.PING)
        return bool(rows and rows[0]["ok"] == 1)
    except Exception:
        return False


def source_ids(g: Graph) -> list[str]:
    return [r["id"] for r in g.rows(cypher.ALL_SOURCE_IDS)]
