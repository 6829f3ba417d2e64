"""API keys: 401 without/with a bad key, 403 with a too-weak role, 429 with Retry-After."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api import auth
from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Neo4jSettings

pytestmark = pytest.mark.neo4j


def _h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_key_format_and_hashing() -> None:
    key, key_id, key_hash = auth.new_key()
    assert key.startswith(f"tw_{key_id}_")
    parsed_id, secret = auth.parse_key(key)
    assert parsed_id == key_id and auth.hash_secret(secret) == key_hash
    other_id, other_secret = auth.parse_key("any hand-picked admin key")
    assert other_secret == "any hand-picked admin key" and other_id.startswith("x")


def test_role_order() -> None:
    p = auth.ApiPrincipal(key_id="k", owner="o", role="analyst")
    assert p.has_role("reader") and p.has_role("analyst") and not p.has_role("admin")


def test_health_is_open(api_client: TestClient) -> None:
    assert api_client.get("/health").status_code == 200


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer tw_nosuchkey1_abcdefghijkl"}, {"X-API-Key": "nope"},
    {"Authorization": "Basic Zm9vOmJhcg=="},
])
def test_401_problem_json(api_client: TestClient, headers: dict[str, str]) -> None:
    resp = api_client.get("/v1/articles", headers=headers)
    assert resp.status_code == 401
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["status"] == 401 and body["title"] == "Unauthorized"


def test_both_headers_accepted(api_client: TestClient, make_key: Any) -> None:
    key = make_key("reader", "alice")
    assert api_client.get("/v1/articles", headers=_h(key)).status_code == 200
    assert api_client.get("/v1/articles", headers={"X-API-Key": key}).status_code == 200
    # a right id with a wrong secret is refused
    bad = key[: key.rindex("_") + 1] + "x" * 20
    assert api_client.get("/v1/articles", headers=_h(bad)).status_code == 401


def test_roles_403(api_client: TestClient, make_key: Any, admin_key: str) -> None:
    reader = make_key("reader", "alice")
    analyst = make_key("analyst", "bob")
    assert api_client.get("/v1/keys", headers=_h(reader)).status_code == 403
    resp = api_client.get("/v1/keys", headers=_h(analyst))
    assert resp.status_code == 403
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert api_client.get("/v1/keys", headers=_h(admin_key)).status_code == 200


def test_keys_api_create_list_revoke(api_client: TestClient, admin_key: str) -> None:
    resp = api_client.post("/v1/keys", json={"role": "analyst", "owner": "carol"},
                           headers=_h(admin_key))
    assert resp.status_code == 201
    new = resp.json()
    assert new["key"].startswith("tw_") and new["role"] == "analyst" and "hash" not in new
    listed = api_client.get("/v1/keys", headers=_h(admin_key)).json()
    assert any(k["id"] == new["id"] and "hash" not in k for k in listed)
    assert api_client.get("/v1/articles", headers=_h(new["key"])).status_code == 200
    assert api_client.delete(f"/v1/keys/{new['id']}", headers=_h(admin_key)).status_code == 200
    assert api_client.get("/v1/articles", headers=_h(new["key"])).status_code == 401
    # revoking again is a no-op
    assert api_client.delete(f"/v1/keys/{new['id']}", headers=_h(admin_key)).status_code == 200


def test_only_hash_is_stored(driver: Driver, make_key: Any) -> None:
    key = make_key("reader", "dave")
    key_id, secret = auth.parse_key(key)
    recs, _, _ = driver.execute_query("MATCH (k:ApiKey {id: $id}) RETURN k {.*} AS k", id=key_id)
    stored = recs[0]["k"]
    assert stored["hash"] == auth.hash_secret(secret)
    assert secret not in str(stored) and stored["revoked"] is False
    assert {"id", "owner", "role", "name", "hash", "created_at", "revoked"} <= set(stored)


def test_rate_limit_429_with_retry_after(neo4j_settings: Neo4jSettings, driver: Driver,
                                         make_key: Any) -> None:
    api = ApiSettings(rate_per_min=3, key_cache_s=60)
    key = make_key("reader", "erin")
    other = make_key("reader", "frank")
    with TestClient(create_app(neo4j_settings, api_settings=api)) as client:
        codes = [client.get("/v1/articles", headers=_h(key)).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        resp = client.get("/v1/articles", headers=_h(key))
        assert resp.status_code == 429
        assert int(resp.headers["Retry-After"]) >= 1
        assert resp.headers["content-type"].startswith("application/problem+json")
        # buckets are per key
        assert client.get("/v1/articles", headers=_h(other)).status_code == 200


def test_bootstrap_admin_key_is_ensured(neo4j_settings: Neo4jSettings, driver: Driver) -> None:
    key = "my-hand-picked-admin-key"
    api = ApiSettings(admin_key=key, rate_per_min=0)
    with TestClient(create_app(neo4j_settings, api_settings=api)) as client:
        assert client.get("/v1/keys", headers=_h(key)).status_code == 200
    key_id, _ = auth.parse_key(key)
    recs, _, _ = driver.execute_query("MATCH (k:ApiKey {id: $id}) RETURN k.role AS r", id=key_id)
    assert [r["r"] for r in recs] == ["operator"]  # the bootstrap key is the operator's


def test_require_role_rejects_unknown_role() -> None:
    with pytest.raises(ValueError):
        auth.require_role("root")  # type: ignore[arg-type]
