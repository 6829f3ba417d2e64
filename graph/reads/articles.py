"""Articles: listings, full-text search and an article with everything read from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import ManagedTransaction

from graph.cypher import articles as queries
from graph.reads.base import (
    ArticleRef,
    Figure,
    ReadModel,
    Reads,
    Record,
    Row,
    SourceInfo,
    data,
    kind_of,
)
from graph.temporal import native


class ArticleHit(ArticleRef):
    """A listed or found article (`score` from full-text search, `sort_key` for listings)."""

    score: float | None = None
    sort_key: datetime | None = None


class Mention(ReadModel):
    id: str
    name: str | None = None
    kind: str | None = None
    count: int | None = None
    offsets: list[int] = []
    surfaces: list[str] = []
    sentences: list[str] = []

    @classmethod
    def of(cls, row: Row) -> Mention:
        return cls.model_validate(native({**row, "kind": kind_of(row["labels"])}))


class ArticleObservation(Figure):
    """A figure with its offsets in the article it was read from."""

    start: int | None = None
    end: int | None = None

    @classmethod
    def of(cls, row: Row) -> ArticleObservation:
        return cls.model_validate(native({**row["obs"], "start": row["start"],
                                          "end": row["end"]}))


class ArticleRisk(ReadModel):
    id: str
    category: str
    score: float | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    entities: list[str] = []

    @classmethod
    def of(cls, row: Row) -> ArticleRisk:
        return cls.model_validate(native({**row["risk"], "start": row["start"],
                                          "end": row["end"], "entities": row["entities"]}))


POLICY_FIELDS = ("doc_number", "issuer", "issued_at", "effective_at", "attachments")


class ArticleDetail(ReadModel):
    id: str
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    text: str | None = None
    lang: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    content_hash: str | None = None
    source: SourceInfo | None = None
    policy_fields: dict[str, Any] = {}
    duplicate_of: str | None = None
    duplicates: int = 0
    mentions: list[Mention] = []
    observations: list[ArticleObservation] = []
    risks: list[ArticleRisk] = []


@dataclass(frozen=True)
class ArticleFilter:
    source: str | None = None
    entity: str | None = None
    lang: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def params(self) -> Record:
        return {"source": self.source, "entity": self.entity, "lang": self.lang,
                "since": self.since, "until": self.until}


def list_articles(r: Reads, flt: ArticleFilter, limit: int,
                  cursor: tuple[datetime, str] | None) -> list[ArticleHit]:
    published, aid = cursor if cursor else (None, None)
    rows = r.rows(queries.ARTICLE_LIST, **flt.params(), limit=limit, cursor_published=published,
                  cursor_id=aid)
    return [ArticleHit.of(row) for row in rows]


def search_articles(r: Reads, lucene: str, flt: ArticleFilter, skip: int, limit: int,
                    cap: int = 2000) -> list[ArticleHit]:
    rows = r.rows(queries.ARTICLE_SEARCH, lucene=lucene, **flt.params(), skip=skip, limit=limit,
                  cap=cap)
    return [ArticleHit.of(row) for row in rows]


def article_detail(r: Reads, article_id: str, limit: int = 200) -> ArticleDetail | None:
    def work(tx: ManagedTransaction) -> ArticleDetail | None:
        rows = data(tx, queries.ARTICLE_DETAIL, id=article_id)
        if not rows:
            return None
        a, art = rows[0], native(rows[0]["article"])
        q = {"id": article_id, "limit": limit}
        return ArticleDetail.model_validate({
            **art, "source": a["source"], "duplicate_of": a["duplicate_of"],
            "duplicates": a["duplicates"],
            "policy_fields": {k: art[k] for k in POLICY_FIELDS
                              if art.get(k) not in (None, [])},
            "mentions": [Mention.of(x) for x in data(tx, queries.ARTICLE_MENTIONS, **q)],
            "observations": [ArticleObservation.of(x)
                             for x in data(tx, queries.ARTICLE_OBSERVATIONS, **q)],
            "risks": [ArticleRisk.of(x) for x in data(tx, queries.ARTICLE_RISKS, **q)],
        })

    return r.tx(work)
