"""Golden files over the whole registry: every enabled source in crawlers/sources.yaml has its
listing and article pages rebuilt from the documented real structure
(tests/crawlers/golden/<id>/, see layouts.py) and the expected parse. Regenerate with
tests/crawlers/golden/make_golden.py (which checks the facts first).

Every parse runs at the reference time stored in expected.json, never at the machine's
clock, so the suite passes whatever today's date is."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crawlers.registry import load_sources
from crawlers.urls import canonicalize
from tests.crawlers.golden.check import (
    article_for,
    article_json,
    first_request_url,
    link_json,
    parse_listing,
    two_step_endpoint,
)

GOLDEN = Path(__file__).parent / "golden"
SOURCES = {s.id: s for s in load_sources()}
ENABLED = sorted(sid for sid, s in SOURCES.items() if s.enabled)


def _read(folder: Path, name: str) -> bytes:
    return gzip.decompress((folder / name).read_bytes())


def test_registry_covers_the_real_sites() -> None:
    kinds = {s.kind for s in SOURCES.values()}
    assert len(SOURCES) >= 20 and kinds == {"policy", "industry", "company", "intl"}
    listing_kinds = {s.listing.type for s in SOURCES.values() if s.enabled}
    assert {"feed", "list", "sitemap", "json", "embedded_json", "two_step"} <= listing_kinds


@pytest.mark.parametrize("source_id", sorted(SOURCES))
def test_every_entry_states_its_public_evidence(source_id: str) -> None:
    source = SOURCES[source_id]
    assert "DIYgod/RSSHub" in source.notes or "public" in source.notes, source_id
    if not source.enabled:
        assert source.notes.startswith("Disabled:"), "a disabled source says why"
        assert not (GOLDEN / source_id).exists()
    else:
        assert (GOLDEN / source_id / "expected.json").exists(), "an enabled source has golden files"


def _check_article(source_id: str, entry: dict[str, Any], links: list[Any], when: datetime) -> None:
    source = SOURCES[source_id]
    folder = GOLDEN / source_id
    html = _read(folder, entry["file"]) if "file" in entry else b""
    link = next((lk for lk in links if canonicalize(lk.url) == canonicalize(entry["url"])), None)
    art = article_for(source, entry["mode"], entry["url"], html, entry["content_type"], link, when)
    got = article_json(art)
    assert got == entry["expected"]
    assert "\ufffd" not in art.text and art.lang == source.lang


@pytest.mark.parametrize("source_id", ENABLED)
def test_golden(source_id: str) -> None:
    source = SOURCES[source_id]
    folder = GOLDEN / source_id
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    when = datetime.fromisoformat(expected["reference_time"])

    if "two_step" in expected:  # the API URL follows from the recorded first page
        step = expected["two_step"]
        page = _read(folder, step["page_file"]).decode("utf-8")
        assert two_step_endpoint(source, step["page_url"], page) == step["endpoint"]
        assert step["endpoint"] == expected["listing_url"]
    else:  # the recorded listing is what the spider requests (pages filled, CLS signed)
        assert first_request_url(source) == expected["listing_url"]

    result = parse_listing(
        source, expected["listing_url"], _read(folder, expected["listing_file"]), when
    )
    assert [link_json(lk) for lk in result.links] == expected["links"]
    assert result.more == expected["more"]

    _check_article(source_id, expected["article"], result.links, when)
    for extra in expected["extra_articles"]:
        _check_article(source_id, extra, result.links, when)
