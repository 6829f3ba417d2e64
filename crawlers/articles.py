"""From fetched bytes to an Article (pure: no I/O, no Scrapy). Used by the spider and by the
golden-file tests alike."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from crawlers.dedupe import simhash64
from crawlers.encoding import decode
from crawlers.errors import PageError
from crawlers.html5 import repair, visible_text_length
from crawlers.listings import Link
from crawlers.parsers import Page, ParsedPage, Selectors, get_parser
from crawlers.parsers.base import BaseParser, normalise_text
from crawlers.registry import GenericListing, SourceConfig
from crawlers.types import Article, PolicyFields
from crawlers.urls import article_id, canonicalize

MIN_TEXT_CHARS = 20  # shorter "articles" are navigation stubs or truncated pages
# text this short *and* under this share of the page's visible text is a parse that missed the
# body (gov.cn's stray </html>: title + breadcrumb), not an article
SHORT_TEXT_CHARS = 200
SHORT_TEXT_SHARE = 0.04
_SELECTOR_FIELDS = ("TITLE", "DATE", "BODY", "TABLE")
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


def parser_version(source: SourceConfig, when: datetime | None) -> type[BaseParser]:
    """The layout class the source's parser uses for a page of date `when`."""
    return get_parser(source.parser).version_for(when.date() if when else None)


def selector_hits(source: SourceConfig, page: Page, when: datetime | None) -> dict[str, int]:
    """How many nodes each of the layout's selectors (TITLE/DATE/BODY/TABLE, or the generic
    entry's title/date/body selectors) matches on the page: {"BODY '#Zoom'": 1, …}."""
    out: dict[str, int] = {}
    version = parser_version(source, when)
    queries = [(f, getattr(version, f, None)) for f in _SELECTOR_FIELDS]
    generic = page.selectors
    queries += [("title_selector", generic.title), ("date_selector", generic.date)]
    queries += [("body_selector", generic.body)]
    for field, query in queries:
        if isinstance(query, str) and query:
            nodes = page.sel.xpath(query) if query.startswith(("/", "(")) else page.sel.css(query)
            out[f"{field} {query!r}"] = len(nodes)
    return out


def check_body(source: SourceConfig, page: Page, parsed: ParsedPage) -> None:
    """Raise PageError no_body / short_text when the parse missed the page's body."""
    when = page.hint_date or parsed.published_at
    for name, count in selector_hits(source, page, when).items():
        if name.startswith(("BODY ", "body_selector ")) and count == 0:
            raise PageError("no_body", f"body container {name.split(' ', 1)[1]} not found")
    if len(parsed.text) < SHORT_TEXT_CHARS:
        total = visible_text_length(page.html)
        if len(parsed.text) < total * SHORT_TEXT_SHARE:
            raise PageError(
                "short_text", f"{len(parsed.text)} characters of text on a page of {total}"
            )


def read_page(
    source: SourceConfig,
    url: str,
    body: bytes,
    content_type: str | None,
    hint: Link | None,
    ref: datetime | None = None,
) -> tuple[Page, str]:
    """The decoded (and, where needed, HTML5-repaired) page and the codec used."""
    check_html(body, content_type)
    html, codec = decode(body, content_type, source.encoding)
    page = Page(
        url=url,
        html=repair(html),
        lang=source.lang,
        kind=source.kind,
        hint_title=hint.title if hint else None,
        hint_date=hint.published_at if hint else None,
        ref=ref,
        selectors=selectors_for(source),
    )
    return page, codec


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
    kind empty_body | not_html | encoding | parse_error | no_content | no_body | short_text."""
    page, codec = read_page(source, url, body, content_type, hint, ref or fetched_at)
    try:
        parsed = get_parser(source.parser).parse(page)
    except Exception as exc:  # a parser bug must not stop the crawl: report and skip
        raise PageError("parse_error", f"{type(exc).__name__}: {exc}") from exc
    if len(parsed.text) < MIN_TEXT_CHARS:
        raise PageError("no_content", f"{len(parsed.text)} characters of text")
    if not parsed.title:
        raise PageError("no_content", "no title")
    check_body(source, page, parsed)
    policy = parsed.policy
    if policy is not None and policy == PolicyFields():
        policy = None  # a policy-kind page that carries none of the fields (a news item)
    meta = {"encoding": codec, **parsed.meta}
    return _article(
        source, url, parsed.title, parsed.text, parsed.published_at, fetched_at, meta, policy,
        etag=etag, last_modified=last_modified,
    )  # fmt: skip


def _article(
    source: SourceConfig,
    url: str,
    title: str,
    text: str,
    published_at: datetime | None,
    fetched_at: datetime,
    meta: dict[str, str],
    policy: PolicyFields | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Article:
    canonical = canonicalize(url)
    return Article(
        id=article_id(canonical),
        url=url,
        canonical_url=canonical,
        source_id=source.id,
        title=title,
        text=text,
        lang=source.lang,
        published_at=published_at,
        fetched_at=fetched_at,
        content_hash=content_hash(text),
        simhash=simhash64(text),
        etag=etag,
        last_modified=last_modified,
        policy=policy,
        raw_meta=meta,
    )


TITLE_FROM_TEXT_CHARS = 60


def from_listing(
    source: SourceConfig,
    link: Link,
    *,
    summary_only: bool = False,
    fetched_at: datetime,
) -> Article:
    """An Article from what the listing says (快讯/telegraph items; `summary_only` when the
    page itself was refused and only the listing's text/summary is known). A telegraph without
    a title gets its first sentence as the title. Raises PageError no_content."""
    text = normalise_text(link.text or link.summary or "")
    if len(text) < MIN_TEXT_CHARS:
        raise PageError("no_content", f"listing item has {len(text)} characters of text")
    title = normalise_text(link.title or "")
    if not title:
        headline = re.match(r"【([^】]{2,80})】", text)  # 快讯 put their headline in 【…】
        first = re.split(r"(?<=[。！？!?])|\n", text, maxsplit=1)[0]
        title = headline.group(1) if headline else first[:TITLE_FROM_TEXT_CHARS]
    meta = {"from_listing": "true"}
    if summary_only:
        meta["summary_only"] = "true"
    return _article(source, link.url, title, text, link.published_at, fetched_at, meta)
