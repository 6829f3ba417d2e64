"""Two crawl workers (`tokenwatch up --role crawl-worker`, separate processes) share one
scrapy-redis frontier on the test's Redis and crawl one loopback site with a download delay.
The source has two feeds that list overlapping articles, so both workers see links to the
same pages: the shared, per-run dupefilter must stop the second fetch.

What a user would notice, checked at the server and on the queue: no page is requested twice
(the server's request log; robots.txt once per worker, each reads it for itself), every
article is on the ingest queue exactly once, both workers took part (each recorded its
share of the run), and the gaps between requests reaching the host are never shorter than
its delay, although two processes send them."""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from dramatiq import Message
from neo4j import Driver

from crawlers.frontier import frontier_pending, new_run_id, push_seeds, seeds_key
from crawlers.registry import load_sources
from graph.settings import Neo4jSettings
from tests.alerts.conftest import wipe
from tests.crawlers.site import FixtureSite
from tests.crawlers.test_crawl_politeness import feed, write_site, zh_page
from tests.distributed.roles import role_env, start_role, stop
from tokenwatch.queue import NAMESPACE, QUEUE

pytestmark = [pytest.mark.neo4j, pytest.mark.http, pytest.mark.slow]

SOURCE = "scale-crawl"
N = 16
DELAY = 0.3
FEED1 = [f"/a{i}.html" for i in range(0, 12)]  # a4…a11 are in both feeds
FEED2 = [f"/a{i}.html" for i in range(4, N)]
READY = "crawl worker serving"


def _site(root: Path) -> Path:
    files: dict[str, bytes | str] = {
        f"a{i}.html": zh_page(f"调用量报道{i}", f"第{i}篇：豆包大模型日均tokens调用量达{i + 1}万亿。")
        for i in range(N)}
    files.update({"feed1.xml": feed(FEED1), "feed2.xml": feed(FEED2),
                  "robots.txt": "User-agent: *\nAllow: /\n"})
    return write_site(root, files)


def _registry(path: Path, base: str) -> Path:
    path.write_text(yaml.safe_dump({"sources": [{
        "id": SOURCE, "name": "Scale crawl", "kind": "industry", "lang": "zh", "url": base + "/",
        "politeness": {"download_delay": DELAY, "concurrency": 1},
        "listing": {"type": "feed", "feed_urls": [f"{base}/feed1.xml", f"{base}/feed2.xml"]},
    }]}, allow_unicode=True), encoding="utf-8")
    return path


def _wait(pred: Callable[[], bool], timeout: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            tails = "\n".join(p.read_text()[-3000:] for p in logs if p.exists())
            raise AssertionError(f"{what} within {timeout}s:\n{tails}")
        time.sleep(0.2)


def _queued_ids(client: Any) -> list[str]:
    """The article ids of every message on the ingest queue (none is consumed here)."""
    ids = []
    for raw in client.hvals(f"{NAMESPACE}:{QUEUE}.msgs"):
        ids += [item["id"] for item in Message.decode(raw).args[0]]
    return ids


def test_two_crawl_workers_share_one_frontier_and_one_host_delay(
        driver: Driver, neo4j_settings: Neo4jSettings, redis_url: str, redis_client: Any,
        tmp_path: Path) -> None:
    wipe(driver, neo4j_settings.database)
    with FixtureSite(_site(tmp_path / "site")) as site:
        registry = _registry(tmp_path / "sources.yaml", site.base)
        env = role_env(neo4j_settings, redis_url, TOKENWATCH_SOURCES_FILE=str(registry),
                       TOKENWATCH_DATA_DIR=str(tmp_path / "data"),
                       TOKENWATCH_CRAWL_DELAY_SCALE="1", TOKENWATCH_CRAWL_RETRIES="0")
        logs = [tmp_path / f"crawl-{i}.log" for i in range(2)]
        workers = [start_role("crawl-worker", env, log) for log in logs]
        try:
            _wait(lambda: all(p.exists() and READY in p.read_text() for p in logs), 120,
                  "crawl workers not ready", logs)
            source = load_sources(registry)[0]
            run = new_run_id(datetime(2025, 7, 1, 8, 0, tzinfo=UTC))
            assert push_seeds(redis_client, source, run) == 2
            _wait(lambda: len(set(_queued_ids(redis_client))) == N
                  and frontier_pending(redis_client, SOURCE) == 0, 180,
                  f"not all {N} articles queued", logs)
        finally:
            for proc in workers:
                stop(proc)  # SIGTERM: batches in hand are queued, shares recorded
        requests = [r for r in site.requests if r.path != "/robots.txt"]

    fetched = Counter(r.path for r in requests)
    assert fetched == Counter(["/feed1.xml", "/feed2.xml", *[f"/a{i}.html" for i in range(N)]])
    assert 1 <= site.hits("/robots.txt") <= 2

    queued = Counter(_queued_ids(redis_client))
    assert len(queued) == N and set(queued.values()) == {1}, queued

    arrivals = sorted(r.at for r in site.requests)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= DELAY * 0.9, [round(g, 3) for g in gaps]

    records, _, _ = driver.execute_query(
        "MATCH (r:CrawlRun) WHERE r.id STARTS WITH $run RETURN r.id AS id, "
        "r.pages_fetched AS pages", run=run, database_=neo4j_settings.database)
    shares = {r["id"]: r["pages"] for r in records}
    assert len(shares) == 2 and all(p > 0 for p in shares.values()), shares  # both worked
    assert sum(shares.values()) == len(requests)


def test_seeding_starts_one_run_per_source_and_refuses_an_unknown_one(
        redis_url: str, redis_client: Any, tmp_path: Path) -> None:
    """What the scheduler role runs for a due source when TOKENWATCH_CRAWL_WORKERS is set."""
    import subprocess
    import sys

    from tests.distributed.roles import ROOT

    registry = _registry(tmp_path / "sources.yaml", "http://127.0.0.1:9")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOKENWATCH_")}
    env.update(TOKENWATCH_REDIS_URL=redis_url, TOKENWATCH_DATA_DIR=str(tmp_path / "data"))

    def seed(*ids: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tokenwatch.roles", "seed", *ids,
                               "--sources", str(registry)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    done = seed(SOURCE)
    assert done.returncode == 0, done.stderr
    source_id, run = done.stdout.split()
    assert source_id == SOURCE
    assert frontier_pending(redis_client, SOURCE) == 2  # one seed per feed, of that run
    assert {json.loads(m)["run"] for m in redis_client.lrange(seeds_key(SOURCE), 0, -1)} == {run}

    refused = seed("no-such-source")
    assert refused.returncode == 2
    assert "unknown source(s): no-such-source" in refused.stderr
    assert frontier_pending(redis_client, SOURCE) == 2


def test_a_crawl_worker_without_the_shared_frontier_is_refused_saying_what_to_set() -> None:
    from tokenwatch.roles import RoleError, check_role
    from tokenwatch.settings import AppSettings

    neo4j = Neo4jSettings(uri="neo4j://graph.internal:7687")
    with pytest.raises(RoleError, match="TOKENWATCH_REDIS_URL"):
        check_role("crawl-worker", neo4j, AppSettings(redis_url=None))
    check_role("crawl-worker", neo4j, AppSettings(redis_url="redis://redis.internal:6379/0"))
