"""A generated site of 240 articles across five sources, crawled in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.dedupe import NEAR_DUPLICATE_DISTANCE, hamming
from crawlers.registry import load_sources
from tests.crawlers.bigsite import COMPANIES, generate_site
from tests.crawlers.crawlrun import run_crawl
from tests.crawlers.site import FixtureSite

pytestmark = [pytest.mark.http, pytest.mark.slow]


def test_big_site_crawl(tmp_path: Path) -> None:
    info = generate_site(tmp_path / "big", articles_per_source=48)
    assert info.total == 240
    with FixtureSite(info.root) as site:
        assert len(load_sources(info.registry, base_url=site.base)) == 5
        result = run_crawl(info.registry, base_url=site.base, out=tmp_path / "out.jsonl")
    assert len(result.articles) == 240
    for run in result.runs:
        assert run.status == "ok" and run.new_articles == 48 and not run.errors, run
    generic = [a for a in result.articles.values() if a.source_id == "big-generic"]
    assert all(a.title.startswith(tuple(COMPANIES)) and "推荐阅读" not in a.text for a in generic)
    assert all(a.published_at is not None and a.published_at.minute == 55 for a in generic)
    by_path = {a.canonical_url.split("/", 3)[3]: a for a in result.articles.values()}
    assert "\ufffd" not in "".join(a.text for a in result.articles.values())
    assert all(
        "王喆与李镕" in a.text
        for a in result.articles.values()
        if a.source_id == "big-list" and "转载" not in a.text
    )
    for copy, original in info.duplicates:  # syndicated copies are near-duplicates by simhash
        assert hamming(by_path[copy].simhash, by_path[original].simhash) <= NEAR_DUPLICATE_DISTANCE  # type: ignore[arg-type]
    distinct = [a.simhash for a in result.articles.values() if a.source_id == "big-json"][:20]
    assert all(
        hamming(a, b) > NEAR_DUPLICATE_DISTANCE
        for i, a in enumerate(distinct)
        for b in distinct[i + 1 :]
    )  # type: ignore[arg-type]
