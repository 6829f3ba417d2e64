"""Golden files over the whole registry: every source in crawlers/sources.yaml has a
recorded-style listing and article (tests/crawlers/golden/<id>/) and the expected parse.
Regenerate with tests/crawlers/golden/make_golden.py (which checks the facts first)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from crawlers.articles import parse_page
from crawlers.listings import Link
from crawlers.registry import load_sources
from tests.crawlers.golden.check import parse_listing

GOLDEN = Path(__file__).parent / "golden"
SOURCES = {s.id: s for s in load_sources()}


def _link(lk: Link) -> dict[str, str | None]:
    return {
        "url": lk.url,
        "title": lk.title,
        "published_at": lk.published_at.isoformat() if lk.published_at else None,
    }


def test_registry_has_enough_real_sources() -> None:
    kinds = {s.kind for s in SOURCES.values()}
    assert len(SOURCES) >= 20 and kinds == {"policy", "industry", "company", "intl"}
    assert {s.listing.type for s in SOURCES.values()} == {
        "feed",
        "list",
        "sitemap",
        "json",
        "generic",
    }


@pytest.mark.parametrize("source_id", sorted(SOURCES))
def test_golden(source_id: str) -> None:
    source = SOURCES[source_id]
    folder = GOLDEN / source_id
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    (listing_file,) = folder.glob("listing.*.gz")

    # the moment the page counts as fetched: relative times resolve against it, not today
    ref = datetime.fromisoformat(expected["reference_time"])
    links = parse_listing(
        source, expected["listing_url"], gzip.decompress(listing_file.read_bytes()), ref
    )
    assert [_link(lk) for lk in links] == expected["links"]

    hint = next((lk for lk in links if lk.url.split("?")[0] == expected["article_url"]), None)
    article = parse_page(
        source,
        expected["article_url"],
        gzip.decompress((folder / "article.html.gz").read_bytes()),
        expected["content_type"],
        hint=hint,
        fetched_at=ref,
    )
    want = expected["article"]
    got = {
        "title": article.title,
        "text": article.text,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "canonical_url": article.canonical_url,
        "id": article.id,
        "content_hash": article.content_hash,
        "simhash": article.simhash,
        "encoding": article.raw_meta.get("encoding"),
        "policy": article.policy.model_dump(mode="json") if article.policy else None,
    }
    assert got == want
    assert "\ufffd" not in article.text and article.lang == source.lang
