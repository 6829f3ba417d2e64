"""The foundation's mini site crawled end to end with the real spiders into a sink."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawlers.registry import load_sources
from crawlers.types import CrawlProgress
from tests.crawlers.crawlrun import run_crawl
from tests.crawlers.site import FixtureSite, Route

pytestmark = pytest.mark.http
MINI = Path(__file__).parent / "fixtures" / "mini"
CST = timezone(timedelta(hours=8))


def test_registry_file_by_path_with_loopback_base() -> None:
    sources = load_sources(MINI / "sources.yaml", base_url="http://127.0.0.1:8123")
    assert [s.id for s in sources] == ["mini-zh-feed", "mini-zh-policy", "mini-en-feed"]
    assert sources[0].listing.feed_urls == ["http://127.0.0.1:8123/feed.xml"]  # type: ignore[union-attr]


def test_mini_site_crawl(mini_site: FixtureSite, tmp_path: Path) -> None:
    events_file = tmp_path / "progress.jsonl"
    result = run_crawl(
        MINI / "sources.yaml",
        base_url=mini_site.base,
        out=tmp_path / "a.jsonl",
        progress_file=events_file,
    )

    assert len(result.articles) == 6
    data = result.by_url("/zh/data-bureau.html")
    assert data.canonical_url == mini_site.url("/zh/data-bureau.html")  # utm_/spm stripped
    assert data.title == "国家数据局：我国日均Token消耗量突破30万亿"
    assert "国家数据局局长表示，截至2025年6月底，我国日均Token消耗量突破30万亿。" in data.text
    assert all(name in data.text for name in ("阿里云", "火山引擎", "DeepSeek"))
    assert "版权所有" not in data.text and "首页" not in data.text  # boilerplate removed
    assert data.published_at == datetime(2025, 7, 1, 10, 0, tzinfo=CST)
    assert data.lang == "zh" and data.source_id == "mini-zh-feed"

    gbk = result.by_url("/zh/volcano-gbk.html")  # GBK, declared only by <meta charset>
    assert gbk.title == "火山引擎：豆包大模型日均Tokens使用量超16.4万亿"
    assert "王喆和李镕" in gbk.text and "\ufffd" not in gbk.text

    miit = result.by_url("/policy/miit-compute.html")  # says gb2312, uses GBK-only 喆
    assert "王喆" in miit.text and "\ufffd" not in miit.text
    assert miit.published_at == datetime(2025, 5, 20, 15, 0, tzinfo=CST)
    assert miit.policy is None  # a policy source's news item: no document fields

    policy = result.by_url("/policy/ai-plus.html")
    assert policy.policy is not None
    assert policy.policy.doc_number == "国发〔2025〕11号"
    assert policy.policy.issuer == "国务院"
    assert policy.policy.issued_at == date(2025, 8, 21)
    assert policy.policy.effective_at == date(2025, 9, 1)
    assert policy.policy.attachments == (
        mini_site.url("/policy/files/ai-plus.pdf"),
        mini_site.url("/policy/files/ai-plus-table.wps"),
    )

    qwen = result.by_url("/en/alibaba-qwen-price.html")
    assert qwen.title == "Alibaba Cloud cuts Qwen prices by up to 97%"
    assert (
        "Alibaba Cloud cut the price of its Qwen model by 97% to $0.28 per million input tokens."
        in qwen.text
    )
    assert qwen.lang == "en" and qwen.published_at == datetime(2025, 5, 21, 8, 0, tzinfo=UTC)
    deepseek = result.by_url("/en/deepseek-offpeak.html")  # feed link had a #fragment
    assert deepseek.title == "DeepSeek introduces off-peak discounts for its API"

    for art in result.articles.values():
        assert art.content_hash and len(art.content_hash) == 64
        assert art.simhash is not None and -(2**63) <= art.simhash < 2**63
        assert art.etag  # the fixture server sends ETags; kept for conditional GET

    runs = {r.source_id: r for r in result.runs}
    assert set(runs) == {"mini-zh-feed", "mini-zh-policy", "mini-en-feed"}
    assert runs["mini-zh-policy"].pages_fetched == 4  # two list pages + two articles
    assert all(r.status == "ok" and r.new_articles == 2 and not r.errors for r in runs.values())

    events = [
        CrawlProgress.model_validate_json(line) for line in events_file.read_text().splitlines()
    ]
    for sid in runs:
        phases = [e.phase for e in events if e.source_id == sid]
        assert phases[0] == "start" and phases[-1] == "done" and phases.count("article") == 2
        done = next(e for e in events if e.source_id == sid and e.phase == "done")
        assert done.stats is not None and done.stats.new_articles == 2


def test_recrawl_of_unchanged_site_writes_nothing(mini_site: FixtureSite, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    run_crawl(MINI / "sources.yaml", base_url=mini_site.base, out=out)
    first = out.read_bytes()
    second = run_crawl(MINI / "sources.yaml", base_url=mini_site.base, out=out)

    assert all(r.new_articles == 0 and r.unchanged == 2 for r in second.runs)
    assert out.read_bytes() == first  # no article rewritten
    article_requests = [
        r
        for r in mini_site.requests
        if r.path.startswith(("/zh/", "/en/", "/policy/")) and r.path.endswith(".html")
    ]
    conditional = [r for r in article_requests[6:] if "If-None-Match" in r.headers]
    assert len(conditional) == 6  # every known page asked conditionally → 304, not re-extracted


def test_recrawl_without_validators_compares_content(tmp_path: Path) -> None:
    """No ETag/Last-Modified: pages are re-fetched, but an unchanged body is not re-written;
    a changed body is."""
    out = tmp_path / "a.jsonl"
    with FixtureSite(MINI, validators=False) as site:
        registry = site.render_registry(MINI / "sources.yaml", tmp_path / "sources.yaml")
        first = run_crawl(registry, base_url=site.base, out=out)
        assert len(first.articles) == 6 and all(a.etag is None for a in first.articles.values())
        changed = (MINI / "en" / "deepseek-offpeak.html").read_bytes().replace(b"75%", b"80%")
        site.route("/en/deepseek-offpeak.html", Route(body=changed))
        second = run_crawl(registry, base_url=site.base, out=out)
    runs = {r.source_id: r for r in second.runs}
    assert runs["mini-zh-feed"].new_articles == 0 and runs["mini-zh-feed"].unchanged == 2
    assert runs["mini-en-feed"].new_articles == 1 and runs["mini-en-feed"].unchanged == 1
    assert "80%" in second.by_url("/en/deepseek-offpeak.html").text
    assert not any("If-None-Match" in r.headers for r in site.requests)


def test_robots_txt_cached_across_runs(mini_site: FixtureSite, tmp_path: Path) -> None:
    """Three sources on one host fetch robots.txt once per process; with a cache directory,
    the next run (a new process) reuses it instead of fetching again."""
    out, env = tmp_path / "a.jsonl", {"TOKENWATCH_CRAWL_ROBOTS_CACHE_DIR": str(tmp_path / "robots")}
    run_crawl(MINI / "sources.yaml", base_url=mini_site.base, out=out)
    assert mini_site.hits("/robots.txt") == 1
    run_crawl(MINI / "sources.yaml", base_url=mini_site.base, out=out, env=env)
    run_crawl(MINI / "sources.yaml", base_url=mini_site.base, out=out, env=env)
    assert mini_site.hits("/robots.txt") == 2  # once more, to fill the cache; then reused
    (entry,) = (tmp_path / "robots").glob("*.json")
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps({**data, "fetched_at": data["fetched_at"] - 86401}))  # 24 h old
    run_crawl(MINI / "sources.yaml", base_url=mini_site.base, out=out, env=env)
    assert mini_site.hits("/robots.txt") == 3  # older than 24 h: fetched again
