"""Writing the knowledge base (nlp/kb) into the graph: canonical nodes and their relations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from neo4j import Driver

from graph import cypher

_PROPS = (
    "name", "name_zh", "name_en", "aliases", "tickers", "sector", "vendor", "parent",
    "doc_number", "issuer", "issued_at", "effective_at", "status", "title",
)
# (attribute on the entry, relationship, from kind, to kind)
_RELATIONS = (
    ("vendor", "MADE_BY", "model", "company"),
    ("parent", "PART_OF", "company", "company"),
    ("issuer", "ISSUED_BY", "policy", "agency"),
)


def _entries(kb: Any) -> Iterable[Any]:
    return list(getattr(kb, "entries", kb))


def _props(entry: Any) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key in _PROPS:
        value = getattr(entry, key, None)
        if value is None or value == [] or value == ():
            continue
        props[key] = list(value) if isinstance(value, list | tuple) else value
    names = [props.get("name"), props.get("name_zh"), props.get("name_en"), *props.get("aliases", [])]
    props["search_terms"] = " ".join(sorted({str(n) for n in names if n}))
    return props


def kb_rows(kb: Any) -> tuple[dict[str, list[dict[str, Any]]], list[tuple[str, str, str, list[dict[str, str]]]]]:
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rels: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for entry in _entries(kb):
        kind = str(entry.kind)
        if kind not in cypher.ENTITY_LABELS:
            continue
        nodes[kind].append({"id": entry.id, "props": _props(entry)})
        for attr, rel, from_kind, to_kind in _RELATIONS:
            target = getattr(entry, attr, None)
            if kind == from_kind and isinstance(target, str) and target:
                rels[(rel, from_kind, to_kind)].append({"from": entry.id, "to": target})
    return dict(nodes), [(r, f, t, rows) for (r, f, t), rows in rels.items()]


def write_kb(driver: Driver, kb: Any, database: str | None = None) -> int:
    """MERGE every KB entry and relation; idempotent. Returns the number of entries."""
    nodes, rels = kb_rows(kb)
    with driver.session(database=database) as session:
        def work(tx: Any) -> None:
            for kind, rows in sorted(nodes.items()):
                tx.run(cypher.merge_kb_entities(kind), rows=rows).consume()
            for rel, from_kind, to_kind, rows in rels:
                tx.run(cypher.merge_kb_relations(rel, from_kind, to_kind), rows=rows).consume()

        session.execute_write(work)
    return sum(len(v) for v in nodes.values())
