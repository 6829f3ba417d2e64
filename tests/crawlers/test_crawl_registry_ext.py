"""Registry extensions of issue 11: request options, embedded_json, two_step, TRS pagination,
listing text. A bad entry fails at load naming the file, the entry and the field."""

from __future__ import annotations

from typing import Any

import pytest

from crawlers.errors import RegistryError
from crawlers.registry import (
    EmbeddedJsonListing,
    ListListing,
    TwoStepListing,
    parse_sources,
)


def _entry(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "ok-source",
        "name": "n",
        "kind": "industry",
        "lang": "zh",
        "url": "https://x.cn/",
        "listing": {"type": "feed", "feed_urls": ["https://x.cn/rss"]},
    }
    return {**base, **kw}


EMBEDDED = {
    "type": "embedded_json",
    "urls": ["https://x.cn/docs"],
    "script_var": "window._ROUTER_DATA",
    "items_path": "loaderData.list",
    "url_path": "url",
}
TWO_STEP = {
    "type": "two_step",
    "page_url": "https://x.cn/index.html",
    "take": {
        "url": {"css": "script[parseType=buildstatic]::attr(url)"},
        "q": {"regex": "q=(\\w+)"},
    },
    "endpoint": "{base_of_page}{url}?{q}&pageNo={page}",
    "items_path": "data.list",
    "url_path": "url",
}


def test_new_kinds_and_options_load() -> None:
    doc = {
        "sources": [
            _entry(
                id="emb",
                listing=EMBEDDED,
                request={"headers": {"Referer": "https://x.cn/"}, "signer": "cls"},
                user_agent="ua/1",
            ),
            _entry(id="two", listing=TWO_STEP, request={"method": "POST", "json_body": {"p": 1}}),
            _entry(
                id="trs",
                listing={
                    "type": "list",
                    "urls": ["https://x.cn/index.htm"],
                    "link_selector": "li a",
                    "pagination": {"style": "trs", "template": "index_{n}.htm"},
                },
            ),
        ]
    }
    emb, two, trs = parse_sources(doc, "reg.yaml")
    assert isinstance(emb.listing, EmbeddedJsonListing) and emb.request.signer == "cls"
    assert emb.user_agent == "ua/1" and emb.request.headers == {"Referer": "https://x.cn/"}
    assert isinstance(two.listing, TwoStepListing) and two.request.json_body == {"p": 1}
    assert isinstance(trs.listing, ListListing) and trs.listing.pagination is not None
    assert trs.listing.pagination.first == 1 and not trs.render


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(request={"signer": "nobody"}), "unknown signer"),
        (_entry(request={"body": "a=1"}), "method: POST"),
        (_entry(request={"method": "POST", "body": "a", "json_body": {}}), "exclude"),
        (_entry(request={"headers": {"Bad Name": "x"}}), "header name"),
        (_entry(request={"cookie_bootstrap": "ftp://x"}), "cookie_bootstrap"),
        (_entry(listing={**EMBEDDED, "script_selector": "script#x"}), "exactly one"),
        (_entry(listing={**EMBEDDED, "script_var": "window.1x"}), "script_var"),
        (_entry(listing={**EMBEDDED, "listing_text": "store"}), "text_path"),
        (_entry(listing={**EMBEDDED, "listing_text": "always"}), "listing_text"),
        (_entry(listing={**TWO_STEP, "endpoint": "{base_of_page}{nope}"}), "nope"),
        (_entry(listing={**TWO_STEP, "take": {"url": {"css": "a", "regex": "b"}}}), "exactly one"),
        (_entry(listing={**TWO_STEP, "take": {"url": {"regex": "("}}}), "bad regex"),
        (_entry(listing={**TWO_STEP, "format": "html"}), "link_selector"),
        (_entry(listing={**TWO_STEP, "url_template": "https://x/{id}"}), "url_template"),
        (
            _entry(
                listing={
                    "type": "list",
                    "urls": ["https://x.cn/"],
                    "link_selector": "a",
                    "pagination": {"style": "trs", "template": "index.htm"},
                }
            ),
            "{n}",
        ),
        (
            _entry(
                listing={
                    "type": "list",
                    "urls": ["https://x.cn/"],
                    "link_selector": "a",
                    "next_selector": "a.next",
                    "pagination": {"style": "next", "next_selector": "a.n"},
                }
            ),
            "not both",
        ),
    ],
)
def test_bad_extension_names_file_entry_and_field(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(RegistryError) as err:
        parse_sources({"sources": [_entry(id="good"), {**entry, "id": "bad-one"}]}, "reg.yaml")
    text = str(err.value)
    assert "reg.yaml" in text and "bad-one" in text and message in text, text
