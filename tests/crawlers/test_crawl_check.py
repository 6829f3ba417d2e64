"""`tokenwatch sources check` on loopback: per source the links found, the fields parsed,
what matched and what failed; nothing is stored."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from crawlers.check import HttpFetch, SourceCheck, check_sources, render
from crawlers.registry import SourceConfig, parse_sources
from tests.crawlers import engine_site
from tests.crawlers.site import FixtureSite

pytestmark = pytest.mark.http
ROOT = Path(__file__).resolve().parents[2]


def clock() -> datetime:
    return datetime(2025, 7, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureSite]:
    site = engine_site.start()
    yield site
    site.stop()


def _sources(site: FixtureSite) -> dict[str, SourceConfig]:
    doc = yaml.safe_load(engine_site.REGISTRY.replace("{base}", site.base))
    return {s.id: s for s in parse_sources(doc)}


def _check(site: FixtureSite, *ids: str) -> dict[str, SourceCheck]:
    sources = _sources(site)
    fetch = HttpFetch("TokenwatchBot/0.1 (+https://ops.example.test/bot)", "TokenwatchBot")
    try:
        return {c.source_id: c for c in check_sources([sources[i] for i in ids], fetch, clock)}
    finally:
        fetch.close()


def test_check_reports_links_fields_and_what_matched(site: FixtureSite) -> None:
    before = len(site.requests)
    checks = _check(site, "two-step", "cls-roll", "stray", "emb-var", "feed-403", "boot")
    two = checks["two-step"]
    assert two.ok and two.links == 1 and two.fields["title"] == "工信部关于算力的通知"
    assert "take 'url' → '/api-gateway/build/unit'" in two.matched
    assert any(m.startswith("html_path 'data.html'") for m in two.matched)
    cls = checks["cls-roll"]
    assert cls.ok and cls.links == 2 and cls.fields["title"] == "豆包大模型日均tokens使用量超16.4万亿"
    stray = checks["stray"]
    assert stray.ok and "body_selector '#UCAP-CONTENT' → 1" in stray.matched
    assert stray.fields["title"] == "国务院关于词元经济的通知"
    assert checks["emb-var"].matched[0] == "items_path 'loaderData.page.list' → 2 links"
    assert checks["feed-403"].fields["summary_only"] == "true"
    assert checks["boot"].ok and "cookie_bootstrap answered" in checks["boot"].matched
    assert len(site.requests) > before


def test_check_reports_what_failed(site: FixtureSite) -> None:
    from tests.crawlers.site import Route

    site.route("/deg/list.html", Route(body=b'<div class="list"><a href="/deg/a1.html">x</a></div>'))
    checks = _check(site, "deg-list", "blocked")
    deg = checks["deg-list"]
    assert not deg.ok and deg.links == 0
    assert deg.failed == [f"listing {site.url('/deg/list.html')}: link_selector 'ul.news li a' matched nothing"]
    blocked = checks["blocked"]
    assert not blocked.ok and "robots.txt disallows TokenwatchBot" in blocked.failed[0]
    assert site.hits("/blocked/list.html") == 0
    text = render(list(checks.values()))
    assert "deg-list  list that changes layout  PROBLEM" in text and "✗ listing" in text


def test_cli_prints_the_report_and_never_touches_the_graph(site: FixtureSite, tmp_path: Path) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text(engine_site.REGISTRY.replace("{base}", site.base), "utf-8")
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9", "TOKENWATCH_CRAWL_CONTACT_URL": "https://ops.example.test/c"}
    cmd = [sys.executable, "-m", "tokenwatch", "sources", "check", "trs", "post-api", "--sources", str(registry)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "trs  trs pagination  OK" in proc.stdout and "post-api  post api  OK" in proc.stdout
    assert "link_selector 'ul.list li a' → 2 links" in proc.stdout
    assert "fields: title=POST 列表文章" in proc.stdout
    agents = {r.headers.get("User-Agent", "") for r in site.requests if r.path == "/trs/index.htm"}
    assert any("https://ops.example.test/c" in a for a in agents)
