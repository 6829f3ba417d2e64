"""Two ingest workers (`tokenwatch up --role ingest-worker`, separate processes) consume the
Dramatiq queue on the test's Redis; one is killed with SIGKILL while it holds batches. Its
unacknowledged batches return to the queue once its heartbeat is missed and the other worker
writes them: every article is in Neo4j once, with its one observation (not lost, not doubled:
a batch written twice changes nothing). A message that is no article goes to the dead-letter
queue without retries and costs nothing else."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from neo4j import Driver

from crawlers.types import Article
from graph import writer
from graph.settings import Neo4jSettings
from tests.alerts.conftest import wipe
from tests.distributed.roles import role_env, start_role, stop
from tokenwatch.queue import IngestQueue, QueueSettings

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

BATCHES, PER_BATCH = 8, 10
N = BATCHES * PER_BATCH
SOURCE = "scale-src"


def _article(i: int) -> Article:
    text = (f"第{i}号报道：字节跳动豆包大模型日均tokens调用量达{i + 1}万亿。"
            "分析人士认为，大模型应用正在加速落地，更多企业开始接入。")
    return Article(id=f"scale-{i:03d}", url=f"https://scale.example.cn/{i}",
                   canonical_url=f"https://scale.example.cn/{i}", source_id=SOURCE,
                   title=f"豆包调用量 {i}", text=text, lang="zh",
                   published_at=datetime(2025, 6, 1, tzinfo=UTC),
                   fetched_at=datetime(2025, 6, 2, tzinfo=UTC), content_hash=f"hash-{i}")


def _count(driver: Driver, database: str | None, query: str) -> int:
    records, _, _ = driver.execute_query(query, database_=database)
    return int(records[0][0])


def _wait(pred: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def queue(redis_url: str, redis_client: object) -> Iterator[IngestQueue]:
    q = IngestQueue(QueueSettings(redis_url=redis_url))
    yield q
    q.close()


def test_a_killed_ingest_worker_loses_and_doubles_nothing(
        driver: Driver, neo4j_settings: Neo4jSettings, redis_url: str, queue: IngestQueue,
        tmp_path: Path) -> None:
    db = neo4j_settings.database
    wipe(driver, db)
    writer.write_sources(driver, [writer.SourceRow(SOURCE, "Scale", "industry", "zh",
                                                   "https://scale.example.cn/")], db)
    queue.actor.send([{"id": "not-an-article"}])  # poison: dead-lettered, nothing else lost
    for b in range(BATCHES):
        queue.enqueue([_article(b * PER_BATCH + i) for i in range(PER_BATCH)])
    env = role_env(neo4j_settings, redis_url, TOKENWATCH_QUEUE_HEARTBEAT_TIMEOUT_MS="5000",
                   TOKENWATCH_QUEUE_MAINTENANCE_CHANCE="200000",
                   TOKENWATCH_QUEUE_MIN_BACKOFF_MS="100")
    logs = [tmp_path / f"ingest-{i}.log" for i in range(2)]
    workers = [start_role("ingest-worker", env, log) for log in logs]
    articles = "MATCH (a:Article) RETURN count(a)"  # the graph was wiped: all are ours
    try:
        assert _wait(lambda: _count(driver, db, articles) >= PER_BATCH, 300), \
            logs[0].read_text()[-2000:]
        workers[0].send_signal(signal.SIGKILL)  # while it holds (prefetched) batches
        workers[0].wait()
        written_at_kill = _count(driver, db, articles)
        assert _wait(lambda: _count(driver, db, articles) == N and queue.pending() == 0, 300), \
            logs[1].read_text()[-2000:]
        assert _wait(lambda: queue.dead_letters() == 1, 60)
    finally:
        for proc in workers:
            stop(proc)
    assert written_at_kill < N  # the kill came before the backlog was done
    assert _count(driver, db, articles) == N
    assert _count(driver, db, "MATCH (:Article)-[r:REPORTS]->(:Observation) RETURN count(r)") == N
    assert _count(driver, db, "MATCH (o:Observation) RETURN count(o)") == N
