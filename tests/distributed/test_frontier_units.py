"""The shared frontier's pieces on the test's real Redis: seed messages, and the per-run
dupefilter that article requests of every crawl worker go through."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy.http import Request

from crawlers.frontier import RunDupeFilter, new_run_id, parse_seed, seed_messages
from crawlers.listings import Link
from crawlers.registry import parse_sources


def _article(url: str, run: str | None, **meta: Any) -> Request:
    return Request(url, meta={"tw_role": "article", "tw_link": Link(url), "tw_run": run,
                              **meta})


@pytest.fixture
def dupes(redis_client: Any) -> RunDupeFilter:
    return RunDupeFilter(redis_client, key="tokenwatch:crawl:src:seen")


def test_an_article_is_seen_once_per_run_whatever_its_tracking_parameters(
        dupes: RunDupeFilter) -> None:
    assert not dupes.request_seen(_article("http://news.example.cn/a.html?utm_source=feed", "r1"))
    assert dupes.request_seen(_article("http://NEWS.example.cn/a.html#top", "r1"))
    assert not dupes.request_seen(_article("http://news.example.cn/a.html", "r2"))  # next run
    assert not dupes.request_seen(_article("http://news.example.cn/b.html", "r1"))


def test_redirect_hops_and_different_bodies_are_not_duplicates(dupes: RunDupeFilter) -> None:
    url = "http://news.example.cn/a.html"
    assert not dupes.request_seen(_article(url, "r1"))
    assert not dupes.request_seen(_article(url, "r1", redirect_times=1))  # the loop limit counts
    api = "http://news.example.cn/api/list"
    assert not dupes.request_seen(Request(api, method="POST", body=b"page=1", meta={"tw_run": "r1"}))
    assert not dupes.request_seen(Request(api, method="POST", body=b"page=2", meta={"tw_run": "r1"}))
    assert dupes.request_seen(Request(api, method="POST", body=b"page=2", meta={"tw_run": "r1"}))


def test_a_runs_fingerprints_expire(dupes: RunDupeFilter, redis_client: Any) -> None:
    dupes.request_seen(_article("http://news.example.cn/a.html", "r1"))
    assert 0 < redis_client.ttl("tokenwatch:crawl:src:seen:r1") <= 7 * 86_400


def test_seeds_are_one_per_first_listing_url_and_bad_ones_say_why() -> None:
    source = parse_sources({"sources": [{
        "id": "src", "name": "S", "kind": "industry", "lang": "zh", "url": "http://n.example.cn/",
        "listing": {"type": "feed", "feed_urls": ["http://n.example.cn/a.xml",
                                                  "http://n.example.cn/b.xml"]}}]})[0]
    run = new_run_id(datetime(2025, 7, 1, 8, 0, tzinfo=UTC))
    assert run.startswith("20250701T080000-")
    seeds = [parse_seed(m) for m in seed_messages(source, run)]
    assert [(s.run, s.url, s.page) for s in seeds] == [
        (run, "http://n.example.cn/a.xml", 1), (run, "http://n.example.cn/b.xml", 1)]
    with pytest.raises(ValueError, match="KeyError"):
        parse_seed('{"url": "http://n.example.cn/a.xml"}')
    with pytest.raises(ValueError, match="not a seed"):
        parse_seed(b"http://n.example.cn/a.xml")
