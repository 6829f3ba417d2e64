"""What the golden test and the generator both run: listing parse (with the spider's filters)."""

from __future__ import annotations

from datetime import datetime

from crawlers import listings
from crawlers.encoding import decode
from crawlers.listings import Link
from crawlers.registry import (
    FeedListing,
    GenericListing,
    JsonListing,
    ListListing,
    SitemapListing,
    SourceConfig,
)

# Golden files are parsed as if fetched at this moment (stored in expected.json), so relative
# times on recorded pages ('14:20', '3小时前') resolve the same on any day.
REFERENCE_TIME = "2025-07-02T10:00:00+08:00"


def parse_listing(source: SourceConfig, url: str, body: bytes, ref: datetime) -> list[Link]:
    listing, lang = source.listing, source.lang
    if isinstance(listing, FeedListing):
        links = listings.feed_links(body, url, lang, ref)
    elif isinstance(listing, SitemapListing):
        links, _ = listings.sitemap_links(body, url, lang, ref)
    elif isinstance(listing, JsonListing):
        links = listings.json_links(
            body,
            url,
            lang,
            items_path=listing.items_path,
            url_path=listing.url_path,
            title_path=listing.title_path,
            date_path=listing.date_path,
            url_template=listing.url_template,
            ref=ref,
        )
    else:
        assert isinstance(listing, ListListing | GenericListing)
        html, _ = decode(body, None, source.encoding)
        links = listings.html_links(html, url, listing.link_selector, lang, ref)
    return listings.filter_links(links, getattr(listing, "url_pattern", None), listing.max_articles)
