"""Parser base: one small method per field, trafilatura/htmldate as the defaults.

A site parser subclasses BaseParser and overrides only the fields its layout gives reliably.
When a layout changes, add a new version class (V1_1) and set VALID_UNTIL on the old one;
never edit an old version in place (old recorded pages keep parsing)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, ClassVar

from parsel import Selector

from crawlers.dates import parse_datetime
from crawlers.types import Lang, PolicyFields

_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "publishdate",
    "pubdate",
    "firstpublishedtime",
    "publish_date",
    "datePublished",
    "dc.date",
    "dc.date.issued",
    "og:release_date",
    "weibo: article:create_at",
    "lastmodifiedtime",
)
_UP, _LOW = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
_WS = re.compile(r"[ \t\u00a0\u3000\r\f\v]+")


def normalise_text(text: str) -> str:
    """NFC, collapsed in-line whitespace (incl. ideographic space), no blank lines."""
    text = unicodedata.normalize("NFC", text)
    lines = (_WS.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Selectors:
    """CSS/XPath selectors from a registry entry (generic kind); XPath if it starts with '/'."""

    title: str | None = None
    date: str | None = None
    body: str | None = None


@dataclass
class Page:
    """One fetched, decoded page and what the listing already said about it."""

    url: str
    html: str
    lang: Lang
    kind: str = "industry"
    hint_title: str | None = None
    hint_date: datetime | None = None
    ref: datetime | None = None  # resolves relative times (the fetch time)
    selectors: Selectors = field(default_factory=Selectors)

    @cached_property
    def sel(self) -> Selector:
        return Selector(text=self.html, base_url=self.url)

    def pick(self, query: str | None) -> list[str]:
        """Text of the nodes matched by a CSS or XPath query (XPath if it starts with / or ()."""
        if not query:
            return []
        nodes = self.sel.xpath(query) if query.startswith(("/", "(")) else self.sel.css(query)
        out = []
        for node in nodes:
            value = (
                node.get()
                if isinstance(node.root, str)
                else " ".join(node.xpath(".//text()").getall())
            )
            if value and value.strip():
                out.append(value.strip())
        return out

    def meta(self, *names: str) -> str | None:
        for name in names:
            for attr in ("property", "name", "itemprop"):
                query = f"//meta[translate(@{attr}, $up, $low)=$n]/@content"
                value = self.sel.xpath(query, n=name.lower(), up=_UP, low=_LOW).get()
                if value and value.strip():
                    return value.strip()
        return None

    def block_text(self, query: str | None) -> str:
        """Paragraph-preserving text of the first node matched by a query."""
        if not query:
            return ""
        nodes = self.sel.xpath(query) if query.startswith(("/", "(")) else self.sel.css(query)
        if not nodes:
            return ""
        node = nodes[0]
        parts = node.xpath(".//p|.//h2|.//h3|.//li|.//td")
        if parts:
            texts = [
                "".join(p.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall())
                for p in parts
            ]
        else:
            texts = node.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()
        return normalise_text("\n".join(texts))

    @cached_property
    def extracted(self) -> Any:
        from crawlers.textextract import extract

        return extract(self.html, self.url, self.ref)


@dataclass(frozen=True)
class ParsedPage:
    title: str
    text: str
    published_at: datetime | None
    policy: PolicyFields | None
    meta: dict[str, str]


class BaseParser:
    """Defaults that work on most news pages; subclasses override single fields."""

    VALID_UNTIL: ClassVar[date | None] = None  # last publication date this layout applies to

    def __init__(self, page: Page) -> None:
        self.page = page

    def title(self) -> str | None:
        page = self.page
        for value in page.pick(page.selectors.title):
            return normalise_text(value)
        return (
            page.meta("og:title", "ArticleTitle", "twitter:title")
            or page.hint_title
            or page.extracted.title
            or (page.sel.css("title::text").get() or "").strip()
            or None
        )

    def text(self) -> str:
        body = self.page.block_text(self.page.selectors.body)
        return body or normalise_text(self.page.extracted.text or "")

    def published_at(self) -> datetime | None:
        page = self.page
        for value in page.pick(page.selectors.date):
            dt = parse_datetime(value, page.lang, page.ref)
            if dt:
                return dt
        return (
            parse_datetime(page.meta(*_DATE_META), page.lang, page.ref)
            or page.hint_date
            or parse_datetime(page.extracted.date, page.lang, page.ref)
        )

    def policy(self) -> PolicyFields | None:
        if self.page.kind != "policy":
            return None
        from crawlers.policy import from_table, label_pairs

        cells = self.page.sel.xpath(
            "//body//text()[not(ancestor::script or ancestor::style)]"
        ).getall()
        hrefs = self.page.sel.css("a::attr(href)").getall()
        return from_table(label_pairs(cells), self.text(), self.page.url, hrefs)

    def meta(self) -> dict[str, str]:
        return {}

    def parse(self) -> ParsedPage:
        title = normalise_text(self.title() or "")
        text = self.text()
        first, _, rest = text.partition("\n")
        if title and first.strip() == title:
            text = rest  # the headline repeated as the body's first line
        return ParsedPage(
            title=title,
            text=text,
            published_at=self.published_at(),
            policy=self.policy(),
            meta=self.meta(),
        )
