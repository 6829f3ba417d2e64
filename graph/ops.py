"""What operators watch (counts for /metrics, checks for /ready), read from the graph: crawls
run in subprocesses and deliveries in any worker, so the graph is where the totals live."""

from __future__ import annotations

from dataclasses import dataclass, field

from neo4j import Driver

from graph.access import Graph

OPS_COUNTS = """
CALL () { MATCH (c:CrawlRun) RETURN collect([c.status, c.error_kinds, c.error_counts]) AS runs }
CALL () { MATCH (a:Article) RETURN count(a) AS articles }
CALL () { MATCH (d:Delivery) RETURN collect(d.status) AS deliveries }
RETURN runs, articles, deliveries
"""

# SHOW cannot run inside a subquery: two statements
CONSTRAINT_COUNT = "SHOW CONSTRAINTS YIELD name RETURN count(name) AS n"
KB_COUNT = "MATCH (c:Company) WHERE c.kb RETURN count(c) AS n"


@dataclass
class OpsCounts:
    crawl_runs: dict[str, int] = field(default_factory=dict)  # status -> runs
    crawl_errors: dict[str, int] = field(default_factory=dict)  # error kind -> count
    articles: int = 0
    deliveries: dict[str, int] = field(default_factory=dict)  # status -> deliveries


def ops_counts(driver: Driver, database: str | None = None,
               timeout: float | None = None) -> OpsCounts:
    records, _, _ = driver.execute_query(OPS_COUNTS, database_=database)
    row = records[0]
    out = OpsCounts(articles=int(row["articles"]))
    for status, kinds, counts in row["runs"]:
        out.crawl_runs[status or "unknown"] = out.crawl_runs.get(status or "unknown", 0) + 1
        for kind, n in zip(kinds or [], counts or [], strict=False):
            out.crawl_errors[kind] = out.crawl_errors.get(kind, 0) + int(n)
    for status in row["deliveries"]:
        out.deliveries[status] = out.deliveries.get(status, 0) + 1
    return out


def readiness(g: Graph) -> list[str]:
    """What keeps the graph from serving (empty when ready): no schema, no knowledge base."""
    problems = []
    constraints, kb = g.rows(CONSTRAINT_COUNT), g.rows(KB_COUNT)
    if int(constraints[0]["n"]) == 0:
        problems.append("the schema is not applied (no constraints)")
    if int(kb[0]["n"]) == 0:
        problems.append("the knowledge base is not loaded")
    return problems
