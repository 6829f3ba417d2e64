"""Entities: search, profile, neighbours, shortest paths, and curation (merge, aliases)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api import cursor as cursors
from api.auth import Analyst
from api.convert import day_start, hit, observation, to
from api.deps import GraphDep, ReadsDep, SettingsDep
from api.errors import Conflict, NotFound, Unprocessable, problems
from api.schemas import (
    Day,
    EntityHit,
    EntityRef,
    MentioningArticle,
    NodeLabel,
    ObservationOut,
    Page,
    RelType,
    RiskOut,
)
from graph import curation, cypher, explore
from graph.fulltext import lucene_query
from graph.labels import EntityKind, EntityRel
from graph.reads import entities as entity_reads
from graph.reads.base import Reads


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


class PolicyLink(BaseModel):
    id: str
    name: str | None = None
    doc_number: str | None = None
    issued_at: Day | None = None
    status: str | None = None
    links: list[str] = Field(description="co_mentioned | issued | risk")
    articles: int


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



router = APIRouter(tags=["entities"])

EntityId = Annotated[str, Path(min_length=1, max_length=200, examples=["alibaba-cloud"],
                               description="a KB id, or a generated `new:<kind>:<name>` id")]
SEARCH_CAP = 500


def _resolve(reads: Reads, entity_id: str) -> str:
    live = entity_reads.resolve_entity(reads, entity_id)
    if live is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    return live


@router.get("/entities/search", response_model=Page[EntityHit], responses=problems(400, 422))
def search_entities(
    reads: ReadsDep,
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["阿里云"],
                            description="name, alias (Chinese or English), ticker or id")],
    kind: Annotated[list[EntityKind] | None, Query(description="only these kinds")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[EntityHit]:
    """Find entities by name, alias (zh/en), ticker or id, best matches first."""
    skip = cursors.decode_offset(cursor, SEARCH_CAP)
    labels = [cypher.entity_label(k) for k in kind] if kind else None
    rows = entity_reads.search_entities(reads, q, lucene_query(q), labels, skip, limit + 1,
                                        SEARCH_CAP)
    nxt = cursors.encode_offset(skip + limit) if len(rows) > limit and skip + limit < SEARCH_CAP \
        else None
    return Page[EntityHit](items=[hit(r) for r in rows[:limit]], next_cursor=nxt)


@router.get("/entities/{entity_id}", response_model=EntityProfile,
            responses=problems(404, 422))
def get_entity(entity_id: EntityId, reads: ReadsDep) -> EntityProfile:
    """An entity's names, kind, relations, mentions per month, latest observations (all
    sources), recent articles, policies that concern it and risk signals. A merged-away id
    answers with its survivor."""
    found = entity_reads.entity_profile(reads, _resolve(reads, entity_id))
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    ent = found.entity
    return EntityProfile(
        id=ent.id, kind=ent.kind or "company",  # type: ignore[arg-type]
        name=ent.name, name_zh=ent.name_zh, name_en=ent.name_en, aliases=ent.aliases,
        kb=ent.kb, merged_ids=ent.merged_ids, mention_count=found.mention_count,
        article_count=found.article_count, properties=ent.properties,
        relations=[to(Relation, r) for r in found.relations],
        mentions_by_month=[to(MonthCount, c) for c in found.mentions_by_month],
        latest_observations=[observation(o) for o in found.latest_observations],
        recent_articles=[to(MentioningArticle, a) for a in found.recent_articles],
        policies=[to(PolicyLink, p) for p in found.policies],
        risks=[to(RiskOut, r) for r in found.risks],
        risk_counts=found.risk_counts,
    )


@router.get("/entities/{entity_id}/neighbours", response_model=Neighbourhood,
            responses=problems(404, 422))
def get_neighbours(
    entity_id: EntityId,
    reads: ReadsDep,
    settings: SettingsDep,
    depth: Annotated[int, Query(ge=1, le=explore.MAX_DEPTH,
                                description="hops (1-3); more is a 422")] = 1,
    label: Annotated[list[NodeLabel] | None, Query(description="only return these labels")] = None,
    rel: Annotated[list[RelType] | None, Query(description="only cross these types")] = None,
    since: Annotated[date | None, Query(description="articles published on or after")] = None,
    until: Annotated[date | None, Query(description="articles published before")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="result cap")] = 100,
) -> Neighbourhood:
    """Breadth-first neighbours up to depth 3, filtered by node label, relationship type and
    article publication time, capped (`truncated` says when the cap cut the result)."""
    q = explore.NeighbourQuery(
        entity_id=_resolve(reads, entity_id), depth=depth,
        labels=frozenset(label) if label else None,
        rel_types=tuple(rel) if rel else cypher.TRAVERSAL_RELS,
        since=day_start(since), until=day_start(until),
        limit=min(limit, settings.max_neighbours),
    )
    found = explore.neighbours(reads, q)
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    return Neighbourhood(entity_id=q.entity_id, depth=depth,
                         nodes=[to(NeighbourNode, n) for n in found.nodes],
                         truncated=found.truncated)


@router.get("/paths", response_model=Paths, responses=problems(404, 422))
def get_paths(
    reads: ReadsDep,
    source: Annotated[str, Query(min_length=1, max_length=200, examples=["deepseek-v3"])],
    target: Annotated[str, Query(min_length=1, max_length=200, examples=["alibaba"])],
    max_length: Annotated[int, Query(ge=1, le=6, description="longest path (hops)")] = 4,
    limit: Annotated[int, Query(ge=1, le=20, description="most paths returned")] = 5,
    provenance: Annotated[bool, Query(description="also walk through Source and Article "
                                      "nodes (off by default: any two entities named in one "
                                      "article would be two hops apart)")] = False,
) -> Paths:
    """Shortest paths between two entities (all of the shortest length, capped), through
    entities, observations and risk signals; through articles and sources with
    `provenance=true`."""
    a, b = _resolve(reads, source), _resolve(reads, target)
    paths = explore.shortest_paths(reads, a, b, max_length, limit, provenance=provenance)
    return Paths(source=a, target=b, paths=[to(GraphPath, p) for p in paths])


@router.post("/entities/merge", response_model=MergeOut, responses=problems(403, 404, 409, 422))
def merge_entities(body: MergeIn, _: Analyst, g: GraphDep) -> MergeOut:
    """Merge `source_id` into `target_id` (analyst): names become aliases, relationships and
    history move to the survivor. Repeating a merge is a no-op."""
    try:
        # moving every relationship of a busy entity may take longer than a read
        res = curation.merge_entities(g.allowing(6), body.source_id, body.target_id)
    except curation.CurationError as exc:
        raise (NotFound(str(exc)) if exc.not_found else Conflict(str(exc))) from exc
    surv = res.survivor
    return MergeOut(
        survivor=EntityHit(id=surv.id if surv else body.target_id,
                           **(surv.model_dump(include={"name", "name_zh", "name_en", "aliases",
                                                       "tickers", "kb"}) if surv else {}),
                           score=0.0),
        moved_relationships=res.moved, already_merged=res.already_merged)


@router.post("/entities/{entity_id}/aliases", response_model=AliasOut,
             responses=problems(403, 404, 422))
def add_alias(entity_id: EntityId, body: AliasIn, _: Analyst, g: GraphDep) -> AliasOut:
    """Add an alias (analyst); adding a known alias changes nothing."""
    alias = " ".join(body.alias.split())
    if not alias:
        raise Unprocessable("the alias is blank")
    found = curation.add_alias(g, entity_id, alias)
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    return AliasOut(entity=hit(entity_reads.EntityHit(entity=found.entity)), added=found.added)
