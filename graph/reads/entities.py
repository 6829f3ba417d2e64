"""Entities: resolution (merged ids), search, and the profile (relations, mentions by
month, latest figures, recent articles, policies, risks)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from neo4j import ManagedTransaction
from pydantic import field_validator

from graph.cypher import entities as queries
from graph.cypher import metrics as metric_queries
from graph.reads.base import (
    Day,
    EntityRef,
    MentioningArticle,
    ReadModel,
    Reads,
    Record,
    Row,
    data,
    kind_of,
    none_to_list,
)
from graph.reads.metrics import Observation
from graph.reads.risks import Risk
from graph.temporal import native

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

    _lists = field_validator("aliases", "tickers", "merged_ids", mode="before")(none_to_list)

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


class PolicyLink(ReadModel):
    id: str
    name: str | None = None
    doc_number: str | None = None
    issued_at: Day | None = None
    status: str | None = None
    links: list[str]
    articles: int


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


def resolve_entity(r: Reads, entity_id: str) -> str | None:
    """The id of the live entity: itself, or the survivor it was merged into."""

    def work(tx: ManagedTransaction) -> str | None:
        if data(tx, queries.ENTITY_EXISTS, id=entity_id):
            return entity_id
        into = data(tx, queries.MERGED_INTO, id=entity_id)
        return into[0]["into"] if into else None

    return r.tx(work)


def search_entities(r: Reads, q: str, lucene: str | None, labels: list[str] | None,
                    skip: int, limit: int, cap: int = 500) -> list[EntityHit]:
    rows = r.rows(queries.entity_search(lucene is not None), q=q, lucene=lucene,
                  ticker=q.strip().upper(), labels=labels, skip=skip, limit=limit, cap=cap)
    return [EntityHit.of(row) for row in rows]


POLICY_WINDOW = 200  # latest mentioning articles / risk signals a profile's policies come from


def profile_queries(entity_id: str, limit: int = 20,
                    months: int = 36) -> dict[str, tuple[str, Record]]:
    """The statements an entity profile runs, with their parameters, by part (the plan test
    and the benchmark profile exactly these)."""
    q = {"id": entity_id, "limit": limit}
    return {
        "core": (queries.ENTITY_CORE, {"id": entity_id}),
        "relations": (queries.ENTITY_RELATIONS, {"id": entity_id, "limit": 200}),
        "mentions_by_month": (queries.ENTITY_MENTIONS_BY_MONTH,
                              {"id": entity_id, "limit": months}),
        "latest_observations": (metric_queries.OBSERVATIONS_LATEST,
                                {"subject": entity_id, "as_of": None, "kind": None,
                                 "limit": limit}),
        "recent_articles": (queries.ENTITY_RECENT_ARTICLES, q),
        "policies": (queries.ENTITY_POLICIES, {**q, "window": POLICY_WINDOW}),
        "risks": (queries.ENTITY_RISKS, q),
        "risk_counts": (queries.ENTITY_RISK_COUNTS, {"id": entity_id}),
    }


def entity_profile(r: Reads, entity_id: str, limit: int = 20,
                   months: int = 36) -> EntityProfile | None:
    queries = profile_queries(entity_id, limit, months)

    def work(tx: ManagedTransaction) -> EntityProfile | None:
        def part(name: str) -> list[Record]:
            query, params = queries[name]
            return data(tx, query, **params)

        core = part("core")
        if not core:
            return None
        p = core[0]
        return EntityProfile(
            entity=Entity.node(p["entity"], p["labels"]),
            mention_count=p["mentions"], article_count=p["articles"],
            relations=[Relation.of(x) for x in part("relations")],
            mentions_by_month=[MonthCount.of(x) for x in part("mentions_by_month")],
            latest_observations=[Observation.of(x) for x in part("latest_observations")],
            recent_articles=[MentioningArticle.of(x) for x in part("recent_articles")],
            policies=[PolicyLink.of(x) for x in part("policies")],
            risks=[Risk.of(x) for x in part("risks")],
            risk_counts={x["category"]: x["signals"] for x in part("risk_counts")},
        )

    return r.tx(work)
