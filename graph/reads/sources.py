"""Sources and crawl runs: health, article counts and the latest runs."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from graph.cypher import articles as queries
from graph.reads.base import (
    ReadModel,
    Reads,
    Record,
    Row,
    SourceInfo,
)
from graph.temporal import native


class CrawlRun(ReadModel):
    id: str | None = None
    source_id: str | None = None
    status: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    pages_fetched: int | None = None
    new_articles: int | None = None
    unchanged: int | None = None
    duplicates: int | None = None
    errors_total: int | None = None
    errors: dict[str, int] = {}
    health: str | None = None
    health_reason: str | None = None
    detail: str | None = None

    @classmethod
    def of(cls, row: Row) -> CrawlRun:
        run = native(dict(row))
        kinds, counts = run.pop("error_kinds", None) or [], run.pop("error_counts", None) or []
        return cls.model_validate({**{k: v for k, v in run.items() if k in cls.model_fields},
                                   "errors": dict(zip(kinds, counts, strict=False))})


class SourceSummary(SourceInfo):
    articles: int
    runs: list[CrawlRun] = Field(default=[], description="the latest runs, newest first")


class SourceDetail(SourceSummary):
    last_published: datetime | None = None


def _source(row: Record) -> Record:
    """A SOURCE_* row's fields; runs without an id (no run yet) are left out."""
    return {**row["source"], **{k: v for k, v in row.items() if k != "source"},
            "runs": [CrawlRun.of(c) for c in row["runs"] if c.get("id")]}


def list_sources(r: Reads, after_id: str | None, limit: int,
                 window: int = 10) -> list[SourceSummary]:
    rows = r.rows(queries.SOURCE_LIST, after_id=after_id, limit=limit, window=window)
    return [SourceSummary.of(_source(row)) for row in rows]


def source_detail(r: Reads, source_id: str, window: int = 10) -> SourceDetail | None:
    rows = r.rows(queries.SOURCE_DETAIL, id=source_id, window=window)
    return SourceDetail.of(_source(rows[0])) if rows else None


def crawl_runs(r: Reads, *, source: str | None, status: str | None,
               cursor: tuple[datetime, str] | None, limit: int) -> list[CrawlRun]:
    started, cid = cursor if cursor else (None, None)
    rows = r.rows(queries.CRAWL_RUNS, source=source, status=status, cursor_started=started,
                  cursor_id=cid, limit=limit)
    return [CrawlRun.of(row["run"]) for row in rows]
