"""Idle polls are cheap: with listing validators kept (TW_LISTING_CACHE_DIR), a poll of an
unchanged feed or list page is one conditional request answered 304, and no article page is
requested; a changed listing costs its new articles only; a run that lost an article, or a
listing past its revalidation age, is fetched in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawlers.crawlrun import run_crawl
from tests.crawlers.site import FixtureSite, RequestLog, Route

pytestmark = pytest.mark.http
MINI = Path(__file__).parent / "fixtures" / "mini"
LISTINGS = {"/feed.xml", "/list.html", "/en/feed.atom"}


def _poll(site: FixtureSite, out: Path, cache: Path | None,
          **env: str) -> list[RequestLog]:
    before = len(site.requests)
    if cache is not None:
        env["TOKENWATCH_CRAWL_LISTING_CACHE_DIR"] = str(cache)
    result = run_crawl(MINI / "sources.yaml", base_url=site.base, out=out, env=env)
    assert all(r.status == "ok" and r.health == "ok" for r in result.runs)
    return [r for r in site.requests[before:] if r.path != "/robots.txt"]


def test_idle_poll_of_unchanged_listings_is_a_304_and_fetches_no_article(
    mini_site: FixtureSite, tmp_path: Path
) -> None:
    out, cache = tmp_path / "a.jsonl", tmp_path / "listings"
    first = _poll(mini_site, out, cache)
    assert len([r for r in first if r.path not in LISTINGS]) == 7  # 6 articles + list page 2

    idle = _poll(mini_site, out, cache)
    assert {r.path for r in idle} == LISTINGS  # one request per listing, nothing else
    assert all("If-None-Match" in r.headers for r in idle)  # the server's ETag: 304


def test_without_kept_validators_every_poll_reaches_the_articles(
    mini_site: FixtureSite, tmp_path: Path
) -> None:
    out = tmp_path / "a.jsonl"
    _poll(mini_site, out, None)
    again = _poll(mini_site, out, None)
    assert len([r for r in again if r.path not in LISTINGS]) == 7  # the cost the cache saves


def test_a_changed_feed_is_read_and_its_new_article_fetched(
    mini_site: FixtureSite, tmp_path: Path
) -> None:
    out, cache = tmp_path / "a.jsonl", tmp_path / "listings"
    _poll(mini_site, out, cache)
    feed = (MINI / "feed.xml").read_bytes().replace(b"{base}", mini_site.base.encode())
    added = feed.replace(
        b"<item>",
        b"<item><title>New</title><link>" + mini_site.base.encode() + b"/zh/new.html</link>"
        b"<pubDate>Wed, 02 Jul 2025 02:00:00 GMT</pubDate></item><item>",
        1,
    )
    mini_site.route("/feed.xml", Route(body=added))
    mini_site.route("/zh/new.html", Route(body=(MINI / "zh" / "data-bureau.html").read_bytes()
                                          .replace(b"30", b"31")))
    polled = _poll(mini_site, out, cache)
    assert sorted(r.path for r in polled) == sorted([*LISTINGS, "/zh/new.html"])
    # the feed's known articles were revalidated a moment ago: not asked again


def test_past_the_revalidation_age_listings_and_known_articles_are_asked_again(
    mini_site: FixtureSite, tmp_path: Path
) -> None:
    out, cache = tmp_path / "a.jsonl", tmp_path / "listings"
    _poll(mini_site, out, cache)
    again = _poll(mini_site, out, cache, TOKENWATCH_CRAWL_LISTING_REVALIDATE_S="0")
    assert len([r for r in again if r.path not in LISTINGS]) == 7
    assert not any("If-None-Match" in r.headers for r in again if r.path in LISTINGS)
    assert all("If-None-Match" in r.headers for r in again if r.path.startswith("/zh/"))


def test_a_run_that_lost_an_article_keeps_no_validator(
    mini_site: FixtureSite, tmp_path: Path
) -> None:
    out, cache = tmp_path / "a.jsonl", tmp_path / "listings"
    mini_site.route("/zh/volcano-gbk.html", Route(status=404, times=1))
    before = len(mini_site.requests)
    run_crawl(MINI / "sources.yaml", base_url=mini_site.base, out=out,
              env={"TOKENWATCH_CRAWL_LISTING_CACHE_DIR": str(cache)})
    assert any(r.path == "/zh/volcano-gbk.html" for r in mini_site.requests[before:])

    retry = _poll(mini_site, out, cache)
    feed = next(r for r in retry if r.path == "/feed.xml")
    assert "If-None-Match" not in feed.headers  # fetched in full: the lost article is found
    assert "/zh/volcano-gbk.html" in [r.path for r in retry]
    assert "/policy/ai-plus.html" not in [r.path for r in retry]  # the other sources were idle
