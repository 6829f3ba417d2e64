"""Scale-out benchmark. Part 1 (`--crawl`): crawl+ingest throughput with 1, 2 and 4 crawl
workers (`tokenwatch up --role crawl-worker`) on one shared frontier, feeding a fixed number of
ingest workers, on the loopback fixture site, against the one-process `tokenwatch crawl`
(crawl, extract and write in one process) as the baseline. Part 2: ingest throughput through
the Dramatiq queue with 1, 2 and 4 ingest worker processes (`tokenwatch up --role
ingest-worker`), against the same articles written by one process with no queue (GraphSink
directly, the all-in-one path) as the baseline.

    .venv/bin/python bench/scale.py [--articles 400] [--batch 16] [--workers 1 2 4]
    .venv/bin/python bench/scale.py --crawl [--per-source 48] [--ingest-workers 2] [--workers 1 2 4]

Starts its own embedded Neo4j and redis-server on free loopback ports in a temp dir. For each
worker count: the graph is emptied, the workers are started and have loaded their pipelines
(their log says "consuming"), then every batch is enqueued and the clock runs until the last
article is in Neo4j. CPU per article is the workers' user+system time (from /proc) over the
articles, so the producer, Neo4j and Redis are not counted. On 2 cores the curve flattens
past 2 workers (and Neo4j shares those cores): read the ratios, not the absolute figures.
In part 1 the site is tests/crawlers/bigsite.py (5 sources on one loopback host) crawled
without download delays (TOKENWATCH_CRAWL_DELAY_SCALE=0: with a delay, a host's pace is its
delay however many workers there are, which is the point of the shared host gate). The clock
runs from the seeds to the last article in Neo4j; CPU per article is the crawl and ingest
workers' user+system time. The baseline's wall time and CPU include its own start (imports,
the spaCy pipelines), which the worker rows do not (workers are long-running and started
before the clock): compare the worker rows with each other first.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def start_roles(role: str, n: int, env: dict[str, str], logs: Path, ready: str,
                tag: str) -> list[subprocess.Popen[bytes]]:
    paths = [logs / f"{tag}-{i}.log" for i in range(n)]
    procs = [subprocess.Popen([sys.executable, "-m", "tokenwatch", "up", "--role", role],
                              cwd=ROOT, env=env, stdout=path.open("wb"),
                              stderr=subprocess.STDOUT) for path in paths]
    deadline = time.monotonic() + 600
    while not all(ready in path.read_text() for path in paths):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            stop_all(procs)
            raise RuntimeError(f"{role} processes did not start: see {logs}")
        time.sleep(0.2)
    return procs


def stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(60)


def wait_articles(driver: object, expected: int, done: object, limit_s: float = 1800) -> int:
    t0 = time.perf_counter()
    while True:
        n = count(driver)
        if n >= expected and done():  # type: ignore[operator]
            return n
        if time.perf_counter() - t0 > limit_s:
            raise RuntimeError(f"only {n} of {expected} articles after {limit_s}s")
        time.sleep(0.1)


def crawl_baseline(driver: object, registry: Path, env: dict[str, str], expected: int
                   ) -> tuple[float, float, int]:
    """`tokenwatch crawl` in one process: crawl, extract and write (articles/s, CPU ms/art.)."""
    wipe(driver, None)
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "tokenwatch", "crawl", "--sources", str(registry),
                    "--quiet"], cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=3600)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    n = count(driver)
    return n / wall, cpu * 1000 / max(n, 1), n


def crawl_workers(driver: object, registry: Path, env: dict[str, str], n: int,
                  ingest: list[subprocess.Popen[bytes]], expected: int, logs: Path
                  ) -> tuple[float, float, float]:
    """n crawl workers on the shared frontier, the ingest workers given (articles/s, crawl CPU
    ms/article, crawl+ingest CPU ms/article)."""
    import redis as redis_lib

    from crawlers.frontier import frontier_pending, new_run_id, push_seeds
    from crawlers.registry import load_sources
    from tokenwatch.queue import IngestQueue, QueueSettings

    wipe(driver, None)
    client = redis_lib.Redis.from_url(env["TOKENWATCH_REDIS_URL"])
    queue = IngestQueue(QueueSettings(redis_url=env["TOKENWATCH_REDIS_URL"]))
    sources = load_sources(registry)
    crawlers = start_roles("crawl-worker", n, env, logs, "crawl worker serving", f"crawl{n}")
    try:
        cpu0 = sum(cpu_s(p.pid) for p in crawlers)
        icpu0 = sum(cpu_s(p.pid) for p in ingest)
        t0 = time.perf_counter()
        run = new_run_id(datetime(2025, 7, 2, tzinfo=UTC)) + f"-{n}"
        for source in sources:
            push_seeds(client, source, run)
        wait_articles(driver, expected, lambda: queue.pending() == 0 and all(
            frontier_pending(client, s.id) == 0 for s in sources))
        wall = time.perf_counter() - t0
        cpu = sum(cpu_s(p.pid) for p in crawlers) - cpu0
        icpu = sum(cpu_s(p.pid) for p in ingest) - icpu0
    finally:
        stop_all(crawlers)
        queue.close()
        client.close()
    return expected / wall, cpu * 1000 / expected, (cpu + icpu) * 1000 / expected


def crawl_bench(driver: object, env: dict[str, str], work: Path, args: argparse.Namespace
                ) -> None:
    from tests.crawlers.bigsite import generate_site
    from tests.crawlers.site import FixtureSite

    info = generate_site(work / "site", articles_per_source=args.per_source)
    with FixtureSite(info.root) as site:
        registry = site.render_registry(info.registry, work / "sources.yaml")
        env = {**env, "TOKENWATCH_SOURCES_FILE": str(registry), "TOKENWATCH_DATA_DIR":
               str(work / "data"), "TOKENWATCH_CRAWL_DELAY_SCALE": "0"}
        base_rate, base_cpu, expected = crawl_baseline(driver, registry, env, info.total)
        print(f"{info.total} articles on the site, {expected} stored by one process")
        print(f"{'setup':<40} {'articles/s':>10} {'crawl CPU ms/art':>17} "
              f"{'all CPU ms/art':>15} {'vs 1 proc':>9}")
        print(f"{'tokenwatch crawl, 1 process':<40} {base_rate:>10.1f} {'':>17} "
              f"{base_cpu:>15.1f} {1.0:>9.2f}")
        ingest = start_roles("ingest-worker", args.ingest_workers, env, work, "consuming",
                             "ingest")
        try:
            rates = []
            for n in args.workers:
                rate, ccpu, acpu = crawl_workers(driver, registry, env, n, ingest, expected,
                                                 work)
                rates.append(rate)
                label = f"{n} crawl + {args.ingest_workers} ingest workers"
                print(f"{label:<40} {rate:>10.1f} {ccpu:>17.1f} {acpu:>15.1f} "
                      f"{rate / base_rate:>9.2f}")
        finally:
            stop_all(ingest)
        print(f"median articles/s over crawl worker counts: {statistics.median(rates):.1f} "
              f"on {os.cpu_count()} cores")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--crawl", action="store_true", help="part 1: crawl workers")
    ap.add_argument("--per-source", type=int, default=48)
    ap.add_argument("--ingest-workers", type=int, default=2)
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
                if args.crawl:
                    crawl_bench(driver, env, work, args)
                    driver.close()
                    return
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
