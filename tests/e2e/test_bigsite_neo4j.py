"""A generated fixture site of 240 articles across five sources (RSS, GBK list pages, JSON,
sitemap index, generic) crawled through `tokenwatch crawl` into the real Neo4j: every article
stored once, syndicated copies linked DUPLICATE_OF to the first copy, each run recorded, and
a re-crawl of the unchanged site writes nothing new."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.crawlers.bigsite import generate_site
from tests.crawlers.site import FixtureSite

pytestmark = [pytest.mark.neo4j, pytest.mark.http, pytest.mark.slow]


def crawl(registry: Path, settings: Neo4jSettings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_URI": str(settings.uri), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "tokenwatch", "crawl", "--quiet", "--sources", str(registry)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def scalar(driver: Driver, query: str) -> int:
    return int(driver.execute_query(query).records[0][0])


def test_big_site_into_neo4j(
    empty_graph: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    info = generate_site(tmp_path / "big", articles_per_source=48)
    assert info.total == 240
    with FixtureSite(info.root) as site:
        registry = tmp_path / "sources.yaml"
        site.render_registry(info.registry, registry)
        first = crawl(registry, neo4j_settings)
        assert first.returncode == 0, first.stderr[-3000:]

        assert scalar(empty_graph, "MATCH (a:Article) RETURN count(a)") == 240
        assert (
            scalar(empty_graph, "MATCH (s:Source)<-[:FROM]-(:Article) RETURN count(DISTINCT s)")
            == 5
        )
        runs = empty_graph.execute_query(
            "MATCH (c:CrawlRun) RETURN c.source_id AS s, c.status AS status, "
            "c.new_articles AS new, c.duplicates AS dups, c.pages_fetched AS pages"
        ).records
        assert len(runs) == 5 and all(r["status"] == "ok" and r["pages"] > 0 for r in runs)

        # each syndicated copy points at its original, and is not counted as new
        links = {
            (r["copy"].split("/", 3)[3], r["orig"].split("/", 3)[3])
            for r in empty_graph.execute_query(
                "MATCH (c:Article)-[:DUPLICATE_OF]->(o:Article) "
                "RETURN c.canonical_url AS copy, o.canonical_url AS orig"
            ).records
        }
        assert info.duplicates and links == set(info.duplicates)
        assert sum(r["dups"] for r in runs) == len(info.duplicates)
        assert sum(r["new"] for r in runs) >= 240 - len(info.duplicates)
        assert scalar(empty_graph, "MATCH (:Article)-[m:MENTIONS]->() RETURN count(m)") > 240

        def content() -> tuple[int, int]:
            return (
                scalar(empty_graph, "MATCH (n) WHERE NOT n:CrawlRun RETURN count(n)"),
                scalar(empty_graph, "MATCH (a)-[r]->(b) WHERE NOT a:CrawlRun RETURN count(r)"),
            )

        before = content()
        second = crawl(registry, neo4j_settings)
        assert second.returncode == 0, second.stderr[-3000:]
        assert content() == before
        rerun = empty_graph.execute_query(
            "MATCH (c:CrawlRun) WITH c ORDER BY c.started_at DESC LIMIT 5 "
            "RETURN sum(c.new_articles) AS new, sum(c.unchanged) AS unchanged"
        ).records[0]
        assert rerun["new"] == 0 and rerun["unchanged"] > 0
