"""Graph exploration for the API: breadth-first neighbours (depth ≤ 3) and shortest paths.

Neighbours are expanded one hop at a time inside one read transaction, so every layer is
capped (`limit`) and a hub cannot blow up a depth-3 query. Only public labels and the
traversal allow-list are ever crossed (never API keys, rules, webhooks or alerts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from neo4j import ManagedTransaction
from pydantic import Field

from graph import cypher
from graph.reads.base import ReadModel, Reads, data

MAX_DEPTH = 3


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
    nodes: list[NeighbourNode] = Field(default_factory=list)
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


@dataclass(frozen=True)
class NeighbourQuery:
    entity_id: str
    depth: int = 1
    labels: frozenset[str] | None = None  # which node labels to return (all public if None)
    rel_types: tuple[str, ...] = cypher.TRAVERSAL_RELS
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    frontier_cap: int = 500  # inner hops of a hub are capped (the result says `truncated`)

    def __post_init__(self) -> None:
        if not 1 <= self.depth <= MAX_DEPTH:
            raise ValueError(f"depth must be 1..{MAX_DEPTH}")
        for t in self.rel_types:
            cypher.rel_type(t)
            if t not in cypher.TRAVERSAL_RELS:
                raise ValueError(f"relationship type not traversable: {t!r}")
        for lbl in self.labels or ():
            if lbl not in cypher.PUBLIC_LABELS:
                raise ValueError(f"label not allowed: {lbl!r}")


@dataclass
class _Found:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False


def neighbours(r: Reads, q: NeighbourQuery) -> Neighbourhood | None:
    query = cypher.neighbour_hop(q.rel_types)

    def work(tx: ManagedTransaction) -> Neighbourhood | None:
        if not data(tx, cypher.ENTITY_EXISTS, id=q.entity_id):
            return None
        out = _Found()
        seen = [q.entity_id]
        frontier = [q.entity_id]
        labels = sorted(q.labels) if q.labels else None
        for distance in range(1, q.depth + 1):
            last = distance == q.depth
            # the last hop fetches only what is returned; inner hops fetch a capped frontier
            want = q.limit - len(out.nodes) + 1 if last else q.frontier_cap + 1
            hop = data(tx, query, frontier=frontier, seen=seen, since=q.since, until=q.until,
                       labels=labels if last else None, limit=want)
            if len(hop) >= want:
                out.truncated = True
                hop = hop[: want - 1]
            out.nodes += [{**row, "distance": distance} for row in hop
                          if labels is None or row["label"] in q.labels]  # type: ignore[operator]
            frontier = [row["id"] for row in hop]
            seen += frontier
            if len(out.nodes) >= q.limit or not frontier:
                break
        if len(out.nodes) > q.limit:
            out.truncated = True
            out.nodes = out.nodes[: q.limit]
        return Neighbourhood(nodes=[NeighbourNode.of(n) for n in out.nodes],
                               truncated=out.truncated)

    return r.tx(work)


def shortest_paths(r: Reads, source: str, target: str, max_length: int = 4,
                   limit: int = 5, rel_types: tuple[str, ...] = cypher.TRAVERSAL_RELS,
                   provenance: bool = False) -> list[GraphPath]:
    rows = r.rows(cypher.shortest_paths(max_length, rel_types, provenance),
                  **{"from": source, "to": target}, limit=limit)
    return [GraphPath.of(row) for row in rows]
