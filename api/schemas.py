"""Response and request models (the OpenAPI document is generated from these)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.labels import EntityKind, EntityRel, PublicLabel, TraversalRel
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


class Relation(BaseModel):
    type: EntityRel | str = Field(examples=["PART_OF"])
    direction: Literal["out", "in"]
    other: EntityRef
    source: str | None = Field(default=None, description="'kb' for knowledge-base relations")
    article_id: str | None = Field(default=None, description="the article it was read from")


class MonthCount(BaseModel):
    month: Day = Field(examples=["2025-06-01"])
    mentions: int
    articles: int


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


class PolicyLink(BaseModel):
    id: str
    name: str | None = None
    doc_number: str | None = None
    issued_at: Day | None = None
    status: str | None = None
    links: list[str] = Field(description="co_mentioned | issued | risk")
    articles: int


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


class EntityProfile(BaseModel):
    id: str = Field(examples=["alibaba-cloud"])
    kind: EntityKind
    name: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    aliases: list[str] = []
    kb: bool = False
    merged_ids: list[str] = Field(default=[], description="entities merged into this one")
    mention_count: int = Field(description="mentions across all articles")
    article_count: int
    properties: dict[str, Any] = {}
    relations: list[Relation] = []
    mentions_by_month: list[MonthCount] = []
    latest_observations: list[ObservationOut] = []
    recent_articles: list[MentioningArticle] = []
    policies: list[PolicyLink] = []
    risks: list[RiskOut] = []
    risk_counts: dict[str, int] = Field(default={}, description="signals per category")


class NeighbourNode(BaseModel):
    id: str
    label: str = Field(examples=["Company"])
    name: str | None = None
    published_at: datetime | None = None
    distance: int = Field(ge=1, le=3)
    from_id: str = Field(description="the node it was reached from")
    type: str = Field(description="the relationship it was reached through")
    direction: Literal["out", "in"]


class Neighbourhood(BaseModel):
    entity_id: str
    depth: int
    nodes: list[NeighbourNode]
    truncated: bool = Field(description="true when a cap cut the result")


class PathNode(BaseModel):
    id: str | None
    label: str
    name: str | None = None


class PathRel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    type: str
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    article_id: str | None = None


class GraphPath(BaseModel):
    nodes: list[PathNode]
    rels: list[PathRel]


class Paths(BaseModel):
    source: str
    target: str
    paths: list[GraphPath]


class MergeIn(BaseModel):
    source_id: str = Field(min_length=1, max_length=200, examples=["new:company:阿里云计算"],
                           description="the entity merged away")
    target_id: str = Field(min_length=1, max_length=200, examples=["alibaba-cloud"],
                           description="the survivor")


class MergeOut(BaseModel):
    survivor: EntityHit
    moved_relationships: int
    already_merged: bool = Field(description="true when this merge had been done before")


class AliasIn(BaseModel):
    alias: str = Field(min_length=1, max_length=200, examples=["阿里云智能集团"])


class AliasOut(BaseModel):
    entity: EntityHit
    added: bool = Field(description="false when the alias was already known")


class KbReloadOut(BaseModel):
    entries: int = Field(description="KB entries written (merged-away ones skipped)")


# --- policies ---------------------------------------------------------------------------------


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


# --- metrics ----------------------------------------------------------------------------------


class Series(BaseModel):
    subject: str
    kind: str
    points: list[ObservationOut]
    next_cursor: str | None = None


class Latest(BaseModel):
    subject: str
    as_of: Day | None = Field(description="null: the latest of all")
    observations: list[ObservationOut] = Field(
        description="for each (kind, period, side, currency): every observation on the latest "
        "date, from every source (disagreeing reports are all shown)")


class PriceQuote(BaseModel):
    value: float = Field(description="as reported, in `currency` per million tokens")
    currency: str
    converted: float = Field(description="in the comparison currency per million tokens")
    observation_id: str
    provenance: SourceRef


class ProviderPrice(BaseModel):
    subject: str = Field(examples=["deepseek-v3"])
    name: str | None = None
    kind: str | None = None
    side: str | None = None
    date: Day | None = None
    price: float = Field(description="lowest reported price on that date, converted")
    quotes: list[PriceQuote]


class PriceComparison(BaseModel):
    currency: Currency
    unit: str = "per 1,000,000 tokens"
    fx_usd_cny: float = Field(description="CNY per USD used for conversion (setting)")
    as_of: Day | None = None
    side: str | None = None
    providers: list[ProviderPrice]


# --- articles, risks, sources -----------------------------------------------------------------


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


class SourceOut(BaseModel):
    id: str
    name: str | None = None
    kind: str | None = None
    lang: str | None = None
    url: str | None = None


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


class CrawlRunOut(BaseModel):
    id: str
    source_id: str | None = None
    status: str | None = Field(default=None, examples=["ok"])
    started_at: datetime | None = None
    ended_at: datetime | None = None
    pages_fetched: int | None = None
    new_articles: int | None = None
    unchanged: int | None = None
    duplicates: int | None = None
    errors_total: int | None = None
    errors: dict[str, int] = {}
    health: str | None = Field(default=None, examples=["ok"],
                               description="ok | degraded | blocked_by_robots")
    health_reason: str | None = None
    detail: str | None = Field(
        default=None,
        description="why the run failed, in words with the URLs (first few failures)",
        examples=["robots.txt disallows https://www.example.cn/news/; HTTP 404 at "
                  "https://www.example.cn/a/1.html"],
    )


class SourceHealth(BaseModel):
    status: Literal["ok", "degraded", "failing", "blocked_by_robots", "never_run"] = Field(
        description="from the latest runs: ok (last ok), degraded (last partial or some "
        "failures, or the last run yielded no links/fields where earlier runs did), failing "
        "(last runs all failed), blocked_by_robots (robots.txt disallows the crawler), never_run")
    reason: str | None = Field(default=None, description="why, for degraded/blocked_by_robots "
                               "runs: the selector or path that matched nothing, the robots rule")
    last_run_at: datetime | None = None
    last_success_at: datetime | None = None
    runs_considered: int
    failed_runs: int
    error_rate: float = Field(description="errors per fetched page over the runs considered")


class SourceSummary(SourceOut):
    articles: int
    health: SourceHealth


class SourceDetail(SourceSummary):
    last_published: datetime | None = None
    recent_runs: list[CrawlRunOut] = []


# --- admin Cypher -----------------------------------------------------------------------------


class CypherIn(BaseModel):
    query: str = Field(min_length=1, max_length=10_000,
                       examples=["MATCH (c:Company)-[:PART_OF]->(p) RETURN c.id, p.id LIMIT 5"])
    params: dict[str, Any] = Field(
        default={}, examples=[{"id": "alibaba"}],
        description="query parameters; integers must fit Neo4j's signed 64-bit range",
    )

    @field_validator("params")
    @classmethod
    def _int64(cls, value: dict[str, Any]) -> dict[str, Any]:
        def walk(v: Any) -> None:
            if isinstance(v, bool):
                return
            if isinstance(v, int) and not -(2**63) <= v < 2**63:
                raise ValueError(f"integer {v} is outside the signed 64-bit range")
            for item in v.values() if isinstance(v, dict) else v if isinstance(v, list) else ():
                walk(item)

        walk(value)
        return value


class CypherOut(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(description="true when the row cap cut the result")
