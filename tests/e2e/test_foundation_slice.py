"""The thin slice, real at every step: a loopback site (RSS feed + list page, four Chinese
articles — one GBK — and two English ones) crawled by the real spiders through
`tokenwatch crawl --sources FILE` into the real embedded Neo4j, read back over the HTTP API."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.crawlers.site import FixtureSite

pytestmark = [pytest.mark.neo4j, pytest.mark.http]

MINI = Path(__file__).parents[1] / "crawlers" / "fixtures" / "mini"


@pytest.fixture
def mini_registry(tmp_path: Path) -> Iterator[tuple[FixtureSite, Path]]:
    with FixtureSite(MINI) as site:
        registry = tmp_path / "sources.yaml"
        registry.write_text((MINI / "sources.yaml").read_text().replace("{base}", site.base))
        yield site, registry


def crawl(registry: Path, settings: Neo4jSettings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_URI": str(settings.uri)}
    return subprocess.run(
        [sys.executable, "-m", "tokenwatch", "crawl", "--sources", str(registry)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def graph_counts(driver: Driver) -> tuple[int, int]:
    """Nodes and relationships, leaving out the CrawlRun records each run adds by design."""
    nodes = driver.execute_query("MATCH (n) WHERE NOT n:CrawlRun RETURN count(n) AS c").records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE NOT a:CrawlRun AND NOT b:CrawlRun RETURN count(r) AS c"
    ).records
    return nodes[0]["c"], rels[0]["c"]


def test_crawl_to_api_end_to_end(
    empty_graph: Driver,
    neo4j_settings: Neo4jSettings,
    mini_registry: tuple[FixtureSite, Path],
    api_client: TestClient,
    admin_key: str,
) -> None:
    api_headers = {"Authorization": f"Bearer {admin_key}"}
    site, registry = mini_registry
    first = crawl(registry, neo4j_settings)
    assert first.returncode == 0, first.stderr[-3000:]

    client = api_client
    if True:
        assert client.get("/health").json()["neo4j"] is True

        page = client.get("/v1/articles", params={"limit": 4}, headers=api_headers).json()
        rest = client.get(
            "/v1/articles", params={"limit": 4, "cursor": page["next_cursor"]}, headers=api_headers
        ).json()
        articles = page["items"] + rest["items"]
        assert rest["next_cursor"] is None
        assert len(articles) == 6
        published = [a["published_at"] for a in articles]
        assert published == sorted(published, reverse=True)  # newest first
        assert sum(a["lang"] == "zh" for a in articles) == 4
        titles = {a["title"] for a in articles}
        assert "国家数据局：我国日均Token消耗量突破30万亿" in titles
        assert "Alibaba Cloud cuts Qwen prices by up to 97%" in titles
        # the GBK page decoded without loss (its title carries GBK-only characters)
        assert all("\ufffd" not in t for t in titles)

        nda = client.get("/v1/entities/nda", headers=api_headers).json()
        assert nda["name"] == "国家数据局" and nda["mention_count"] >= 1
        assert "NDA" in nda["aliases"] or nda["name_en"] == "National Data Administration"

        # the national figure is about a country ("我国" → cn), not an entity node
        series = client.get(
            "/v1/metrics/token-volume", params={"subject": "cn"}, headers=api_headers
        ).json()
        obs = [p for p in series["points"] if p["value"] == 3.0e13 and p["period"] == "day"]
        assert obs, series
        assert obs[0]["provenance"]["article_url"].startswith(site.base)
        assert obs[0]["provenance"]["article_url"] in {a["url"] for a in articles}
        assert "30万亿" in obs[0]["quote"]

        qwen = client.get("/v1/entities/qwen", headers=api_headers).json()
        cut = [o for o in qwen["latest_observations"] if o["kind"] == "price_change"]
        assert cut and cut[0]["value"] == -0.97

        assert client.get("/v1/entities/no-such-thing", headers=api_headers).status_code == 404

    counts = graph_counts(empty_graph)
    second = crawl(registry, neo4j_settings)
    assert second.returncode == 0, second.stderr[-3000:]
    assert graph_counts(empty_graph) == counts
    assert "unchanged" in second.stdout
