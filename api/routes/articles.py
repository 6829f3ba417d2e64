"""Articles: list with filters, full-text search (zh/en, cjk index), detail with extractions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api import cursor as cursors
from api.convert import day_start, to
from api.deps import ReadsDep
from api.errors import NotFound, problems
from api.schemas import (
    ArticleRef,
    Day,
    Lang,
    Page,
    SourceOut,
)
from graph.fulltext import lucene_query
from graph.reads import articles as article_reads


class ArticleSummary(ArticleRef):
    score: float | None = Field(default=None, description="full-text relevance (search only)")


class MentionOut(BaseModel):
    id: str
    name: str | None = None
    kind: str | None = None
    count: int | None = None
    offsets: list[int] = Field(default=[], description="start, end pairs into title+\\n\\n+text")
    surfaces: list[str] = []
    sentences: list[str] = []


class ArticleObservation(BaseModel):
    id: str
    kind: str
    value: float
    period: str | None = None
    currency: str | None = None
    side: str | None = None
    as_of: Day | None = None
    quote: str | None = None
    subject_id: str | None = None
    subject_text: str | None = None
    start: int | None = None
    end: int | None = None


class ArticleRisk(BaseModel):
    id: str
    category: str
    score: float | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    entities: list[str] = []


class ArticleDetail(BaseModel):
    id: str
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    text: str | None = None
    lang: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    content_hash: str | None = None
    source: SourceOut | None = None
    policy_fields: dict[str, Any] = Field(default={}, description="doc number, issuer, dates")
    duplicate_of: str | None = None
    duplicates: int = 0
    mentions: list[MentionOut] = []
    observations: list[ArticleObservation] = []
    risks: list[ArticleRisk] = []



router = APIRouter(tags=["articles"])
SEARCH_CAP = 2000

Source = Annotated[str | None, Query(max_length=200, description="source id",
                                     examples=["miit-news"])]
Entity = Annotated[str | None, Query(max_length=200, description="articles mentioning it",
                                     examples=["deepseek"])]
LangQ = Annotated[Lang | None, Query(description="zh or en")]
Since = Annotated[date | None, Query(description="published on or after (UTC day)")]
Until = Annotated[date | None, Query(description="published before (UTC day)")]
Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Cursor = Annotated[str | None, Query(max_length=200, description="from `next_cursor`")]


def _filter(source: str | None, entity: str | None, lang: str | None, since: date | None,
            until: date | None) -> article_reads.ArticleFilter:
    return article_reads.ArticleFilter(source=source, entity=entity, lang=lang,
                                       since=day_start(since), until=day_start(until))


def _summary(hit: article_reads.ArticleHit) -> ArticleSummary:
    return to(ArticleSummary, hit)


@router.get("/articles", response_model=Page[ArticleSummary], responses=problems(400, 422))
def list_articles(
    reads: ReadsDep, source: Source = None, entity: Entity = None, lang: LangQ = None,
    since: Since = None, until: Until = None, limit: Limit = 20, cursor: Cursor = None,
) -> Page[ArticleSummary]:
    """Articles, newest first (by publication time), filtered, with keyset pagination."""
    after = cursors.decode(cursor) if cursor else None
    rows = article_reads.list_articles(reads, _filter(source, entity, lang, since, until),
                                       limit + 1, after)
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = cursors.encode(last.sort_key, last.id)  # type: ignore[arg-type]
    return Page[ArticleSummary](items=[_summary(r) for r in rows[:limit]], next_cursor=nxt)


@router.get("/articles/search", response_model=Page[ArticleSummary],
            responses=problems(400, 422))
def search_articles(
    reads: ReadsDep,
    q: Annotated[str, Query(min_length=1, max_length=500, examples=["词元 调用量"],
                            description="words in Chinese or English (title and text)")],
    source: Source = None, entity: Entity = None, lang: LangQ = None, since: Since = None,
    until: Until = None, limit: Limit = 20, cursor: Cursor = None,
    match: Annotated[Literal["all", "any"], Query(description="every word, or any word")] = "all",
) -> Page[ArticleSummary]:
    """Full-text search (cjk analyzer: Chinese bigrams, English words), best first."""
    skip = cursors.decode_offset(cursor, SEARCH_CAP)
    lucene = lucene_query(q, all_terms=match == "all")
    if lucene is None:
        return Page[ArticleSummary](items=[])
    rows = article_reads.search_articles(reads, lucene, _filter(source, entity, lang, since, until),
                                  skip, limit + 1, SEARCH_CAP)
    nxt = cursors.encode_offset(skip + limit) if len(rows) > limit else None
    return Page[ArticleSummary](items=[_summary(r) for r in rows[:limit]], next_cursor=nxt)


@router.get("/articles/{article_id}", response_model=ArticleDetail,
            responses=problems(404, 422))
def get_article(
    article_id: Annotated[str, Path(min_length=1, max_length=200,
                                    examples=["a1b2c3d4e5f6a7b8c9d0"])],
    reads: ReadsDep,
) -> ArticleDetail:
    """One article with everything extracted from it: entities (offsets, sentences), figures,
    risk signals, policy fields and duplicates."""
    found = article_reads.article_detail(reads, article_id)
    if found is None:
        raise NotFound(f"no article with id {article_id!r}")
    return to(ArticleDetail, found)
