"""The alert, rule and webhook routes over a live app: roles, validation, owner isolation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import Driver

from alerts import payloads
from alerts.settings import AlertSettings
from alerts.types import AlertDraft, Evidence
from graph import outbox
from graph.access import Graph
from tests.alerts.conftest import make_rule, now
from tests.alerts.receiver import Canary, Receiver
from tests.conftest import auth_headers

pytestmark = [pytest.mark.neo4j]


@pytest.fixture
def client(api_client: Any, graph: Driver, alert_settings: AlertSettings) -> Iterator[Any]:
    from graph.kb import write_kb
    from nlp.kb import load_kb

    write_kb(Graph(graph, None), load_kb())  # rules name KB ids; the service always loads the KB
    api_client.app.state.services.alert_settings = alert_settings
    yield api_client
    api_client.app.state.services.alert_settings = None


@pytest.fixture
def keys(make_key: Any) -> dict[str, dict[str, str]]:
    return {
        "ana": auth_headers(make_key("analyst", "desk-a")),
        "bob": auth_headers(make_key("analyst", "desk-b")),
        "reader": auth_headers(make_key("reader", "desk-a")),
    }


def test_a_rule_naming_an_unknown_id_is_refused_with_a_suggestion(client: Any,
                                                                   keys: dict) -> None:
    typo = {"name": "typo", "condition": {"type": "metric", "condition": "price_cut",
                                          "threshold": 0.5, "subjects": ["deepseak", "cn"]}}
    r = client.post("/v1/rules", json=typo, headers=keys["ana"])
    assert r.status_code == 422
    assert "subjects: unknown entity id 'deepseak' (did you mean \"deepseek\"?)" in r.json()["detail"]
    by_name = {"name": "n", "condition": {"type": "risk", "entities": ["智谱"]}}
    r = client.post("/v1/rules", json=by_name, headers=keys["ana"])
    assert r.status_code == 422 and 'did you mean "zhipu' in r.json()["detail"]
    sources = {"name": "s", "condition": {"type": "source_health", "sources": ["nosuch"]}}
    assert client.post("/v1/rules", json=sources, headers=keys["ana"]).status_code == 422
    percent = {"name": "p", "condition": {"type": "metric", "condition": "price_cut",
                                          "threshold": 50}}
    r = client.post("/v1/rules", json=percent, headers=keys["ana"])
    assert r.status_code == 422 and "use 0.5" in r.text


METRIC_RULE = {"name": "DeepSeek price cuts", "severity": "critical", "cooldown_minutes": 30,
               "condition": {"type": "metric", "condition": "price_cut", "threshold": 0.9,
                             "subjects": ["deepseek-v3"]}}


def test_rules_crud_validation_and_isolation(client: Any, keys: dict) -> None:
    r = client.post("/v1/rules", json=METRIC_RULE, headers=keys["ana"])
    assert r.status_code == 201, r.text
    rule = r.json()
    assert rule["type"] == "metric" and rule["condition"]["threshold"] == 0.9
    assert rule["cooldown_minutes"] == 30
    rid = rule["id"]
    assert [x["id"] for x in client.get("/v1/rules", headers=keys["ana"]).json()] == [rid]
    assert client.get("/v1/rules", headers=keys["bob"]).json() == []
    assert client.get(f"/v1/rules/{rid}", headers=keys["bob"]).status_code == 404
    assert client.patch(f"/v1/rules/{rid}", json={"enabled": False},
                        headers=keys["bob"]).status_code == 404
    assert client.delete(f"/v1/rules/{rid}", headers=keys["bob"]).status_code == 404
    assert client.post("/v1/rules", json=METRIC_RULE, headers=keys["reader"]).status_code == 403
    assert client.get(f"/v1/rules/{rid}", headers=keys["reader"]).status_code == 200  # same owner

    bad = client.post("/v1/rules", headers=keys["ana"], json={
        **METRIC_RULE, "condition": {"type": "metric", "condition": "crosses_above",
                                     "threshold": 1e14}})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "kind is required" in bad.text
    unknown_type = client.post("/v1/rules", headers=keys["ana"],
                               json={"name": "x", "condition": {"type": "weather"}})
    assert unknown_type.status_code == 422 and "condition" in unknown_type.text
    hooks = client.post("/v1/rules", headers=keys["ana"],
                        json={**METRIC_RULE, "webhook_ids": ["whk_nope"]})
    assert hooks.status_code == 422 and "whk_nope" in hooks.json()["detail"]

    p = client.patch(f"/v1/rules/{rid}", headers=keys["ana"], json={
        "enabled": False, "condition": {"type": "spike", "entities": ["kimi"]}})
    assert p.status_code == 200 and p.json()["type"] == "spike" and not p.json()["enabled"]
    assert client.delete(f"/v1/rules/{rid}", headers=keys["ana"]).status_code == 204
    assert client.get(f"/v1/rules/{rid}", headers=keys["ana"]).status_code == 404


def test_webhooks_crud_ssrf_rotation_test_send_log_and_replay(
        client: Any, keys: dict, graph: Driver) -> None:
    canary = Canary()
    try:
        refused = client.post("/v1/webhooks", headers=keys["ana"],
                              json={"url": f"http://2130706433:{canary.port}/"})
        assert refused.status_code == 422 and "unusual IP" in refused.json()["detail"]
        meta = client.post("/v1/webhooks", headers=keys["ana"],
                           json={"url": "http://169.254.169.254/latest/meta-data"})
        assert meta.status_code == 422 and "metadata" in meta.json()["detail"]
        assert canary.connections == 0
    finally:
        canary.close()
    created = client.post("/v1/webhooks", headers=keys["ana"],
                          json={"url": "http://127.0.0.1:9/hook", "format": "feishu"})
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_")
    receiver = Receiver([hook["secret"]])
    try:
        wid = hook["id"]
        listed = client.get("/v1/webhooks", headers=keys["ana"]).json()
        assert [w["id"] for w in listed] == [wid] and "secret" not in listed[0]
        assert client.get(f"/v1/webhooks/{wid}", headers=keys["bob"]).status_code == 404
        assert client.post(f"/v1/webhooks/{wid}/test", headers=keys["bob"]).status_code == 404
        patched = client.patch(f"/v1/webhooks/{wid}", headers=keys["ana"],
                               json={"url": receiver.url})
        assert patched.status_code == 200 and patched.json()["url"] == receiver.url

        rotated = client.post(f"/v1/webhooks/{wid}/rotate-secret", headers=keys["ana"]).json()
        assert rotated["secret"] != hook["secret"] and rotated["previous_secret_expires_at"]
        receiver.secrets = [rotated["secret"]]
        sent = client.post(f"/v1/webhooks/{wid}/test", headers=keys["ana"])
        assert sent.status_code == 200 and sent.json()["ok"], sent.text
        req = receiver.requests[-1]
        assert req.verified and len(req.signature.split(" ")) == 2  # both secrets sign
        assert req.webhook_id == sent.json()["delivery_id"]

        log = client.get(f"/v1/webhooks/{wid}/deliveries", headers=keys["ana"]).json()
        assert log[0]["event"] == "webhook.test" and log[0]["status"] == "succeeded"
        assert log[0]["log"][0]["status_code"] == 200
        replay = client.post(f"/v1/webhooks/{wid}/deliveries/{log[0]['id']}/replay",
                             headers=keys["ana"])
        assert replay.status_code == 202
        again = client.get(f"/v1/webhooks/{wid}/deliveries?status=pending",
                           headers=keys["ana"]).json()
        assert [d["id"] for d in again] == [log[0]["id"]]
        assert client.post(f"/v1/webhooks/{wid}/deliveries/{log[0]['id']}/replay",
                           headers=keys["bob"]).status_code == 404
        assert client.delete(f"/v1/webhooks/{wid}", headers=keys["ana"]).status_code == 204
        assert outbox.delivery_counts(Graph(graph)).get("pending", 0) == 0  # cancelled
    finally:
        receiver.stop()


def _alert(owner: str, rule_id: str, i: int, severity: str = "warning") -> AlertDraft:
    return AlertDraft(rule_id=rule_id, rule_type="risk", owner=owner, severity=severity,  # type: ignore[arg-type]
                      title=f"risk {i}", summary="监管趋严", dedupe_key=f"k{i}",
                      entities=("alibaba-cloud",) if i % 2 else (),
                      evidence=(Evidence(article_id=f"a{i}", url=f"https://x.cn/{i}",
                                         sentence="监管趋严。"),))


def test_alerts_list_filter_acknowledge_and_isolation(client: Any, keys: dict,
                                                       graph: Driver) -> None:
    ra = make_rule(graph, "desk-a", {"type": "risk"})
    rb = make_rule(graph, "desk-b", {"type": "risk"})
    drafts = [_alert("desk-a", ra["id"], i, "critical" if i < 2 else "warning") for i in range(5)]
    recs = outbox.record_alerts(Graph(graph), [*drafts, _alert("desk-b", rb["id"], 9)],
                                payloads.render, now())
    b_alert = recs[-1].alert_id
    page = client.get("/v1/alerts?limit=3", headers=keys["ana"]).json()
    assert len(page["items"]) == 3 and page["next_cursor"]
    rest = client.get(f"/v1/alerts?limit=3&cursor={page['next_cursor']}",
                      headers=keys["ana"]).json()
    ids = [a["id"] for a in page["items"] + rest["items"]]
    assert len(ids) == 5 and b_alert not in ids
    crit = client.get("/v1/alerts?severity=critical", headers=keys["ana"]).json()["items"]
    assert len(crit) == 2
    assert len(client.get("/v1/alerts?entity=alibaba-cloud",
                          headers=keys["ana"]).json()["items"]) == 2
    one = client.get(f"/v1/alerts/{ids[0]}", headers=keys["ana"]).json()
    assert one["evidence"][0]["url"].startswith("https://x.cn/") and one["deliveries"] == []
    assert client.get(f"/v1/alerts/{b_alert}", headers=keys["ana"]).status_code == 404
    assert client.post(f"/v1/alerts/{b_alert}/acknowledge",
                       headers=keys["ana"]).status_code == 404
    assert client.post(f"/v1/alerts/{ids[0]}/acknowledge",
                       headers=keys["reader"]).status_code == 403
    ack = client.post(f"/v1/alerts/{ids[0]}/acknowledge", headers=keys["ana"])
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    open_ = client.get("/v1/alerts?status=open", headers=keys["ana"]).json()["items"]
    assert ids[0] not in [a["id"] for a in open_] and len(open_) == 4
    assert client.get("/v1/alerts?severity=loud", headers=keys["ana"]).status_code == 422


def test_generic_payload_schema_is_published(client: Any, keys: dict) -> None:
    schema = client.get("/v1/webhooks/payload-schema", headers=keys["reader"]).json()
    assert schema["title"] == "GenericPayload" and "data" in schema["properties"]
