"""Conditional GETs for listings (feeds, list pages, JSON lists): an unchanged listing
answers 304 and the poll ends there, with no article request at all.

Article pages already carry their validators in the store (`PageState`); a listing's live in
a directory (TW_LISTING_CACHE_DIR, one JSON file per source: URL → ETag / Last-Modified),
because each scheduled crawl is a new process. Validators seen in a run are kept only when the
run had no error: a listing whose articles failed to arrive is fetched in full next time, so
nothing it links to is lost behind a 304. After TW_LISTING_REVALIDATE seconds (by the
spider's clock) a listing is fetched in full anyway, so edits to known articles are seen.

A 304 reaches the spider's errback as `http_304`, which is not an error (crawlers/spiders.py).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)
LISTING = "listing"


def load_validators(path: Path) -> dict[str, dict[str, str]]:
    """URL → {"etag", "last_modified", "stored_at"}; a missing or broken file is empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def conditional_headers(entry: dict[str, str], now: datetime | None,
                        revalidate_s: float) -> dict[str, str]:
    """The headers that make a request conditional on a stored entry, unless it is too old."""
    stored = entry.get("stored_at")
    if now is not None and stored:
        try:
            if now - datetime.fromisoformat(stored) >= timedelta(seconds=revalidate_s):
                return {}
        except (TypeError, ValueError):
            return {}
    headers = {}
    if entry.get("etag"):
        headers["If-None-Match"] = entry["etag"]
    if entry.get("last_modified"):
        headers["If-Modified-Since"] = entry["last_modified"]
    return headers


class ListingValidatorsMiddleware:
    """Adds If-None-Match / If-Modified-Since to a source's listing requests and keeps the
    validators of the listings it fetched (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        directory = crawler.settings.get("TW_LISTING_CACHE_DIR")
        if not directory:
            raise NotConfigured
        self.crawler = crawler
        self.directory = Path(directory)
        self.revalidate_s = crawler.settings.getfloat("TW_LISTING_REVALIDATE", 21600.0)
        self.stored: dict[str, dict[str, str]] | None = None
        self.seen: dict[str, dict[str, str]] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListingValidatorsMiddleware:
        return cls(crawler)

    def _file(self) -> Path:
        spider = self.crawler.spider
        return self.directory / f"{getattr(spider, 'name', 'source')}.json"

    def _now(self) -> datetime | None:
        counter = getattr(self.crawler.spider, "counter", None)
        return counter.clock() if counter is not None else None

    def process_request(self, request: Request) -> None:
        if request.meta.get("tw_role") != LISTING or request.method != "GET":
            return
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return
        if self.stored is None:
            self.stored = load_validators(self._file())
        entry = self.stored.get(request.url)
        if entry:
            for key, value in conditional_headers(entry, self._now(), self.revalidate_s).items():
                request.headers[key] = value

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("tw_role") == LISTING and response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                now = self._now()
                self.seen[request.url] = {
                    "etag": etag.decode("latin-1") if etag else "",
                    "last_modified": modified.decode("latin-1") if modified else "",
                    "stored_at": now.isoformat() if now is not None else "",
                }
        return response

    def spider_closed(self, spider: Any, reason: str) -> None:
        counter = getattr(spider, "counter", None)
        if not self.seen or reason != "finished" or (counter is not None and counter.errors):
            return
        merged = {**load_validators(self._file()), **self.seen}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self._file().with_suffix(".tmp")
            tmp.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self._file())
        except OSError as exc:
            log.warning("listing validators not kept (%s): %s", self._file(), exc)
