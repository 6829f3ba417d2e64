"""Policies: list and filter (issuer, date, status, keyword), detail with sources."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api import cursor as cursors
from api.convert import to
from api.deps import ReadsDep
from api.errors import NotFound, problems
from api.schemas import (
    Day,
    MentioningArticle,
    Page,
)
from graph.reads import policies as policy_reads


class PolicySummary(BaseModel):
    id: str = Field(examples=["ai-plus-opinions"])
    name: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    title: str | None = None
    doc_number: str | None = Field(default=None, examples=["国发〔2025〕11号"])
    issued_at: Day | None = None
    effective_at: Day | None = None
    status: str | None = Field(default=None, examples=["in_force"])
    kb: bool | None = None
    issuer_id: str | None = Field(default=None, examples=["state-council"])
    issuer_name: str | None = None


class Issuer(BaseModel):
    id: str
    name: str | None = None
    name_en: str | None = None
    source: str | None = None
    article_id: str | None = None


class CompanyCount(BaseModel):
    id: str
    name: str | None = None
    articles: int


class PolicyDetail(PolicySummary):
    aliases: list[str] = []
    issuers: list[Issuer] = []
    articles: list[MentioningArticle] = []
    companies: list[CompanyCount] = Field(default=[],
                                          description="companies mentioned with the policy")



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
    rows = policy_reads.list_policies(reads, issuer=issuer, status=status, since=since, until=until,
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
    found = policy_reads.policy_detail(reads, policy_id)
    if found is None:
        raise NotFound(f"no policy with id {policy_id!r}")
    issuer = found.issuer
    return PolicyDetail.model_validate(
        {**found.model_dump(exclude_none=True), "issuer_id": issuer.id if issuer else None,
         "issuer_name": issuer.name if issuer else None})
