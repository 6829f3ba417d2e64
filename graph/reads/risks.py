"""Risk signals: listings with their evidence sentence and article."""

from __future__ import annotations

from datetime import datetime

from graph.cypher import articles as queries
from graph.reads.base import (
    ReadModel,
    Reads,
    Row,
)
from graph.temporal import native


class Risk(ReadModel):
    """A risk signal with its evidence and article (`sort_key` orders listings)."""

    id: str
    category: str
    score: float | None = None
    quote: str | None = None
    article_id: str
    article_title: str | None = None
    article_url: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    start: int | None = None
    end: int | None = None
    entities: list[str] = []
    sort_key: datetime | None = None

    @classmethod
    def of(cls, row: Row) -> Risk:
        flat = {**row.get("risk", {}), **{k: v for k, v in row.items() if k != "risk"}}
        return cls.model_validate(native(flat))


def list_risks(r: Reads, *, category: str | None, entity: str | None, since: datetime | None,
               until: datetime | None, cursor: tuple[datetime, str] | None,
               limit: int) -> list[Risk]:
    published, rid = cursor if cursor else (None, None)
    rows = r.rows(queries.RISK_LIST, category=category, entity=entity, since=since, until=until,
                  cursor_published=published, cursor_id=rid, limit=limit)
    return [Risk.of(row) for row in rows]
