"""Run Scrapy over registry sources into an ArticleSink (blocking; once per process)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from crawlers import __version__
from crawlers.fetchplan import needs_cookies
from crawlers.middlewares import middleware_settings
from crawlers.registry import SourceConfig
from crawlers.sink import ArticleSink, SinkWriter
from crawlers.spiders import RunCounter, SourceSpider
from crawlers.types import Clock, CrawlProgress, CrawlRunStats

log = logging.getLogger(__name__)


def system_clock() -> datetime:
    """The wall clock, read only here at the crawl's edge and passed down as a Clock."""
    return datetime.now(UTC)


class CrawlSettings(BaseSettings):
    """Crawl settings; every field has an env var TOKENWATCH_CRAWL_<NAME>. Build it where it is
    used (`CrawlSettings()`), never at import time."""

    model_config = SettingsConfigDict(
        env_prefix="TOKENWATCH_CRAWL_", extra="ignore", env_file=".env", env_file_encoding="utf-8"
    )

    batch_size: int = 16  # articles per sink.write call
    # who we are: the UA names the bot and where to reach its operator; a source may override
    # it (registry `user_agent`); user_agent, when set, replaces the whole string
    contact_url: str = "https://tokenwatch.invalid/bot"
    user_agent: str | None = None
    robots_agent: str = "TokenwatchBot"  # product token matched against robots.txt groups
    respect_robots: bool = True  # global switch; a source may also opt out
    robots_ttl_seconds: float = 86400.0  # capped at 24 h (RFC 9309 §2.4)
    robots_cache_dir: Path | None = None  # persist robots.txt across runs (scheduled crawls)
    # listing validators across runs: an unchanged feed/list answers 304 and costs one request,
    # a known article asked less than listing_revalidate_s ago is not asked again
    # (crawlers/conditional.py)
    listing_cache_dir: Path | None = None
    listing_revalidate_s: float = 21600.0
    download_timeout: float = 30.0
    max_body_bytes: int = 8 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2  # network errors and 5xx other than 503
    retry_after_times: int = 3  # 429/503 retries honouring Retry-After
    max_retry_after: float = 300.0  # longer requested waits give up for this run
    autothrottle: bool = True
    autothrottle_max_delay: float = 60.0
    total_concurrency: int = 16
    delay_scale: float = 1.0  # multiplies every source's download_delay (0 in tests)
    log_level: str = "INFO"
    # sources with `render: true` fetch HTML pages through scrapy-playwright with this browser
    # (Debian's `chromium` package; playwright never downloads one)
    chromium_path: Path = Path("/usr/bin/chromium")
    render_timeout_ms: int = 30000

    @field_validator("contact_url")
    @classmethod
    def _contact(cls, v: str) -> str:
        if not v.startswith(("http://", "https://", "mailto:")):
            raise ValueError("contact_url must be an http(s) or mailto: URL")
        return v

    def identifying_user_agent(self) -> str:
        """The User-Agent sent by default: robots token, version and the contact URL."""
        return self.user_agent or f"{self.robots_agent}/{__version__} (+{self.contact_url})"


def scrapy_settings(settings: CrawlSettings) -> dict[str, Any]:
    """Process-wide Scrapy settings built from CrawlSettings."""
    return {
        "BOT_NAME": "tokenwatch",
        "USER_AGENT": settings.identifying_user_agent(),
        "TW_ROBOTS_AGENT": settings.robots_agent,
        "TW_ROBOTS_TTL": settings.robots_ttl_seconds,
        "TW_ROBOTS_CACHE_DIR": str(settings.robots_cache_dir)
        if settings.robots_cache_dir
        else None,
        "TW_LISTING_CACHE_DIR": str(settings.listing_cache_dir)
        if settings.listing_cache_dir
        else None,
        "TW_LISTING_REVALIDATE": settings.listing_revalidate_s,
        "TW_BATCH_SIZE": settings.batch_size,
        "TW_RETRY_AFTER_TIMES": settings.retry_after_times,
        "TW_MAX_RETRY_AFTER": settings.max_retry_after,
        "TELNETCONSOLE_ENABLED": False,
        "EXTENSIONS": {"scrapy.extensions.telnet.TelnetConsole": None},
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": settings.max_body_bytes,
        "DOWNLOAD_WARNSIZE": min(settings.max_body_bytes, 4 * 1024 * 1024),
        "REDIRECT_MAX_TIMES": settings.max_redirects,
        "RETRY_TIMES": settings.retries,
        "CONCURRENT_REQUESTS": settings.total_concurrency,
        "AUTOTHROTTLE_ENABLED": settings.autothrottle,
        "AUTOTHROTTLE_MAX_DELAY": settings.autothrottle_max_delay,
        "COOKIES_ENABLED": False,
        "LOG_LEVEL": settings.log_level,
        "ITEM_PIPELINES": {"crawlers.pipeline.SinkPipeline": 500},
        **middleware_settings(),
    }


def source_settings(source: SourceConfig, settings: CrawlSettings) -> dict[str, Any]:
    """Per-source politeness (each source runs as its own Scrapy crawler)."""
    pol = source.politeness
    delay = pol.download_delay * settings.delay_scale
    return {
        "DOWNLOAD_DELAY": delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": pol.concurrency,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.1 if settings.delay_scale else 0.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(pol.concurrency),
        "TW_ROBOTS_ENABLED": settings.respect_robots and pol.respect_robots,
        "COOKIES_ENABLED": needs_cookies(source),
        **(render_settings(settings) if source.render else {}),
    }


def render_settings(settings: CrawlSettings) -> dict[str, Any]:
    """scrapy-playwright for a `render: true` source: only requests marked
    meta["playwright"] (its HTML pages) go through the browser; robots.txt and JSON calls
    keep Scrapy's own downloader."""
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": str(settings.chromium_path),
            "headless": True,
            "args": ["--no-sandbox", "--disable-dev-shm-usage"],
        },
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": settings.render_timeout_ms,
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
    }


def spider_class(source: SourceConfig, settings: CrawlSettings) -> type[SourceSpider]:
    return type(
        f"SourceSpider_{source.id.replace('-', '_')}",
        (SourceSpider,),
        {"name": source.id, "custom_settings": source_settings(source, settings)},
    )


def crawl(
    sources: Sequence[SourceConfig],
    sink: ArticleSink,
    settings: CrawlSettings | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
    clock: Clock = system_clock,
) -> list[CrawlRunStats]:
    """Crawl `sources` into `sink`, blocking until done; returns one CrawlRunStats per source
    (also given to sink.record_run). Starts a Twisted reactor, so call it once per process
    (`tokenwatch crawl` and the scheduler run it in their own process). `progress` receives
    CrawlProgress events on the crawl's event loop: keep it fast."""
    from scrapy.crawler import CrawlerProcess

    settings = settings or CrawlSettings()
    if not sources:
        return []
    writer = SinkWriter(sink)
    results: list[CrawlRunStats] = []
    # known pages are read here, before the reactor starts: the sink may block
    known = {source.id: dict(sink.known_pages(source.id)) for source in sources}
    # logging is the caller's (CLI, scheduler): Scrapy must not install its own root handler
    process = CrawlerProcess(
        settings={**scrapy_settings(settings), "LOG_INSTALL_ROOT_HANDLER": False}
    )
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    for name in ("scrapy", "twisted", "protego"):  # their DEBUG lines dump whole items
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    run_prefix = uuid.uuid4().hex[:12]
    for source in sources:
        counter = RunCounter(source.id, f"{run_prefix}-{source.id}", clock, settings.robots_agent)
        process.crawl(
            spider_class(source, settings),
            source=source,
            known=known[source.id],
            counter=counter,
            writer=writer,
            results=results,
            progress=progress,
        )
    process.start()
    done = {r.source_id for r in results}
    for source in sources:  # a spider that never opened still gets a (failed) run record
        if source.id not in done:
            run_id = f"{run_prefix}-{source.id}"
            missing = RunCounter(source.id, run_id, clock, settings.robots_agent)
            missing.failed("crawler", "", "")
            results.append(missing.stats())
            writer.record_run(results[-1])
    order = {s.id: i for i, s in enumerate(sources)}
    return sorted(results, key=lambda r: order.get(r.source_id, 0))
