"""How a source's requests are made (pure): the registry's request options turned into
method, URL, headers and body. Used by the spider and by `tokenwatch sources check` alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawlers.registry import (
    EmbeddedJsonListing,
    FeedListing,
    GenericListing,
    JsonListing,
    ListListing,
    SitemapListing,
    SourceConfig,
    TwoStepListing,
)
from crawlers.signers import get_signer


@dataclass(frozen=True)
class RequestSpec:
    url: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def base_headers(source: SourceConfig) -> dict[str, str]:
    """Headers every request of the source carries (registry headers, UA override)."""
    headers = dict(source.request.headers)
    if source.user_agent:
        headers["User-Agent"] = source.user_agent
    return headers


def page_request(source: SourceConfig, url: str) -> RequestSpec:
    """A GET of an HTML page of the source (articles, the two_step page, the bootstrap)."""
    return RequestSpec(url, "GET", base_headers(source))


def fill_page(value: Any, page: int) -> Any:
    """{page} substituted in a JSON body: the string "{page}" becomes the number."""
    if value == "{page}":
        return page
    if isinstance(value, str):
        return value.replace("{page}", str(page))
    if isinstance(value, list):
        return [fill_page(v, page) for v in value]
    if isinstance(value, dict):
        return {k: fill_page(v, page) for k, v in value.items()}
    return value


def listing_request(source: SourceConfig, url: str, page: int = 1) -> RequestSpec:
    """A listing request with the source's method, body and signer ({page} filled in)."""
    if isinstance(source.listing, FeedListing | SitemapListing):
        return page_request(source, url)
    opts = source.request
    headers = base_headers(source)
    body: bytes | None = None
    if opts.json_body is not None:
        body = json.dumps(fill_page(opts.json_body, page), ensure_ascii=False).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    elif opts.body is not None:
        body = opts.body.replace("{page}", str(page)).encode("utf-8")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    if opts.signer:
        url = get_signer(opts.signer)(url, body)
    return RequestSpec(url, opts.method, headers, body)


def page_urls(template: str, max_pages: int) -> list[tuple[str, int]]:
    """(url, page number) for a URL that may contain {page}."""
    if "{page}" not in template:
        return [(template, 1)]
    return [(template.replace("{page}", str(n)), n) for n in range(1, max_pages + 1)]


def first_listing_urls(source: SourceConfig) -> list[tuple[str, int]]:
    """The listing URLs a crawl starts from, with their page numbers (two_step: its page)."""
    listing = source.listing
    if isinstance(listing, FeedListing):
        return [(u, 1) for u in listing.feed_urls]
    if isinstance(listing, ListListing):
        return [(u, 1) for u in listing.urls]
    if isinstance(listing, GenericListing):
        return [(listing.list_url, 1)]
    if isinstance(listing, SitemapListing):
        return [(u, 1) for u in listing.sitemap_urls]
    if isinstance(listing, JsonListing):
        return page_urls(listing.endpoint, listing.max_pages)
    if isinstance(listing, EmbeddedJsonListing):
        return [p for u in listing.urls for p in page_urls(u, listing.max_pages)]
    assert isinstance(listing, TwoStepListing)
    return [(listing.page_url, 1)]


def endpoint_urls(listing: TwoStepListing, values: dict[str, str], page_url: str) -> list[
    tuple[str, int]
]:
    """The API URLs of a two_step listing, from the values taken from its first page."""
    parts = urlsplit(page_url)
    known = {**values, "base_of_page": f"{parts.scheme}://{parts.netloc}"}
    pages = range(1, listing.max_pages + 1) if "{page}" in listing.endpoint else range(1, 2)
    return [(listing.endpoint.format_map({**known, "page": n}), n) for n in pages]


def needs_cookies(source: SourceConfig) -> bool:
    """Cookies are kept only for sources that need them (bootstrap or two_step)."""
    listing = source.listing
    return bool(source.request.cookie_bootstrap) or (
        isinstance(listing, TwoStepListing) and listing.keep_cookies
    )
