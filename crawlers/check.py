"""`tokenwatch sources check`: for an operator with internet, fetch each source's first listing
page and one article, and report what was found and what matched — without storing anything
(no sink, no graph). The logic is pure over a `Fetch` function, so it is tested on loopback;
`HttpFetch` is the real one (httpx, cookies kept per source, robots.txt obeyed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from crawlers import fetchplan, listings
from crawlers.articles import from_listing, parse_page, read_page, selector_hits
from crawlers.errors import PageError
from crawlers.fetchplan import RequestSpec
from crawlers.listings import Link
from crawlers.registry import FeedListing, SitemapListing, SourceConfig, TwoStepListing
from crawlers.types import Article, Clock


@dataclass(frozen=True)
class Fetched:
    url: str  # final URL after redirects
    status: int | None  # None: not fetched (robots.txt, network error)
    body: bytes = b""
    content_type: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)  # set by this response
    error: str | None = None


Fetch = Callable[[RequestSpec], Fetched]


@dataclass
class SourceCheck:
    """What one source's check found. `matched`/`failed` name selectors, paths and steps."""

    source_id: str
    name: str
    fetched: list[tuple[str, str, int | None]] = field(default_factory=list)  # (step, url, status)
    links: int = 0
    matched: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and self.links > 0 and bool(self.fields)


def _get(check: SourceCheck, fetch: Fetch, step: str, spec: RequestSpec) -> Fetched | None:
    """Fetch one step; a refusal or an HTTP error is recorded as a failure (None returned)."""
    got = fetch(spec)
    check.fetched.append((step, spec.url, got.status))
    if got.status is None or not 200 <= got.status < 300:
        why = got.error or f"HTTP {got.status}"
        check.failed.append(f"{step} {spec.url}: {why}")
        return None
    return got


def _listing_url(source: SourceConfig, check: SourceCheck, fetch: Fetch) -> str | None:
    """The first listing URL (for two_step: built from its page's takes)."""
    listing = source.listing
    url, _ = fetchplan.first_listing_urls(source)[0]
    if not isinstance(listing, TwoStepListing):
        return url
    page = _get(check, fetch, "page", fetchplan.page_request(source, url))
    if page is None:
        return None
    from crawlers.encoding import decode

    html = decode(page.body, page.content_type, source.encoding)[0]
    try:
        values = listings.take_values(listing.take, html, page.cookies)
    except PageError as exc:
        check.failed.append(exc.reason)
        return None
    check.matched += [f"take {name!r} → {value[:60]!r}" for name, value in values.items()]
    return fetchplan.endpoint_urls(listing, values, page.url)[0][0]


def _read_listing(
    source: SourceConfig, check: SourceCheck, fetch: Fetch, url: str, ref: datetime
) -> list[Link]:
    links: list[Link] = []
    spec = fetchplan.listing_request(source, url, 1)
    for _depth in range(3):  # a sitemap index: follow its first child sitemap
        got = _get(check, fetch, "listing", spec)
        if got is None:
            return []
        try:
            result = listings.read_listing(
                source, got.url, got.body, got.content_type, page=1, root=got.url, ref=ref
            )
        except PageError as exc:
            check.failed.append(f"listing {got.url}: {exc}")
            return []
        links = result.links
        if links or not result.more or not isinstance(source.listing, SitemapListing):
            break
        check.matched.append(f"sitemap index → {len(result.more)} child sitemaps")
        spec = fetchplan.page_request(source, result.more[0])
    pattern = getattr(source.listing, "url_pattern", None)
    kept = listings.filter_links(links, pattern, source.listing.max_articles)
    if not kept:
        check.failed.append(f"listing {url}: {listings.what_matched_nothing(source)}")
    else:
        check.matched.append(_listing_match(source, len(links), len(kept)))
    return kept


def _listing_match(source: SourceConfig, found: int, kept: int) -> str:
    listing = source.listing
    if isinstance(listing, FeedListing):
        what = "feed entries"
    elif isinstance(listing, SitemapListing):
        what = "sitemap <url> entries"
    elif getattr(listing, "html_path", None):
        what = f"html_path {getattr(listing, 'html_path', '')!r} + link_selector"
    elif getattr(listing, "link_selector", None) and not getattr(listing, "items_path", None):
        what = f"link_selector {getattr(listing, 'link_selector', '')!r}"
    else:
        what = f"items_path {getattr(listing, 'items_path', '')!r}"
    pattern = getattr(listing, "url_pattern", None)
    kept_text = f", {kept} match url_pattern {pattern!r}" if pattern else ""
    return f"{what} → {found} links{kept_text}"


def _fields(article: Article) -> dict[str, str]:
    out = {
        "title": article.title,
        "published_at": article.published_at.isoformat() if article.published_at else "-",
        "text": f"{len(article.text)} chars",
    }
    if article.policy is not None:
        for name, value in article.policy.model_dump().items():
            if value:
                out[name] = str(value)
    if article.raw_meta.get("summary_only"):
        out["summary_only"] = "true"
    return out


def _read_article(
    source: SourceConfig, check: SourceCheck, fetch: Fetch, link: Link, now: datetime
) -> None:
    mode = getattr(source.listing, "listing_text", "never")
    if mode == "store":
        try:
            check.fields = _fields(from_listing(source, link, fetched_at=now))
            check.matched.append("listing_text store → article from the listing item")
        except PageError as exc:
            check.failed.append(f"listing item {link.url}: {exc}")
        return
    spec = fetchplan.page_request(source, link.url)
    got = fetch(spec)
    check.fetched.append(("article", link.url, got.status))
    refused = got.status in (401, 403) or (got.status is None and "robots" in (got.error or ""))
    if refused and mode == "fallback":
        try:
            check.fields = _fields(from_listing(source, link, summary_only=True, fetched_at=now))
            check.matched.append(f"article refused ({got.status or got.error}) → listing text")
        except PageError as exc:
            check.failed.append(f"fallback {link.url}: {exc}")
        return
    if got.status is None or not 200 <= got.status < 300:
        check.failed.append(f"article {link.url}: {got.error or f'HTTP {got.status}'}")
        return
    try:
        page, _ = read_page(source, got.url, got.body, got.content_type, link, now)
        for name, count in selector_hits(source, page, link.published_at).items():
            (check.matched if count else check.failed).append(f"{name} → {count}")
        article = parse_page(
            source, got.url, got.body, got.content_type, hint=link, fetched_at=now
        )
    except PageError as exc:
        check.failed.append(f"article {got.url}: {exc}")
        return
    check.fields = _fields(article)


def check_sources(
    sources: Sequence[SourceConfig], fetch: HttpFetch, clock: Clock
) -> list[SourceCheck]:
    """check_source for each source in turn, a fresh cookie jar for each."""
    out = []
    for source in sources:
        fetch.reset()
        out.append(check_source(source, fetch, clock))
    return out


def check_source(source: SourceConfig, fetch: Fetch, clock: Clock) -> SourceCheck:
    """Fetch the first listing page and one article of `source`; store nothing."""
    check = SourceCheck(source.id, source.name)
    now = clock()
    if source.render:
        check.matched.append("render: true: checked without the browser (links may be missing)")
    bootstrap = source.request.cookie_bootstrap
    if bootstrap and _get(check, fetch, "bootstrap", fetchplan.page_request(source, bootstrap)):
        check.matched.append("cookie_bootstrap answered")
    url = _listing_url(source, check, fetch)
    if url is None:
        return check
    links = _read_listing(source, check, fetch, url, now)
    check.links = len(links)
    if links:
        _read_article(source, check, fetch, links[0], now)
    return check


def render(checks: Sequence[SourceCheck]) -> str:
    """Plain-text report: per source the fetches, links, fields, what matched and failed."""
    lines: list[str] = []
    for c in checks:
        lines.append(f"{c.source_id}  {c.name}  {'OK' if c.ok else 'PROBLEM'}")
        for step, url, status in c.fetched:
            lines.append(f"  {step:<9} {status if status is not None else '-':<4} {url}")
        lines.append(f"  links found: {c.links}")
        if c.fields:
            lines.append("  fields: " + ", ".join(f"{k}={v}" for k, v in c.fields.items()))
        lines += [f"  ✓ {m}" for m in c.matched]
        lines += [f"  ✗ {f}" for f in c.failed]
    return "\n".join(lines)


class HttpFetch:
    """The real Fetch: httpx with the identifying UA, redirects followed, cookies kept for the
    whole check, robots.txt obeyed (RFC 9309: an unreachable robots.txt means no fetch)."""

    def __init__(self, user_agent: str, robots_agent: str, timeout: float = 20.0) -> None:
        import httpx

        self.client = httpx.Client(
            follow_redirects=True, timeout=timeout, headers={"User-Agent": user_agent}
        )
        self.robots_agent = robots_agent
        self._robots: dict[str, object] = {}

    def close(self) -> None:
        self.client.close()

    def reset(self) -> None:
        """Forget cookies: each source is checked as a fresh visitor."""
        self.client.cookies.clear()

    def _allowed(self, url: str) -> str | None:
        """None if robots.txt allows the URL, else the reason it may not be fetched."""
        from protego import Protego

        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            try:
                resp = self.client.get(f"{host}/robots.txt")
                if resp.status_code >= 500:
                    self._robots[host] = f"robots.txt answered {resp.status_code}"
                else:
                    text = resp.text if resp.status_code < 300 else ""
                    self._robots[host] = Protego.parse(text)
            except Exception as exc:  # network errors: RFC 9309 §2.3.1.4 → assume disallow
                self._robots[host] = f"robots.txt unreachable ({type(exc).__name__})"
        rules = self._robots[host]
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(url, self.robots_agent):  # type: ignore[attr-defined]
            return f"robots.txt disallows {self.robots_agent}"
        return None

    def __call__(self, spec: RequestSpec) -> Fetched:
        import httpx

        refused = self._allowed(spec.url)
        if refused:
            return Fetched(spec.url, None, error=refused)
        try:
            resp = self.client.request(
                spec.method, spec.url, headers=spec.headers, content=spec.body
            )
        except httpx.HTTPError as exc:
            return Fetched(spec.url, None, error=f"{type(exc).__name__}: {exc}")
        cookies = {c.name: c.value or "" for c in resp.cookies.jar}
        return Fetched(
            str(resp.url), resp.status_code, resp.content, resp.headers.get("content-type"),
            cookies,
        )  # fmt: skip
