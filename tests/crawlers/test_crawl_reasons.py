"""Failure reasons in words (pure) and the scheduler's pick of the crawl's own error line."""

from __future__ import annotations

from crawlers.reasons import describe, detail
from tokenwatch.scheduler.supervise import _error_line


def test_reasons_name_the_cause_and_url() -> None:
    assert describe("http_404", "https://x.cn/a", "") == "HTTP 404 at https://x.cn/a"
    assert describe("robots_disallowed", "https://x.cn/p", "") == "robots.txt disallows https://x.cn/p"
    assert describe("no_content", "https://x.cn/b", "12 characters of text") == (
        "could not parse https://x.cn/b: 12 characters of text")
    assert detail(["a", "b", "c"], 7) == "a; b; c; and 4 more error(s)"
    assert detail([], 0) is None


def test_scheduler_keeps_the_crawl_reason_not_the_stats_dump() -> None:
    stderr = (
        b"2026-01-01 INFO scrapy.statscollectors: Dumping Scrapy stats:\n"
        b"{'downloader/exception_count': 1,\n"
        b" 'downloader/exception_type_count/scrapy.exceptions.IgnoreRequest': 1,\n"
        b"error: crawl of cac-zcfg failed: robots.txt disallows https://www.cac.gov.cn/x\n"
        b" 'log_count/ERROR': 1}\n"
    )
    assert _error_line(stderr) == (
        "error: crawl of cac-zcfg failed: robots.txt disallows https://www.cac.gov.cn/x")
    assert _error_line(b"{'downloader/exception_type_count/x.IgnoreRequest': 1,\nboom\n") == "boom"
