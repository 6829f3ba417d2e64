"""One spider class for every source; the listing kind decides how article links are found."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawlers import listings
from crawlers.articles import parse_page
from crawlers.errors import PageError
from crawlers.listings import Link
from crawlers.pipeline import SinkWriter
from crawlers.registry import (
    FeedListing,
    GenericListing,
    JsonListing,
    ListListing,
    SitemapListing,
    SourceConfig,
)
from crawlers.types import Clock, CrawlProgress, CrawlRunStats, PageState
from crawlers.urls import canonicalize

log = logging.getLogger(__name__)
RunStatus = Literal["ok", "failed", "partial"]
Phase = Literal["start", "page", "article", "error", "done"]
MAX_CHILD_SITEMAPS = 20
MAX_SITEMAP_DEPTH = 3  # index → index → sitemap


class RunCounter:
    """Mutable counters of one source's run, turned into CrawlRunStats at the end."""

    def __init__(self, source_id: str, run_id: str, clock: Clock) -> None:
        self.source_id = source_id
        self.run_id = run_id
        self.clock = clock
        self.started_at = clock()
        self.pages_fetched = 0
        self.articles = 0
        self.new = 0
        self.unchanged = 0
        self.duplicates = 0
        self.errors: Counter[str] = Counter()

    def stats(self) -> CrawlRunStats:
        errors = sum(self.errors.values())
        ok_pages = self.pages_fetched > 0 and (self.articles > 0 or self.unchanged > 0)
        status: RunStatus = "ok" if not errors else ("partial" if ok_pages else "failed")
        return CrawlRunStats(
            id=self.run_id,
            source_id=self.source_id,
            started_at=self.started_at,
            ended_at=self.clock(),
            pages_fetched=self.pages_fetched,
            new_articles=self.new,
            unchanged=self.unchanged,
            duplicates=self.duplicates,
            errors=dict(self.errors),
            status=status,
        )


def error_kind(failure: Failure) -> str:
    """Bucket name for a failed request (CrawlRunStats.errors key)."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet import error as neterr

    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        reason = str(exc).lower()
        if "robots" in reason:
            return "robots_unreachable" if "unreachable" in reason else "robots_disallowed"
        if "redirect" in reason:
            return "redirect_loop"
        if reason.startswith("backoff"):
            return "backoff"
        return "ignored"
    if (
        isinstance(exc, neterr.TimeoutError | neterr.TCPTimedOutError)
        or "Timeout" in type(exc).__name__
    ):
        return "timeout"
    if isinstance(exc, neterr.DNSLookupError):
        return "dns"
    if isinstance(exc, neterr.ConnectError | neterr.ConnectionLost):
        return "connection"
    name = type(exc).__name__
    if "Cancel" in name or "maxsize" in str(exc).lower() or "max size" in str(exc).lower():
        return "too_large"
    if "DataLoss" in name:
        return "truncated"
    return name.lower()


class SourceSpider(scrapy.Spider):
    """Crawls one registry source. Built by crawlers.runner with the source, the pages the
    sink already knows (for conditional GET), a run counter and a progress callback."""

    name = "tokenwatch"

    def __init__(
        self,
        source: SourceConfig,
        known: Mapping[str, PageState],
        counter: RunCounter,
        writer: SinkWriter,
        results: list[CrawlRunStats],
        progress: Callable[[CrawlProgress], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=source.id, **kwargs)
        self.writer = writer
        self.results = results
        self.source = source
        self.known = known
        self.counter = counter
        self.progress = progress
        self._seen: set[str] = set()
        self._pages_listed = 0
        listing = source.listing
        self._max_articles = listing.max_articles
        pattern: str | None = getattr(listing, "url_pattern", None)
        self._pattern = re.compile(pattern) if pattern else None

    # -- progress and errors ---------------------------------------------------------------

    def emit(self, phase: Phase, url: str | None = None, detail: str | None = None) -> None:
        if self.progress is None:
            return
        c = self.counter
        event = CrawlProgress(
            source_id=self.source.id,
            phase=phase,
            url=url,
            pages_fetched=c.pages_fetched,
            articles=c.articles,
            errors=sum(c.errors.values()),
            detail=detail,
            stats=c.stats() if phase == "done" else None,
        )
        try:
            self.progress(event)
        except Exception:  # a display bug must not stop a crawl
            log.exception("progress callback failed")

    def skip(self, url: str, kind: str, reason: str) -> None:
        """Log a broken page with its URL and reason, count it, and go on."""
        self.counter.errors[kind] += 1
        log.warning("skipped %s: %s (%s)", url, kind, reason)
        self.emit("error", url, kind)

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = error_kind(failure)
        if kind == "http_304":  # not an error: handled in parse_article
            return
        self.skip(request.url, kind, str(failure.value) or type(failure.value).__name__)

    def fetched(self, response: Response) -> None:
        self.counter.pages_fetched += 1
        self.emit("page", response.url)

    # -- start -----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self.emit("start")
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[Request]:
        listing = self.source.listing
        if isinstance(listing, FeedListing):
            urls = listing.feed_urls
        elif isinstance(listing, ListListing):
            urls = listing.urls
        elif isinstance(listing, GenericListing):
            urls = [listing.list_url]
        elif isinstance(listing, SitemapListing):
            urls = listing.sitemap_urls
        else:
            urls = list(listings.iter_pages(listing.endpoint, listing.max_pages))
        for url in urls:
            yield Request(
                url, callback=self.parse_listing, errback=self.on_error, meta={"tw_page": 1}
            )

    # -- listings --------------------------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[Request]:
        self.fetched(response)
        listing = self.source.listing
        try:
            links, more = self._links(response)
        except PageError as exc:
            self.skip(response.url, exc.kind, exc.reason)
            return
        except Exception as exc:  # unparsable listing: report, go on with other listings
            self.skip(response.url, "listing_error", f"{type(exc).__name__}: {exc}")
            return
        for link in links:
            request = self.article_request(link)
            if request is not None:
                yield request
        page = response.meta.get("tw_page", 1)
        # sitemap-index children are always followed (bounded depth); pagination obeys max_pages
        limit = (
            MAX_SITEMAP_DEPTH
            if isinstance(listing, SitemapListing)
            else getattr(listing, "max_pages", 1)
        )
        for url in more:
            if page < limit:
                meta = {"tw_page": page + 1}
                yield Request(url, callback=self.parse_listing, errback=self.on_error, meta=meta)

    def reference_time(self, response: Response) -> datetime:
        """What relative times on a page ('14:20', '3小时前') are resolved against: the
        response's Date header, else the time it was fetched."""
        return response_date(response) or self.counter.clock()

    def _links(self, response: Response) -> tuple[list[Link], list[str]]:
        listing, lang, url = self.source.listing, self.source.lang, response.url
        ref = self.reference_time(response)
        if isinstance(listing, FeedListing):
            return listings.feed_links(response.body, url, lang, ref), []
        if isinstance(listing, SitemapListing):
            links, children = listings.sitemap_links(response.body, url, lang, ref)
            return links, children[:MAX_CHILD_SITEMAPS]
        if isinstance(listing, JsonListing):
            return listings.json_links(
                response.body,
                url,
                lang,
                items_path=listing.items_path,
                url_path=listing.url_path,
                title_path=listing.title_path,
                date_path=listing.date_path,
                url_template=listing.url_template,
                ref=ref,
            ), []
        from crawlers.encoding import decode

        html, _ = decode(response.body, _ctype(response), self.source.encoding)
        assert isinstance(listing, ListListing | GenericListing)
        links = listings.html_links(html, url, listing.link_selector, lang, ref)
        nxt = listings.next_page(html, url, listing.next_selector)
        return links, [nxt] if nxt else []

    def article_request(self, link: Link) -> Request | None:
        canonical = canonicalize(link.url)
        if canonical in self._seen or not link.url.startswith(("http://", "https://")):
            return None
        if self._pattern is not None and not self._pattern.search(link.url):
            return None
        if len(self._seen) >= self._max_articles:
            return None
        self._seen.add(canonical)
        headers = {}
        state = self.known.get(canonical)
        if state is not None:
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        return Request(
            link.url,
            callback=self.parse_article,
            errback=self.on_error,
            headers=headers,
            meta={"tw_link": link, "handle_httpstatus_list": [304]},
            # deduplicated by canonical URL above; unfiltered so redirect loops hit the limit
            dont_filter=True,
        )

    # -- articles --------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        self.fetched(response)
        canonical = canonicalize(response.meta["tw_link"].url)
        if response.status == 304:
            self.counter.unchanged += 1  # not re-extracted
            return
        try:
            article = parse_page(
                self.source,
                response.url,
                response.body,
                _ctype(response),
                hint=response.meta["tw_link"],
                fetched_at=self.counter.clock(),
                ref=self.reference_time(response),
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
            )
        except PageError as exc:
            self.skip(response.url, exc.kind, exc.reason)
            return
        state = self.known.get(canonical) or self.known.get(article.canonical_url)
        if state is not None and state.content_hash == article.content_hash:
            self.counter.unchanged += 1  # same body, nothing new to write
            return
        self.counter.articles += 1
        self.emit("article", response.url)
        yield article


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _ctype(response: Response) -> str | None:
    return _header(response, b"Content-Type")


def response_date(response: Response) -> datetime | None:
    """The response's Date header (RFC 9110 HTTP-date) as an aware datetime, if valid."""
    raw = _header(response, b"Date")
    if not raw:
        return None
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else None
