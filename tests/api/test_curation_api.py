"""Curation through the API: merge, alias, KB reload — idempotent, role-checked."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

pytestmark = pytest.mark.neo4j


def _h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_merge_alias_reload(sample_graph: Driver, api_client: TestClient, make_key: Any,
                            admin_key: str) -> None:
    analyst, reader = make_key("analyst", "desk"), make_key("reader", "desk")
    body = {"source_id": "volcano-engine", "target_id": "bytedance"}
    assert api_client.post("/v1/entities/merge", json=body, headers=_h(reader)).status_code == 403
    first = api_client.post("/v1/entities/merge", json=body, headers=_h(analyst))
    assert first.status_code == 200, first.text
    assert not first.json()["already_merged"]
    assert "火山引擎" in first.json()["survivor"]["aliases"]
    again = api_client.post("/v1/entities/merge", json=body, headers=_h(analyst)).json()
    assert again["already_merged"] and again["moved_relationships"] == 0
    # the merged id answers with the survivor
    assert api_client.get("/v1/entities/volcano-engine", headers=_h(reader)).json()["id"] == \
        "bytedance"
    hits = api_client.get("/v1/entities/search", params={"q": "Volcengine"},
                          headers=_h(reader)).json()["items"]
    assert hits[0]["id"] == "bytedance"
    bad = api_client.post("/v1/entities/merge", headers=_h(analyst),
                          json={"source_id": "qwen", "target_id": "bytedance"})
    assert bad.status_code == 409
    missing = api_client.post("/v1/entities/merge", json={"source_id": "x", "target_id": "y"},
                              headers=_h(analyst))
    assert missing.status_code == 404

    alias = api_client.post("/v1/entities/deepseek/aliases", json={"alias": "深度求索AI"},
                            headers=_h(analyst)).json()
    assert alias["added"] and "深度求索AI" in alias["entity"]["aliases"]
    assert not api_client.post("/v1/entities/deepseek/aliases", json={"alias": "深度求索AI"},
                               headers=_h(analyst)).json()["added"]

    assert api_client.post("/v1/admin/kb/reload", headers=_h(analyst)).status_code == 403
    reload = api_client.post("/v1/admin/kb/reload", headers=_h(admin_key))
    assert reload.status_code == 200 and reload.json()["entries"] > 100
    profile = api_client.get("/v1/entities/deepseek", headers=_h(reader)).json()
    assert "深度求索AI" in profile["aliases"]  # curated alias survives the reload
    assert api_client.get("/v1/entities/volcano-engine", headers=_h(reader)).json()["id"] == \
        "bytedance"  # and so does the merge
