"""Near-duplicate links for incoming articles: which stored copies to look up (simhash and
MinHash band keys) and, pure, which copy is the original (the earliest published)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from neo4j import Driver

from crawlers.dedupe import NEAR_DUPLICATE_DISTANCE, MinHash, hamming, minhash, same_story
from crawlers.types import Article
from graph import temporal
from graph.reads import ingest
from graph.writer import Duplicate, minhash_props, simhash_bands

_NEVER = datetime.max.replace(tzinfo=UTC)


def _when(value: object) -> datetime:
    """Publication time for ordering copies; unknown sorts last (never the original)."""
    try:
        return temporal.to_datetime(value) or _NEVER
    except (TypeError, ValueError):
        return _NEVER


@dataclass(frozen=True)
class _Copy:
    id: str
    simhash: int
    published: datetime
    minhash: MinHash | None = None


def _stored_minhash(cand: Mapping[str, object]) -> MinHash | None:
    sig, n = cand.get("minhash"), cand.get("mh_n")
    if isinstance(sig, list) and isinstance(n, int) and n > 0:
        return MinHash(tuple(int(v) for v in sig), n)
    return None


def _close(a: _Copy, b: _Copy) -> bool:
    """Same story: simhash within the threshold (long bodies), or MinHash Jaccard and
    containment high enough (short bodies, where a disclaimer moves many simhash bits)."""
    if hamming(a.simhash, b.simhash) <= NEAR_DUPLICATE_DISTANCE:
        return True
    return a.minhash is not None and b.minhash is not None and same_story(a.minhash, b.minhash)


def find_duplicates(
    articles: Sequence[Article], candidates: Sequence[dict[str, object]]
) -> list[Duplicate]:
    """Pure: near-duplicate links (simhash within NEAR_DUPLICATE_DISTANCE bits, or MinHash
    `same_story` for short bodies; `distance` stays the simhash distance). The earliest
    published copy is the original, whichever was crawled first: a stored article found to be
    a later copy of an incoming one is linked to it (the link then points at the older one)."""
    stored: dict[str, list[_Copy]] = {}
    for cand in candidates:
        sim = cand.get("simhash")
        if isinstance(sim, int):
            stored.setdefault(str(cand["id"]), []).append(
                _Copy(str(cand["other_id"]), sim, _when(cand.get("published_at")),
                      _stored_minhash(cand))
            )
    dups: list[Duplicate] = []
    originals: list[_Copy] = []  # this batch's originals so far, oldest first
    linked: set[str] = set()
    for art in sorted(articles, key=lambda a: (_when(a.published_at), a.id)):
        if art.simhash is None:
            continue
        me = _Copy(art.id, art.simhash, _when(art.published_at), minhash(art.text))
        close = [
            (hamming(me.simhash, c.simhash), c)
            for c in [*stored.get(art.id, []), *originals]
            if c.id != art.id and c.id not in linked and _close(me, c)
        ]
        if not close:
            originals.append(me)
            continue
        dist, other = min(close, key=lambda dc: (dc[1].published, dc[0], dc[1].id))
        if other.published <= me.published:
            dups.append(Duplicate(id=me.id, first_id=other.id, distance=dist))
        else:  # the stored copy is the later one
            dups.append(Duplicate(id=other.id, first_id=me.id, distance=dist))
            linked.add(other.id)
            originals.append(me)
    return dups


def duplicates_for(driver: Driver, articles: Sequence[Article],
                   database: str | None = None) -> list[Duplicate]:
    """Near-duplicate links for incoming articles: stored candidates that share a simhash
    band or a MinHash band with one of them, judged by `find_duplicates`."""
    cand_rows = [
        {
            "id": a.id,
            **dict(zip(("sh0", "sh1", "sh2", "sh3"), simhash_bands(a.simhash), strict=True)),
            **{k: v for k, v in minhash_props(a.text).items() if k.startswith("mb")},
        }
        for a in articles
        if a.simhash is not None
    ]
    candidates = ingest.simhash_candidates(driver, cand_rows, database) if cand_rows else []
    return find_duplicates(articles, candidates)
