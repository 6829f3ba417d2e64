"""Schedule routes over a live app with a real scheduler (SQLite store, subprocess crawls)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import auth_headers
from tests.scheduler.conftest import fake_crawl
from tokenwatch.scheduler import CrawlScheduler, JobSpec

pytestmark = [pytest.mark.neo4j]


@pytest.fixture
def client(api_client: Any, make_scheduler: Any) -> Iterator[tuple[Any, CrawlScheduler]]:
    sched = make_scheduler([JobSpec("gov-cn", interval_s=3600), JobSpec("miit", cron="0 * * * *")],
                           command=fake_crawl(0.2))
    api_client.app.state.services.scheduler = sched
    yield api_client, sched
    api_client.app.state.services.scheduler = None


def test_schedules_list_change_pause_resume_run_and_history(client: Any, make_key: Any) -> None:
    api, _ = client
    admin = auth_headers(make_key("admin", "ops"))
    reader = auth_headers(make_key("reader", "desk-a"))
    page = api.get("/v1/schedules", headers=reader).json()
    assert page["next_cursor"] is None  # the list envelope of every other list
    listed = page["items"]
    assert [s["source_id"] for s in listed] == ["gov-cn", "miit"]
    # early clients of the unversioned alias keep the bare array
    assert api.get("/schedules", headers=reader).json() == listed
    assert listed[0]["interval_minutes"] == 60 and listed[1]["cron"] == "0 * * * *"

    assert api.post("/v1/schedules/gov-cn/pause", headers=reader).status_code == 403
    paused = api.post("/v1/schedules/gov-cn/pause", headers=admin).json()
    assert paused["paused"] and paused["next_run_at"] is None
    resumed = api.post("/v1/schedules/gov-cn/resume", headers=admin).json()
    assert not resumed["paused"] and resumed["next_run_at"]

    changed = api.patch("/v1/schedules/gov-cn", headers=admin, json={"interval_minutes": 15})
    assert changed.status_code == 200 and changed.json()["interval_minutes"] == 15
    both = api.patch("/v1/schedules/gov-cn", headers=admin,
                     json={"interval_minutes": 15, "cron": "* * * * *"})
    assert both.status_code == 422 and "exactly one" in both.text
    bad_cron = api.patch("/v1/schedules/gov-cn", headers=admin, json={"cron": "61 * * * *"})
    assert bad_cron.status_code == 422
    assert api.get("/v1/schedules/nope", headers=reader).status_code == 404

    assert api.post("/v1/schedules/gov-cn/run", headers=admin).status_code == 202
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        runs = api.get("/v1/schedules/gov-cn/runs", headers=reader).json()
        if runs and runs[0]["status"] == "ok":
            break
        time.sleep(0.05)
    assert runs[0]["trigger"] == "manual" and runs[0]["status"] == "ok"
    assert runs[0]["exit_code"] == 0


def test_no_scheduler_or_standby_is_503(api_client: Any, make_key: Any,
                                        make_scheduler: Any) -> None:
    reader = auth_headers(make_key("reader", "desk-a"))
    api_client.app.state.services.scheduler = None
    r = api_client.get("/v1/schedules", headers=reader)
    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem")
    leader = make_scheduler([JobSpec("gov-cn", interval_s=3600)])
    standby = make_scheduler([JobSpec("gov-cn", interval_s=3600)])
    assert leader.is_leader and not standby.is_leader
    api_client.app.state.services.scheduler = standby
    try:
        assert "standby" in api_client.get("/v1/schedules", headers=reader).json()["detail"]
    finally:
        api_client.app.state.services.scheduler = None
