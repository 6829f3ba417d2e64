"""ApiKey nodes: only hashes are stored. Hashing and key formats live in api.auth."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from graph import cypher

Row = dict[str, Any]


def _plain(row: Row) -> Row:
    created = row.get("created_at")
    if created is not None and hasattr(created, "to_native"):
        row = {**row, "created_at": created.to_native()}
    return row


def create_key(driver: Driver, key_id: str, owner: str, role: str, name: str, key_hash: str,
               database: str | None = None) -> Row:
    records, _, _ = driver.execute_query(
        cypher.CREATE_API_KEY, id=key_id, owner=owner, role=role, name=name, hash=key_hash,
        database_=database,
    )
    return _plain(records[0]["key"])


def ensure_key(driver: Driver, key_id: str, owner: str, role: str, name: str, key_hash: str,
               database: str | None = None) -> Row:
    """Create or reset (un-revoke, same hash) a key: used for the bootstrap admin key."""
    records, _, _ = driver.execute_query(
        cypher.ENSURE_API_KEY, id=key_id, owner=owner, role=role, name=name, hash=key_hash,
        database_=database,
    )
    return _plain(records[0]["key"])


def get_key(driver: Driver, key_id: str, database: str | None = None,
            timeout: float | None = None) -> Row | None:
    from neo4j import Query

    records, _, _ = driver.execute_query(
        Query(cypher.GET_API_KEY, timeout=timeout), {"id": key_id}, database_=database,
        routing_="r",
    )
    return _plain(records[0]["key"]) if records else None


def list_keys(driver: Driver, owner: str | None = None, limit: int = 1000,
              database: str | None = None) -> list[Row]:
    records, _, _ = driver.execute_query(
        cypher.LIST_API_KEYS, owner=owner, limit=limit, database_=database, routing_="r"
    )
    return [_plain(r["key"]) for r in records]


def revoke_key(driver: Driver, key_id: str, database: str | None = None) -> Row | None:
    records, _, _ = driver.execute_query(cypher.REVOKE_API_KEY, id=key_id, database_=database)
    return _plain(records[0]["key"]) if records else None
