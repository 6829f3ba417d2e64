"""Shared fixtures: one real embedded Neo4j per test session (or NEO4J_URI when set)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from graph import db
from graph.embedded import embedded_neo4j, free_port
from graph.settings import Neo4jSettings


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jSettings]:
    """Settings pointing at a live database: NEO4J_URI if set, else a fresh embedded one."""
    base = Neo4jSettings()
    if base.uri:
        yield base
        return
    home: Path = tmp_path_factory.mktemp("neo4j-home")
    settings = base.model_copy(update={"home": home, "heap_mb": 1024})
    port = free_port()
    with embedded_neo4j(settings, port=port) as uri:
        yield settings.model_copy(update={"uri": uri, "port": port})


@pytest.fixture(scope="session")
def driver(neo4j_settings: Neo4jSettings) -> Iterator[Driver]:
    drv = db.open_driver(neo4j_settings)
    db.wait_until_reachable(drv)
    db.apply_schema(drv, neo4j_settings.database)
    yield drv
    drv.close()


@pytest.fixture
def empty_graph(driver: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    """The shared database, emptied (schema kept) before the test."""
    driver.execute_query("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS",
                         database_=neo4j_settings.database)
    return driver
