"""Every route lives under /v1; an unversioned path of a /v1 route answers 308 to it."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.neo4j


def test_an_unversioned_path_redirects_permanently_to_v1(api_client: Any, admin_key: str) -> None:
    r = api_client.get("/entities/search?q=deepseek&limit=2", follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == "/v1/entities/search?q=deepseek&limit=2"
    key = {"Authorization": f"Bearer {admin_key}"}
    posted = api_client.post("/rules", json={}, headers=key, follow_redirects=False)
    assert posted.status_code == 308 and posted.headers["location"] == "/v1/rules"
    followed = api_client.post("/rules", json={}, headers=key)  # method and body kept
    assert followed.status_code == 422 and followed.json()["instance"] == "/v1/rules"


def test_a_body_to_an_unversioned_path_meets_the_key_check_first(api_client: Any) -> None:
    assert api_client.post("/rules", json={}, follow_redirects=False).status_code == 401


def test_open_routes_and_unknown_paths_are_not_redirected(api_client: Any) -> None:
    assert api_client.get("/health", follow_redirects=False).status_code == 200
    assert api_client.get("/metrics", follow_redirects=False).status_code == 200
    missing = api_client.get("/no-such-thing", follow_redirects=False)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_the_schema_lists_only_v1_routes(api_client: Any) -> None:
    paths = api_client.get("/openapi.json").json()["paths"]
    api_paths = [p for p in paths if p not in {"/health", "/ready", "/metrics"}]
    assert api_paths and all(p.startswith(("/v1/", "/problems")) for p in api_paths), api_paths
