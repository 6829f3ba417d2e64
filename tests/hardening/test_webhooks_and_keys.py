"""Issue 10 item 9: SSRF refusals at send time fail at once; enabling a webhook re-checks its
URL; no test-send on a disabled webhook; a percent-encoded host is refused for what it is;
API keys are owner-scoped for admins, and the operator role is not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import Driver

from alerts import payloads, signing
from alerts.delivery import DeliveryWorker
from alerts.errors import UnsafeUrl
from alerts.settings import AlertSettings
from alerts.ssrf import SsrfGuard
from alerts.types import AlertDraft, Evidence
from graph import outbox
from graph.access import Graph
from graph.settings import Neo4jSettings
from tests.alerts.conftest import make_rule, make_webhook, now, wipe
from tests.alerts.receiver import Receiver
from tests.conftest import auth_headers

pytestmark = [pytest.mark.neo4j, pytest.mark.http]
LOOPBACK_OK = AlertSettings(retry_time_scale=0.0005, attempt_timeout_s=1.0,
                            allow_list=["127.0.0.1/32"], poll_interval_s=0.05)
NOTHING_ALLOWED = LOOPBACK_OK.model_copy(update={"allow_list": []})


@pytest.fixture
def graph(driver: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    wipe(driver, neo4j_settings.database)
    outbox.apply_alert_schema(driver, neo4j_settings.database)
    return driver


@pytest.fixture
def client(api_client: Any, graph: Driver) -> Iterator[Any]:
    api_client.app.state.services.alert_settings = LOOPBACK_OK
    yield api_client
    api_client.app.state.services.alert_settings = None


def test_percent_encoded_host_is_refused_for_what_it_is() -> None:
    with pytest.raises(UnsafeUrl, match=r"percent-encoded host .* decodes to '127\.0\.0\.1'"):
        SsrfGuard().check_url("http://%31%32%37.0.0.1:8080/hook")
    with pytest.raises(UnsafeUrl, match="zone identifiers"):
        SsrfGuard().check_url("http://[fe80::1%25eth0]/hook")


def test_percent_encoded_host_through_the_api(client: Any, make_key: Any) -> None:
    ana = auth_headers(make_key("analyst", "desk-a"))
    res = client.post("/v1/webhooks", headers=ana, json={"url": "http://%31%32%37.0.0.1:9/"})
    assert res.status_code == 422 and "percent-encoded host" in res.json()["detail"]


def test_a_delivery_refused_at_send_time_fails_at_once(graph: Driver,
                                                       neo4j_settings: Neo4jSettings) -> None:
    receiver = Receiver([signing.new_secret()])
    try:
        # registered while loopback was allowed; the guard refuses it by the time it is sent
        hook = make_webhook(graph, "desk-a", receiver.url, signing.new_secret())
        rule = make_rule(graph, "desk-a", {"type": "risk"}, webhook_ids=[hook["id"]])
        draft = AlertDraft(rule_id=rule["id"], rule_type="metric", owner="desk-a", severity="critical",
                           webhook_ids=(hook["id"],), title="t", summary="s", dedupe_key="k1",
                           cooldown_s=0,
                           evidence=(Evidence(article_id="a1", url="https://n.example.cn/1",
                                              sentence="价格下调97%。"),))
        outbox.record_alerts(Graph(graph), [draft], payloads.render, now())
        worker = DeliveryWorker(graph, NOTHING_ALLOWED, neo4j_settings.database)
        try:
            assert worker.run_once(wait=True) == 1
            assert worker.run_once(wait=False) == 0  # nothing scheduled for later
        finally:
            worker.stop(5)
        (delivery,) = outbox.list_deliveries(Graph(graph), "desk-a", hook["id"], None, 10)
        assert delivery.status == "failed"
        assert delivery.next_attempt_at is None
        assert "refused by SSRF guard" in str(delivery.attempt_error)
        assert receiver.requests == []
    finally:
        receiver.stop()


def test_enabling_rechecks_the_url_and_disabled_hooks_get_no_test(client: Any,
                                                                  make_key: Any) -> None:
    ana = auth_headers(make_key("analyst", "desk-a"))
    receiver = Receiver([])
    try:
        made = client.post("/v1/webhooks", headers=ana, json={"url": receiver.url})
        assert made.status_code == 201, made.text
        wid = made.json()["id"]
        off = client.patch(f"/v1/webhooks/{wid}", headers=ana, json={"enabled": False})
        assert off.status_code == 200 and off.json()["enabled"] is False
        sent = client.post(f"/v1/webhooks/{wid}/test", headers=ana)
        assert sent.status_code == 409 and "disabled" in sent.json()["detail"]
        assert receiver.requests == []

        client.app.state.services.alert_settings = NOTHING_ALLOWED  # loopback no longer allowed
        on = client.patch(f"/v1/webhooks/{wid}", headers=ana, json={"enabled": True})
        assert on.status_code == 422 and "webhook url refused" in on.json()["detail"]
        listed = client.get(f"/v1/webhooks/{wid}", headers=ana).json()
        assert listed["enabled"] is False
    finally:
        receiver.stop()


def test_keys_are_owner_scoped_for_admins(api_client: Any, graph: Driver, make_key: Any,
                                          admin_key: str) -> None:
    admin_a = auth_headers(make_key("admin", "desk-a"))
    analyst_a = make_key("analyst", "desk-a")
    admin_b = make_key("admin", "desk-b")
    reader_b = make_key("reader", "desk-b")
    reader_b_id = reader_b.split("_")[1]

    listed = api_client.get("/v1/keys", headers=admin_a)
    assert listed.status_code == 200
    assert {k["owner"] for k in listed.json()} == {"desk-a"}
    assert analyst_a.split("_")[1] in {k["id"] for k in listed.json()}

    assert api_client.delete(f"/v1/keys/{reader_b_id}", headers=admin_a).status_code == 404
    assert api_client.get("/v1/me", headers=auth_headers(reader_b)).status_code == 200
    other = api_client.post("/v1/keys", headers=admin_a, json={"role": "reader", "owner": "desk-b"})
    assert other.status_code == 403
    above = api_client.post("/v1/keys", headers=admin_a,
                            json={"role": "operator", "owner": "desk-a"})
    assert above.status_code == 403
    own = api_client.post("/v1/keys", headers=admin_a, json={"role": "reader", "owner": "desk-a"})
    assert own.status_code == 201

    # the operator (the bootstrap key) is not owner-scoped
    operator = auth_headers(admin_key)
    assert api_client.get("/v1/me", headers=operator).json()["role"] == "operator"
    owners = {k["owner"] for k in api_client.get("/v1/keys", headers=operator).json()}
    assert {"desk-a", "desk-b"} <= owners
    assert api_client.delete(f"/v1/keys/{reader_b_id}", headers=operator).status_code == 200
    assert api_client.get("/v1/me", headers=auth_headers(reader_b)).status_code == 401
    assert api_client.get("/v1/keys", headers=auth_headers(admin_b)).status_code == 200
