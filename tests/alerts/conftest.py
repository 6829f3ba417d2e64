"""Fixtures for alert tests: a clean graph with the alert schema, time-scaled settings, a real
loopback receiver, and helpers that create webhooks and rules through graph.outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from neo4j import Driver

from alerts import signing
from alerts.rules import SPEC_ADAPTER
from alerts.settings import AlertSettings
from graph import outbox
from graph.access import Graph
from graph.settings import Neo4jSettings
from tests.alerts.receiver import Receiver


@pytest.fixture
def alert_settings() -> AlertSettings:
    # 5 s → 2.5 ms, 5 min → 0.15 s, 30 min → 0.9 s, 2 h → 3.6 s
    return AlertSettings(retry_time_scale=0.0005, retry_jitter=0.1, attempt_timeout_s=1.0,
                         allow_list=["127.0.0.1/32"], poll_interval_s=0.05, lease_s=10.0,
                         concurrency=4, claim_batch=16)


def wipe(driver: Driver, database: str | None) -> None:
    # CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction: session.run, not
    # execute_query (tests/conftest.py's `empty_graph` fails once the graph has nodes)
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
                    ).consume()


@pytest.fixture
def graph(driver: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    """The session database, emptied, with the alert indexes."""
    wipe(driver, neo4j_settings.database)
    outbox.apply_alert_schema(driver, neo4j_settings.database)
    return driver


@pytest.fixture
def secret() -> str:
    return signing.new_secret()


@pytest.fixture
def receiver(secret: str) -> Iterator[Receiver]:
    rec = Receiver([secret])
    yield rec
    rec.stop()


def now() -> datetime:
    return datetime.now(UTC)


def make_webhook(driver: Driver, owner: str, url: str, secret: str, fmt: str = "generic",
                 **extra: Any) -> dict[str, Any]:
    row = {"id": outbox.new_id("whk"), "owner": owner, "url": url, "format": fmt,
           "secret": secret, "previous_secret": None, "previous_secret_expires_at": None,
           "enabled": True, "description": "", "created_at": now(), **extra}
    return outbox.save_webhook(Graph(driver), row).model_dump()


def make_rule(driver: Driver, owner: str, spec: dict[str, Any], *, severity: str = "warning",
              cooldown_s: float = 3600.0, webhook_ids: list[str] | None = None,
              name: str = "test rule") -> dict[str, Any]:
    parsed = SPEC_ADAPTER.validate_python(spec)
    row = {"id": outbox.new_id("rul"), "owner": owner, "name": name, "type": parsed.type,
           "severity": severity, "cooldown_s": cooldown_s, "enabled": True,
           "webhook_ids": webhook_ids or [], "spec": orjson.dumps(parsed.model_dump()).decode(),
           "created_at": now(), "updated_at": now()}
    return outbox.save_rule(Graph(driver), row).model_dump()
