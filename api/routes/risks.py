"""Risk signals by category, entity and time window."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api import cursor as cursors
from api.convert import day_start, to
from api.deps import ReadsDep
from api.errors import problems
from api.schemas import Page, RiskOut
from graph.reads import risks as risk_reads
from nlp.types import RiskCategory

router = APIRouter(tags=["risks"])


@router.get("/risks", response_model=Page[RiskOut], responses=problems(400, 422))
def list_risks(
    reads: ReadsDep,
    category: RiskCategory | None = None,
    entity: Annotated[str | None, Query(max_length=200, examples=["deepseek"],
                                        description="signals concerning this entity")] = None,
    since: Annotated[date | None, Query(description="published on or after")] = None,
    until: Annotated[date | None, Query(description="published before")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[RiskOut]:
    """Risk signals, newest first, each with its evidence sentence and article."""
    after = cursors.decode(cursor) if cursor else None
    rows = risk_reads.list_risks(reads, category=category, entity=entity, since=day_start(since),
                             until=day_start(until), cursor=after, limit=limit + 1)
    items = [to(RiskOut, r) for r in rows[:limit]]
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = cursors.encode(last.sort_key, last.id)  # type: ignore[arg-type]
    return Page[RiskOut](items=items, next_cursor=nxt)
