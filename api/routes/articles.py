"""Articles: list with filters, full-text search (zh/en, cjk index), detail with extractions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from api import cursor as cursors
from api.convert import day_start, kind_of, plain
from api.deps import ReadsDep
from api.errors import NotFound, problems
from api.schemas import (
    ArticleDetail,
    ArticleObservation,
    ArticleRisk,
    ArticleSummary,
    Lang,
    MentionOut,
    Page,
)
from graph import reader
from graph.fulltext import lucene_query

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
            until: date | None) -> reader.ArticleFilter:
    return reader.ArticleFilter(source=source, entity=entity, lang=lang, since=day_start(since),
                                until=day_start(until))


def _summary(row: dict[str, Any]) -> ArticleSummary:
    return ArticleSummary(**plain({k: v for k, v in row.items() if k != "sort_key"}))


@router.get("/articles", response_model=Page[ArticleSummary], responses=problems(400, 422))
def list_articles(
    reads: ReadsDep, source: Source = None, entity: Entity = None, lang: LangQ = None,
    since: Since = None, until: Until = None, limit: Limit = 20, cursor: Cursor = None,
) -> Page[ArticleSummary]:
    """Articles, newest first (by publication time), filtered, with keyset pagination."""
    after = cursors.decode(cursor) if cursor else None
    rows = reader.list_articles(reads, _filter(source, entity, lang, since, until), limit + 1,
                                after)
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = cursors.encode(plain(last["sort_key"]), last["id"])
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
    rows = reader.search_articles(reads, lucene, _filter(source, entity, lang, since, until),
                                  skip, limit + 1, SEARCH_CAP)
    nxt = cursors.encode_offset(skip + limit) if len(rows) > limit else None
    return Page[ArticleSummary](items=[_summary(r) for r in rows[:limit]], next_cursor=nxt)


_POLICY_FIELDS = ("doc_number", "issuer", "issued_at", "effective_at", "attachments")


@router.get("/articles/{article_id}", response_model=ArticleDetail,
            responses=problems(404, 422))
def get_article(
    article_id: Annotated[str, Path(min_length=1, max_length=200,
                                    examples=["a1b2c3d4e5f6a7b8c9d0"])],
    reads: ReadsDep,
) -> ArticleDetail:
    """One article with everything extracted from it: entities (offsets, sentences), figures,
    risk signals, policy fields and duplicates."""
    found = reader.article_detail(reads, article_id)
    if found is None:
        raise NotFound(f"no article with id {article_id!r}")
    art = plain(found["article"])
    return ArticleDetail(
        **{k: art.get(k) for k in ("id", "url", "canonical_url", "title", "text", "lang",
                                   "published_at", "fetched_at", "content_hash")},
        source=found["source"],
        policy_fields={k: art[k] for k in _POLICY_FIELDS if art.get(k) not in (None, [])},
        duplicate_of=found["duplicate_of"], duplicates=found["duplicates"],
        mentions=[MentionOut.model_validate({**m, "kind": kind_of(m["labels"])})
                  for m in found["mentions"]],
        observations=[ArticleObservation.model_validate(
                          {**plain(o["obs"]), "start": o["start"], "end": o["end"]})
                      for o in found["observations"]],
        risks=[ArticleRisk.model_validate({**r["risk"], "start": r["start"], "end": r["end"],
                                           "entities": r["entities"]})
               for r in found["risks"]],
    )
