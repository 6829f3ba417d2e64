"""Neo4j values → plain Python for responses, and small row → model helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from neo4j.time import Date, DateTime

from graph import cypher

_KINDS = {label: kind for kind, label in cypher.ENTITY_LABELS.items()}


def plain(value: Any) -> Any:
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def kind_of(labels: list[str] | None) -> str | None:
    return next((_KINDS[lbl] for lbl in labels or [] if lbl in _KINDS), None)


def day_start(day: date | None) -> datetime | None:
    """A date filter as the UTC instant it starts (articles carry datetimes)."""
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def observation(row: dict[str, Any]) -> dict[str, Any]:
    """An OBSERVATIONS_* row → ObservationOut fields (provenance nested)."""
    obs = plain(row["obs"])
    keys = ("article_id", "article_url", "article_title", "published_at", "source_id",
            "source_name", "start", "end")
    return {**{k: obs.get(k) for k in ("id", "kind", "value", "period", "currency", "side",
                                          "as_of", "date", "quote", "subject_id",
                                          "subject_text")},
            "provenance": {k: plain(row.get(k)) for k in keys}}
