"""Console first-byte latency: Today and Entity pages beside the API routes that read the same
models (baseline), on the synthetic benchmark graph (bench/graph_corpus.py).

1. Generates `--articles` (default 100,000) articles in a dedicated embedded Neo4j.
2. Serves the API + console with uvicorn on loopback, signs in through the console's own form
   (an API key exchanged for a session cookie, CSRF token from the form).
3. For Today (/console/) and Entity (/console/entities/{popular id}): `--requests` GETs at
   concurrency `--concurrency`, timed to the first byte of the body; then the API's
   /v1/metrics/token-volume?subject=cn and /v1/entities/{id} the same way. Prints p50/p95 of
   each, the ratio console/API, and whether p95 meets the issue's 300 ms goal.

Run: .venv/bin/python bench/console.py [--articles 100000] [--requests 200] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alerts.clock import ManualClock
from api.app import create_app
from api.auth import issue_key
from api.console.settings import ConsoleSettings
from api.settings import ApiSettings
from bench.api import serve
from bench.graph_corpus import (
    Popularity,
    bench_database,
    entities,
    write_articles,
    write_entities,
)
from graph import reader
from graph.access import Graph
from graph.embedded import free_port

GOAL_MS = 300.0


def first_byte(client: httpx.Client, url: str) -> float:
    t0 = time.perf_counter()
    with client.stream("GET", url) as resp:
        resp.raise_for_status()
        chunks = resp.iter_raw()
        next(chunks, b"")
        elapsed = time.perf_counter() - t0
        for _ in chunks:
            pass
    return elapsed


def p50_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(client: httpx.Client, urls: list[str], concurrency: int) -> tuple[float, float]:
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda u: first_byte(client, u), urls[:20]))  # warm plans and caches
        return p50_p95(list(pool.map(lambda u: first_byte(client, u), urls)))


def sign_in(client: httpx.Client, key: str) -> None:
    form = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text)
    assert token, "no CSRF token on the sign-in form"
    done = client.post("/console/login", data={"csrf_token": token.group(1), "api_key": key,
                                                "next": "/console/"})
    assert done.status_code == 303, done.text[:300]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--heap-mb", type=int, default=3072)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    with bench_database(heap_mb=min(args.heap_mb, 4096)) as (driver, neo4j):
        ents = entities(random.Random(1))
        pop = Popularity.of(ents)  # the corpus' Zipf law: mentions go mostly to the head
        t0 = time.perf_counter()
        write_entities(driver, ents)
        write_articles(driver, pop, args.articles)
        nodes, rels = reader.counts(driver)
        print(f"graph: {nodes:,} nodes, {rels:,} relationships ({args.articles:,} articles) "
              f"written in {time.perf_counter() - t0:.0f}s", flush=True)
        key, _ = issue_key(Graph(driver, neo4j.database), "reader", "bench")
        # "now" just after the corpus' newest article, so Today's windows hold data
        clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
        app = create_app(neo4j, api_settings=ApiSettings(rate_per_min=0, key_cache_s=60),
                         clock=clock)
        port = free_port()
        server = serve(app, port)
        popular = [e.id for e in pop.ranked[:300]]
        ids = [rng.choice(popular) for _ in range(args.requests)]
        pages: dict[str, tuple[list[str], list[str]]] = {
            "Today": (["/console/"] * args.requests,
                      ["/v1/metrics/token-volume?subject=cn&period=day"] * args.requests),
            "Entity": ([f"/console/entities/{x}" for x in ids],
                       [f"/v1/entities/{x}" for x in ids]),
        }
        limits = httpx.Limits(max_connections=args.concurrency * 2)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60,
                          headers={"Authorization": f"Bearer {key}"}) as client:
            sign_in(client, key)
            print(f"\n{args.requests} requests each, concurrency {args.concurrency}, "
                  "time to first byte; Today's graph aggregates reused for "
                  f"{ConsoleSettings().today_cache_s:g}s (TOKENWATCH_CONSOLE_TODAY_CACHE_S)\n")
            print(f"{'page':<8}{'console p50':>13}{'console p95':>13}{'API p50':>10}"
                  f"{'API p95':>10}{'ratio p95':>11}  goal p95 <= {GOAL_MS:.0f} ms")
            for name, (console_urls, api_urls) in pages.items():
                page = timed(client, console_urls, args.concurrency)
                api = timed(client, api_urls, args.concurrency)
                verdict = "met" if page[1] <= GOAL_MS else "MISSED"
                print(f"{name:<8}{page[0]:>11.1f}ms{page[1]:>11.1f}ms{api[0]:>8.1f}ms"
                      f"{api[1]:>8.1f}ms{page[1] / api[1]:>11.2f}  {verdict}", flush=True)
        server.should_exit = True
        time.sleep(0.5)


if __name__ == "__main__":
    main()
