"""From fetched bytes to an Article (pure: no I/O, no Scrapy). Used by the spider and by the
golden-file tests alike."""

from __future__ import annotations

import hashlib
from datetime import datetime

from crawlers.dedupe import simhash64
from crawlers.encoding import decode
from crawlers.errors import PageError
from crawlers.listings import Link
from crawlers.parsers import Page, Selectors, get_parser
from crawlers.registry import GenericListing, SourceConfig
from crawlers.types import Article, PolicyFields
from crawlers.urls import article_id, canonicalize

MIN_TEXT_CHARS = 20  # shorter "articles" are navigation stubs or truncated pages
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml")
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def content_hash(text: str) -> str:
    """sha256 hex of the normalised body text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_html(body: bytes, content_type: str | None) -> None:
    """Raise PageError('empty_body' | 'not_html') for bodies that are not an HTML page."""
    if not body.strip():
        raise PageError("empty_body", "empty response body")
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if body.lstrip()[:8].startswith(_BINARY_MAGIC):
        raise PageError("not_html", f"binary body ({ctype or 'no content-type'})")
    if ctype and not ctype.startswith(_HTML_TYPES):
        raise PageError("not_html", f"content-type {ctype}")


def selectors_for(source: SourceConfig) -> Selectors:
    listing = source.listing
    if isinstance(listing, GenericListing):
        return Selectors(listing.title_selector, listing.date_selector, listing.body_selector)
    return Selectors()


def parse_page(
    source: SourceConfig,
    url: str,
    body: bytes,
    content_type: str | None = None,
    *,
    hint: Link | None = None,
    fetched_at: datetime,
    ref: datetime | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Article:
    """Decode, parse with the source's parser, and build the Article. Raises PageError with
    kind empty_body | not_html | encoding | parse_error | no_content."""
    check_html(body, content_type)
    html, codec = decode(body, content_type, source.encoding)
    page = Page(
        url=url,
        html=html,
        lang=source.lang,
        kind=source.kind,
        hint_title=hint.title if hint else None,
        hint_date=hint.published_at if hint else None,
        ref=ref or fetched_at,
        selectors=selectors_for(source),
    )
    try:
        parsed = get_parser(source.parser).parse(page)
    except Exception as exc:  # a parser bug must not stop the crawl: report and skip
        raise PageError("parse_error", f"{type(exc).__name__}: {exc}") from exc
    if len(parsed.text) < MIN_TEXT_CHARS:
        raise PageError("no_content", f"{len(parsed.text)} characters of text")
    if not parsed.title:
        raise PageError("no_content", "no title")
    policy = parsed.policy
    if policy is not None and policy == PolicyFields():
        policy = None  # a policy-kind page that carries none of the fields (a news item)
    canonical = canonicalize(url)
    meta = {"encoding": codec, **parsed.meta}
    return Article(
        id=article_id(canonical),
        url=url,
        canonical_url=canonical,
        source_id=source.id,
        title=parsed.title,
        text=parsed.text,
        lang=source.lang,
        published_at=parsed.published_at,
        fetched_at=fetched_at,
        content_hash=content_hash(parsed.text),
        simhash=simhash64(parsed.text),
        etag=etag,
        last_modified=last_modified,
        policy=policy,
        raw_meta=meta,
    )
