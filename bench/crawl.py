"""Crawl benchmark on loopback: Tokenwatch's crawl vs a bare Scrapy spider that only downloads
the same pages, plus trafilatura's extraction cost per page.

    .venv/bin/python bench/crawl.py [--per-source 100] [--repeats 3]

Generates the fixture site (tests/crawlers/bigsite.py) into a temp dir, serves it from a
thread of this process, and runs every crawl in a child process (CPU measured with
RUSAGE_CHILDREN, so the server's CPU is not counted). Prints medians and ratios."""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE = r"""
import sys, scrapy
from scrapy.crawler import CrawlerProcess
urls = open(sys.argv[1]).read().split()
class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for u in urls:
            yield scrapy.Request(u, callback=self.parse, dont_filter=True)
    def parse(self, response):
        self.crawler.stats.inc_value("bare/pages")
p = CrawlerProcess({"LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
                    "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                    "DOWNLOAD_DELAY": 0,
                    "COOKIES_ENABLED": False})
p.crawl(Bare); p.start()
"""


def _child(cmd: list[str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={
            "TOKENWATCH_CRAWL_DELAY_SCALE": "0",
            "TOKENWATCH_CRAWL_AUTOTHROTTLE": "false",
            "PATH": "/usr/bin:/bin",
        },
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout


def _startup(python: str) -> float:
    """CPU of starting the interpreter + importing Scrapy, subtracted from both crawls."""
    _, cpu, _ = _child([python, "-c", "import scrapy.crawler, crawlers.runner"])
    return cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-source", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    from crawlers.registry import load_sources
    from crawlers.textextract import extract
    from tests.crawlers.bigsite import generate_site
    from tests.crawlers.site import FixtureSite

    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        info = generate_site(Path(tmp) / "site", articles_per_source=args.per_source)
        with FixtureSite(info.root) as site:
            load_sources(info.registry, base_url=site.base)  # validate
            tw_cmd = [
                python,
                "-m",
                "crawlers",
                "--sources",
                str(info.registry),
                "--base-url",
                site.base,
                "--log-level",
                "ERROR",
            ]
            _, _, out = _child(tw_cmd)  # warm-up; also tells us the page count
            pages = sum(r["pages_fetched"] for r in json.loads(out.strip().splitlines()[-1]))
            urls = [r.path for r in site.requests if r.path != "/robots.txt"]
            url_file = Path(tmp) / "urls.txt"
            url_file.write_text("\n".join(site.url(p) for p in urls), encoding="utf-8")
            bare_cmd = [python, "-c", BARE, str(url_file)]
            startup = statistics.median(_startup(python) for _ in range(args.repeats))
            tw, bare = [], []
            for _ in range(args.repeats):
                tw.append(_child(tw_cmd)[:2])
                bare.append(_child(bare_cmd)[:2])
        # extraction cost, in this process
        from crawlers.encoding import decode

        article_files = [info.root / p for paths in info.articles.values() for p in paths]
        html = [(path, path.read_bytes()) for path in article_files]
        texts = [decode(body)[0] for _, body in html]
        traf = []
        for _ in range(args.repeats):
            t0 = time.process_time()
            for text in texts:
                extract(text)
            traf.append((time.process_time() - t0) / len(texts))

    def med(rows: list[tuple[float, float]], i: int) -> float:
        return statistics.median(r[i] for r in rows)

    tw_wall, tw_cpu = med(tw, 0), max(med(tw, 1) - startup, 1e-9)
    bare_wall, bare_cpu = med(bare, 0), max(med(bare, 1) - startup, 1e-9)
    print(
        f"pages per crawl: {pages} ({info.total} articles, {len(info.articles)} sources), "
        f"repeats: {args.repeats}, "
        f"interpreter+import CPU subtracted: {startup:.2f}s"
    )
    print(f"{'':28}{'tokenwatch':>12}{'bare scrapy':>13}{'ratio':>8}")
    print(f"{'wall s (median)':28}{tw_wall:12.2f}{bare_wall:13.2f}{tw_wall / bare_wall:8.2f}")
    print(
        f"{'pages/s':28}{pages / tw_wall:12.1f}{pages / bare_wall:13.1f}{bare_wall / tw_wall:8.2f}"
    )
    print(
        f"{'CPU ms/page':28}{1000 * tw_cpu / pages:12.2f}{1000 * bare_cpu / pages:13.2f}"
        f"{tw_cpu / bare_cpu:8.2f}"
    )
    per_page_traf = statistics.median(traf) * 1000
    print(
        f"{'trafilatura ms/page':28}{per_page_traf:12.2f}  ({len(texts)} pages; "
        f"{100 * per_page_traf / (1000 * tw_cpu / pages):.0f}% of tokenwatch CPU/page)"
    )


if __name__ == "__main__":
    main()
