"""API latency benchmark: the HTTP API vs the same Cypher straight through the driver, for the
hottest entity apart from a random one, with the database hits of each query shape.

1. Grows one graph (dedicated embedded Neo4j, temporary directory) through the batched writer
   to each size of `--sizes` in turn (default 10,000, 100,000 and 300,000 articles;
   `--million` adds 1,000,000), 2,000 entities with Zipf-distributed mentions
   (bench.graph_corpus: the hottest entity is in about 30% of the articles).
2. Serves the API with uvicorn on loopback and creates an API key.
3. At each size, for entity profile, 1-hop and 2-hop neighbours, token-volume series (hot
   model vs random model), price comparison and full-text search: `--requests` calls at
   concurrency `--concurrency` through httpx, then the same reader functions (same Cypher,
   same read transactions) through the driver. Prints p50/p99 of each side, the ratio
   API/driver and the db hits of one PROFILEd run (hot: the hottest entity; random: the median
   over five random entities), so the growth with size and with popularity shows.

Run: .venv/bin/python bench/api.py [--sizes 10000,100000,300000] [--million] [--requests 200]
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

from neo4j import Driver
from neo4j.exceptions import Neo4jError

from api.app import create_app
from api.auth import issue_key
from api.settings import ApiSettings
from bench.graph_corpus import (
    Popularity,
    bench_database,
    entities,
    write_articles,
    write_entities,
)
from graph import cypher, explore, reader
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


Queries = list[tuple[str, dict[str, Any]]]


def plan_hits(plan: Any) -> int:
    """Database hits of a PROFILE plan (driver ProfiledPlan or its dict form), children too."""
    if isinstance(plan, dict):
        own, children = plan.get("dbHits", 0), plan.get("children", [])
    else:
        own, children = plan.db_hits, plan.children
    return int(own) + sum(plan_hits(c) for c in children)


def db_hits(driver: Driver, queries: Queries) -> int:
    total = 0
    with driver.session(default_access_mode="READ") as session:
        for query, params in queries:
            summary = session.run("PROFILE " + query, params).consume()
            total += plan_hits(summary.profile)
    return total


def profile_qs(x: str) -> Queries:
    return list(reader.profile_queries(x).values())


def hop_qs(x: str) -> Queries:
    return [(cypher.neighbour_hop(cypher.TRAVERSAL_RELS),
             {"frontier": [x], "seen": [x], "since": None, "until": None, "labels": None,
              "limit": 101})]


def series_qs(x: str) -> Queries:
    return [reader.series_query(x, "token_volume", limit=201)]


def price_qs(x: str) -> Queries:
    return [(cypher.PRICE_COMPARISON, {"side": "input", "as_of": None, "subjects": None,
                                       "limit": 2000})]


Workload = tuple[list[str], Callable[[str], str], Callable[[str], Any],
                 Callable[[str], Queries] | None, list[str]]


def workloads(reads: Reads, pop: Popularity, rng: random.Random, n: int) -> dict[str, Workload]:
    """name -> (inputs, API url, direct call, queries to PROFILE, entities to PROFILE)."""
    hot, hot_model = pop.hottest().id, pop.hottest("model").id
    everyone = [e.id for e in pop.ranked]
    models = [e.id for e in pop.ranked if e.kind == "model"]
    sample = rng.sample(everyone, 5)
    sample_models = rng.sample(models, 5)
    words = ["价格", "调用量", "监管", "tokens", "price", "cloud", "算力", "open source"]

    def rand(pool: list[str]) -> list[str]:
        return [rng.choice(pool) for _ in range(n)]

    def profile(x: str) -> Any:
        return reader.entity_profile(reads, x)

    def hop(depth: int) -> Callable[[str], Any]:
        return lambda x: explore.neighbours(reads, explore.NeighbourQuery(x, depth, limit=100))

    def series(x: str) -> Any:
        return reader.observation_series(reads, x, "token_volume", limit=201)

    def prices(x: str) -> Any:
        return reader.price_comparison(reads, "input", None, None, 2000)

    def search(x: str) -> Any:
        return reader.search_articles(reads, lucene_query(x, all_terms=True) or "x",
                                      reader.ArticleFilter(), 0, 21)

    def url_profile(x: str) -> str:
        return f"/v1/entities/{x}"

    def url_hop(depth: int) -> Callable[[str], str]:
        return lambda x: f"/v1/entities/{x}/neighbours?depth={depth}"

    def url_series(x: str) -> str:
        return f"/v1/metrics/token-volume?subject={x}"

    return {
        "profile hot": ([hot] * n, url_profile, profile, profile_qs, [hot]),
        "profile random": (rand(everyone), url_profile, profile, profile_qs, sample),
        "1-hop hot": ([hot] * n, url_hop(1), hop(1), hop_qs, [hot]),
        "1-hop random": (rand(everyone), url_hop(1), hop(1), hop_qs, sample),
        "2-hop random": (rand(everyone), url_hop(2), hop(2), None, []),
        "series hot": ([hot_model] * n, url_series, series, series_qs, [hot_model]),
        "series random": (rand(models), url_series, series, series_qs, sample_models),
        "price comparison": (["-"] * n, lambda x: "/v1/metrics/prices/compare?side=input",
                             prices, price_qs, ["-"]),
        "full-text search": (rand(words), lambda x: f"/v1/articles/search?q={x}", search,
                             None, []),
    }


def measure(driver: Driver, client: httpx.Client, work: dict[str, Workload],
            concurrency: int) -> None:
    print(f"{'workload':<18}{'API p50':>9}{'API p99':>9}{'drv p50':>9}{'drv p99':>9}"
          f"{'API/drv':>9}{'db hits':>10}{'errors':>8}")
    for name, (inputs, url, direct, queries, targets) in work.items():
        failed: list[int] = []

        def api_call(x: str, url: Callable[[str], str] = url, failed: list[int] = failed) -> None:
            # a timeout (504) is a figure of the benchmark, not the end of it
            try:
                resp = client.get(url(x))
            except httpx.HTTPError:
                failed.append(-1)
                return
            if resp.is_error:
                failed.append(resp.status_code)

        def direct_call(x: str, d: Callable[[str], Any] = direct,
                        failed: list[int] = failed) -> None:
            try:
                d(x)
            except Neo4jError:
                failed.append(0)

        # warm both paths (query plans, page cache) before measuring
        timed_run([lambda x=x: api_call(x) for x in inputs[:30]], concurrency)
        timed_run([lambda x=x: direct_call(x) for x in inputs[:30]], concurrency)
        failed.clear()
        api = percentiles(timed_run([lambda x=x: api_call(x) for x in inputs], concurrency))
        drv = percentiles(timed_run([lambda x=x: direct_call(x) for x in inputs], concurrency))
        hits = (statistics.median(db_hits(driver, queries(t)) for t in targets)
                if queries else None)
        shown = f"{hits:>10,.0f}" if hits is not None else f"{'-':>10}"
        print(f"{name:<18}{api[0]:>7.1f}ms{api[1]:>7.1f}ms{drv[0]:>7.1f}ms{drv[1]:>7.1f}ms"
              f"{api[0] / drv[0]:>9.2f}{shown}{len(failed):>8}", flush=True)


def hot_share(driver: Driver, entity_id: str) -> tuple[int, int]:
    rows, _, _ = driver.execute_query(
        "MATCH (a:Article) WITH count(a) AS n "
        "MATCH (e {id: $id})<-[m:MENTIONS]-() RETURN n, count(m) AS hot", id=entity_id)
    return int(rows[0]["hot"]), int(rows[0]["n"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,300000")
    ap.add_argument("--million", action="store_true", help="add a 1,000,000-article step")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--heap-mb", type=int, default=3072)
    ap.add_argument("--pagecache-mb", type=int, default=1536)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    sizes = sorted({int(x) for x in args.sizes.split(",")} | ({1_000_000} if args.million
                                                                else set()))
    rng = random.Random(args.seed)

    with bench_database(heap_mb=min(args.heap_mb, 4096),
                        pagecache_mb=args.pagecache_mb) as (driver, neo4j):
        ents = entities(random.Random(1))
        pop = Popularity.of(ents)
        write_entities(driver, ents)
        key, _ = issue_key(Reads(driver, None, None), "reader", "bench")
        api_settings = ApiSettings(rate_per_min=0, key_cache_s=60)
        port = free_port()
        server = serve(create_app(neo4j, api_settings=api_settings), port)
        reads = Reads(driver, None, api_settings.query_timeout_s)
        headers = {"Authorization": f"Bearer {key}"}
        limits = httpx.Limits(max_connections=args.concurrency * 2)
        written = 0
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, limits=limits,
                          timeout=60) as client:
            for size in sizes:
                t0 = time.perf_counter()
                write_articles(driver, pop, size, start=written, progress=False)
                took = time.perf_counter() - t0
                rate = (size - written) / took
                written = size
                nodes, rels = reader.counts(driver)
                hot, total = hot_share(driver, pop.hottest().id)
                print(f"\n== {size:,} articles: {nodes:,} nodes, {rels:,} relationships; "
                      f"hottest entity {pop.hottest().id} in {hot:,} articles "
                      f"({hot / total:.0%}); wrote {rate:,.0f} articles/s", flush=True)
                print(f"{args.requests} requests per workload, concurrency {args.concurrency}")
                measure(driver, client, workloads(reads, pop, rng, args.requests),
                        args.concurrency)
        server.should_exit = True
        time.sleep(0.5)


if __name__ == "__main__":
    main()
