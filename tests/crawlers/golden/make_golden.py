"""Generate the golden files: for every source in crawlers/sources.yaml, a recorded-style
listing and article page shaped like the real site, plus the expected parse as JSON.

    .venv/bin/python tests/crawlers/golden/make_golden.py          # rewrite all
    .venv/bin/python tests/crawlers/golden/make_golden.py ithome   # one source

The expected JSON is produced by the current parsers, but only after checking it against the
facts the page was built from (title, date, every paragraph, policy fields, no boilerplate),
so a parser regression cannot silently become the new expectation. Review the diff."""

from __future__ import annotations

import gzip
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from crawlers.articles import parse_page
from crawlers.registry import SourceConfig, load_sources
from crawlers.urls import canonicalize
from tests.crawlers.golden.check import REFERENCE_TIME, parse_listing
from tests.crawlers.golden.layouts import EXTRA, SPECS, Spec, article_html, listing_body

HERE = Path(__file__).parent
BOILERPLATE = ("版权所有", "Copyright", "责任编辑", "扫一扫", "相关阅读", "ICP备")


REF = datetime.fromisoformat(REFERENCE_TIME)


def expected_links(source: SourceConfig, spec: Spec, body: bytes) -> list[dict[str, str | None]]:

    return [
        {
            "url": lk.url,
            "title": lk.title,
            "published_at": lk.published_at.isoformat() if lk.published_at else None,
        }
        for lk in parse_listing(source, spec.listing_url, body, REF)
    ]


def checked_article(source: SourceConfig, spec: Spec, html: bytes) -> dict[str, Any]:
    """Parse, check against the facts the page was built from, and return the expectation."""
    art = parse_page(source, spec.article_url, html, spec.content_type, fetched_at=REF)
    # checks against the facts the page was built from
    assert art.title == spec.title, (source.id, art.title)
    assert art.published_at == datetime.fromisoformat(spec.published_at), (
        source.id,
        art.published_at,
    )
    for para in spec.paragraphs:
        assert para in art.text, (source.id, para, art.text)
    assert not any(b in art.text for b in BOILERPLATE), (source.id, art.text)
    if not spec.policy:
        assert art.policy is None, (source.id, art.policy)
    else:
        assert art.policy is not None
        got = art.policy.model_dump(mode="json")
        for key, value in spec.policy.items():
            assert got[key] == value, (source.id, key, got[key], value)
    return {
        "title": art.title,
        "text": art.text,
        "published_at": art.published_at.isoformat() if art.published_at else None,
        "canonical_url": art.canonical_url,
        "id": art.id,
        "content_hash": art.content_hash,
        "simhash": art.simhash,
        "encoding": art.raw_meta.get("encoding"),
        "policy": art.policy.model_dump(mode="json") if art.policy else None,
    }


def build(source: SourceConfig) -> None:
    spec = SPECS[source.id]
    html = article_html(source, spec)
    body = listing_body(source, spec)
    article = checked_article(source, spec, html)
    links = expected_links(source, spec, body)
    assert spec.article_url in [canonicalize(str(lk["url"])) for lk in links], (source.id, links)
    out = HERE / source.id
    out.mkdir(exist_ok=True)
    (out / f"listing.{spec.listing_ext}.gz").write_bytes(gzip.compress(body, mtime=0))
    (out / "article.html.gz").write_bytes(gzip.compress(html, mtime=0))
    extra = []
    for name, extra_spec, layout in EXTRA.get(source.id, []):
        page = layout(extra_spec).encode(extra_spec.encoding)
        (out / f"article-{name}.html.gz").write_bytes(gzip.compress(page, mtime=0))
        extra.append(
            {
                "file": f"article-{name}.html.gz",
                "url": extra_spec.article_url,
                "content_type": extra_spec.content_type,
                "article": checked_article(source, extra_spec, page),
            }
        )
    expected = {
        "reference_time": REFERENCE_TIME,
        "listing_url": spec.listing_url,
        "article_url": spec.article_url,
        "content_type": spec.content_type,
        "links": links,
        "article": article,
        "extra_articles": extra,
    }
    (out / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{source.id}: {len(links)} links, {len(article['text'])} chars")


def main(ids: list[str]) -> None:
    for source in load_sources():
        if not ids or source.id in ids:
            build(source)


if __name__ == "__main__":
    main(sys.argv[1:])
