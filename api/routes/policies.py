"""Policies: list and filter (issuer, date, status, keyword), detail with sources."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import cursor as cursors
from api.convert import to
from api.deps import ReadsDep
from api.errors import NotFound, problems
from api.schemas import Page, PolicyDetail, PolicySummary
from graph import reader

router = APIRouter(tags=["policies"])


@router.get("/policies", response_model=Page[PolicySummary], responses=problems(400, 422))
def list_policies(
    reads: ReadsDep,
    issuer: Annotated[str | None, Query(max_length=200, examples=["cac"],
                                        description="issuing agency id")] = None,
    status: Annotated[str | None, Query(max_length=50, examples=["in_force"])] = None,
    since: Annotated[date | None, Query(description="issued on or after")] = None,
    until: Annotated[date | None, Query(description="issued on or before")] = None,
    q: Annotated[str | None, Query(max_length=200, examples=["人工智能"],
                                   description="keyword in name, title, aliases or doc number")]
    = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[PolicySummary]:
    """Policies, most recently issued first."""
    after = cursors.decode_date(cursor) if cursor else None
    rows = reader.list_policies(reads, issuer=issuer, status=status, since=since, until=until,
                                q=q, after=after, limit=limit + 1)
    items = [to(PolicySummary, r) for r in rows[:limit]]
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = cursors.encode_date(last.sort_key, last.id)  # type: ignore[arg-type]
    return Page[PolicySummary](items=items, next_cursor=nxt)


@router.get("/policies/{policy_id}", response_model=PolicyDetail, responses=problems(404, 422))
def get_policy(
    policy_id: Annotated[str, Path(min_length=1, max_length=200, examples=["ai-plus-opinions"])],
    reads: ReadsDep,
) -> PolicyDetail:
    """A policy with issuer, document number, dates, the articles reporting it and the
    companies mentioned with it."""
    found = reader.policy_detail(reads, policy_id)
    if found is None:
        raise NotFound(f"no policy with id {policy_id!r}")
    issuer = found.issuer
    return PolicyDetail.model_validate(
        {**found.model_dump(exclude_none=True), "issuer_id": issuer.id if issuer else None,
         "issuer_name": issuer.name if issuer else None})
