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

from crawlers import fetchplan, listings, reasons
from crawlers.articles import from_listing, parse_page
from crawlers.errors import PageError
from crawlers.fetchplan import RequestSpec
from crawlers.health import RunObservations, run_health
from crawlers.listings import Link
from crawlers.registry import (
    EmbeddedJsonListing,
    FeedListing,
    GenericListing,
    ListListing,
    SitemapListing,
    SourceConfig,
    TwoStepListing,
)
from crawlers.sink import SinkWriter
from crawlers.types import Article, Clock, CrawlProgress, CrawlRunStats, PageState
from crawlers.urls import canonicalize

log = logging.getLogger(__name__)
CrawlOutcome = Literal["ok", "failed", "partial"]
Phase = Literal["start", "page", "article", "error", "done"]
MAX_CHILD_SITEMAPS = 20
MAX_SITEMAP_DEPTH = 3  # index → index → sitemap


class RunCounter:
    """Mutable counters of one source's run, turned into CrawlRunStats at the end."""

    def __init__(
        self, source_id: str, run_id: str, clock: Clock, robots_agent: str = "TokenwatchBot"
    ) -> None:
        self.source_id = source_id
        self.run_id = run_id
        self.clock = clock
        self.robots_agent = robots_agent
        self.seen = RunObservations()
        self.started_at = clock()
        self.pages_fetched = 0
        self.articles = 0
        self.new = 0
        self.unchanged = 0
        self.duplicates = 0
        self.errors: Counter[str] = Counter()
        self.reasons: list[str] = []  # the first failures, in words (crawlers/reasons.py)

    def failed(self, kind: str, url: str, reason: str) -> None:
        self.errors[kind] += 1
        if len(self.reasons) < reasons.MAX_REASONS:
            self.reasons.append(reasons.describe(kind, url, reason))

    def stats(self) -> CrawlRunStats:
        errors = sum(self.errors.values())
        ok_pages = self.pages_fetched > 0 and (self.articles > 0 or self.unchanged > 0)
        status: CrawlOutcome = "ok" if not errors else ("partial" if ok_pages else "failed")
        health, reason = run_health(self.seen, self.robots_agent)
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
            health=health,
            health_reason=reason,
            detail=reasons.detail(self.reasons, errors),
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


RENDERED_LISTINGS = (ListListing, GenericListing, EmbeddedJsonListing)  # HTML listing pages
ARTICLE_FAILURES = ("no_body", "short_text", "no_content", "parse_error")
REFUSED = ("http_401", "http_403", "robots_disallowed")  # fallback to the listing's text


class SourceSpider(scrapy.Spider):
    """Crawls one registry source. Built by crawlers.runner with the source, the pages the
    sink already knows (for conditional GET), a run counter and a progress callback."""

    name = "tokenwatch"
    filter_articles = False  # article requests skip the dupefilter (see article_request)

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
        self.counter.seen.had_history = bool(known)
        self.progress = progress
        self._seen: set[str] = set()
        self._pages_listed = 0
        listing = source.listing
        self._max_articles = listing.max_articles
        self._listing_text = getattr(listing, "listing_text", "never")
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
        self.counter.failed(kind, url, reason)
        log.warning("skipped %s: %s (%s)", url, kind, reason)
        self.emit("error", url, kind)

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = error_kind(failure)
        if kind == "http_304":  # not an error: handled in parse_article
            return
        if kind == "robots_disallowed" and request.meta.get("tw_role") != "article":
            self.counter.seen.listings_blocked.append(request.url)
        self.skip(request.url, kind, str(failure.value) or type(failure.value).__name__)

    def fetched(self, response: Response) -> None:
        self.counter.pages_fetched += 1
        self.emit("page", response.url)

    # -- requests --------------------------------------------------------------------------

    def rendered(self, meta: dict[str, Any], html: bool = True) -> dict[str, Any]:
        """Mark an HTML page request for the browser when the source asks for rendering."""
        if self.source.render and html:
            meta["playwright"] = True
        return meta

    def request(
        self, spec: RequestSpec, callback: Callable[..., Any], role: str, **meta: Any
    ) -> Request:
        html_page = role in ("page", "article") or (
            role == "listing" and isinstance(self.source.listing, RENDERED_LISTINGS)
        )
        return Request(
            spec.url,
            method=spec.method,
            headers=spec.headers,
            body=spec.body,
            callback=callback,
            errback=self.on_error,
            meta=self.rendered({"tw_role": role, **meta}, html_page and spec.method == "GET"),
        )

    def listing_request(self, url: str, page: int, **meta: Any) -> Request:
        spec = fetchplan.listing_request(self.source, url, page)
        return self.request(spec, self.parse_listing, "listing", tw_page=page, **meta)

    # -- start -----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self.emit("start")
        bootstrap = self.source.request.cookie_bootstrap
        if bootstrap:  # its cookies are kept (COOKIES_ENABLED for this source) for the rest
            spec = fetchplan.page_request(self.source, bootstrap)
            request = self.request(spec, self.after_bootstrap, "bootstrap")
            yield request.replace(errback=self.bootstrap_failed, dont_filter=True)
            return
        for request in self.start_requests():
            yield request

    def after_bootstrap(self, response: Response) -> Iterator[Request]:
        self.fetched(response)
        yield from self.start_requests()

    def bootstrap_failed(self, failure: Failure) -> Iterator[Request]:
        self.on_error(failure)
        yield from self.start_requests()  # the listings may work without the cookie

    def start_requests(self) -> Iterator[Request]:
        listing = self.source.listing
        for url, page in fetchplan.first_listing_urls(self.source):
            if isinstance(listing, TwoStepListing):
                spec = fetchplan.page_request(self.source, url)
                yield self.request(spec, self.parse_two_step_page, "page")
            else:
                yield self.listing_request(url, page, tw_root=url)

    # -- listings --------------------------------------------------------------------------

    def parse_two_step_page(self, response: Response) -> Iterator[Request]:
        """First step: take the API call's parts from the page, then call it."""
        self.fetched(response)
        listing = self.source.listing
        assert isinstance(listing, TwoStepListing)
        from crawlers.encoding import decode

        html = decode(response.body, _ctype(response), self.source.encoding)[0]
        cookies = listings.set_cookies(response.headers.getlist(b"Set-Cookie"))
        try:
            values = listings.take_values(listing.take, html, cookies)
        except PageError as exc:
            self.counter.seen.listings_tried += 1
            self.counter.seen.listing_misses.append(f"{response.url}: {exc.reason}")
            self.skip(response.url, exc.kind, exc.reason)
            return
        for url, page in fetchplan.endpoint_urls(listing, values, response.url):
            request = self.listing_request(url, page)
            if not listing.keep_cookies:
                request.meta["dont_merge_cookies"] = True
            yield request

    def parse_listing(self, response: Response) -> Iterator[Any]:
        self.fetched(response)
        listing = self.source.listing
        seen = self.counter.seen
        seen.listings_tried += 1
        page = response.meta.get("tw_page", 1)
        root = response.meta.get("tw_root", response.url)
        try:
            result = listings.read_listing(
                self.source,
                response.url,
                response.body,
                _ctype(response),
                page=page,
                root=root,
                ref=self.reference_time(response),
            )
        except PageError as exc:
            seen.listing_misses.append(f"{response.url}: {exc.reason}")
            self.skip(response.url, exc.kind, exc.reason)
            return
        except Exception as exc:  # unparsable listing: report, go on with other listings
            seen.listing_misses.append(f"{response.url}: {type(exc).__name__}")
            self.skip(response.url, "listing_error", f"{type(exc).__name__}: {exc}")
            return
        seen.links += len(result.links)
        if not result.links:
            miss = listings.what_matched_nothing(self.source)
            seen.listing_misses.append(f"{response.url}: {miss}")
            log.warning("listing %s yielded no links: %s", response.url, miss)
        for link in result.links:
            yield from self.follow(link)
        # sitemap-index children are always followed (bounded depth); pagination obeys max_pages
        if isinstance(listing, SitemapListing):
            limit = MAX_SITEMAP_DEPTH
            more = result.more[:MAX_CHILD_SITEMAPS]
        else:
            limit, more = getattr(listing, "max_pages", 1), result.more
        for url in more:
            if page < limit:
                if isinstance(listing, FeedListing | SitemapListing):
                    spec = fetchplan.page_request(self.source, url)
                    yield self.request(spec, self.parse_listing, "listing", tw_page=page + 1)
                else:
                    yield self.listing_request(url, page + 1, tw_root=root)

    def reference_time(self, response: Response) -> datetime:
        """What relative times on a page ('14:20', '3小时前') are resolved against: the
        response's Date header, else the time it was fetched."""
        return response_date(response) or self.counter.clock()

    def _admit(self, link: Link) -> str | None:
        """The canonical URL of a link this run follows, or None (seen, filtered, over the
        article limit)."""
        canonical = canonicalize(link.url)
        if canonical in self._seen or not link.url.startswith(("http://", "https://")):
            return None
        if self._pattern is not None and not self._pattern.search(link.url):
            return None
        if len(self._seen) >= self._max_articles:
            return None
        self._seen.add(canonical)
        return canonical

    def follow(self, link: Link) -> Iterator[Any]:
        if self._listing_text != "store":
            request = self.article_request(link)
            if request is not None:
                yield request
            return
        if self._admit(link) is not None:  # the listing item is the article
            self.counter.seen.articles_tried += 1
            yield from self.listing_article(link, link.url, summary_only=False)

    def article_request(self, link: Link) -> Request | None:
        canonical = self._admit(link)
        if canonical is None:
            return None
        headers = fetchplan.base_headers(self.source)
        state = self.known.get(canonical)
        if state is not None:
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        return Request(
            link.url,
            callback=self.parse_article,
            errback=self.article_failed,
            headers=headers,
            meta=self.rendered(
                {"tw_link": link, "tw_role": "article", "handle_httpstatus_list": [304]}
            ),
            # deduplicated by canonical URL above; unfiltered so redirect loops hit the limit
            # (a shared frontier filters them: crawlers/frontier.py)
            dont_filter=not self.filter_articles,
        )

    # -- articles --------------------------------------------------------------------------

    def keep(self, article: Article, canonical: str) -> Iterator[Article]:
        """Count and yield an article unless the store already has this exact text."""
        self.counter.seen.articles_parsed += 1
        state = self.known.get(canonical) or self.known.get(article.canonical_url)
        if state is not None and state.content_hash == article.content_hash:
            self.counter.unchanged += 1  # same body, nothing new to write
            return
        self.counter.articles += 1
        self.emit("article", article.url)
        yield article

    def listing_article(self, link: Link, url: str, *, summary_only: bool) -> Iterator[Article]:
        try:
            article = from_listing(
                self.source, link, summary_only=summary_only, fetched_at=self.counter.clock()
            )
        except PageError as exc:
            self.skip(url, exc.kind, exc.reason)
            return
        yield from self.keep(article, canonicalize(link.url))

    def article_failed(self, failure: Failure) -> Iterator[Article]:
        """An article request failed; with listing_text: fallback, a refused page (401/403,
        robots.txt) is stored from the listing's text, marked summary_only."""
        request = failure.request  # type: ignore[attr-defined]
        kind = error_kind(failure)
        link: Link = request.meta["tw_link"]
        if kind != "http_304":
            self.counter.seen.articles_tried += 1
        if kind == "robots_disallowed":
            self.counter.seen.articles_blocked.append(request.url)
        if self._listing_text == "fallback" and kind in REFUSED and (link.text or link.summary):
            log.info("%s refused (%s): storing the listing's text", request.url, kind)
            yield from self.listing_article(link, request.url, summary_only=True)
            return
        self.on_error(failure)

    def parse_article(self, response: Response) -> Iterator[Any]:
        self.fetched(response)
        canonical = canonicalize(response.meta["tw_link"].url)
        if response.status == 304:
            self.counter.unchanged += 1  # not re-extracted
            self.counter.seen.articles_parsed += 1
            return
        self.counter.seen.articles_tried += 1
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
            if exc.kind in ARTICLE_FAILURES:
                self.counter.seen.parse_failures.append(f"{response.url}: {exc}")
            self.skip(response.url, exc.kind, exc.reason)
            return
        yield from self.keep(article, canonical)


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
