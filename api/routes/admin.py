"""Admin: the read-only Cypher endpoint and KB reload."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter
from neo4j.exceptions import ClientError
from pydantic import BaseModel, Field, field_validator

from api.auth import Admin
from api.deps import GraphDep, SettingsDep
from api.errors import BadRequest, QueryTimeout, problems
from graph.errors import QueryRejected
from graph.kb import write_kb
from graph.readonly import run_read_only


class KbReloadOut(BaseModel):
    entries: int = Field(description="KB entries written (merged-away ones skipped)")


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



router = APIRouter(tags=["admin"], prefix="/admin", responses=problems(403))


@router.post("/cypher", response_model=CypherOut, responses=problems(400, 422, 504))
def read_only_cypher(body: CypherIn, _: Admin, g: GraphDep, settings: SettingsDep) -> CypherOut:
    """Run a read-only Cypher query (admin). Write and admin clauses are rejected before
    execution (400); the query runs in a read transaction with a server-side timeout
    (TOKENWATCH_API_CYPHER_TIMEOUT_S, 504 past it) and at most
    TOKENWATCH_API_CYPHER_MAX_ROWS rows (`truncated` says when cut). Pass values as `params`."""
    try:
        res = run_read_only(replace(g, timeout=settings.cypher_timeout_s), body.query,
                            body.params, settings.cypher_max_rows)
    except QueryRejected as exc:
        raise BadRequest(str(exc), title="Query rejected") from exc
    except ClientError as exc:
        if "TimedOut" in (exc.code or ""):
            raise QueryTimeout(f"the query exceeded {settings.cypher_timeout_s:g}s") from exc
        raise BadRequest(exc.message or "the query failed", title="Query failed") from exc
    return CypherOut(columns=res.columns, rows=res.rows, truncated=res.truncated)


@router.post("/kb/reload", response_model=KbReloadOut)
def reload_kb(_: Admin, g: GraphDep) -> KbReloadOut:
    """Re-read the packaged knowledge base and MERGE it into the graph (idempotent; entities
    merged away by curation stay merged)."""
    from nlp.kb import read_kb

    # the whole KB in one transaction: more than a request's query allowance
    return KbReloadOut(entries=write_kb(replace(g, timeout=None), read_kb()))
