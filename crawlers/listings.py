"""Listing parsers: from a feed / list page / sitemap / JSON body to article links (pure)."""

from __future__ import annotations

import calendar
import gzip
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from crawlers.dates import parse_datetime
from crawlers.errors import PageError

if TYPE_CHECKING:
    from crawlers.registry import SourceConfig, Take


@dataclass(frozen=True)
class Link:
    """An article URL and what the listing says about it."""

    url: str
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None
    text: str | None = None  # the item's full text, when the listing carries it


_BREAKS = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|tr)\s*>")


def plain_text(markup: str | None) -> str | None:
    """Text of an HTML fragment (feed summaries and contents), paragraphs kept as lines."""
    if not markup or not markup.strip():
        return None
    if "<" not in markup:
        return markup.strip()
    from crawlers.parsers.base import normalise_text

    markup = _BREAKS.sub("\n", markup)
    sel = Selector(text=f"<div>{markup}</div>")
    joined = "".join(sel.xpath("//text()[not(ancestor::script or ancestor::style)]").getall())
    return normalise_text(joined) or None


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
        contents = entry.get("content") or []
        text = plain_text(contents[0].get("value")) if contents else None
        summary = plain_text(entry.get("summary"))
        out.append(Link(urljoin(base_url, link), entry.get("title"), when, summary, text))
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
    """A JSON date: unix seconds/ms (number or digit string) or a date string. 0, "", "0"
    and negative stamps are unknown (None), never 1970-01-01."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float) or (
        isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value)
    ):
        seconds = float(value)
        if seconds <= 0:
            return None
        if seconds < 1e8 and isinstance(value, str) and len(value.strip()) == 8:
            return parse_datetime(value.strip(), lang, ref)  # 20250701
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        return datetime.fromtimestamp(seconds, tz=UTC)
    return parse_datetime(str(value), lang, ref) if str(value).strip() else None


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class ItemPaths:
    """Where a JSON listing's items and their fields are (registry `_JsonItems` fields)."""

    items_path: str
    url_path: str
    title_path: str | None = None
    date_path: str | None = None
    url_template: str | None = None
    summary_path: str | None = None
    text_path: str | None = None

    @classmethod
    def of(cls, listing: Any) -> ItemPaths:
        return cls(
            items_path=listing.items_path,
            url_path=listing.url_path,
            title_path=listing.title_path,
            date_path=listing.date_path,
            url_template=listing.url_template,
            summary_path=listing.summary_path,
            text_path=listing.text_path,
        )


def load_json(body: bytes) -> Any:
    from crawlers.encoding import decode

    try:
        return json.loads(decode(body)[0])  # GBK JSON exists (old CMS endpoints)
    except ValueError as exc:
        raise PageError("bad_json", str(exc)) from None


def item_links(
    data: Any, base_url: str, lang: str, paths: ItemPaths, ref: datetime | None = None
) -> list[Link]:
    """Links from already-parsed JSON: the list at items_path, one Link per item with a URL."""
    items = dig(data, paths.items_path)
    if not isinstance(items, list):
        raise PageError("bad_json", f"no list at items_path {paths.items_path!r}")
    out = []
    for item in items:
        value = dig(item, paths.url_path)
        if value in (None, ""):
            continue
        url = paths.url_template.format(value=value) if paths.url_template else str(value)
        text = plain_text(_str(dig(item, paths.text_path)))
        out.append(
            Link(
                urljoin(base_url, url),
                _str(dig(item, paths.title_path)),
                _json_date(dig(item, paths.date_path), lang, ref),
                plain_text(_str(dig(item, paths.summary_path))),
                text,
            )
        )
    return out


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
    summary_path: str | None = None,
    text_path: str | None = None,
    ref: datetime | None = None,
) -> list[Link]:
    paths = ItemPaths(
        items_path, url_path, title_path, date_path, url_template, summary_path, text_path
    )
    return item_links(load_json(body), base_url, lang, paths, ref)


def embedded_json(html: str, script_selector: str | None, script_var: str | None) -> Any:
    """The JSON a page embeds: the text of the <script> matched by `script_selector`, or the
    value assigned to `script_var` (``window._ROUTER_DATA = {...};``) in any script."""
    sel = Selector(text=html)
    if script_selector:
        nodes = _select(sel, script_selector)
        if not nodes:
            raise PageError("no_json", f"script_selector {script_selector!r} matched nothing")
        raw = "".join(nodes[0].xpath(".//text()").getall()).strip()
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise PageError("bad_json", f"{script_selector!r}: {exc}") from None
    assert script_var is not None
    name = script_var.removeprefix("window.")
    assign = re.compile(
        r"(?:\bwindow\s*\.\s*|\bwindow\[\s*[\"']|\b(?:var|let|const)\s+|[;{}\s]|^)"
        + re.escape(name).replace(r"\.", r"\s*\.\s*")
        + r"(?:[\"']\s*\])?\s*=(?!=)\s*"
    )
    decoder = json.JSONDecoder()
    for script in sel.xpath("//script/text()").getall():
        for match in assign.finditer(script):
            try:
                value, _ = decoder.raw_decode(script, match.end())
            except ValueError:
                continue
            return value
    raise PageError("no_json", f"no JSON assigned to script_var {script_var!r}")


_CREATE_PAGE = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)")


def trs_page_count(html: str) -> int | None:
    """The page count a TRS pager script states: createPageHTML(count, current, …)."""
    match = _CREATE_PAGE.search(html)
    return int(match.group(1)) if match else None


def trs_next(listing_url: str, template: str, first: int, pages_done: int) -> str:
    """URL of the page after the first `pages_done` pages of a TRS list (first page: the
    listing URL itself; then template with n = first, first+1, …)."""
    return urljoin(listing_url, template.format(n=first + pages_done - 1))


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


def take_values(
    rules: Mapping[str, Take], html: str, cookies: Mapping[str, str]
) -> dict[str, str]:
    """Values a two_step listing takes from its first page (registry `take`); a value not
    found raises PageError('take_failed') naming the rule."""
    sel = Selector(text=html)
    out: dict[str, str] = {}
    for name, rule in rules.items():
        value: str | None = None
        if rule.css is not None:
            value = sel.css(rule.css).get()
        elif rule.xpath is not None:
            value = sel.xpath(rule.xpath).get()
        elif rule.regex is not None:
            match = re.search(rule.regex, html)
            if match:
                value = match.group(1) if match.groups() else match.group(0)
        elif rule.cookie is not None:
            value = cookies.get(rule.cookie)
        if value is None or not value.strip():
            kind, query = next((k, v) for k, v in rule.model_dump().items() if v is not None)
            raise PageError("take_failed", f"take {name!r} ({kind} {query!r}) found nothing")
        out[name] = value.strip()
    return out


def set_cookies(headers: list[bytes]) -> dict[str, str]:
    """name → value of the cookies a response sets (Set-Cookie header values)."""
    out = {}
    for raw in headers:
        first = raw.decode("latin-1").split(";", 1)[0]
        name, sep, value = first.partition("=")
        if sep and name.strip():
            out[name.strip()] = value.strip()
    return out


@dataclass(frozen=True)
class ListingPage:
    """What one listing response gave: article links and further listing URLs to fetch."""

    links: list[Link]
    more: list[str]


def read_listing(
    source: SourceConfig,
    url: str,
    body: bytes,
    content_type: str | None,
    *,
    page: int = 1,
    root: str | None = None,
    ref: datetime | None = None,
) -> ListingPage:
    """Parse one listing response of `source` (pure). `page` is this response's page number
    and `root` the listing URL it paginates from (TRS pagination). Raises PageError."""
    from crawlers.encoding import decode
    from crawlers.html5 import repair
    from crawlers.registry import (
        EmbeddedJsonListing,
        FeedListing,
        GenericListing,
        JsonListing,
        ListListing,
        SitemapListing,
        TwoStepListing,
    )

    listing, lang = source.listing, source.lang
    if isinstance(listing, FeedListing):
        return ListingPage(feed_links(body, url, lang, ref), [])
    if isinstance(listing, SitemapListing):
        links, children = sitemap_links(body, url, lang, ref)
        return ListingPage(links, children)
    if isinstance(listing, JsonListing):
        return ListingPage(item_links(load_json(body), url, lang, ItemPaths.of(listing), ref), [])
    if isinstance(listing, TwoStepListing) and listing.format == "json":
        data = load_json(body)
        if listing.html_path is None:
            return ListingPage(item_links(data, url, lang, ItemPaths.of(listing), ref), [])
        fragment = dig(data, listing.html_path)
        if not isinstance(fragment, str):
            raise PageError("bad_json", f"no HTML string at html_path {listing.html_path!r}")
        assert listing.link_selector is not None
        return ListingPage(html_links(fragment, url, listing.link_selector, lang, ref), [])
    html = repair(decode(body, content_type, source.encoding)[0])
    if isinstance(listing, EmbeddedJsonListing):
        data = embedded_json(html, listing.script_selector, listing.script_var)
        return ListingPage(item_links(data, url, lang, ItemPaths.of(listing), ref), [])
    if isinstance(listing, TwoStepListing):
        assert listing.link_selector is not None
        return ListingPage(html_links(html, url, listing.link_selector, lang, ref), [])
    assert isinstance(listing, ListListing | GenericListing)
    links = html_links(html, url, listing.link_selector, lang, ref)
    pager = listing.pagination if isinstance(listing, ListListing) else None
    if pager is not None and pager.style == "trs":
        assert pager.template is not None
        count = trs_page_count(html)
        if page < listing.max_pages and (count is None or page < count):
            return ListingPage(links, [trs_next(root or url, pager.template, pager.first, page)])
        return ListingPage(links, [])
    selector = listing.next_link if isinstance(listing, ListListing) else listing.next_selector
    nxt = next_page(html, url, selector)
    return ListingPage(links, [nxt] if nxt else [])


def what_matched_nothing(source: SourceConfig) -> str:
    """The selector or path to blame when a listing yields no links."""
    from crawlers.registry import FeedListing, SitemapListing, TwoStepListing

    listing = source.listing
    if isinstance(listing, FeedListing):
        return "the feed has no entries with a link"
    if isinstance(listing, SitemapListing):
        pattern = f" matching url_pattern {listing.url_pattern!r}" if listing.url_pattern else ""
        return f"the sitemap has no <url> entries{pattern}"
    selector = getattr(listing, "link_selector", None)
    if selector and (
        not isinstance(listing, TwoStepListing) or listing.format == "html" or listing.html_path
    ):
        return f"link_selector {selector!r} matched nothing"
    return (
        f"items_path {getattr(listing, 'items_path', None)!r} / "
        f"url_path {getattr(listing, 'url_path', None)!r} gave no item with a URL"
    )
