"""Two schedulers (`tokenwatch up --role scheduler`, separate processes) on one shared SQL
store (TOKENWATCH_SCHEDULER_STORE_URL; an SQLite file here stands in for PostgreSQL, through
the same SQLAlchemy URL): exactly one leads, and when it is killed with SIGKILL the other
takes the lease over once it expires."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from neo4j import Driver

from crawlers.frontier import seeds_key
from graph.settings import Neo4jSettings
from tests.distributed.roles import role_env, start_role, stop

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

LEADS = "scheduler is leader"


def _wait_logs(logs: list[Path], pred: object, timeout: float = 300) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        texts = [p.read_text() if p.exists() else "" for p in logs]
        if pred(texts) or time.monotonic() > deadline:  # type: ignore[operator]
            return texts
        time.sleep(0.2)


def test_one_scheduler_leads_and_the_other_takes_over(
        driver: Driver, neo4j_settings: Neo4jSettings, redis_url: str, tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"  # one source, due in a day: nothing is crawled here
    sources.write_text(yaml.safe_dump({"sources": [{
        "id": "sched-scale", "name": "Scale", "kind": "industry", "lang": "zh",
        "url": "https://sched.example.cn/", "schedule": {"interval_minutes": 1440},
        "listing": {"type": "feed", "feed_urls": ["https://sched.example.cn/feed.xml"]}}]}))
    env = role_env(neo4j_settings, redis_url, TOKENWATCH_SOURCES_FILE=str(sources),
                   TOKENWATCH_DATA_DIR=str(tmp_path / "var"),
                   TOKENWATCH_SCHEDULER_STORE_URL=f"sqlite:///{tmp_path / 'shared.sqlite'}",
                   TOKENWATCH_SCHEDULER_LEASE_TTL_S="3")
    logs = [tmp_path / f"scheduler-{i}.log" for i in range(2)]
    procs = [start_role("scheduler", env, log) for log in logs]
    try:
        texts = _wait_logs(logs, lambda ts: all("scheduler stopped" in t or "(store" in t
                                                  for t in ts))
        leaders = [i for i, t in enumerate(texts) if LEADS in t]
        assert len(leaders) == 1, texts
        leader, standby = leaders[0], 1 - leaders[0]
        assert "standby" in texts[standby]
        procs[leader].send_signal(signal.SIGKILL)
        procs[leader].wait()
        texts = _wait_logs([logs[standby]], lambda ts: LEADS in ts[0], timeout=60)
        assert LEADS in texts[0], texts[0][-2000:]
    finally:
        for proc in procs:
            stop(proc)


def test_with_crawl_workers_the_scheduler_seeds_the_frontier_and_records_the_run(
        driver: Driver, neo4j_settings: Neo4jSettings, redis_url: str, redis_client: Any,
        tmp_path: Path) -> None:
    # due every minute; no crawl worker runs, so the seed stays on the frontier to be seen
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [{
        "id": "sched-seed", "name": "Seed", "kind": "industry", "lang": "zh",
        "url": "https://seed.example.cn/", "schedule": {"cron": "* * * * *"},
        "listing": {"type": "feed", "feed_urls": ["https://seed.example.cn/feed.xml"]}}]}))
    store = tmp_path / "store.sqlite"
    env = role_env(neo4j_settings, redis_url, TOKENWATCH_SOURCES_FILE=str(sources),
                   TOKENWATCH_DATA_DIR=str(tmp_path / "var"), TOKENWATCH_CRAWL_WORKERS="true",
                   TOKENWATCH_SCHEDULER_STORE_URL=f"sqlite:///{store}")
    log = tmp_path / "scheduler.log"
    proc = start_role("scheduler", env, log)

    def finished() -> list[tuple[str, str | None]]:
        if not store.exists():
            return []
        with sqlite3.connect(store) as db:
            return db.execute("SELECT status, detail FROM crawl_schedule_runs WHERE source_id = "
                              "'sched-seed' AND status != 'running'").fetchall()

    try:
        deadline = time.monotonic() + 150
        while not finished() and time.monotonic() < deadline:
            time.sleep(0.5)
        runs = finished()
    finally:
        stop(proc)
    assert runs, log.read_text()[-3000:]
    # the seed command ran and succeeded (a seed is not a poll: no --report was asked of it)
    assert runs[0][0] == "ok", (runs, log.read_text()[-3000:])
    seeds = redis_client.lrange(seeds_key("sched-seed"), 0, -1)
    assert seeds and all(b"seed.example.cn/feed.xml" in s for s in seeds), seeds
