"""Conditional GETs that keep idle polls cheap: an unchanged listing (feed, list page, JSON
list) answers 304 and the poll ends there, with no article request at all; a changed one is
read, and only its new articles are fetched.

- Listings: their validators (ETag / Last-Modified) live in a directory (TW_LISTING_CACHE_DIR,
  one JSON file per source), because each scheduled crawl is a new process; the next request
  for the listing is conditional.
- Known articles (the store has their validators, so the spider asks conditionally): one that
  was revalidated less than TW_LISTING_REVALIDATE seconds ago (by the spider's clock) is
  answered 304 here, without asking the server again; a listing that shows 20 known items
  and one new one costs two requests, not 21. After that age both a listing and a known article
  are asked again, so edits to known articles are seen at most that late.
- What a run saw is kept only when it had no error: a listing whose articles failed to arrive
  is fetched in full next time, so nothing it links to is lost behind a 304.

A 304 reaches the spider's errback (listings) as `http_304`, which is not an error, or its
article callback, which counts the page unchanged (crawlers/spiders.py).
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
ARTICLE = "article"
ARTICLES = "_articles"  # the file's key for known articles: URL -> when last revalidated
FRESH = "tw-revalidated-recently"  # flag of a 304 answered here


def load_validators(path: Path) -> dict[str, dict[str, str]]:
    """URL → {"etag", "last_modified", "stored_at"}; a missing file is empty, and so is a
    broken one (said in the log with its path: the next run fetches every listing in full)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("listing validators %s unreadable, ignored: %s", path, exc)
        return {}
    if not isinstance(data, dict):
        log.warning("listing validators %s are not a JSON object, ignored", path)
        return {}
    return data


def is_recent(stamp: str | None, now: datetime | None, revalidate_s: float) -> bool:
    """Whether an ISO time is less than `revalidate_s` before `now` (no clock: never)."""
    if now is None or not stamp:
        return False
    try:
        return now - datetime.fromisoformat(stamp) < timedelta(seconds=revalidate_s)
    except (TypeError, ValueError):
        return False


def conditional_headers(entry: dict[str, str], now: datetime | None,
                        revalidate_s: float) -> dict[str, str]:
    """The headers that make a request conditional on a stored entry, unless it is too old."""
    stored = entry.get("stored_at")
    if now is not None and stored and not is_recent(stored, now, revalidate_s):
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
        self.stored: dict[str, Any] | None = None
        self.seen: dict[str, dict[str, str]] = {}
        self.checked: dict[str, str] = {}  # known articles revalidated in this run
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

    def _stored(self) -> dict[str, Any]:
        if self.stored is None:
            self.stored = load_validators(self._file())
        return self.stored

    def process_request(self, request: Request) -> Response | None:
        role = request.meta.get("tw_role")
        if request.method != "GET" or role not in (LISTING, ARTICLE):
            return None
        conditional = b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers
        if role == ARTICLE:
            checked = self._stored().get(ARTICLES, {}).get(request.url)
            if conditional and is_recent(checked, self._now(), self.revalidate_s):
                return Response(request.url, status=304, request=request, flags=[FRESH])
            return None
        entry = self._stored().get(request.url)
        if entry and not conditional:
            for key, value in conditional_headers(entry, self._now(), self.revalidate_s).items():
                request.headers[key] = value
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        role = request.meta.get("tw_role")
        if role == ARTICLE and response.status in (200, 304) and FRESH not in response.flags:
            now = self._now()
            if now is not None and (response.headers.get(b"ETag")
                                    or response.headers.get(b"Last-Modified")):
                self.checked[request.url] = now.isoformat()
        if role == LISTING and response.status == 200:
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
        if not (self.seen or self.checked) or reason != "finished":
            return
        if counter is not None and counter.errors:
            return
        merged = {**load_validators(self._file()), **self.seen}
        now = self._now()
        merged[ARTICLES] = {  # an entry past the revalidation age no longer saves a request
            url: at for url, at in {**merged.get(ARTICLES, {}), **self.checked}.items()
            if is_recent(at, now, self.revalidate_s)
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self._file().with_suffix(".tmp")
            tmp.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self._file())
        except OSError as exc:
            log.warning("listing validators not kept (%s): %s", self._file(), exc)
