"""What an operator relies on: /metrics, /ready, /docs offline and a filled OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest

from api.keystrength import weak_key_warning
from tests.conftest import auth_headers

pytestmark = pytest.mark.neo4j


def test_metrics_in_prometheus_format(api_client: Any, admin_key: str) -> None:
    searched = api_client.get("/v1/entities/search", params={"q": "阿里云"},
                              headers=auth_headers(admin_key))
    assert searched.status_code == 200, searched.text
    r = api_client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    for name in ("tokenwatch_graph_up 1.0", "tokenwatch_articles ", "tokenwatch_extraction_errors",
                 "tokenwatch_delivery_queue_depth", "tokenwatch_crawls_running",
                 'tokenwatch_http_request_duration_seconds_count{method="GET",'
                 'route="/v1/entities/search",status="200"}'):
        assert name in text, [ln for ln in text.splitlines() if "_count" in ln]
    assert "阿里云" not in text  # route templates, never values, become labels


def test_ready_beside_health(api_client: Any) -> None:
    assert api_client.get("/health").status_code == 200
    r = api_client.get("/ready")
    assert r.status_code in (200, 503)
    body = r.json()
    assert body["ready"] is (r.status_code == 200)
    assert all(isinstance(p, str) for p in body["problems"])


def test_docs_are_served_without_a_cdn(api_client: Any) -> None:
    html = api_client.get("/docs").text
    assert "/docs/assets/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    js = api_client.get("/docs/assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert api_client.get("/docs/assets/swagger-ui.css").status_code == 200


def test_openapi_is_filled(api_client: Any) -> None:
    spec = api_client.get("/openapi.json").json()
    assert all(t.get("description") for t in spec["tags"])
    used = {t for ops in spec["paths"].values() for op in ops.values() for t in op.get("tags", [])}
    assert used <= {t["name"] for t in spec["tags"]}
    for path, ops in spec["paths"].items():
        for op in ops.values():
            for p in op.get("parameters", []):
                assert p.get("description") or p["schema"].get("description"), (path, p["name"])
            if path.startswith("/v1/"):
                assert {"429", "504"} <= set(op["responses"]), path
    assert all(s.get("description") for s in spec["components"]["schemas"].values())
    volume = spec["paths"]["/v1/metrics/token-volume"]["get"]["parameters"]
    assert any(p["name"] == "subject" and p.get("example") == "cn" for p in volume)


def test_problem_types_name_the_error(api_client: Any, admin_key: str) -> None:
    r = api_client.get("/v1/entities/nosuch-entity", headers=auth_headers(admin_key))
    assert r.status_code == 404 and r.json()["type"] == "/problems/not-found"
    assert "visible to the caller" in api_client.get("/problems/not-found").json()["description"]


def test_weak_admin_key_is_warned_about() -> None:
    assert weak_key_warning("admin123") is not None
    assert "contains 'password'" in (weak_key_warning("tw_adm_password-password-password") or "")
    assert weak_key_warning("tw_a1b2c3_" + "Zq8-xV3kLp0rT7wN2mYc5sJd9fHgB4uE1aQ6") is None
