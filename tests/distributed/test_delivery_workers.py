"""Two delivery workers (`tokenwatch up --role delivery`, separate processes) drain one outbox
into a real loopback receiver; one is killed with SIGKILL in the middle of the backlog. The
claims it held expire (lease) and the other worker takes them over: every alert arrives, each
under one `webhook-id`, and a receiver that dedupes on that id processes each exactly once.
Only what the killed worker had in flight may be sent again unrecorded (same id); any other
second send is a recorded retry of a failed attempt."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from alerts import payloads, signing
from alerts.types import AlertDraft, Evidence
from graph import outbox
from graph.access import Graph
from graph.settings import Neo4jSettings
from tests.alerts.conftest import make_rule, make_webhook, now, wipe
from tests.alerts.receiver import Receiver, Reply
from tests.distributed.roles import role_env, start_role, stop

pytestmark = [pytest.mark.neo4j, pytest.mark.http, pytest.mark.slow]

OWNER = "analyst-scale"
ALERTS = 40
BATCH = 2  # deliveries one worker claims (and has in flight) at most


def _drafts(rule_id: str) -> list[AlertDraft]:
    return [AlertDraft(rule_id=rule_id, rule_type="metric", owner=OWNER, severity="critical",
                       title=f"price cut #{i}", summary="价格下调97%",
                       dedupe_key=f"metric:{rule_id}:scale{i}", cooldown_s=3600,
                       evidence=(Evidence(article_id=f"a{i}", url=f"https://n.example.cn/{i}",
                                          sentence=f"第{i}条：价格下调97%。"),))
            for i in range(ALERTS)]


def _wait(pred: Callable[[], bool], timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    secret = signing.new_secret()
    rec = Receiver([secret])
    rec.default = Reply(delay_s=0.25)  # a slow consumer: the backlog lasts a few seconds
    yield rec
    rec.stop()


def test_a_killed_worker_loses_nothing_and_nothing_is_processed_twice(
        driver: Driver, neo4j_settings: Neo4jSettings, redis_url: str, receiver: Receiver,
        tmp_path: Path) -> None:
    wipe(driver, neo4j_settings.database)
    outbox.apply_alert_schema(driver, neo4j_settings.database)
    hook = make_webhook(driver, OWNER, receiver.url, receiver.secrets[0])
    rule = make_rule(driver, OWNER, {"type": "risk"}, webhook_ids=[hook["id"]])
    recorded = outbox.record_alerts(Graph(driver, neo4j_settings.database), _drafts(rule["id"]), payloads.render, now())
    alert_ids = {r.alert_id for r in recorded}
    env = role_env(neo4j_settings, redis_url, TOKENWATCH_ALERTS_ALLOW_LIST='["127.0.0.1/32"]',
                   TOKENWATCH_ALERTS_CONCURRENCY=str(BATCH),
                   TOKENWATCH_ALERTS_CLAIM_BATCH=str(BATCH), TOKENWATCH_ALERTS_LEASE_S="8",  # > a live send under load
                   TOKENWATCH_ALERTS_POLL_INTERVAL_S="0.1",
                   TOKENWATCH_ALERTS_ATTEMPT_TIMEOUT_S="5")
    workers: list[subprocess.Popen[bytes]] = [
        start_role("delivery", env, tmp_path / f"delivery-{i}.log") for i in range(2)]
    try:
        assert receiver.wait_for(lambda r: len(r.requests) >= ALERTS // 4, timeout=180), \
            (tmp_path / "delivery-0.log").read_text()[-2000:]
        workers[0].send_signal(signal.SIGKILL)  # mid-backlog, with deliveries in flight
        workers[0].wait()
        assert receiver.wait_for(lambda r: len(r.processed) == ALERTS, timeout=120), \
            (tmp_path / "delivery-1.log").read_text()[-2000:]
        assert _wait(lambda: outbox.delivery_counts(Graph(driver, neo4j_settings.database))
                     == {"succeeded": ALERTS})
    finally:
        for proc in workers:
            stop(proc)
    assert {body["data"]["id"] for body in receiver.processed.values()} == alert_ids
    assert all(r.verified for r in receiver.requests)
    sent = receiver.ids()
    assert len(sent) == ALERTS  # one webhook-id per alert, across both workers and the retry
    # a send that no worker recorded as an attempt was in flight in the killed worker
    logged, _, _ = driver.execute_query(
        "MATCH (d:Delivery) RETURN d.id AS id, d.attempts AS attempts, d.attempt_error AS errors",
        database_=neo4j_settings.database)
    attempts = {r["id"]: r["attempts"] for r in logged}
    unrecorded = {i: n - attempts[i] for i, n in sent.items() if n > attempts[i]}
    assert sum(unrecorded.values()) <= BATCH, (unrecorded, [
        (r["id"], r["errors"]) for r in logged if r["attempts"] > 1])
