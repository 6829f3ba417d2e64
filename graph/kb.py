"""Writing the knowledge base (nlp/kb) into the graph: canonical nodes and their relations.

Entries become `Company|Agency|Model|Policy {kb: true}` nodes; `Model.vendor` becomes
`MADE_BY`, `parent` becomes `PART_OF`, `Policy.issuer` becomes `ISSUED_BY`, each marked
`source: 'kb'`. Entries merged away by curation (a `MergedEntity` tombstone) are skipped, so
reloading the KB never undoes a merge. Idempotent: reloading changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from neo4j import ManagedTransaction

from graph import cypher
from graph.access import Graph

_PROPS = (
    "name", "name_zh", "name_en", "aliases", "tickers", "sector", "vendor", "parent",
    "doc_number", "issuer", "issued_at", "effective_at", "status", "title",
)
_DATES = ("issued_at", "effective_at")
# (attribute on the entry, relationship)
_RELATIONS = (("vendor", "MADE_BY"), ("parent", "PART_OF"), ("issuer", "ISSUED_BY"))

NodeRows = dict[str, list[dict[str, Any]]]
RelRows = list[tuple[str, str, str, list[dict[str, str]]]]


def _entries(kb: Any) -> list[Any]:
    entries = getattr(kb, "entries", kb)
    return list(entries.values() if isinstance(entries, dict) else entries)


def _as_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value if len(value) == 10 else value[:7] + "-01")
        except ValueError:
            return value
    return value


def _props(entry: Any) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key in _PROPS:
        value = getattr(entry, key, None)
        if value is None or value == [] or value == ():
            continue
        props[key] = list(value) if isinstance(value, list | tuple) else value
    for key in _DATES:
        if key in props:
            props[key] = _as_date(props[key])
    if getattr(entry, "kind", None) == "policy":
        props.setdefault("title", props.get("name"))
    names = [props.get("name"), props.get("name_zh"), props.get("name_en"),
             *props.get("aliases", []), *props.get("tickers", []), props.get("doc_number")]
    props["search_terms"] = " ".join(sorted({str(n) for n in names if n}))
    return props


def kb_rows(kb: Any, skip: Iterable[str] = ()) -> tuple[NodeRows, RelRows]:
    skipped = set(skip)
    entries = [e for e in _entries(kb) if str(e.kind) in cypher.ENTITY_LABELS]
    kinds = {e.id: str(e.kind) for e in entries}
    nodes: NodeRows = defaultdict(list)
    rels: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for entry in entries:
        if entry.id in skipped:
            continue
        nodes[str(entry.kind)].append({"id": entry.id, "props": _props(entry)})
        for attr, rel in _RELATIONS:
            target = getattr(entry, attr, None)
            if isinstance(target, str) and target in kinds and target not in skipped:
                key = (rel, str(entry.kind), kinds[target])
                rels[key].append({"from": entry.id, "to": target, "field": attr})
    return dict(nodes), [(r, f, t, rows) for (r, f, t), rows in sorted(rels.items())]


def _merged_ids(tx: ManagedTransaction, ids: list[str]) -> set[str]:
    return {r["id"] for r in tx.run(cypher.MERGED_REDIRECTS, ids=ids)}


def write_kb(g: Graph, kb: Any) -> int:
    """MERGE every KB entry and relation in one transaction; idempotent. Returns the number of
    entries written."""
    all_ids = sorted(e.id for e in _entries(kb))

    def work(tx: ManagedTransaction) -> int:
        nodes, rels = kb_rows(kb, _merged_ids(tx, all_ids))
        for kind, rows in sorted(nodes.items()):
            tx.run(cypher.merge_kb_entities(kind), rows=rows).consume()
        for rel, from_kind, to_kind, rows in rels:
            tx.run(cypher.merge_kb_relations(rel, from_kind, to_kind), rows=rows).consume()
        return sum(len(v) for v in nodes.values())

    return g.write(work)
