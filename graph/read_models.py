"""Typed read models: what graph reads hand upward (never driver records or dicts of columns).

Each model knows the columns of the query it is read from (`of`), and every Neo4j temporal
value goes through `graph.temporal` before a model sees it, so fields hold Python dates and
datetimes. Models are frozen; the API maps them to its response schemas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph import cypher
from graph.temporal import native

Day = date  # a field named `date` must not shadow the type
Row = Mapping[str, Any]

_KINDS = {lbl: kind for kind, lbl in cypher.ENTITY_LABELS.items()}


def kind_of(labels: Iterable[str] | None) -> str | None:
    """The entity kind (company, agency, model, policy) of a node's labels, if any."""
    return next((_KINDS[lbl] for lbl in labels or () if lbl in _KINDS), None)


class ReadModel(BaseModel):
    """Frozen; built from one record (temporals made native first)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls.model_validate(native(dict(row)))


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


# --- entities -----------------------------------------------------------------------------------


class EntityRef(ReadModel):
    id: str
    kind: str | None = None
    name: str | None = None


_ENTITY_CORE = frozenset({"id", "name", "name_zh", "name_en", "aliases", "kb", "search_terms",
                          "merged_ids"})
# the writer's counters on the node (graph.cypher.aggregates): shown as the profile's counts
_AGGREGATES = frozenset({"mention_count", "article_count"})


class Entity(ReadModel):
    """An entity node: its names and kind; `properties` holds the rest (tickers, sector…)."""

    id: str
    kind: str | None = None
    name: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    aliases: list[str] = []
    tickers: list[str] = []
    kb: bool = False
    merged_ids: list[str] = []
    properties: dict[str, Any] = {}

    _lists = field_validator("aliases", "tickers", "merged_ids", mode="before")(_none_to_list)

    @field_validator("kb", mode="before")
    @classmethod
    def _kb(cls, value: Any) -> bool:
        return bool(value)

    @classmethod
    def node(cls, props: Row, labels: Iterable[str] | None) -> Entity:
        p = native(dict(props))
        return cls.model_validate({**p, "kind": kind_of(labels),
                                   "properties": {k: v for k, v in p.items()
                                                  if k not in _ENTITY_CORE
                                                  and k not in _AGGREGATES}})


class EntityHit(ReadModel):
    entity: Entity
    score: float = 0.0

    @classmethod
    def of(cls, row: Row) -> EntityHit:
        return cls(entity=Entity.node(row["entity"], row["labels"]),
                   score=float(row.get("score") or 0.0))


class Relation(ReadModel):
    type: str
    direction: Literal["out", "in"]
    other: EntityRef
    source: str | None = None
    article_id: str | None = None

    @classmethod
    def of(cls, row: Row) -> Relation:
        return cls(type=row["type"], direction=row["direction"], source=row["source"],
                   article_id=row["article_id"],
                   other=EntityRef(id=row["id"], name=row["name"], kind=kind_of(row["labels"])))


class MonthCount(ReadModel):
    month: Day
    mentions: int
    articles: int


class ArticleRef(ReadModel):
    id: str
    url: str | None = None
    title: str | None = None
    lang: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    source_name: str | None = None


class MentioningArticle(ArticleRef):
    count: int | None = None
    sentence: str | None = None


class PolicyLink(ReadModel):
    id: str
    name: str | None = None
    doc_number: str | None = None
    issued_at: Day | None = None
    status: str | None = None
    links: list[str]
    articles: int


class Risk(ReadModel):
    """A risk signal with its evidence and article (`sort_key` orders listings)."""

    id: str
    category: str
    score: float | None = None
    quote: str | None = None
    article_id: str
    article_title: str | None = None
    article_url: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    start: int | None = None
    end: int | None = None
    entities: list[str] = []
    sort_key: datetime | None = None

    @classmethod
    def of(cls, row: Row) -> Risk:
        flat = {**row.get("risk", {}), **{k: v for k, v in row.items() if k != "risk"}}
        return cls.model_validate(native(flat))


# --- observations -------------------------------------------------------------------------------


class SourceRef(ReadModel):
    """Where a figure was read: the article, its source and the offsets in it."""

    article_id: str | None = None
    article_url: str | None = None
    article_title: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    source_name: str | None = None
    start: int | None = None
    end: int | None = None


class Observation(ReadModel):
    """One reported number, as reported, with its provenance."""

    id: str
    kind: str
    value: float
    period: str | None = None
    currency: str | None = None
    side: str | None = None
    as_of: Day | None = None
    date: Day | None = None
    quote: str | None = None
    subject_id: str | None = None
    subject_text: str | None = None
    provenance: SourceRef

    @classmethod
    def of(cls, row: Row) -> Observation:
        """An OBSERVATIONS_* row: `obs` (the node's properties) and provenance columns."""
        obs = native(dict(row["obs"]))
        prov = {k: row.get(k) for k in SourceRef.model_fields}
        return cls.model_validate({**obs, "provenance": SourceRef.of(prov)})


class ProviderQuote(ReadModel):
    """A PRICE_COMPARISON row: the subject's latest price observation."""

    subject: str
    name: str | None = None
    kind: str | None = None
    observation: Observation

    @classmethod
    def of(cls, row: Row) -> ProviderQuote:
        return cls(subject=row["subject"], name=row["name"], kind=kind_of(row["labels"]),
                   observation=Observation.of(row))


class EntityProfile(ReadModel):
    entity: Entity
    mention_count: int
    article_count: int
    relations: list[Relation] = []
    mentions_by_month: list[MonthCount] = []
    latest_observations: list[Observation] = []
    recent_articles: list[MentioningArticle] = []
    policies: list[PolicyLink] = []
    risks: list[Risk] = []
    risk_counts: dict[str, int] = {}


# --- policies -----------------------------------------------------------------------------------


class PolicySummary(ReadModel):
    id: str
    name: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issued_at: Day | None = None
    effective_at: Day | None = None
    status: str | None = None
    kb: bool | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    sort_key: Day | None = None

    @classmethod
    def of(cls, row: Row) -> PolicySummary:
        return cls.model_validate(native({**row["policy"], "issuer_id": row["issuer_id"],
                                          "issuer_name": row["issuer_name"],
                                          "sort_key": row["sort_key"]}))


class Issuer(ReadModel):
    id: str
    name: str | None = None
    name_en: str | None = None
    source: str | None = None
    article_id: str | None = None


class CompanyCount(ReadModel):
    id: str
    name: str | None = None
    articles: int


class PolicyDetail(ReadModel):
    id: str
    name: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issued_at: Day | None = None
    effective_at: Day | None = None
    status: str | None = None
    kb: bool | None = None
    aliases: list[str] = []
    issuers: list[Issuer] = []
    articles: list[MentioningArticle] = []
    companies: list[CompanyCount] = []

    _lists = field_validator("aliases", mode="before")(_none_to_list)

    @property
    def issuer(self) -> Issuer | None:
        return self.issuers[0] if self.issuers else None


# --- articles -----------------------------------------------------------------------------------


class ArticleHit(ArticleRef):
    """A listed or found article (`score` from full-text search, `sort_key` for listings)."""

    score: float | None = None
    sort_key: datetime | None = None


class SourceInfo(ReadModel):
    id: str
    name: str | None = None
    kind: str | None = None
    lang: str | None = None
    url: str | None = None


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


class ArticleObservation(ReadModel):
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


# --- sources and crawl runs -----------------------------------------------------------------------


class CrawlRun(ReadModel):
    id: str | None = None
    source_id: str | None = None
    status: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    pages_fetched: int | None = None
    new_articles: int | None = None
    unchanged: int | None = None
    duplicates: int | None = None
    errors_total: int | None = None
    errors: dict[str, int] = {}
    health: str | None = None
    health_reason: str | None = None
    detail: str | None = None

    @classmethod
    def of(cls, row: Row) -> CrawlRun:
        run = native(dict(row))
        kinds, counts = run.pop("error_kinds", None) or [], run.pop("error_counts", None) or []
        return cls.model_validate({**{k: v for k, v in run.items() if k in cls.model_fields},
                                   "errors": dict(zip(kinds, counts, strict=False))})


class SourceSummary(SourceInfo):
    articles: int
    runs: list[CrawlRun] = Field(default=[], description="the latest runs, newest first")


class SourceDetail(SourceSummary):
    last_published: datetime | None = None


# --- exploration ----------------------------------------------------------------------------------


class NeighbourNode(ReadModel):
    id: str
    label: str
    name: str | None = None
    published_at: datetime | None = None
    distance: int
    from_id: str
    type: str
    direction: Literal["out", "in"]


class Neighbourhood(ReadModel):
    nodes: list[NeighbourNode] = []
    truncated: bool = False


class PathNode(ReadModel):
    id: str | None
    label: str
    name: str | None = None


class PathRel(ReadModel):
    type: str
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    article_id: str | None = None


class GraphPath(ReadModel):
    nodes: list[PathNode]
    rels: list[PathRel]
