"""Listing parsers: from a feed / list page / sitemap / JSON body to article links (pure)."""

from __future__ import annotations

import calendar
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from crawlers.dates import parse_datetime
from crawlers.errors import PageError


@dataclass(frozen=True)
class Link:
    """An article URL and what the listing says about it."""

    url: str
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None


def feed_links(
    body: bytes, base_url: str, lang: str, ref: datetime | None = None
) -> list[Link]:
    import feedparser

    parsed = feedparser.parse(body)
    if not parsed.entries and parsed.bozo:
        raise PageError("bad_feed", f"not a feed: {parsed.bozo_exception}")
    out = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if not link:
            continue
        raw = entry.get("published") or entry.get("updated")
        when = parse_datetime(raw, lang, ref)
        struct = entry.get("published_parsed") or entry.get("updated_parsed")
        if when is None and struct:
            when = datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
        out.append(Link(urljoin(base_url, link), entry.get("title"), when, entry.get("summary")))
    return out


def _select(sel: Selector, query: str) -> list[Selector]:
    return list(sel.xpath(query) if query.startswith(("/", "(")) else sel.css(query))


def _href(node: Selector) -> str | None:
    if isinstance(node.root, str):
        return node.root
    return node.attrib.get("href") or node.css("a::attr(href)").get()


def html_links(
    html: str, base_url: str, link_selector: str, lang: str, ref: datetime | None = None
) -> list[Link]:
    """Links selected by `link_selector` (elements that are, or contain, an <a>). A date next
    to the link (a sibling/parent <span>/<em> such as 2025-07-01, or a clock time like 14:20
    resolved against `ref`) is kept as a hint."""
    sel = Selector(text=html, base_url=base_url)
    out = []
    for node in _select(sel, link_selector):
        href = _href(node)
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        title = " ".join(t.strip() for t in node.xpath(".//text()").getall() if t.strip()) or None
        title = title or node.attrib.get("title")
        around = " ".join(
            node.xpath("../text()|../*[not(self::a)]//text()|../../*[not(a)]//text()").getall()
        )
        out.append(Link(urljoin(base_url, href.strip()), title, parse_datetime(around, lang, ref)))
    return out


def next_page(html: str, base_url: str, next_selector: str | None) -> str | None:
    if not next_selector:
        return None
    for node in _select(Selector(text=html, base_url=base_url), next_selector):
        href = _href(node)
        if href and not href.startswith(("javascript:", "#")):
            return urljoin(base_url, href.strip())
    return None


_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def sitemap_links(
    body: bytes, base_url: str, lang: str, ref: datetime | None = None
) -> tuple[list[Link], list[str]]:
    """(article links, child sitemaps) of a sitemap, sitemap index or Google news sitemap."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(body, parser=parser)
    if root is None:
        raise PageError("bad_sitemap", "empty or unparsable sitemap")
    local = etree.QName(root).localname
    if local == "sitemapindex":
        return [], [
            urljoin(base_url, loc.strip()) for loc in root.xpath("//*[local-name()='loc']/text()")
        ]
    links = []
    for url in root.xpath("//*[local-name()='url']"):
        loc = url.xpath("string(*[local-name()='loc'])").strip()
        if not loc:
            continue
        title = (
            url.xpath("string(.//*[local-name()='news']/*[local-name()='title'])").strip() or None
        )
        raw = (
            url.xpath("string(.//*[local-name()='publication_date'])").strip()
            or url.xpath("string(*[local-name()='lastmod'])").strip()
        )
        links.append(Link(urljoin(base_url, loc), title, parse_datetime(raw, lang, ref)))
    return links, []


def dig(obj: Any, path: str | None) -> Any:
    """Value at a dotted path ('data.items', 'a.0.b'); "" is the document itself; None → None."""
    if path is None:
        return None
    if path == "":
        return obj
    for part in path.split("."):
        if isinstance(obj, list) and part.isdigit():
            obj = obj[int(part)] if int(part) < len(obj) else None
        elif isinstance(obj, dict):
            obj = obj.get(part)
        else:
            return None
    return obj


def _json_date(value: Any, lang: str, ref: datetime | None = None) -> datetime | None:
    if isinstance(value, int | float) or (
        isinstance(value, str) and re.fullmatch(r"\d{10,13}", value)
    ):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        return datetime.fromtimestamp(seconds, tz=UTC)
    return parse_datetime(str(value), lang, ref) if value else None


def json_links(
    body: bytes,
    base_url: str,
    lang: str,
    *,
    items_path: str,
    url_path: str,
    title_path: str | None = None,
    date_path: str | None = None,
    url_template: str | None = None,
    ref: datetime | None = None,
) -> list[Link]:
    from crawlers.encoding import decode

    try:
        data = json.loads(decode(body)[0])  # GBK JSON exists (old CMS endpoints)
    except ValueError as exc:
        raise PageError("bad_json", str(exc)) from None
    items = dig(data, items_path)
    if not isinstance(items, list):
        raise PageError("bad_json", f"no list at {items_path!r}")
    out = []
    for item in items:
        value = dig(item, url_path)
        if value in (None, ""):
            continue
        url = url_template.format(value=value) if url_template else str(value)
        title = dig(item, title_path)
        out.append(
            Link(
                urljoin(base_url, url),
                str(title) if title else None,
                _json_date(dig(item, date_path), lang, ref),
            )
        )
    return out


def iter_pages(endpoint: str, max_pages: int) -> Iterator[str]:
    if "{page}" not in endpoint:
        yield endpoint
        return
    for page in range(1, max_pages + 1):
        yield endpoint.replace("{page}", str(page))


def filter_links(links: list[Link], url_pattern: str | None, limit: int) -> list[Link]:
    """Links the spider follows: http(s) only, matching url_pattern, first copy of each
    canonical URL, at most `limit`."""
    from crawlers.urls import canonicalize

    pattern = re.compile(url_pattern) if url_pattern else None
    seen: set[str] = set()
    out = []
    for link in links:
        canonical = canonicalize(link.url)
        if not link.url.startswith(("http://", "https://")) or canonical in seen:
            continue
        if pattern is not None and not pattern.search(link.url):
            continue
        seen.add(canonical)
        out.append(link)
        if len(out) >= limit:
            break
    return out
