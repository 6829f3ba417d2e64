"""Scale-out benchmark: ingest throughput through the Dramatiq queue with 1, 2 and 4 ingest
worker processes (`tokenwatch up --role ingest-worker`), against the same articles written by
one process with no queue (GraphSink directly, the all-in-one path) as the baseline.

    .venv/bin/python bench/scale.py [--articles 400] [--batch 16] [--workers 1 2 4]

Starts its own embedded Neo4j and redis-server on free loopback ports in a temp dir. For each
worker count: the graph is emptied, the workers are started and have loaded their pipelines
(their log says "consuming"), then every batch is enqueued and the clock runs until the last
article is in Neo4j. CPU per article is the workers' user+system time (from /proc) over the
articles, so the producer, Neo4j and Redis are not counted. On 2 cores the curve flattens
past 2 workers (and Neo4j shares those cores): read the ratios, not the absolute figures.
Crawling is not in the loop: crawls run one subprocess per source (bench/crawl.py measures
them); what scales out here is extraction and the graph write.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.types import Article  # noqa: E402
from graph import db, writer  # noqa: E402
from graph.embedded import embedded_neo4j, free_port  # noqa: E402
from graph.settings import Neo4jSettings  # noqa: E402

SOURCE = "bench-scale"
TICK = os.sysconf("SC_CLK_TCK")


def articles(n: int) -> list[Article]:
    out = []
    for i in range(n):
        text = (f"第{i}号：字节跳动豆包大模型日均tokens调用量达{i % 90 + 10}万亿，"
                f"阿里云通义千问输入价格降至每百万tokens {i % 7 + 1}元。"
                "分析人士担心价格战影响盈利，监管趋严或带来合规成本。" * 3)
        out.append(Article(id=f"bench-{i:05d}", url=f"https://bench.example.cn/{i}",
                           canonical_url=f"https://bench.example.cn/{i}", source_id=SOURCE,
                           title=f"调用量 {i}", text=text, lang="zh",
                           published_at=datetime(2025, 6, 1, tzinfo=UTC),
                           fetched_at=datetime(2025, 6, 2, tzinfo=UTC), content_hash=f"h{i}"))
    return out


def wipe(driver: object, database: str | None) -> None:
    with driver.session(database=database) as s:  # type: ignore[attr-defined]
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    writer.write_sources(driver, [writer.SourceRow(SOURCE, "Bench", "industry", "zh",  # type: ignore[arg-type]
                                                   "https://bench.example.cn/")], database)


def count(driver: object) -> int:
    records, _, _ = driver.execute_query("MATCH (a:Article) RETURN count(a)")  # type: ignore[attr-defined]
    return int(records[0][0])


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def baseline(driver: object, arts: list[Article], batch: int) -> tuple[float, float]:
    """One process, no queue: GraphSink.write per batch (articles/s, CPU ms per article)."""
    from nlp import Extractor
    from tokenwatch.ingest import GraphSink

    sink = GraphSink(driver, Extractor.get())  # type: ignore[arg-type]
    sink.write(arts[:2])  # load the pipeline outside the clock
    wipe(driver, None)
    cpu0, t0 = time.process_time(), time.perf_counter()
    for i in range(0, len(arts), batch):
        sink.write(arts[i:i + batch])
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return len(arts) / wall, cpu * 1000 / len(arts)


def with_workers(driver: object, arts: list[Article], batch: int, n: int, env: dict[str, str],
                 logs: Path) -> tuple[float, float]:
    from tokenwatch.queue import IngestQueue, QueueSettings

    wipe(driver, None)
    queue = IngestQueue(QueueSettings(redis_url=env["TOKENWATCH_REDIS_URL"]))
    procs = [subprocess.Popen([sys.executable, "-m", "tokenwatch", "up", "--role",
                               "ingest-worker"], cwd=ROOT, env=env,
                              stdout=(logs / f"w{n}-{i}.log").open("wb"),
                              stderr=subprocess.STDOUT) for i in range(n)]
    try:
        deadline = time.monotonic() + 600
        while not all("consuming" in (logs / f"w{n}-{i}.log").read_text() for i in range(n)):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError(f"ingest workers did not start: see {logs}")
            time.sleep(0.2)
        cpu0 = sum(cpu_s(p.pid) for p in procs)
        t0 = time.perf_counter()
        for i in range(0, len(arts), batch):
            queue.enqueue(arts[i:i + batch])
        while count(driver) < len(arts):
            if time.perf_counter() - t0 > 1800:
                raise RuntimeError("ingest did not finish in 30 min")
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        cpu = sum(cpu_s(p.pid) for p in procs) - cpu0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)
        queue.close()
    return len(arts) / wall, cpu * 1000 / len(arts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = ap.parse_args()
    binary = shutil.which("redis-server") or shutil.which("valkey-server")
    if binary is None:
        sys.exit("no redis-server: `apt-get install redis-server` (make test does it)")
    arts = articles(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rport = free_port()
        redis = subprocess.Popen([binary, "--port", str(rport), "--bind", "127.0.0.1", "--dir",
                                  tmp, "--save", ""], stdout=subprocess.DEVNULL)
        settings = Neo4jSettings().model_copy(update={"home": work / "neo4j", "heap_mb": 1024})
        try:
            with embedded_neo4j(settings, port=free_port()) as uri:
                driver = db.open_driver(settings, uri)
                db.wait_until_reachable(driver)
                db.apply_schema(driver, None)
                env = {**{k: v for k, v in os.environ.items()
                          if not k.startswith(("TOKENWATCH_", "NEO4J_"))},
                       "NEO4J_URI": uri, "TOKENWATCH_REDIS_URL": f"redis://127.0.0.1:{rport}/0",
                       "TOKENWATCH_LOG_LEVEL": "INFO"}
                base_rate, base_cpu = baseline(driver, arts, args.batch)
                print(f"{'setup':<28} {'articles/s':>10} {'CPU ms/article':>15} {'vs 1 proc':>9}")
                print(f"{'1 process, no queue':<28} {base_rate:>10.1f} {base_cpu:>15.1f} "
                      f"{1.0:>9.2f}")
                rates = []
                for n in args.workers:
                    rate, cpu = with_workers(driver, arts, args.batch, n, env, work)
                    rates.append(rate)
                    print(f"{f'{n} ingest worker(s), queue':<28} {rate:>10.1f} {cpu:>15.1f} "
                          f"{rate / base_rate:>9.2f}")
                print(f"median articles/s over worker counts: {statistics.median(rates):.1f} "
                      f"on {os.cpu_count()} cores")
                driver.close()
        finally:
            redis.terminate()
            redis.wait(10)


if __name__ == "__main__":
    main()
