"""Issue 10 item 5: the gap between two requests to one host is never below
max(Crawl-delay, the source's download delay), robots.txt included, with Scrapy's own
(randomised) download delay switched on. Asserted on the arrival times the loopback server
recorded, not on how long the test took."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import yaml

from tests.crawlers.crawlrun import run_crawl
from tests.crawlers.test_crawl_politeness import World, site_files

pytestmark = [pytest.mark.http, pytest.mark.slow]
JITTER = 0.05  # the server thread's own scheduling, not the crawler's spacing

# (site, Crawl-delay in robots.txt, the source's download_delay): the larger one must hold
CASES = [("crawl-delay-wins", 1.0, 0.6), ("download-delay-wins", 0.3, 1.0)]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with ExitStack() as stack:
        w = World(tmp_path_factory.mktemp("crawl-delay"), stack)
        for sid, crawl_delay, _ in CASES:
            w.add(sid, site_files(4, robots=f"User-agent: *\nCrawl-delay: {crawl_delay}\n"),
                  concurrency=4)
        for entry, (_, _, delay) in zip(w.entries, CASES, strict=True):
            entry["politeness"]["download_delay"] = delay
        registry = w.tmp / "sources.yaml"
        registry.write_text(yaml.safe_dump({"sources": w.entries}), encoding="utf-8")
        w.result = run_crawl(registry, base_url="http://unused", out=w.tmp / "out.jsonl",
                             env={"TOKENWATCH_CRAWL_DELAY_SCALE": "1"}, timeout=180)
        yield w


@pytest.mark.parametrize(("sid", "crawl_delay", "download_delay"), CASES)
def test_no_gap_below_the_larger_delay(world: World, sid: str, crawl_delay: float,
                                       download_delay: float) -> None:
    requests = world.sites[sid].requests
    assert requests[0].path == "/robots.txt"
    assert len(requests) == 6, [r.path for r in requests]  # robots, feed, 4 articles
    times = sorted(r.at for r in requests)
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(times)]
    assert min(gaps) >= max(crawl_delay, download_delay) - JITTER, gaps
