"""What the golden test and the generator both run: the listing parse the spider does (with
its filters), the two_step API URL taken from the first page, and the article per mode
(parsed page, listing item stored as the article, or the listing's text for a refused page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawlers import fetchplan, listings
from crawlers.articles import from_listing, parse_page
from crawlers.listings import Link
from crawlers.registry import ListListing, SourceConfig, TwoStepListing
from crawlers.types import Article


@dataclass(frozen=True)
class ListingResult:
    links: list[Link]
    more: list[str]  # further listing URLs (TRS next page …)


def two_step_endpoint(source: SourceConfig, page_url: str, page_html: str) -> str:
    """The API URL a two_step listing calls after its first page (page 1, no cookies), as
    the spider builds and signs it."""
    listing = source.listing
    assert isinstance(listing, TwoStepListing)
    values = listings.take_values(listing.take, page_html, {})
    url, page = fetchplan.endpoint_urls(listing, values, page_url)[0]
    return fetchplan.listing_request(source, url, page).url


def first_request_url(source: SourceConfig) -> str:
    """The first listing URL the spider requests (pages filled in, signed where the source
    has a signer; two_step: its first page)."""
    url, page = fetchplan.first_listing_urls(source)[0]
    if isinstance(source.listing, TwoStepListing):
        return url
    return fetchplan.listing_request(source, url, page).url


def parse_listing(source: SourceConfig, url: str, body: bytes, ref: datetime) -> ListingResult:
    """Links of one listing response, filtered as the spider filters them; relative times on
    the listing resolve against `ref` (the recorded fetch time)."""
    result = listings.read_listing(source, url, body, None, page=1, root=url, ref=ref)
    listing = source.listing
    links = listings.filter_links(
        result.links, getattr(listing, "url_pattern", None), listing.max_articles
    )
    more = result.more if isinstance(listing, ListListing) else []
    return ListingResult(links, more)


def link_json(lk: Link) -> dict[str, str | None]:
    return {
        "url": lk.url,
        "title": lk.title,
        "published_at": lk.published_at.isoformat() if lk.published_at else None,
        "summary": lk.summary,
        "text": getattr(lk, "text", None),
    }


def article_for(
    source: SourceConfig,
    mode: str,
    url: str,
    html: bytes,
    content_type: str,
    link: Link | None,
    reference: datetime,
) -> Article:
    """mode: page (fetch and parse), listing (the listing item is the article), refused (the
    page answered 401/403: the listing's text, summary-only)."""
    if mode == "page":
        return parse_page(source, url, html, content_type, hint=link, fetched_at=reference)
    assert link is not None, f"{source.id}: no listing item for {url}"
    return from_listing(source, link, summary_only=mode == "refused", fetched_at=reference)


def article_json(art: Article) -> dict[str, Any]:
    return {
        "title": art.title,
        "text": art.text,
        "published_at": art.published_at.isoformat() if art.published_at else None,
        "canonical_url": art.canonical_url,
        "id": art.id,
        "content_hash": art.content_hash,
        "simhash": art.simhash,
        "encoding": art.raw_meta.get("encoding"),
        "summary_only": art.raw_meta.get("summary_only") == "true",
        "policy": art.policy.model_dump(mode="json") if art.policy else None,
    }
