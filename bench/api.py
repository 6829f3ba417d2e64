"""API latency benchmark: the HTTP API vs the same Cypher straight through the driver.

1. Generates a graph of `--articles` (default 100,000) articles and 2,000 entities in a
   dedicated embedded Neo4j (temporary directory, heap ≤ 4 GiB), through the batched writer.
2. Serves the API with uvicorn on loopback and creates an API key.
3. For entity profile, 1-hop and 2-hop neighbours, token-volume time series and full-text
   search: `--requests` calls at concurrency `--concurrency` through httpx, then the same
   reader functions (the same Cypher, same read transactions) directly through the driver.
   Prints p50/p99 of each side and the ratio API/driver.

Run: .venv/bin/python bench/api.py [--articles 100000] [--requests 400] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.app import create_app
from api.auth import issue_key
from api.settings import ApiSettings
from bench.graph_corpus import bench_database, entities, write_articles, write_entities
from graph import explore, reader
from graph.embedded import free_port
from graph.fulltext import lucene_query
from graph.reader import Reads


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def timed_run(calls: list[Callable[[], Any]], concurrency: int) -> list[float]:
    def one(call: Callable[[], Any]) -> float:
        t0 = time.perf_counter()
        call()
        return time.perf_counter() - t0

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, calls))


def serve(app: Any, port: int) -> uvicorn.Server:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--heap-mb", type=int, default=3072)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    with bench_database(heap_mb=min(args.heap_mb, 4096)) as (driver, neo4j):
        ents = entities(random.Random(1))
        t0 = time.perf_counter()
        write_entities(driver, ents)
        write_articles(driver, ents, args.articles)
        nodes, rels = reader.counts(driver)
        print(f"graph: {nodes:,} nodes, {rels:,} relationships "
              f"({args.articles:,} articles, {len(ents):,} entities) "
              f"written in {time.perf_counter() - t0:.0f}s", flush=True)

        key, _ = issue_key(Reads(driver, None, None), "reader", "bench")
        api_settings = ApiSettings(rate_per_min=0, key_cache_s=60)
        port = free_port()
        server = serve(create_app(neo4j, api_settings=api_settings), port)
        reads = Reads(driver, None, api_settings.query_timeout_s)
        models = [e.id for e in ents if e.kind == "model"]
        popular = [e.id for e in ents[:300]]
        words = ["价格", "调用量", "监管", "tokens", "price", "cloud", "算力", "open source"]

        def pick(pool: list[str]) -> list[str]:
            return [rng.choice(pool) for _ in range(args.requests)]

        workloads: dict[str, tuple[list[str], Callable[[str], str], Callable[[str], Any]]] = {
            "entity profile": (pick(popular), lambda x: f"/v1/entities/{x}",
                               lambda x: reader.entity_profile(reads, x)),
            "neighbours 1-hop": (pick(popular), lambda x: f"/v1/entities/{x}/neighbours?depth=1",
                                 lambda x: explore.neighbours(reads, explore.NeighbourQuery(
                                     x, 1, limit=100))),
            "neighbours 2-hop": (pick(popular), lambda x: f"/v1/entities/{x}/neighbours?depth=2",
                                 lambda x: explore.neighbours(reads, explore.NeighbourQuery(
                                     x, 2, limit=100))),
            "time series": (pick(models), lambda x: f"/v1/metrics/token-volume?subject={x}",
                            lambda x: reader.observation_series(reads, x, "token_volume",
                                                                limit=201)),
            "full-text search": (pick(words), lambda x: f"/v1/articles/search?q={x}",
                                 lambda x: reader.search_articles(
                                     reads, lucene_query(x, all_terms=True) or "x",
                                     reader.ArticleFilter(), 0, 21)),
        }
        headers = {"Authorization": f"Bearer {key}"}
        limits = httpx.Limits(max_connections=args.concurrency * 2)
        print(f"\n{args.requests} requests per workload, concurrency {args.concurrency}\n")
        print(f"{'workload':<20}{'API p50':>10}{'API p99':>10}{'drv p50':>10}{'drv p99':>10}"
              f"{'ratio p50':>11}{'ratio p99':>11}")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, limits=limits,
                          timeout=60) as client:
            for name, (inputs, url, direct) in workloads.items():
                def api_call(x: str, url: Callable[[str], str] = url) -> None:
                    resp = client.get(url(x))
                    resp.raise_for_status()

                # warm both paths (query plans, page cache) before measuring
                timed_run([lambda x=x: api_call(x) for x in inputs[:40]], args.concurrency)
                timed_run([lambda x=x, d=direct: d(x) for x in inputs[:40]], args.concurrency)
                api = percentiles(timed_run([lambda x=x: api_call(x) for x in inputs],
                                            args.concurrency))
                drv = percentiles(timed_run([lambda x=x, d=direct: d(x) for x in inputs],
                                            args.concurrency))
                print(f"{name:<20}{api[0]:>8.1f}ms{api[1]:>8.1f}ms{drv[0]:>8.1f}ms"
                      f"{drv[1]:>8.1f}ms{api[0] / drv[0]:>11.2f}{api[1] / drv[1]:>11.2f}",
                      flush=True)
        server.should_exit = True
        time.sleep(0.5)


if __name__ == "__main__":
    main()
