"""Politeness and robustness on loopback: one crawl process over many fixture sites, each a
separate host (port), each exercising one behaviour. The crawl runs once per module."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from email.utils import formatdate
from pathlib import Path
from time import time

import pytest
import yaml

from tests.crawlers.crawlrun import CrawlResult, run_crawl
from tests.crawlers.site import FixtureSite, Route

pytestmark = [pytest.mark.http, pytest.mark.slow]

GLYPHS = "喆镕"  # GBK-only: not in GB2312


def zh_page(title: str, sentence: str, charset_meta: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return (
        f"<html><head>{meta}<title>{title}</title>"
        "<meta name=pubdate content='2025-07-01 10:00'></head>"
        f"<body><div class=nav>首页</div><div class=content><h1>{title}</h1>"
        f"<p>{sentence}</p><p>这是一篇用于测试抓取器健壮性的文章，内容足够长以便正文抽取器识别主体段落。</p>"
        f"<p>人工智能大模型的Token调用量持续增长，多家云厂商调整了模型价格。</p></div></body></html>"
    )


def feed(base_paths: list[str]) -> str:
    items = "".join(
        f"<item><title>t{i}</title><link>{{base}}{p}</link></item>"
        for i, p in enumerate(base_paths)
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>f</title>'
    return f"{head}{items}</channel></rss>"


def write_site(root: Path, files: dict[str, bytes | str]) -> Path:
    for rel, data in files.items():
        target = root / rel.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return root


def articles(n: int, prefix: str = "/a") -> dict[str, str]:
    return {f"{prefix}{i}.html": zh_page(f"标题{i}", f"第{i}篇文章的第一句话。") for i in range(n)}


def site_files(
    n: int, robots: str | None = "User-agent: *\nAllow: /\n", **extra: bytes | str
) -> dict[str, bytes | str]:
    pages = articles(n)
    files: dict[str, bytes | str] = {**pages, "feed.xml": feed(list(pages))}
    if robots is not None:
        files["robots.txt"] = robots
    files.update({k.replace("__", "/"): v for k, v in extra.items()})
    return files


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class World:
    """The fixture sites of this module and the one crawl over them."""

    def __init__(self, tmp: Path, stack: ExitStack) -> None:
        self.tmp, self.stack = tmp, stack
        self.sites: dict[str, FixtureSite] = {}
        self.entries: list[dict] = []
        self.result: CrawlResult | None = None

    def add(
        self,
        sid: str,
        files: dict[str, bytes | str],
        *,
        concurrency: int = 4,
        url: str | None = None,
    ) -> FixtureSite:
        site = self.stack.enter_context(FixtureSite(write_site(self.tmp / sid, files)))
        self.sites[sid] = site
        base = url or site.base
        self.entries.append(
            {
                "id": sid,
                "name": sid,
                "kind": "industry",
                "lang": "zh",
                "url": base + "/",
                "politeness": {"download_delay": 0, "concurrency": concurrency},
                "listing": {"type": "feed", "feed_urls": [f"{base}/feed.xml"]},
            }
        )
        return site

    def crawl(self) -> CrawlResult:
        registry = self.tmp / "sources.yaml"
        registry.write_text(
            yaml.safe_dump({"sources": self.entries}, allow_unicode=True), encoding="utf-8"
        )
        env = {
            "TOKENWATCH_CRAWL_DOWNLOAD_TIMEOUT": "3",
            "TOKENWATCH_CRAWL_MAX_BODY_BYTES": "200000",
            "TOKENWATCH_CRAWL_RETRIES": "0",
        }
        self.result = run_crawl(
            registry, base_url="http://unused", out=self.tmp / "out.jsonl", env=env
        )
        return self.result


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with ExitStack() as stack:
        w = World(tmp_path_factory.mktemp("politeness"), stack)
        # robots.txt (RFC 9309)
        w.add("robots-5xx", site_files(2)).route("/robots.txt", Route(status=503))
        w.add("robots-500", site_files(2)).route("/robots.txt", Route(status=500))
        w.add("robots-timeout", site_files(2)).route("/robots.txt", Route(delay=8))
        w.add("robots-404", site_files(2, robots=None))
        w.add("robots-403", site_files(2)).route("/robots.txt", Route(status=403))
        pages = {
            "/pub/a.html": zh_page("公开", "公开文章。"),
            "/private/b.html": zh_page("私密", "私密文章。"),
        }
        w.add(
            "robots-disallow",
            {
                **pages,
                "feed.xml": feed(list(pages)),
                "robots.txt": "User-agent: *\nDisallow: /private/\n",
            },
        )
        w.add("robots-delay", site_files(3, robots="User-agent: *\nCrawl-delay: 1\n"))
        dead = free_port()  # nothing listens there: connection refused
        w.entries.append(
            {
                "id": "robots-refused",
                "name": "x",
                "kind": "industry",
                "lang": "zh",
                "url": f"http://127.0.0.1:{dead}/",
                "politeness": {"download_delay": 0},
                "listing": {"type": "feed", "feed_urls": [f"http://127.0.0.1:{dead}/feed.xml"]},
            }
        )
        # Retry-After
        w.add("retry-seconds", site_files(1)).route(
            "/a0.html", Route(status=429, headers={"Retry-After": "2"}, times=1)
        )
        w.retry_date = time() + 4  # type: ignore[attr-defined]
        w.add("retry-date", site_files(1)).route(
            "/a0.html",
            Route(
                status=503, headers={"Retry-After": formatdate(w.retry_date, usegmt=True)}, times=1
            ),  # type: ignore[attr-defined]
        )
        long = w.add("retry-long", site_files(3), concurrency=1)
        for i in range(3):
            long.route(f"/a{i}.html", Route(status=429, headers={"Retry-After": "3600"}))
        w.add("retry-forever", site_files(1)).route(
            "/a0.html", Route(status=429, headers={"Retry-After": "1"})
        )
        # concurrency, timeouts, body size, redirects
        slow = w.add("one-at-a-time", site_files(4), concurrency=1)
        for i in range(4):
            slow.route(f"/a{i}.html", Route(delay=0.3))
        w.add("timeout", site_files(3)).route("/a1.html", Route(delay=8))
        w.add("too-large", site_files(3)).route(
            "/a1.html", Route(body=zh_page("大", "大" * 150_000).encode())
        )
        loop = w.add("redirect-loop", site_files(2))
        loop.route("/a1.html", Route(status=302, redirect="/loop-b"))
        loop.route("/loop-b", Route(status=302, redirect="/a1.html"))
        # broken pages: the crawl goes on
        broken = w.add("broken", site_files(6))
        broken.route("/a1.html", Route(body=b""))
        broken.route(
            "/a2.html", Route(body=b"%PDF-1.7 binary", headers={"Content-Type": "application/pdf"})
        )
        broken.route("/a3.html", Route(content_length=100_000))  # connection ends early: data loss
        broken.route(
            "/a4.html", Route(body="<html><head><title>截断".encode())
        )  # truncated markup, no body
        broken.route("/a5.html", Route(status=500))
        # encodings: GBK family with missing, wrong and conflicting declarations
        enc: dict[str, bytes | str] = {}
        enc_pages = {
            "/gbk-none.html": ("gbk", None, None),
            "/gb2312-meta.html": ("gbk", "gb2312", None),
            "/gb18030-meta.html": ("gb18030", "gb18030", None),
            "/gbk-header-utf8.html": ("gbk", None, "text/html; charset=utf-8"),
            "/gbk-conflict.html": ("gbk", "utf-8", "text/html; charset=gbk"),
            "/gbk-latin1.html": ("gb18030", None, "text/html; charset=iso-8859-1"),
            "/utf8-meta-gbk.html": ("utf-8", "gbk", None),
        }
        for path, (codec, meta, _) in enc_pages.items():
            enc[path] = zh_page(f"编码{path}", f"工程师{GLYPHS}介绍了{codec}页面。", meta).encode(
                codec
            )
        enc["feed.xml"] = feed(list(enc_pages))
        enc["robots.txt"] = "User-agent: *\nAllow: /\n"
        encoding_site = w.add("encodings", enc)
        for path, (_, _, header) in enc_pages.items():
            if header:
                encoding_site.route(path, Route(headers={"Content-Type": header}))
        w.crawl()
        yield w


def paths(world: World, sid: str) -> list[str]:
    return world.sites[sid].paths()


def run(world: World, sid: str):  # -> CrawlRunStats
    assert world.result is not None
    return world.result.run(sid)


def texts(world: World, sid: str) -> dict[str, str]:
    assert world.result is not None
    return {
        a.canonical_url.rsplit("/", 1)[1]: a.text
        for a in world.result.articles.values()
        if a.source_id == sid
    }


@pytest.mark.parametrize("sid", ["robots-5xx", "robots-500", "robots-timeout"])
def test_robots_unreachable_means_nothing_fetched(world: World, sid: str) -> None:
    assert set(paths(world, sid)) == {"/robots.txt"}
    stats = run(world, sid)
    assert stats.errors.get("robots_unreachable", 0) >= 1
    assert stats.status == "failed" and stats.new_articles == 0


def test_robots_connection_error_means_nothing_fetched(world: World) -> None:
    stats = run(world, "robots-refused")
    assert stats.errors.get("robots_unreachable", 0) >= 1 and stats.pages_fetched == 0


@pytest.mark.parametrize("sid", ["robots-404", "robots-403"])
def test_robots_4xx_means_allowed(world: World, sid: str) -> None:
    assert run(world, sid).new_articles == 2
    assert {"/feed.xml", "/a0.html", "/a1.html"} <= set(paths(world, sid))


def test_robots_disallow(world: World) -> None:
    assert "/private/b.html" not in paths(world, "robots-disallow")
    assert "/pub/a.html" in paths(world, "robots-disallow")
    assert run(world, "robots-disallow").errors == {"robots_disallowed": 1}


def test_robots_fetched_once_per_host(world: World) -> None:
    assert world.sites["robots-delay"].hits("/robots.txt") == 1


def test_crawl_delay_spaces_requests(world: World) -> None:
    times = [r.at for r in world.sites["robots-delay"].requests if r.path != "/robots.txt"]
    assert len(times) == 4  # feed + 3 articles
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.95, gaps  # Crawl-delay: 1


def test_retry_after_seconds(world: World) -> None:
    hits = [r.at for r in world.sites["retry-seconds"].requests if r.path == "/a0.html"]
    assert len(hits) == 2 and hits[1] - hits[0] >= 1.95
    assert run(world, "retry-seconds").new_articles == 1


def test_retry_after_http_date(world: World) -> None:
    hits = [r.wall for r in world.sites["retry-date"].requests if r.path == "/a0.html"]
    assert len(hits) == 2
    assert hits[1] >= world.retry_date - 1.0  # type: ignore[attr-defined]  # HTTP-date has 1 s resolution
    assert run(world, "retry-date").new_articles == 1


def test_retry_after_gives_up_after_limit(world: World) -> None:
    assert world.sites["retry-forever"].hits("/a0.html") == 4  # first try + 3 retries
    assert run(world, "retry-forever").errors == {"http_429": 1}


def test_retry_after_too_long_leaves_host_alone(world: World) -> None:
    hits = [p for p in paths(world, "retry-long") if p.startswith("/a")]
    assert len(hits) == 1  # one 429 with an hour's Retry-After: no further request this run
    assert run(world, "retry-long").errors == {"http_429": 1, "backoff": 2}


def test_per_domain_concurrency(world: World) -> None:
    assert world.sites["one-at-a-time"].max_inflight == 1
    assert run(world, "one-at-a-time").new_articles == 4


def test_timeout_skips_page_and_goes_on(world: World) -> None:
    stats = run(world, "timeout")
    assert stats.errors == {"timeout": 1} and stats.new_articles == 2 and stats.status == "partial"


def test_max_body_size(world: World) -> None:
    stats = run(world, "too-large")
    assert stats.errors == {"too_large": 1} and stats.new_articles == 2


def test_redirect_loop_stops(world: World) -> None:
    stats = run(world, "redirect-loop")
    assert stats.errors == {"redirect_loop": 1} and stats.new_articles == 1
    assert world.sites["redirect-loop"].hits("/loop-b") <= 6


def test_broken_pages_are_skipped_with_reason(world: World) -> None:
    stats = run(world, "broken")
    assert stats.new_articles == 1  # a0 survives
    assert stats.errors == {
        "empty_body": 1,
        "not_html": 1,
        "truncated": 1,
        "no_content": 1,
        "http_500": 1,
    }
    assert world.result is not None
    log = world.result.log
    assert f"skipped {world.sites['broken'].url('/a1.html')}: empty_body" in log
    assert f"skipped {world.sites['broken'].url('/a2.html')}: not_html" in log


def test_gbk_family_decodes_without_loss(world: World) -> None:
    got = texts(world, "encodings")
    assert len(got) == 7, sorted(got)
    for name, text in got.items():
        assert GLYPHS in text, name
        assert "\ufffd" not in text, name


def test_failed_runs_say_why_with_the_url(world: World) -> None:
    """A run's detail names the cause and the URL, not a Scrapy stats fragment."""
    disallowed = run(world, "robots-disallow").detail
    assert disallowed == (
        f"robots.txt disallows {world.sites['robots-disallow'].url('/private/b.html')}")
    unreachable = run(world, "robots-5xx").detail or ""
    assert unreachable.startswith("robots.txt of 127.0.0.1:") and "unreachable" in unreachable
    assert run(world, "timeout").detail == (
        f"timeout fetching {world.sites['timeout'].url('/a1.html')}")
    broken = run(world, "broken").detail or ""
    assert f"could not parse {world.sites['broken'].url('/a')}" in broken  # order varies
    assert "and 2 more error(s)" in broken
    assert "exception_type_count" not in broken
