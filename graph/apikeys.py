"""ApiKey nodes: only hashes are stored. Hashing and key formats live in api.auth."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import field_validator

from graph import cypher
from graph.access import Graph
from graph.reads.base import ReadModel


class ApiKey(ReadModel):
    """A stored key; `hash` is read only where the key is checked (`get_key`)."""

    id: str
    owner: str
    role: str | None = None  # None: not a key any role check accepts
    name: str | None = None
    created_at: datetime | None = None
    revoked: bool = False
    hash: str | None = None

    @field_validator("revoked", mode="before")
    @classmethod
    def _revoked(cls, value: Any) -> bool:
        return bool(value)


def _written(g: Graph, query: str, **params: Any) -> ApiKey | None:
    rows = g.write_rows(query, **params)
    return ApiKey.of(rows[0]["key"]) if rows else None


def create_key(g: Graph, key_id: str, owner: str, role: str, name: str,
               key_hash: str) -> ApiKey:
    key = _written(g, cypher.CREATE_API_KEY, id=key_id, owner=owner, role=role, name=name,
                   hash=key_hash)
    assert key is not None  # CREATE always returns its node
    return key


def ensure_key(g: Graph, key_id: str, owner: str, role: str, name: str,
               key_hash: str) -> ApiKey:
    """Create or reset (un-revoke, same hash) a key: used for the bootstrap admin key."""
    key = _written(g, cypher.ENSURE_API_KEY, id=key_id, owner=owner, role=role, name=name,
                   hash=key_hash)
    assert key is not None  # MERGE always returns its node
    return key


def get_key(g: Graph, key_id: str) -> ApiKey | None:
    rows = g.rows(cypher.GET_API_KEY, id=key_id)
    return ApiKey.of(rows[0]["key"]) if rows else None


def list_keys(g: Graph, owner: str | None = None, limit: int = 1000) -> list[ApiKey]:
    return [ApiKey.of(r["key"]) for r in g.rows(cypher.LIST_API_KEYS, owner=owner, limit=limit)]


def revoke_key(g: Graph, key_id: str) -> ApiKey | None:
    return _written(g, cypher.REVOKE_API_KEY, id=key_id)
