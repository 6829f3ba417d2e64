"""Ingest benchmark: batched writes (UNWIND $rows, one managed transaction per batch) vs one
query (and one transaction) per row, on the same synthetic articles and the same Cypher.

Each side starts from an empty graph with the 2,000 benchmark entities. Prints rows/s,
articles/s and the ratio batched/per-row. Uses a dedicated embedded Neo4j (temporary dir).

Run: .venv/bin/python bench/ingest.py [--articles 4000] [--batch 500]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neo4j import Driver

from bench.graph_corpus import Popularity, article, bench_database, entities, write_entities
from graph import cypher, writer


def statements(batch: writer.Batch) -> list[tuple[str, list[dict[str, Any]]]]:
    """The writer's statements with their rows, in the writer's order."""
    out: list[tuple[str, list[dict[str, Any]]]] = [(cypher.MERGE_ARTICLES, batch.articles)]
    out += [(cypher.merge_entities(k), rows) for k, rows in sorted(batch.entities.items())]
    out += [(cypher.merge_mentions(k), rows) for k, rows in sorted(batch.mentions.items())]
    out += [(cypher.MERGE_OBSERVATIONS, batch.observations), (cypher.MERGE_RISKS, batch.risks)]
    return [(q, rows) for q, rows in out if rows]


def clear(driver: Driver) -> None:
    with driver.session() as s:
        s.run("MATCH (a:Article) CALL (a) { DETACH DELETE a } "
              "IN TRANSACTIONS OF 5000 ROWS").consume()
        s.run("MATCH (n:Observation|RiskSignal) CALL (n) { DETACH DELETE n } "
              "IN TRANSACTIONS OF 5000 ROWS").consume()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()
    ents = entities(random.Random(1))
    rng = random.Random(5)
    items = [article(rng, i, Popularity.of(ents)) for i in range(args.articles)]
    batches = [writer.build_batch(items[i:i + args.batch])
               for i in range(0, len(items), args.batch)]
    total_rows = sum(len(rows) for b in batches for _, rows in statements(b))
    print(f"{args.articles:,} articles → {total_rows:,} rows "
          f"(articles, entities, mentions, observations, risks)")

    with bench_database(heap_mb=2048, pagecache_mb=1024) as (driver, _):
        write_entities(driver, ents)
        # warm-up: plans compiled, page cache touched, then removed
        writer.write_batch(driver, writer.build_batch(items[:50]))
        clear(driver)

        t0 = time.perf_counter()
        for b in batches:
            writer.write_batch(driver, b)
        batched = time.perf_counter() - t0
        clear(driver)

        t0 = time.perf_counter()
        for b in batches:
            for query, rows in statements(b):
                for row in rows:
                    driver.execute_query(query, rows=[row])
        per_row = time.perf_counter() - t0

    b_rps, r_rps = total_rows / batched, total_rows / per_row
    print(f"batched (UNWIND, {args.batch} articles/tx): {batched:7.1f}s  {b_rps:9,.0f} rows/s  "
          f"{args.articles / batched:7,.0f} articles/s")
    print(f"one query per row:                 {per_row:7.1f}s  {r_rps:9,.0f} rows/s  "
          f"{args.articles / per_row:7,.0f} articles/s")
    print(f"ratio batched/per-row: {b_rps / r_rps:.1f}x")


if __name__ == "__main__":
    main()
