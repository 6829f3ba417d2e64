"""Sources and crawl runs: list, health, history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api import cursor as cursors
from api.convert import to
from api.deps import ReadsDep
from api.errors import NotFound, problems
from api.schemas import (
    Page,
    SourceOut,
)
from crawlers.health import UNHEALTHY_AFTER
from graph.reads import sources as source_reads


class CrawlRunOut(BaseModel):
    id: str
    source_id: str | None = None
    status: str | None = Field(default=None, examples=["ok"])
    started_at: datetime | None = None
    ended_at: datetime | None = None
    pages_fetched: int | None = None
    new_articles: int | None = None
    unchanged: int | None = None
    duplicates: int | None = None
    errors_total: int | None = None
    errors: dict[str, int] = {}
    health: str | None = Field(default=None, examples=["ok"],
                               description="ok | degraded | blocked_by_robots")
    health_reason: str | None = None
    detail: str | None = Field(
        default=None,
        description="why the run failed, in words with the URLs (first few failures)",
        examples=["robots.txt disallows https://www.example.cn/news/; HTTP 404 at "
                  "https://www.example.cn/a/1.html"],
    )


class SourceHealth(BaseModel):
    status: Literal["ok", "degraded", "failing", "blocked_by_robots", "never_run"] = Field(
        description="from the latest runs: ok (last ok), degraded (last partial or some "
        "failures, or the last run yielded no links/fields where earlier runs did), failing "
        "(last runs all failed), blocked_by_robots (robots.txt disallows the crawler), never_run")
    reason: str | None = Field(default=None, description="why, for degraded/blocked_by_robots "
                               "runs: the selector or path that matched nothing, the robots rule")
    last_run_at: datetime | None = None
    last_success_at: datetime | None = None
    runs_considered: int
    failed_runs: int
    error_rate: float = Field(description="errors per fetched page over the runs considered")


class SourceSummary(SourceOut):
    articles: int
    health: SourceHealth


class SourceDetail(SourceSummary):
    last_published: datetime | None = None
    recent_runs: list[CrawlRunOut] = []  # noqa: RUF012 (a pydantic model: copied per instance)



router = APIRouter(tags=["sources"])

WINDOW = 10
_CONDITIONS = ("degraded", "blocked_by_robots")


def health(latest: Sequence[source_reads.CrawlRun | Mapping[str, Any]]) -> SourceHealth:
    """Pure: a source's health from its latest runs (newest first)."""
    runs = [r.model_dump() if isinstance(r, source_reads.CrawlRun) else r for r in latest]
    runs = [r for r in runs if r.get("id")]
    if not runs:
        return SourceHealth(status="never_run", runs_considered=0, failed_runs=0, error_rate=0.0)
    failed = sum(1 for r in runs if r.get("status") == "failed")
    last = runs[0]
    status: Literal["ok", "degraded", "failing", "blocked_by_robots"]
    streak = next((i for i, r in enumerate(runs) if r.get("status") != "failed"), len(runs))
    reason = last.get("health_reason") if last.get("health") in _CONDITIONS else None
    if last.get("health") == "blocked_by_robots":  # say why it is empty, not just "failing"
        status = "blocked_by_robots"
    elif streak >= UNHEALTHY_AFTER:  # N failed runs in a row: unhealthy
        status = "failing"
    elif last.get("health") == "degraded" or last.get("status") in ("partial", "failed") or failed:
        status = "degraded"
    else:
        status = "ok"
    ok_runs = [r for r in runs if r.get("status") == "ok"]
    pages = sum(int(r.get("pages_fetched") or 0) for r in runs)
    errors = sum(int(r.get("errors_total") or 0) for r in runs)
    return SourceHealth(
        status=status, reason=reason, last_run_at=last.get("started_at"),
        last_success_at=ok_runs[0].get("started_at") if ok_runs else None,
        runs_considered=len(runs), failed_runs=failed,
        error_rate=round(errors / pages, 4) if pages else float(errors > 0),
    )


def _run(run: source_reads.CrawlRun) -> CrawlRunOut:
    return to(CrawlRunOut, run)


@router.get("/sources", response_model=Page[SourceSummary], responses=problems(400, 422))
def list_sources(reads: ReadsDep, limit: Annotated[int, Query(ge=1, le=200)] = 100,
                 cursor: Annotated[str | None, Query(max_length=200)] = None,
                 ) -> Page[SourceSummary]:
    """Sources with their article counts and crawl health (from the latest runs)."""
    after = cursors.decode_key(cursor) if cursor else None
    rows = source_reads.list_sources(reads, after, limit + 1, WINDOW)
    items = [SourceSummary.model_validate({**r.model_dump(exclude={"runs"}),
                                           "health": health(r.runs)}) for r in rows[:limit]]
    nxt = cursors.encode_key(rows[limit - 1].id) if len(rows) > limit else None
    return Page[SourceSummary](items=items, next_cursor=nxt)


SourceId = Annotated[str, Path(min_length=1, max_length=200, examples=["miit-news"])]


@router.get("/sources/{source_id}", response_model=SourceDetail, responses=problems(404, 422))
def get_source(source_id: SourceId, reads: ReadsDep) -> SourceDetail:
    """A source, its health and its most recent crawl runs."""
    found = source_reads.source_detail(reads, source_id, WINDOW)
    if found is None:
        raise NotFound(f"no source with id {source_id!r}")
    return SourceDetail.model_validate({**found.model_dump(exclude={"runs"}),
                                        "health": health(found.runs),
                                        "recent_runs": [_run(r) for r in found.runs]})


@router.get("/crawl-runs", response_model=Page[CrawlRunOut], responses=problems(400, 422))
def list_crawl_runs(
    reads: ReadsDep,
    source: Annotated[str | None, Query(max_length=200, description="source id")] = None,
    status: Annotated[str | None, Query(pattern="^(ok|failed|partial)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[CrawlRunOut]:
    """Crawl run history, newest first."""
    after = cursors.decode(cursor) if cursor else None
    rows = source_reads.crawl_runs(reads, source=source, status=status, cursor=after,
                                   limit=limit + 1)
    items = [_run(r) for r in rows[:limit]]
    nxt = None
    if len(rows) > limit and items[-1].started_at is not None:
        nxt = cursors.encode(items[-1].started_at, items[-1].id)
    return Page[CrawlRunOut](items=items, next_cursor=nxt)


@router.get("/sources/{source_id}/runs", response_model=Page[CrawlRunOut],
            responses=problems(400, 404, 422))
def source_runs(source_id: SourceId, reads: ReadsDep,
                limit: Annotated[int, Query(ge=1, le=200)] = 50,
                cursor: Annotated[str | None, Query(max_length=200)] = None,
                ) -> Page[CrawlRunOut]:
    """One source's crawl run history, newest first."""
    if source_reads.source_detail(reads, source_id, 1) is None:
        raise NotFound(f"no source with id {source_id!r}")
    return list_crawl_runs(reads, source_id, None, limit, cursor)
