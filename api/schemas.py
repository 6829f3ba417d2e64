"""Response models (the OpenAPI document is generated from these)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    neo4j: bool = Field(description="Neo4j answered a query")
    neo4j_uri: str | None = None


class ArticleSummary(BaseModel):
    id: str
    url: str
    title: str
    lang: str | None = None
    published_at: datetime | None = None
    source_id: str
    source_name: str | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="pass as `cursor` for the next page; null on the last page"
    )


class ObservationOut(BaseModel):
    id: str
    kind: str
    value: float
    period: str | None = None
    currency: str | None = None
    side: str | None = None
    as_of: date | None = None
    quote: str | None = None
    subject_id: str | None = None
    subject_text: str | None = None
    article_id: str
    article_url: str
    article_title: str | None = None
    published_at: datetime | None = None


class EntityProfile(BaseModel):
    id: str
    kind: str
    name: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    aliases: list[str] = []
    kb: bool = False
    mention_count: int = Field(description="mentions across all articles")
    article_count: int
    latest_observations: list[ObservationOut]
    properties: dict[str, Any] = {}
