"""Entity curation: merge two entities, add an alias. Idempotent, one write transaction each.

A merge moves every relationship of the allow-list (both directions, one statement per type:
Community has no APOC) from the merged entity to the survivor, folds its names into the
survivor's aliases, re-points observations, and leaves a `MergedEntity {id, into}` tombstone
so later ingests and KB reloads land on the survivor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction, Query, unit_of_work

from graph import aggregates, cypher
from graph.errors import GraphError

_KINDS = {label: kind for kind, label in cypher.ENTITY_LABELS.items()}


class CurationError(GraphError):
    """A curation request that cannot be applied (unknown entity, different kinds…)."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


@dataclass(frozen=True)
class MergeResult:
    survivor: dict[str, Any]
    moved: int
    already_merged: bool


def _kind(labels: list[str] | None) -> str | None:
    return next((_KINDS[lbl] for lbl in labels or [] if lbl in _KINDS), None)


def merge_entities(driver: Driver, source: str, target: str, database: str | None = None,
                   timeout: float | None = None) -> MergeResult:
    if source == target:
        raise CurationError("an entity cannot be merged into itself")

    def work(tx: ManagedTransaction) -> MergeResult:
        pair = tx.run(cypher.CURATION_PAIR, source=source, target=target).single()
        assert pair is not None
        target_kind = _kind(pair["target_labels"])
        if target_kind is None:
            raise CurationError(f"no entity with id {target!r}", not_found=True)
        if pair["source_labels"] is None:
            if pair["merged_into"] == target:
                survivor = tx.run(cypher.ENTITY_CORE, id=target).single()
                return MergeResult(dict(survivor["entity"]) if survivor else {}, 0, True)
            raise CurationError(f"no entity with id {source!r}", not_found=True)
        kind = _kind(pair["source_labels"])
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
        return MergeResult(dict(rec["entity"]), moved, False)

    timed = unit_of_work(timeout=timeout)(work) if timeout else work
    with driver.session(database=database) as session:
        return session.execute_write(timed)


def add_alias(driver: Driver, entity_id: str, alias: str, database: str | None = None,
              timeout: float | None = None) -> tuple[dict[str, Any], list[str], bool] | None:
    """(entity, labels, added) or None when there is no such entity."""
    records, _, _ = driver.execute_query(Query(cypher.ADD_ALIAS, timeout=timeout),
                                         {"id": entity_id, "alias": alias}, database_=database)
    if not records:
        return None
    rec = records[0]
    return dict(rec["entity"]), list(rec["labels"]), bool(rec["added"])
