"""Injection strings through every text parameter of every route (read from the OpenAPI
document): no server error, and the graph — node and relationship counts and a checksum of
every property — is exactly as before."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from graph.readonly import to_json

pytestmark = pytest.mark.neo4j

PAYLOADS = [
    "' OR 1=1 //",
    "\"}) MATCH (n) DETACH DELETE n //",
    "x` DETACH DELETE n //",
    "alibaba'}) SET n.pwned = true RETURN n //",
    "阿里云'); CREATE (:Pwn {id: 'x'}) //",
    "*:* OR title:*",
    "\\\"\\'\\\\",
    "' UNION MATCH (n) SET n.pwned = true RETURN n //",
    "AND OR NOT ( ) [ ] { } ~ ^ ? : / -- ;",
    "$id} DETACH DELETE n",
    "x\u0000y\u202e",
    "new:company:阿里云'}) DETACH DELETE n //",
]
# every GET, and the non-GET routes that must not write for unknown ids or rejected queries;
# routes whose purpose is to write (keys, rules, webhooks, KB reload) have their own tests
NON_GET = {("POST", "/v1/entities/merge"), ("POST", "/v1/entities/{entity_id}/aliases"),
           ("POST", "/v1/admin/cypher")}
DEFAULTS = {"q": "阿里云", "subject": "doubao", "source": "qwen", "target": "alibaba",
            "entity_id": "alibaba-cloud", "policy_id": "ai-plus-opinions",
            "article_id": "art-zh-qwen", "source_id": "src-zh"}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    spec = create_app().openapi()
    ops = []
    for path, methods in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, op in methods.items():
            if method.upper() == "GET" or (method.upper(), path) in NON_GET:
                ops.append((method.upper(), path, op))
    return ops


def _text_params(op: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for p in op.get("parameters", []):
        schema = p.get("schema", {})
        types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
        items = [s.get("items", {}).get("type") for s in [schema, *schema.get("anyOf", [])]]
        if "string" in types or "string" in items:
            out.append((p["in"], p["name"]))
    return out


def _body_fields(op: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    ref = (op.get("requestBody", {}).get("content", {}).get("application/json", {})
           .get("schema", {}).get("$ref"))
    if not ref:
        return []
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return [k for k, v in schema.get("properties", {}).items()
            if v.get("type") == "string" or "string" in {s.get("type") for s in v.get("anyOf", [])}]


def _checksum(driver: Driver) -> tuple[int, int, str]:
    records, _, _ = driver.execute_query("""
        MATCH (n) OPTIONAL MATCH (n)-[r]->(m)
        RETURN labels(n) AS l, properties(n) AS p, type(r) AS t, properties(r) AS rp, m.id AS m""")
    rows = sorted(json.dumps(to_json(r.data()), sort_keys=True, ensure_ascii=False)
                  for r in records)
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS c")
    rels, _, _ = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c")
    return nodes[0]["c"], rels[0]["c"], hashlib.sha256("\n".join(rows).encode()).hexdigest()


OPS = _operations()
CASES = [(m, p, where, name) for m, p, op in OPS for where, name in _text_params(op)]
SPEC = create_app().openapi()
CASES += [(m, p, "body", f) for m, p, op in OPS for f in _body_fields(op, SPEC)]


@pytest.mark.parametrize(("method", "path", "where", "name"), CASES,
                         ids=[f"{m} {p} {w}:{n}" for m, p, w, n in CASES])
def test_injection_leaves_the_graph_unchanged(
    shared_sample_graph: Driver, api_client: TestClient, admin_key: str,
    method: str, path: str, where: str, name: str,
) -> None:
    # the first request re-creates the bootstrap admin key if the fixture wiped it
    api_client.get("/v1/sources", headers={"Authorization": f"Bearer {admin_key}"})
    before = _checksum(shared_sample_graph)
    op = SPEC["paths"][path][method.lower()]
    for payload in PAYLOADS:
        url = path
        params: dict[str, Any] = {}
        for p in op.get("parameters", []):
            value = payload if p["name"] == name else DEFAULTS.get(p["name"])
            if method != "GET" and p["in"] == "path" and p["name"] != name:
                value = "no-such-entity"  # the write must find nothing to write to
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", quote(str(value or "x"), safe=""))
            elif value is not None and (p.get("required") or p["name"] == name):
                params[p["name"]] = value
        body = None
        if method == "POST":
            fields = _body_fields(op, SPEC)
            body = {f: (payload if f == name else "no-such-entity") for f in fields}
            if path.endswith("/cypher"):
                body = {"query": payload if name == "query" else "MATCH (n) RETURN count(n)",
                        "params": {"id": payload}}
        resp = api_client.request(method, url, params=params, json=body,
                                  headers={"Authorization": f"Bearer {admin_key}"})
        # 503 is "not available in this process" (e.g. no scheduler), never a crash
        assert resp.status_code < 500 or resp.status_code == 503, (payload, resp.text)
        if resp.status_code >= 400:
            assert resp.headers["content-type"].startswith("application/problem+json")
    assert _checksum(shared_sample_graph) == before


def test_every_text_parameter_is_covered() -> None:
    covered = {(m, p) for m, p, _, _ in CASES}
    with_text = {(m, p) for m, p, op in OPS if _text_params(op) or _body_fields(op, SPEC)}
    assert covered == with_text and len(CASES) >= 30
