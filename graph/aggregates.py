"""The writer-kept aggregates (graph.cypher.aggregates) outside ingest: rebuilt after curated
merges, and backfilled once into a database written before they existed."""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import Driver, ManagedTransaction

from graph import cypher

MIGRATION_ID = "aggregates-v1"


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
    done, _, _ = driver.execute_query(cypher.MIGRATION_DONE, id=MIGRATION_ID,
                                      database_=database)
    if done:
        return False
    # CALL … IN TRANSACTIONS needs auto-commit transactions (session.run)
    with driver.session(database=database) as session:
        for stmt in (cypher.BACKFILL_RELATIONSHIP_KEYS, cypher.BACKFILL_CONCERNS,
                     cypher.BACKFILL_ENTITIES):
            session.run(stmt).consume()
    driver.execute_query(cypher.MARK_MIGRATION, id=MIGRATION_ID, database_=database)
    return True
