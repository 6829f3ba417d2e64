"""Roles on every route (401 without a key, 403 below the route's role), the owner hook, and
the OpenAPI document's completeness (errors as problem+json, examples, security)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app

pytestmark = pytest.mark.neo4j

MINE = ("entities", "policies", "metrics", "articles", "risks", "sources", "admin", "keys")
ADMIN_ONLY = {("POST", "/v1/admin/cypher"), ("POST", "/v1/admin/kb/reload"),
              ("GET", "/v1/keys"), ("POST", "/v1/keys"), ("DELETE", "/v1/keys/{key_id}")}
ANALYST = {("POST", "/v1/entities/merge"), ("POST", "/v1/entities/{entity_id}/aliases")}
SPEC = create_app().openapi()
OPS = [(m.upper(), p, op) for p, ms in SPEC["paths"].items() for m, op in ms.items()
       if p.startswith("/v1/") and set(op.get("tags", [])) & set(MINE)]


def _url(path: str) -> str:
    return path.replace("{entity_id}", "qwen").replace("{key_id}", "nokey").replace(
        "{policy_id}", "pipl").replace("{article_id}", "x").replace("{source_id}", "src-zh")


def _call(client: TestClient, method: str, path: str, key: str | None) -> int:
    params = {"q": "x", "subject": "qwen", "source": "qwen", "target": "alibaba"}
    body: dict[str, Any] = {"query": "RETURN 1", "source_id": "nope", "target_id": "nope2",
                            "alias": "x", "role": "reader", "owner": "o"}
    headers = {"X-API-Key": key} if key else {}
    return client.request(method, _url(path), params=params, json=body, headers=headers).status_code


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in OPS],
                         ids=[f"{m} {p}" for m, p, _ in OPS])
def test_roles(shared_sample_graph: Driver, api_client: TestClient, make_key: Any,
               method: str, path: str) -> None:
    assert _call(api_client, method, path, None) == 401
    assert _call(api_client, method, path, "tw_unknown000_nope-nope-nope") == 401
    reader, analyst = make_key("reader", "r"), make_key("analyst", "a")
    need = "admin" if (method, path) in ADMIN_ONLY else \
        "analyst" if (method, path) in ANALYST else "reader"
    assert (_call(api_client, method, path, reader) == 403) == (need != "reader")
    assert (_call(api_client, method, path, analyst) == 403) == (need == "admin")


def test_principal_carries_the_owner(api_client: TestClient, make_key: Any) -> None:
    alice, bob = make_key("reader", "alice"), make_key("analyst", "bob")
    me = api_client.get("/v1/me", headers={"X-API-Key": alice}).json()
    assert me["owner"] == "alice" and me["role"] == "reader"
    assert api_client.get("/v1/me", headers={"X-API-Key": bob}).json()["owner"] == "bob"


def test_openapi_is_complete() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    assert {"HTTPBearer", "APIKeyHeader"} <= set(schemes)
    assert "Problem" in SPEC["components"]["schemas"]
    for method, path, op in OPS:
        where = f"{method} {path}"
        assert op.get("description") or op.get("summary"), where
        responses = op["responses"]
        for code in ("401", "429"):
            assert "application/problem+json" in responses[code]["content"], where
        assert "Retry-After" in responses["429"]["headers"], where
        if op.get("parameters") or op.get("requestBody"):
            assert "application/problem+json" in responses["422"]["content"], where
        if "{" in path and method == "GET":
            assert "404" in responses, where
        if (method, path) in ADMIN_ONLY | ANALYST:
            assert "403" in responses, where
        for p in op.get("parameters", []):
            if p["in"] == "path" or p.get("required"):
                assert p["schema"].get("examples") or p.get("example") or p.get("examples") or \
                    p["schema"].get("enum") or p["schema"].get("type") == "integer", (where, p)
        ok = next(c for c in responses if c.startswith("2"))
        assert responses[ok].get("content", {}).get("application/json") or method == "DELETE", where


def test_path_ids_with_odd_characters(shared_sample_graph: Driver, api_client: TestClient,
                                      admin_key: str) -> None:
    resp = api_client.get("/v1/entities/" + quote("new:company:阿里 云/x", safe=""),
                          headers={"X-API-Key": admin_key})
    assert resp.status_code == 404
