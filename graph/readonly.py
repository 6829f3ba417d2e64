"""The admin read-only Cypher endpoint's guard and runner.

`check_read_only` tokenizes the query (string literals, backtick names and comments are
skipped, so `RETURN 'CREATE'` passes and `/* x */ CREATE` does not) and rejects write and
admin clauses before anything reaches the server. Which procedures a query calls is not
decided from its text (backticks, spacing, comments and escapes all spell `dbms.listConfig`
differently): the query is first sent as `EXPLAIN`, and every ProcedureCall operator of the
plan Neo4j built from its own parse must name a procedure on the READ_PROCEDURES allow-list
(each of which the server lists with mode READ). The query then runs in a read transaction
(`execute_read`, READ access mode: the server refuses writes too), with a server-side timeout
and a row cap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from neo4j import ManagedTransaction, unit_of_work
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time

from graph.errors import QueryRejected
from graph.reads.base import Reads

FORBIDDEN: Final = frozenset({
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "LOAD", "FOREACH", "USE",
    "GRANT", "DENY", "REVOKE", "ALTER", "RENAME", "SHOW", "START", "STOP", "TERMINATE",
    "ENABLE", "DISABLE", "PERIODIC", "INSERT",
})
READ_PROCEDURES: Final = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
})
_TOKEN: Final = re.compile(
    r"""(?P<ws>\s+)
      | (?P<line>//[^\n]*)
      | (?P<block>/\*.*?(?:\*/|\Z))
      | (?P<str>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
      | (?P<name>`(?:[^`]|``)*(?:`|\Z))
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def keywords(query: str) -> list[str]:
    """The bare words of a query, upper-cased, outside literals, quoted names and comments."""
    return [m.group("word").upper() for m in _TOKEN.finditer(query) if m.lastgroup == "word"]


def check_read_only(query: str) -> None:
    """Raise QueryRejected for anything that could write or administer the database."""
    words = keywords(query)
    if not words:
        raise QueryRejected("empty query")
    for i, word in enumerate(words):
        if word in FORBIDDEN:
            raise QueryRejected(f"write or admin clause not allowed: {word}")
        if word == "IN" and i + 1 < len(words) and words[i + 1] == "TRANSACTIONS":
            raise QueryRejected("CALL { … } IN TRANSACTIONS is not allowed")
        if (word == "CALL" and i + 1 < len(words) and "." in words[i + 1]
                and words[i + 1].lower() not in READ_PROCEDURES):
            raise QueryRejected(f"procedure not allowed: {words[i + 1].lower()}")
        if word.startswith(("DBMS.", "APOC.", "GDS.")) or word in {"DBMS", "APOC"}:
            raise QueryRejected(f"procedure not allowed: {word.lower()}")


_PROC_NAME: Final = re.compile(r"^\s*([^\s(]+)\s*\(")


def plan_procedures(plan: Mapping[str, Any] | None) -> Iterator[str]:
    """Pure: the procedure names (lower-cased) of every ProcedureCall operator in an EXPLAIN
    plan (the driver's `summary.plan` dict), subqueries included. The operator's `Details`
    argument starts with the resolved name: `db.labels() :: (label :: STRING)`. A
    ProcedureCall whose name cannot be read yields "?", which no allow-list contains."""
    if not plan:
        return
    if str(plan.get("operatorType", "")).split("@")[0] == "ProcedureCall":
        args = plan.get("args") or {}
        match = _PROC_NAME.match(str(args.get("Details", "")))
        yield match.group(1).replace("`", "").lower() if match else "?"
    for child in plan.get("children") or ():
        yield from plan_procedures(child)


def check_plan(plan: Mapping[str, Any] | None) -> None:
    """QueryRejected for a plan that calls any procedure outside READ_PROCEDURES."""
    for name in plan_procedures(plan):
        if name not in READ_PROCEDURES:
            raise QueryRejected(f"procedure not allowed: {name}")


def to_json(value: Any) -> Any:
    """Driver values → JSON-compatible values (nodes, relationships, paths, temporals)."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": to_json(dict(value))}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": value.start_node.get("id") if value.start_node
                else None, "end": value.end_node.get("id") if value.end_node else None,
                "properties": to_json(dict(value))}
    if isinstance(value, Path):
        return {"nodes": [to_json(n) for n in value.nodes],
                "relationships": [to_json(r) for r in value.relationships]}
    if isinstance(value, DateTime | Date | Time):
        return value.iso_format()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


@dataclass(frozen=True)
class CypherResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


def run_read_only(r: Reads, query: str, params: dict[str, Any], max_rows: int) -> CypherResult:
    check_read_only(query)

    def work(tx: ManagedTransaction) -> CypherResult:
        check_plan(tx.run(f"EXPLAIN {query}", params).consume().plan)
        result = tx.run(query, params)
        records = result.fetch(max_rows + 1)
        rows = [[to_json(v) for v in rec.values()] for rec in records[:max_rows]]
        return CypherResult(list(result.keys()), rows, len(records) > max_rows)

    timed = unit_of_work(timeout=r.timeout)(work) if r.timeout else work
    with r.driver.session(database=r.database, default_access_mode="READ") as session:
        return session.execute_read(timed)
