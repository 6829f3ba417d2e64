"""The writer-kept aggregates (graph.cypher.aggregates) outside ingest: rebuilt after curated
merges, and backfilled once into a database written before they existed."""

from __future__ import annotations

import time
from collections.abc import Sequence

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import Neo4jError

from graph import cypher

MIGRATION_ID = "aggregates-v1"
MIGRATION_ATTEMPTS = 5  # processes starting together (roles, replicas) race to backfill


def rebuild(tx: ManagedTransaction, ids: Sequence[str], gone: Sequence[str] = ()) -> None:
    """Recompute the aggregates of entities `ids` from their facts, and drop those of the
    entities `gone` (merged away), inside the caller's transaction."""
    if gone:
        tx.run(cypher.DROP_AGGREGATES, ids=list(gone)).consume()
    if ids:
        tx.run(cypher.REBUILD_AGGREGATES, ids=list(ids)).consume()


def migrate(driver: Driver, database: str | None = None) -> bool:
    """Backfill the aggregates and the keys they are found by, once per database; True when
    it ran. Recomputing from the facts is exact, so an interrupted run is simply run again."""
    for attempt in range(1, MIGRATION_ATTEMPTS + 1):
        done, _, _ = driver.execute_query(cypher.MIGRATION_DONE, id=MIGRATION_ID,
                                          database_=database)
        if done:
            return False
        try:
            _backfill(driver, database)
        except Neo4jError as e:
            # another process is backfilling the same entities: its rebuild is as exact as
            # ours, so wait for its marker (or run again once it has finished)
            if not _lost_race(e) or attempt == MIGRATION_ATTEMPTS:
                raise
            time.sleep(0.5 * attempt)
            continue
        driver.execute_query(cypher.MARK_MIGRATION, id=MIGRATION_ID, database_=database)
        return True
    return False


def _backfill(driver: Driver, database: str | None) -> None:
    # CALL … IN TRANSACTIONS needs auto-commit transactions (session.run)
    with driver.session(database=database) as session:
        for stmt in (cypher.BACKFILL_RELATIONSHIP_KEYS, cypher.BACKFILL_CONCERNS,
                     cypher.BACKFILL_ENTITIES):
            session.run(stmt).consume()


def _lost_race(e: Neo4jError) -> bool:
    """A uniqueness conflict on an aggregate node (directly or inside CALL … IN TRANSACTIONS)."""
    return "ConstraintValidationFailed" in (e.code or "") or "already exists" in str(e)
