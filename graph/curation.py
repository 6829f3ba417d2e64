"""Entity curation: merge two entities, add an alias. Idempotent, one write transaction each.

A merge moves every relationship of the allow-list (both directions, one statement per type:
Community has no APOC) from the merged entity to the survivor, folds its names into the
survivor's aliases, re-points observations, and leaves a `MergedEntity {id, into}` tombstone
so later ingests and KB reloads land on the survivor."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import ManagedTransaction

from graph import aggregates, cypher
from graph.access import Graph
from graph.errors import GraphError
from graph.reads.base import kind_of
from graph.reads.entities import Entity


class CurationError(GraphError):
    """A curation request that cannot be applied (unknown entity, different kinds…)."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


@dataclass(frozen=True)
class MergeResult:
    survivor: Entity | None  # None: an earlier merge's survivor is gone since
    moved: int
    already_merged: bool


@dataclass(frozen=True)
class AliasAdded:
    entity: Entity
    added: bool  # False: the entity already had the alias


def merge_entities(g: Graph, source: str, target: str) -> MergeResult:
    if source == target:
        raise CurationError("an entity cannot be merged into itself")

    def work(tx: ManagedTransaction) -> MergeResult:
        pair = tx.run(cypher.CURATION_PAIR, source=source, target=target).single()
        assert pair is not None
        target_kind = kind_of(pair["target_labels"])
        if target_kind is None:
            raise CurationError(f"no entity with id {target!r}", not_found=True)
        if pair["source_labels"] is None:
            if pair["merged_into"] == target:
                survivor = tx.run(cypher.ENTITY_CORE, id=target).single()
                return MergeResult(Entity.node(survivor["entity"], survivor["labels"])
                                   if survivor else None, 0, True)
            raise CurationError(f"no entity with id {source!r}", not_found=True)
        kind = kind_of(pair["source_labels"])
        if kind != target_kind:
            raise CurationError(f"cannot merge a {kind} into a {target_kind}")
        moved = 0
        present = {(r["type"], r["outgoing"]) for r in tx.run(cypher.ENTITY_REL_TYPES,
                                                              source=source)}
        # only allow-listed types are moved (the statement text is built from the allow-list)
        for rel, outgoing in sorted(present):
            if rel not in cypher.REL_TYPES:
                raise CurationError(f"relationship type {rel!r} is not in the allow-list")
            rec = tx.run(cypher.move_relationships(kind, rel, outgoing),
                         source=source, target=target).single()
            moved += int(rec["moved"]) if rec else 0
        rec = tx.run(cypher.merge_entity_nodes(kind), source=source, target=target).single()
        assert rec is not None
        aggregates.rebuild(tx, [target], gone=[source])  # counts, months, latest: exact
        return MergeResult(Entity.node(rec["entity"], pair["source_labels"]), moved, False)

    return g.write(work)


def add_alias(g: Graph, entity_id: str, alias: str) -> AliasAdded | None:
    """None when there is no such entity."""
    rows = g.write_rows(cypher.ADD_ALIAS, id=entity_id, alias=alias)
    if not rows:
        return None
    return AliasAdded(Entity.node(rows[0]["entity"], rows[0]["labels"]), bool(rows[0]["added"]))
