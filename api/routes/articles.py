from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import cursor as cursors
from api.convert import plain
from api.deps import DriverDep, Neo4jSettingsDep, SettingsDep
from api.schemas import ArticleSummary, Page, Problem
from graph import reader

router = APIRouter(tags=["articles"])


@router.get(
    "/articles",
    response_model=Page[ArticleSummary],
    responses={400: {"model": Problem, "description": "bad cursor"},
               422: {"model": Problem, "description": "invalid parameters"}},
)
def list_articles(
    driver: DriverDep,
    neo4j: Neo4jSettingsDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=200, description="page size")] = 20,
    cursor: Annotated[str | None, Query(max_length=200, description="from `next_cursor`")] = None,
) -> Page[ArticleSummary]:
    """Articles, newest first (by publication time), with keyset pagination."""
    after = cursors.decode(cursor) if cursor else None
    rows = reader.list_articles(driver, limit + 1, after, neo4j.database, settings.query_timeout_s)
    items = [ArticleSummary(**plain({k: v for k, v in r.items() if k != "sort_key"}))
             for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = cursors.encode(plain(last["sort_key"]), last["id"])
    return Page[ArticleSummary](items=items, next_cursor=next_cursor)
