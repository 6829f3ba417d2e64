"""The delivery worker against a REAL loopback receiver and a REAL Neo4j outbox."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from neo4j import Driver

from alerts import payloads, signing
from alerts.delivery import DeliveryWorker, Sender, test_send
from alerts.settings import AlertSettings
from alerts.types import AlertDraft, Evidence
from graph import outbox
from graph.access import Graph
from graph.outbox_models import Delivery, Webhook
from graph.settings import Neo4jSettings
from tests.alerts.conftest import make_rule, make_webhook, now
from tests.alerts.receiver import Canary, Receiver, Reply, Silent

pytestmark = [pytest.mark.neo4j, pytest.mark.http]
OWNER = "analyst-a"


def draft(rule_id: str, i: int, owner: str = OWNER, cooldown_s: float = 3600,
          webhook_ids: tuple[str, ...] = ()) -> AlertDraft:
    return AlertDraft(rule_id=rule_id, rule_type="metric", owner=owner, severity="critical",
                      webhook_ids=webhook_ids,
                      title=f"price cut #{i}", summary="DeepSeek 价格下调97%",
                      dedupe_key=f"metric:{rule_id}:k{i}", cooldown_s=cooldown_s,
                      evidence=(Evidence(article_id=f"a{i}", url=f"https://n.example.cn/{i}",
                                         sentence=f"第{i}条：价格下调97%。"),))


def queue(driver: Driver, rule_id: str, n: int, start: int = 0,
          webhook_ids: tuple[str, ...] = ()) -> list[str]:
    drafts = [draft(rule_id, i, webhook_ids=webhook_ids) for i in range(start, start + n)]
    recs = outbox.record_alerts(Graph(driver), drafts, payloads.render, now())
    return [r.alert_id for r in recs]


@pytest.fixture
def workers(graph: Driver, alert_settings: AlertSettings,
            neo4j_settings: Neo4jSettings) -> Iterator[Callable[..., DeliveryWorker]]:
    started: list[DeliveryWorker] = []

    def make(settings: AlertSettings | None = None, start: bool = True) -> DeliveryWorker:
        w = DeliveryWorker(graph, settings or alert_settings, neo4j_settings.database)
        started.append(w)
        return w.start() if start else w

    yield make
    for w in started:
        if w._thread is None or w._thread.is_alive() or not w._stop.is_set():
            w.stop(5)


def wait_until(pred: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return False


def deliveries(driver: Driver, webhook_id: str, owner: str = OWNER) -> list[Delivery]:
    return outbox.list_deliveries(Graph(driver), owner, webhook_id, None, 1000)


def test_receiver_down_during_a_burst_then_back(graph: Driver, receiver: Receiver,
                                                secret: str, workers) -> None:
    hook = make_webhook(graph, OWNER, receiver.url, secret)
    rule = make_rule(graph, OWNER, {"type": "risk"})
    receiver.stop()
    alert_ids = queue(graph, rule["id"], 20)
    workers()
    assert wait_until(lambda: all(d.attempts >= 1 and d.status == "pending"
                                  for d in deliveries(graph, hook["id"])))
    receiver.start()
    assert receiver.wait_for(lambda r: len(r.processed) == 20)
    assert wait_until(lambda: outbox.delivery_counts(Graph(graph)) == {"succeeded": 20})
    assert all(r.verified for r in receiver.requests)
    assert {p["data"]["id"] for p in receiver.processed.values()} == set(alert_ids)
    logged = deliveries(graph, hook["id"])
    assert all(d.attempt_status[0] == 0 and "ConnectError" in d.attempt_error[0]
               for d in logged)  # the first attempt found nobody listening


def test_410_disables_the_endpoint_and_alerts_the_owner(graph: Driver, secret: str,
                                                         workers) -> None:
    gone, other = Receiver([secret]), Receiver([secret])
    try:
        gone.default = Reply(410)
        hook = make_webhook(graph, OWNER, gone.url, secret)
        rule = make_rule(graph, OWNER, {"type": "risk"}, webhook_ids=[hook["id"]])
        make_webhook(graph, OWNER, other.url, secret)
        queue(graph, rule["id"], 1, webhook_ids=(hook["id"],))
        workers()
        assert other.wait_for(lambda r: len(r.processed) == 1)
        system = next(iter(other.processed.values()))["data"]
        assert system["rule_type"] == "system" and "410" in system["summary"]
        stored = outbox.get_webhook(Graph(graph), OWNER, hook["id"])
        assert stored is not None and stored.enabled is False
        assert "410" in stored.disabled_reason
        [d] = deliveries(graph, hook["id"])
        assert d.status == "failed" and d.last_status_code == 410
        # a disabled endpoint gets no new deliveries
        queue(graph, rule["id"], 1, start=5, webhook_ids=(hook["id"],))
        assert len(deliveries(graph, hook["id"])) == 1
        assert len(gone.requests) == 1
    finally:
        gone.stop()
        other.stop()


def test_503_with_retry_after_is_honoured(graph: Driver, receiver: Receiver, secret: str,
                                          workers) -> None:
    receiver.respond(Reply(503, {"Retry-After": "1"}))
    make_webhook(graph, OWNER, receiver.url, secret)
    rule = make_rule(graph, OWNER, {"type": "risk"})
    queue(graph, rule["id"], 1)
    workers()
    assert receiver.wait_for(lambda r: len(r.processed) == 1)
    first, second = receiver.requests[0], receiver.requests[1]
    assert first.webhook_id == second.webhook_id  # constant across retries
    assert second.at - first.at >= 0.95  # not the scaled 2.5 ms of the schedule
    assert second.timestamp >= first.timestamp and second.verified


def test_302_is_a_failure_and_is_not_followed(graph: Driver, receiver: Receiver,
                                              secret: str, workers) -> None:
    canary = Canary()
    try:
        receiver.respond(Reply(302, {"Location": f"http://127.0.0.1:{canary.port}/"}))
        hook = make_webhook(graph, OWNER, receiver.url, secret)
        rule = make_rule(graph, OWNER, {"type": "risk"})
        queue(graph, rule["id"], 1)
        workers()
        assert receiver.wait_for(lambda r: len(r.processed) == 1)
        [d] = deliveries(graph, hook["id"])
        assert wait_until(lambda: deliveries(graph, hook["id"])[0].status == "succeeded")
        d = deliveries(graph, hook["id"])[0]
        assert d.attempt_status[:2] == [302, 200]
        assert "not followed" in d.attempt_error[0]
        assert canary.connections == 0
    finally:
        canary.close()


def test_a_receiver_that_never_answers_times_out_without_blocking_others(
        graph: Driver, receiver: Receiver, secret: str, alert_settings: AlertSettings,
        workers) -> None:
    silent = Silent()
    try:
        settings = alert_settings.model_copy(update={"attempt_timeout_s": 0.3})
        stuck = make_webhook(graph, OWNER, silent.url, secret)
        make_webhook(graph, OWNER, receiver.url, secret)
        rule = make_rule(graph, OWNER, {"type": "risk"})
        queue(graph, rule["id"], 3)
        workers(settings)
        assert receiver.wait_for(lambda r: len(r.processed) == 3)
        assert wait_until(lambda: all(d.attempts >= 1 for d in deliveries(graph, stuck["id"])))
        d = deliveries(graph, stuck["id"])[0]
        assert d.status in ("pending", "sending") and "timeout" in d.attempt_error[0]
    finally:
        silent.close()


def test_an_endpoint_failing_too_long_is_disabled_and_owner_alerted(
        graph: Driver, receiver: Receiver, secret: str, alert_settings: AlertSettings,
        workers) -> None:
    receiver.default = Reply(500)
    settings = alert_settings.model_copy(update={"disable_after_s": 0.2})
    hook = make_webhook(graph, OWNER, receiver.url, secret)
    rule = make_rule(graph, OWNER, {"type": "risk"})
    queue(graph, rule["id"], 1)
    workers(settings)
    assert wait_until(lambda: not outbox.get_webhook(Graph(graph), OWNER, hook["id"]).enabled)
    assert "failing" in outbox.get_webhook(Graph(graph), OWNER, hook["id"]).disabled_reason
    [system] = outbox.list_alerts(Graph(graph), OWNER, rule_id=None, severities=["critical"],
                                  status="open", limit=10, entity=None, since=None)[:1]
    alerts = outbox.list_alerts(Graph(graph), OWNER)
    assert any(a.rule_type == "system" and "disabled" in a.title for a in alerts)
    assert system is not None


def test_restart_mid_backlog_loses_and_duplicates_nothing(
        graph: Driver, receiver: Receiver, secret: str, workers) -> None:
    receiver.default = Reply(200, delay_s=0.02)
    make_webhook(graph, OWNER, receiver.url, secret)
    rule = make_rule(graph, OWNER, {"type": "risk"})
    alert_ids = queue(graph, rule["id"], 40)
    first = workers()
    assert receiver.wait_for(lambda r: len(r.processed) >= 8)
    first.stop(10)  # graceful: in-flight attempts finish and are recorded
    workers()
    assert receiver.wait_for(lambda r: len(r.processed) == 40)
    assert wait_until(lambda: outbox.delivery_counts(Graph(graph)) == {"succeeded": 40})
    assert max(receiver.ids().values()) == 1  # nothing sent twice
    assert {p["data"]["id"] for p in receiver.processed.values()} == set(alert_ids)


def test_a_crashed_worker_claims_expire_and_are_taken_over(
        graph: Driver, receiver: Receiver, secret: str, alert_settings: AlertSettings,
        workers) -> None:
    make_webhook(graph, OWNER, receiver.url, secret)
    rule = make_rule(graph, OWNER, {"type": "risk"})
    queue(graph, rule["id"], 5)
    t = now()
    dead = outbox.claim_deliveries(Graph(graph), t, t + timedelta(seconds=0.5), "wrk_dead", 10)
    assert len(dead) == 5
    workers()
    assert receiver.wait_for(lambda r: len(r.processed) == 5)
    assert max(receiver.ids().values()) == 1
    # the dead worker coming back cannot overwrite the outcome
    assert not outbox.complete_delivery(Graph(graph), dead[0].id, "wrk_dead", "failed", None, 500,
                                        "late", 1.0, now())


def test_cooldown_groups_repeats_into_one_alert(graph: Driver, receiver: Receiver,
                                                secret: str) -> None:
    make_webhook(graph, OWNER, receiver.url, secret)
    rule = make_rule(graph, OWNER, {"type": "risk"})
    first = outbox.record_alerts(Graph(graph), [draft(rule["id"], 1)], payloads.render, now())
    again = draft(rule["id"], 1).model_copy(update={"evidence": (
        Evidence(article_id="b", url="https://n.example.cn/b", sentence="再次降价。"),),
        "title": "深度求索: price cut 98%", "summary": "DeepSeek 价格再下调98%"})
    second = outbox.record_alerts(Graph(graph), [again], payloads.render, now())
    assert first[0].created and first[0].deliveries == 1
    assert not second[0].created and second[0].alert_id == first[0].alert_id
    alert = outbox.get_alert(Graph(graph), OWNER, first[0].alert_id)
    assert alert is not None and alert.occurrences == 2 and len(alert.deliveries) == 1
    # the grouped alert says the latest figure, not the first one's
    assert alert.title == "深度求索: price cut 98%"
    assert alert.summary == "DeepSeek 价格再下调98%"
    # after the cooldown the same key raises a new alert
    later = outbox.record_alerts(Graph(graph), [draft(rule["id"], 1, cooldown_s=0)], payloads.render,
                                 now() + timedelta(seconds=1))
    assert later[0].created


def test_replay_resends_with_the_same_webhook_id(graph: Driver, receiver: Receiver,
                                                 secret: str, workers) -> None:
    hook = make_webhook(graph, OWNER, receiver.url, secret)
    rule = make_rule(graph, OWNER, {"type": "risk"})
    queue(graph, rule["id"], 1)
    workers()
    assert receiver.wait_for(lambda r: len(r.requests) == 1)
    [d] = deliveries(graph, hook["id"])
    assert wait_until(lambda: deliveries(graph, hook["id"])[0].status == "succeeded")
    assert outbox.replay_delivery(Graph(graph), OWNER, hook["id"], d.id, now()) == "succeeded"
    assert receiver.wait_for(lambda r: len(r.requests) == 2)
    assert receiver.ids()[d.id] == 2 and len(receiver.processed) == 1
    assert outbox.replay_delivery(Graph(graph), "someone-else", hook["id"], d.id, now()) is None


def test_rotation_overlap_and_test_send(graph: Driver, alert_settings: AlertSettings) -> None:
    old, new = signing.new_secret(), signing.new_secret()
    only_old = Receiver([old])
    try:
        hook = make_webhook(graph, OWNER, only_old.url, new, previous_secret=old,
                            previous_secret_expires_at=now() + timedelta(hours=1))
        sender = Sender(alert_settings)
        result = test_send(Graph(graph), sender, Webhook.model_validate(hook), now())
        assert result.ok and result.status_code == 200
        assert only_old.requests[0].verified  # old secret still verifies during the overlap
        assert len(only_old.requests[0].signature.split(" ")) == 2
        expired = {**hook, "previous_secret_expires_at": now() - timedelta(seconds=1)}
        test_send(Graph(graph), sender, Webhook.model_validate(expired), now())
        assert not only_old.requests[1].verified
        logged = deliveries(graph, hook["id"])
        assert {d.event for d in logged} == {"webhook.test"} and len(logged) == 2
        sender.close()
    finally:
        only_old.stop()
