"""Schemathesis over the alert routes (rules, webhooks, alerts, schedules), in-process, seeded
and bounded: no server errors; responses and problem+json bodies conform to the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from neo4j import Driver

from alerts.settings import AlertSettings
from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Neo4jSettings
from tests.api.fuzz import schema_failures
from tests.scheduler.conftest import fake_crawl
from tokenwatch.scheduler import CrawlRuntime, CrawlScheduler, JobSpec, RunLog, open_engine
from tokenwatch.scheduler import SchedulerSettings as SchedSettings

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

ADMIN = "tw_schemathesis2_" + "admin-key-for-the-alerts-run"
HEADERS = {"Authorization": f"Bearer {ADMIN}"}
TAGS = ["alerts", "alert rules", "webhooks", "schedules"]
EXAMPLES = 12


@pytest.fixture(scope="module")
def api_schema(driver: Driver, neo4j_settings: Neo4jSettings,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    app = create_app(neo4j_settings, api_settings=ApiSettings(admin_key=ADMIN, rate_per_min=0))
    app.state.services.alert_settings = AlertSettings(attempt_timeout_s=0.5, allow_list=["127.0.0.1/32"])
    store = f"sqlite:///{Path(tmp_path_factory.mktemp('sched')) / 'store.sqlite'}"
    runtime = CrawlRuntime(runlog=RunLog(open_engine(store)), timeout_s=5,
                           command=fake_crawl(0.0))
    sched = CrawlScheduler(store, [JobSpec("gov-cn", interval_s=3600)], runtime,
                           SchedSettings(lease_ttl_s=5)).start()
    app.state.services.scheduler = sched
    yield schemathesis.openapi.from_asgi("/openapi.json", app).include(tag=TAGS)
    sched.shutdown()


def test_alert_routes_conform_to_their_schema(api_schema: Any) -> None:
    failures = schema_failures(api_schema, HEADERS, EXAMPLES, min_operations=17)
    assert not failures, "\n\n".join(failures)
