"""The response and request models several areas share (pages, problems, references,
observations, risks) and the value types of the API. An area's own models live with its
routes in `api/routes/<area>.py`; the OpenAPI document is generated from both."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from graph.labels import EntityKind, PublicLabel, TraversalRel
from nlp.types import MetricKind

Day = date  # a field named `date` must not shadow the type

NodeLabel = PublicLabel  # what exploration may return (graph.labels)
RelType = TraversalRel  # what exploration may cross (graph.labels)
Lang = Literal["zh", "en"]
Side = Literal["input", "output", "cached_input"]
Currency = Literal["CNY", "USD"]
Period = Literal["minute", "day", "week", "month", "year"]


class FieldError(BaseModel):
    loc: list[str]
    msg: str


class Problem(BaseModel):
    """RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field(default="/problems/not-found", description="a URI reference naming the "
                      "error (`/problems/<slug of the title>`); GET it for what it means",
                      examples=["/problems/query-timed-out"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["no entity with id 'x'"])
    instance: str | None = Field(default=None, examples=["/v1/entities/x"])
    errors: list[FieldError] | None = Field(
        default=None, description="for 422: the invalid parameters"
    )


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    neo4j: bool = Field(description="Neo4j answered a query")
    neo4j_uri: str | None = None


class Ready(BaseModel):
    ready: bool = Field(description="the service can serve requests")
    problems: list[str] = Field(default_factory=list, description="what keeps it from it",
                                examples=[["the knowledge base is not loaded"]])


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="pass as `cursor` for the next page; null on the last page"
    )


# --- provenance -------------------------------------------------------------------------------


class SourceRef(BaseModel):
    article_id: str = Field(examples=["a1b2c3d4e5f6a7b8c9d0"])
    article_url: str | None = Field(default=None, examples=["https://example.cn/news/1.html"])
    article_title: str | None = None
    published_at: datetime | None = None
    source_id: str | None = Field(default=None, examples=["xinhua-tech"])
    source_name: str | None = None
    start: int | None = Field(default=None, description="character offset of the figure")
    end: int | None = None


class ObservationOut(BaseModel):
    """One reported number, as reported, with the article (and source) that reported it."""

    id: str
    kind: MetricKind | str = Field(
        examples=["token_price"])
    value: float = Field(examples=[0.8])
    period: str | None = Field(default=None, examples=["day"])
    currency: str | None = Field(default=None, examples=["CNY"])
    side: str | None = Field(default=None, examples=["input"])
    as_of: Day | None = Field(default=None, description="the date the figure is reported for")
    date: Day | None = Field(default=None,
                              description="as_of, or the article's publication day")
    quote: str | None = Field(default=None, description="the sentence holding the figure")
    subject_id: str | None = Field(default=None, examples=["alibaba-cloud"])
    subject_text: str | None = None
    provenance: SourceRef


# --- entities ---------------------------------------------------------------------------------


class EntityRef(BaseModel):
    id: str = Field(examples=["alibaba-cloud"])
    kind: EntityKind | None = Field(default=None, examples=["company"])
    name: str | None = Field(default=None, examples=["阿里云"])


class EntityHit(EntityRef):
    name_zh: str | None = None
    name_en: str | None = Field(default=None, examples=["Alibaba Cloud"])
    aliases: list[str] = []
    tickers: list[str] = []
    kb: bool = False
    score: float = Field(description="relevance (exact id and ticker matches rank first)")


class ArticleRef(BaseModel):
    id: str
    url: str | None = None
    title: str | None = None
    lang: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    source_name: str | None = None


class MentioningArticle(ArticleRef):
    count: int | None = Field(default=None, description="mentions in this article")
    sentence: str | None = Field(default=None, description="the first mentioning sentence")


class RiskOut(BaseModel):
    id: str
    category: str = Field(examples=["policy_regulatory"])
    score: float | None = None
    quote: str | None = Field(default=None, description="the evidence sentence")
    article_id: str
    article_title: str | None = None
    article_url: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    start: int | None = None
    end: int | None = None
    entities: list[str] = []


# --- sources -------------------------------------------------------------------------------


class SourceOut(BaseModel):
    id: str
    name: str | None = None
    kind: str | None = None
    lang: str | None = None
    url: str | None = None
