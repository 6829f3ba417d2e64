"""Neo4j values → plain Python for responses."""

from __future__ import annotations

from typing import Any

from neo4j.time import Date, DateTime


def plain(value: Any) -> Any:
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
