"""Typed hand-off objects produced by the crawlers and consumed by nlp/graph/tokenwatch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["zh", "en"]
SourceKind = Literal["policy", "industry", "company", "intl"]
Clock = Callable[[], datetime]  # returns an aware "now"; the edges pass the system clock


class PolicyFields(BaseModel):
    """Extra fields a policy page yields (gov.cn, MIIT, CAC, NDRC …)."""

    model_config = ConfigDict(frozen=True)

    doc_number: str | None = None  # e.g. 国发〔2025〕11号
    issuer: str | None = None  # issuing body as printed on the page
    issued_at: date | None = None
    effective_at: date | None = None
    attachments: tuple[str, ...] = ()  # absolute URLs of PDF/DOC/WPS attachments


class Article(BaseModel):
    """One fetched and parsed article, ready for extraction and linking."""

    model_config = ConfigDict(frozen=True)

    id: str  # stable: derived from canonical_url (see crawlers.urls.article_id)
    url: str
    canonical_url: str
    source_id: str
    title: str
    text: str
    lang: Lang
    published_at: datetime | None = None
    fetched_at: datetime
    content_hash: str  # sha256 hex of the normalised body text
    simhash: int | None = None  # signed 64-bit simhash of the body (fits a Neo4j integer)
    etag: str | None = None
    last_modified: str | None = None
    policy: PolicyFields | None = None
    # extra per-site fields, recorded not lost
    raw_meta: dict[str, str] = Field(default_factory=dict)


class PageState(BaseModel):
    """What the store already knows about a page, for conditional GET and change detection."""

    model_config = ConfigDict(frozen=True)

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None


class WriteResult(BaseModel):
    """What a sink did with one batch of articles."""

    new: int = 0
    unchanged: int = 0
    duplicates: int = 0  # near-duplicates linked DUPLICATE_OF to an earlier copy
    errors: int = 0


class CrawlRunStats(BaseModel):
    """One crawl of one source (stored as a CrawlRun node)."""

    id: str
    source_id: str
    started_at: datetime
    ended_at: datetime | None = None
    pages_fetched: int = 0
    new_articles: int = 0
    unchanged: int = 0
    duplicates: int = 0
    errors: dict[str, int] = Field(default_factory=dict)  # error kind -> count
    status: Literal["ok", "failed", "partial"] = "ok"


class CrawlProgress(BaseModel):
    """A progress event for the CLI's display, emitted from the crawl's event loop (keep the
    callback fast and non-blocking). `phase`: start | page | article | error | done."""

    source_id: str
    phase: Literal["start", "page", "article", "error", "done"]
    url: str | None = None
    pages_fetched: int = 0
    articles: int = 0
    errors: int = 0
    detail: str | None = None  # error kind for phase "error"
    stats: CrawlRunStats | None = None  # set for phase "done"
