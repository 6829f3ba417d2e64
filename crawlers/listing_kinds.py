"""Listing kinds and request options: how a source's article links are found and fetched,
declared as a tagged union (`Listing`, chosen by `type`) checked when the registry loads.

Listing kinds: feed (RSS/Atom), list (HTML list pages + pagination), sitemap (incl. news
sitemaps), json (JSON list endpoint), embedded_json (JSON inside an HTML page), two_step (a
page, then the API call it names), generic (list page + article selectors, YAML only).
Strings may contain ``{base}``, replaced by `base_url` (fixture registries on loopback).

Request options (source level; issue 11)::

    request:
      method: GET                 # GET | POST: the listing requests (json endpoint, the
                                  # two_step API call, list/embedded_json urls)
      headers: {Referer: "https://www.cls.cn/telegraph", X-Requested-With: XMLHttpRequest}
      body: "a=1&b=2"             # raw POST body (form-encoded unless headers say otherwise)
      json_body: {page: "{page}"} # or a JSON POST body; a string "{page}" becomes the page
                                  # number (an int), "{page}" inside longer strings is replaced
      cookie_bootstrap: "https://…/index.html"  # GET once before the listings; its cookies
                                  # are kept for every later request of the source
      signer: cls                 # a signer registered in crawlers/signers.py (see there);
                                  # signs listing requests only
    user_agent: "…"               # overrides the configured identifying UA for this source
    render: false                 # true: HTML pages (list/embedded_json urls, two_step page,
                                  # articles) are fetched through scrapy-playwright with the
                                  # system Chromium; opt-in, for sites with no data endpoint

`headers`, the bootstrap cookies and `user_agent` apply to every request of the source
(listings, pages of two_step, articles); method/body/json_body/signer only to the listing
requests. body/json_body need method POST; body and json_body exclude each other.

JSON item paths (json, embedded_json, two_step with format json) use `dig` (dotted, digits
index lists): items_path (the list), url_path (URL, or a value for url_template's
``{value}``), title_path, date_path (ISO/Chinese string or unix s/ms; 0, "" and "0" mean
unknown), summary_path, text_path (the item's full text, when the listing carries it).

`listing_text` (feed, json, embedded_json, two_step): what the listing's own text is for.
``never`` (default): article pages are fetched and parsed. ``store``: the listing item IS
the article (快讯/telegraph), stored without fetching its page; needs text_path or
summary_path (feeds: the entry's content, else its summary). ``fallback``: fetch the page; when
it answers 401/403 (or robots.txt refuses it), store the listing's text/summary instead and
mark the article ``raw_meta.summary_only = "true"``.

embedded_json::

    listing:
      type: embedded_json
      urls: ["https://www.volcengine.com/docs/…"]   # may contain {page} (1..max_pages)
      script_selector: "script#__NEXT_DATA__"  # CSS of a <script> whose text is JSON, or
      script_var: "window._ROUTER_DATA"        # a `window.X = {…};` assignment in any script
      items_path: "loaderData.page.list"       # plus url_path, title_path, … as above

Exactly one of script_selector / script_var.

two_step::

    listing:
      type: two_step
      page_url: "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/index.html"
      take:                       # values taken from the first page, by name; each one of
        url: {css: "script[parseType=buildstatic]::attr(url)"}   # css | xpath | regex |
        params: {regex: 'queryData="([^"]+)"'}                   # cookie (a cookie's value)
      endpoint: "{base_of_page}{url}?{params}&pageNo={page}"
      keep_cookies: true          # send the first response's cookies with the API call
      format: json                # json | html
      items_path: …               # format json: item paths as above, or html_path (a
      html_path: "data.html"      # string holding an HTML fragment) + link_selector
      link_selector: "li a"       # format html, or with html_path

`endpoint` may use ``{page}``, ``{base_of_page}`` (scheme://host of the first page's final
URL) and the names under `take`, nothing else (checked at load). A regex take yields group 1
(or the whole match); a value not found on the page is a reported listing failure.
Taken values are inserted as they are (no re-encoding).

list pagination::

    pagination: {style: trs, template: "index_{n}.htm", first: 1}
    pagination: {style: next, next_selector: "a.next"}

``trs``: TRS-built sites write their pager with ``createPageHTML(count, current, …)``; the
listing URL is the first page and the next ones are `template` with n = first, first+1, …,
resolved against the listing URL (gov sites: index.htm, then index_1.htm …; CAC: urls
A0937index_1.htm, template "A0937index_{n}.htm", first 2), at most max_pages pages and never
beyond the count the page's createPageHTML call states. ``next`` is the same as the older
`next_selector` on the listing (which stays valid; not both).
"""

from __future__ import annotations

import re
import string
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Spec(BaseModel):
    """A registry entry part: unknown keys are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Paged(Spec):
    max_pages: int = Field(default=3, ge=1, le=500)
    max_articles: int = Field(default=200, ge=1)
    url_pattern: str | None = None  # regex an article URL must match (search)

    @field_validator("url_pattern")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:  # not a ValueError: pydantic would let it escape raw
                raise ValueError(f"invalid regex {v!r}: {exc}") from None
        return v


ListingText = Literal["never", "store", "fallback"]
_JS_NAME = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
_ENDPOINT_BUILTINS = frozenset({"page", "base_of_page"})


def _http(v: str, what: str) -> str:
    if not v.startswith(("http://", "https://")):
        raise ValueError(f"{what} must be an http(s) URL")
    return v


def _placeholders(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ValueError(f"bad template {template!r}: {exc}") from None


class RequestOptions(Spec):
    """How this source's requests are made (see the module docstring)."""

    method: Literal["GET", "POST"] = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    body: str | None = None
    json_body: dict[str, Any] | list[Any] | None = None
    cookie_bootstrap: str | None = None
    signer: str | None = None

    @field_validator("headers")
    @classmethod
    def _headers(cls, v: dict[str, str]) -> dict[str, str]:
        for name in v:
            if not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", name):
                raise ValueError(f"bad header name {name!r}")
        return v

    @field_validator("cookie_bootstrap")
    @classmethod
    def _bootstrap(cls, v: str | None) -> str | None:
        return None if v is None else _http(v, "cookie_bootstrap")

    @field_validator("signer")
    @classmethod
    def _signer(cls, v: str | None) -> str | None:
        from crawlers.signers import names

        if v is not None and v not in names():
            raise ValueError(f"unknown signer {v!r}; known: {', '.join(names())}")
        return v

    @model_validator(mode="after")
    def _bodies(self) -> RequestOptions:
        if self.body is not None and self.json_body is not None:
            raise ValueError("body and json_body exclude each other")
        if (self.body is not None or self.json_body is not None) and self.method != "POST":
            raise ValueError("body/json_body need method: POST")
        return self


class _JsonItems(Spec):
    """Where a JSON listing's items and their fields are (dotted `dig` paths)."""

    items_path: str | None = None
    url_path: str | None = None
    title_path: str | None = None
    date_path: str | None = None  # ISO/Chinese date string or unix s/ms; 0/""/"0" → unknown
    url_template: str | None = None  # e.g. "https://36kr.com/p/{value}"
    summary_path: str | None = None
    text_path: str | None = None  # the item's full text, when the listing carries it
    listing_text: ListingText = "never"

    @field_validator("url_template")
    @classmethod
    def _template(cls, v: str | None) -> str | None:
        if v is not None and _placeholders(v) != {"value"}:
            raise ValueError("url_template must contain {value} and nothing else in braces")
        return v

    def _need_items(self) -> None:
        if self.items_path is None or not self.url_path:
            raise ValueError("items_path and url_path are required")
        if self.listing_text == "store" and not (self.text_path or self.summary_path):
            raise ValueError("listing_text: store needs text_path or summary_path")


class FeedListing(Spec):
    type: Literal["feed"]
    feed_urls: list[str] = Field(min_length=1)
    max_articles: int = Field(default=200, ge=1)
    listing_text: ListingText = "never"  # store/fallback use the entry's content or summary


class Pagination(Spec):
    """How a list's next pages are found: `trs` (createPageHTML over index_N pages) or
    `next` (a next-page link)."""

    style: Literal["trs", "next"]
    template: str | None = None  # trs: e.g. "index_{n}.htm", resolved against the listing URL
    first: int = Field(default=1, ge=0)  # trs: n of the second page
    next_selector: str | None = None  # next: selects the next-page <a>

    @model_validator(mode="after")
    def _style(self) -> Pagination:
        if self.style == "trs":
            if self.template is None or _placeholders(self.template) != {"n"}:
                raise ValueError("pagination style trs needs a template with {n}")
            if self.next_selector is not None:
                raise ValueError("pagination style trs takes no next_selector")
        elif self.next_selector is None or self.template is not None:
            raise ValueError("pagination style next needs next_selector (and no template)")
        return self


class ListListing(_Paged):
    type: Literal["list"]
    urls: list[str] = Field(min_length=1)
    link_selector: str  # CSS (or XPath if it starts with '/') selecting article <a> elements
    next_selector: str | None = None  # selects the next-page <a>
    pagination: Pagination | None = None

    @model_validator(mode="after")
    def _one_pager(self) -> ListListing:
        if self.pagination is not None and self.next_selector is not None:
            raise ValueError("give next_selector or pagination, not both")
        return self

    @property
    def next_link(self) -> str | None:
        """The next-page selector, however it was written."""
        if self.pagination is not None:
            return self.pagination.next_selector
        return self.next_selector


class SitemapListing(_Paged):
    """Sitemap, sitemap index (children followed, ≤ 3 levels, ≤ 20 children) or news sitemap;
    url_pattern selects the article URLs. max_pages is unused here."""

    type: Literal["sitemap"]
    sitemap_urls: list[str] = Field(min_length=1)


class JsonListing(_Paged, _JsonItems):
    type: Literal["json"]
    endpoint: str  # may contain {page} (1-based)
    items_path: str  # dotted path to the list of items, e.g. "data.items"
    url_path: str  # dotted path inside an item to its URL (or id with url_template)

    @model_validator(mode="after")
    def _items(self) -> JsonListing:
        self._need_items()
        return self


class EmbeddedJsonListing(_Paged, _JsonItems):
    """JSON inside an HTML page: a <script> element's text, or a `window.X = …` assignment."""

    type: Literal["embedded_json"]
    urls: list[str] = Field(min_length=1)  # may contain {page}
    script_selector: str | None = None
    script_var: str | None = None
    items_path: str
    url_path: str

    @field_validator("script_var")
    @classmethod
    def _var(cls, v: str | None) -> str | None:
        if v is not None and not _JS_NAME.match(v):
            raise ValueError(f"script_var {v!r} is not a JavaScript name like window._DATA")
        return v

    @model_validator(mode="after")
    def _one_source(self) -> EmbeddedJsonListing:
        if (self.script_selector is None) == (self.script_var is None):
            raise ValueError("give exactly one of script_selector and script_var")
        self._need_items()
        return self


class Take(Spec):
    """One value taken from a two_step listing's first page."""

    css: str | None = None
    xpath: str | None = None
    regex: str | None = None  # group 1, or the whole match
    cookie: str | None = None  # the value of a cookie the first response sets

    @field_validator("regex")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"bad regex {v!r}: {exc}") from None
        return v

    @model_validator(mode="after")
    def _one(self) -> Take:
        given = [k for k in ("css", "xpath", "regex", "cookie") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a take rule needs exactly one of css, xpath, regex, cookie")
        return self


class TwoStepListing(_Paged, _JsonItems):
    """Fetch `page_url`, take values from it, call `endpoint` built from them."""

    type: Literal["two_step"]
    page_url: str
    take: dict[str, Take] = Field(default_factory=dict)
    endpoint: str
    keep_cookies: bool = True
    format: Literal["json", "html"] = "json"
    html_path: str | None = None  # json: a string holding an HTML fragment (then link_selector)
    link_selector: str | None = None

    @field_validator("page_url")
    @classmethod
    def _page(cls, v: str) -> str:
        return _http(v, "page_url")

    @field_validator("take")
    @classmethod
    def _names(cls, v: dict[str, Take]) -> dict[str, Take]:
        for name in v:
            if not name.isidentifier() or name in _ENDPOINT_BUILTINS:
                raise ValueError(f"take name {name!r} must be an identifier other than page")
        return v

    @model_validator(mode="after")
    def _shape(self) -> TwoStepListing:
        unknown = _placeholders(self.endpoint) - _ENDPOINT_BUILTINS - set(self.take)
        if unknown:
            raise ValueError(f"endpoint uses {sorted(unknown)}, not defined under take")
        if self.format == "html" or self.html_path is not None:
            if not self.link_selector:
                raise ValueError("format html (or html_path) needs link_selector")
            if self.listing_text == "store":
                raise ValueError("listing_text: store needs JSON items (not an HTML fragment)")
        else:
            self._need_items()
        return self


class GenericListing(_Paged):
    type: Literal["generic"]
    list_url: str
    link_selector: str
    next_selector: str | None = None
    title_selector: str | None = None
    date_selector: str | None = None
    body_selector: str | None = None


Listing = Annotated[
    FeedListing
    | ListListing
    | SitemapListing
    | JsonListing
    | EmbeddedJsonListing
    | TwoStepListing
    | GenericListing,
    Field(discriminator="type"),
]
JsonKinds = JsonListing | EmbeddedJsonListing | TwoStepListing


