"""Near-duplicate linking: the earliest-published copy is the original, however the crawl
happened to order them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawlers.types import Article
from graph.dedupe import find_duplicates

T0 = datetime(2025, 7, 1, 8, tzinfo=UTC)


def art(aid: str, simhash: int, published: datetime | None) -> Article:
    return Article(
        id=aid,
        url=f"http://x/{aid}",
        canonical_url=f"http://x/{aid}",
        source_id="s",
        title=aid,
        text=aid * 3,  # bodies differ: only the simhash makes them copies
        lang="zh",
        published_at=published,
        fetched_at=T0,
        content_hash=aid,
        simhash=simhash,
    )


def test_copy_in_the_same_batch_links_to_the_earlier_one() -> None:
    reprint = art("reprint", 0b1011, T0 + timedelta(hours=1))
    original = art("original", 0b1010, T0)
    dups = find_duplicates([reprint, original], [])
    assert [(d.id, d.first_id, d.distance) for d in dups] == [("reprint", "original", 1)]


def test_stored_original_gets_the_incoming_copy() -> None:
    reprint = art("reprint", 0b1011, T0 + timedelta(hours=1))
    stored = [{"id": "reprint", "other_id": "original", "simhash": 0b1010, "published_at": T0}]
    dups = find_duplicates([reprint], stored)
    assert [(d.id, d.first_id) for d in dups] == [("reprint", "original")]


def test_stored_later_copy_is_relinked_to_an_incoming_original() -> None:
    original = art("original", 0b1010, T0)
    stored = [
        {
            "id": "original",
            "other_id": "reprint",
            "simhash": 0b1011,
            "published_at": T0 + timedelta(hours=1),
        }
    ]
    dups = find_duplicates([original], stored)
    assert [(d.id, d.first_id) for d in dups] == [("reprint", "original")]


def test_distant_hashes_are_not_duplicates() -> None:
    a = art("a", 0, T0)
    b = art("b", 0b1111, T0)  # 4 bits apart: beyond the threshold of 3
    assert find_duplicates([a, b], []) == []
