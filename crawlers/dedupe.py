"""Near-duplicate detection: 64-bit simhash over character shingles of the body (pure).

Character shingles work for Chinese (no word segmentation needed) and English alike. Two
bodies whose simhashes differ in at most NEAR_DUPLICATE_DISTANCE bits are treated as the
same story (syndicated copy, re-posted press release)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

NEAR_DUPLICATE_DISTANCE = 3  # max Hamming distance (of 64 bits) for "same story"
SHINGLE = 4  # characters per shingle
_MASK = (1 << 64) - 1
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _features(text: str) -> Iterable[str]:
    norm = _NOISE.sub("", text.lower())
    if len(norm) <= SHINGLE:
        return [norm] if norm else []
    return (norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1))


def simhash64(text: str) -> int:
    """Signed 64-bit simhash (fits a Neo4j integer). Empty text → 0.

    Each shingle's 64-bit hash votes +1/-1 on every bit; counting votes through per-byte
    histograms (8 list updates per shingle instead of 64 bit tests) keeps it fast in Python."""
    counts = Counter(_features(text))
    if not counts:
        return 0
    hist = [[0] * 256 for _ in range(8)]
    for feature, weight in counts.items():
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        for pos in range(8):
            hist[pos][digest[pos]] += weight
    total = sum(counts.values())
    value = 0
    for pos in range(8):  # digest byte 0 is the most significant byte
        ones = [0] * 8
        for byte, weight in enumerate(hist[pos]):
            if weight:
                for bit in range(8):
                    if byte >> bit & 1:
                        ones[bit] += weight
        shift = (7 - pos) * 8
        for bit in range(8):
            if 2 * ones[bit] > total:
                value |= 1 << (shift + bit)
    return _signed(value)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two (signed or unsigned) 64-bit hashes."""
    return ((a ^ b) & _MASK).bit_count()


def is_near_duplicate(a: int, b: int, distance: int = NEAR_DUPLICATE_DISTANCE) -> bool:
    return hamming(a, b) <= distance


class SimhashIndex:
    """Finds an earlier near-duplicate in O(1) buckets: with distance ≤ 3, two hashes agree on
    at least one of four 16-bit blocks (pigeonhole), so only those buckets are compared."""

    BLOCKS = 4

    def __init__(self, distance: int = NEAR_DUPLICATE_DISTANCE) -> None:
        if distance >= self.BLOCKS:
            raise ValueError("distance must be smaller than the number of blocks")
        self.distance = distance
        self._buckets: dict[tuple[int, int], list[tuple[int, str]]] = {}

    def _keys(self, h: int) -> list[tuple[int, int]]:
        u = h & _MASK
        return [(i, u >> (16 * i) & 0xFFFF) for i in range(self.BLOCKS)]

    def find(self, h: int) -> str | None:
        """Id of the first added item within `distance` bits of h, or None."""
        best: tuple[int, str] | None = None
        for key in self._keys(h):
            for other, item_id in self._buckets.get(key, ()):
                d = hamming(h, other)
                if d <= self.distance and (best is None or d < best[0]):
                    best = (d, item_id)
        return best[1] if best else None

    def add(self, h: int, item_id: str) -> None:
        for key in self._keys(h):
            self._buckets.setdefault(key, []).append((h, item_id))


# --- MinHash over the same shingles: the measure for short bodies ---------------------------
#
# A one-line disclaimer moves a short body's simhash by 7-12 bits (over the threshold), while
# the share of common shingles stays high. MinHash estimates the Jaccard similarity of the two
# shingle sets; with the set sizes it also estimates containment (the share of the smaller
# body found in the larger), which is what a copy with a trimmed paragraph keeps.

NUM_PERM = 64
BANDS = 16  # LSH: 16 bands of 4 rows; two bodies with Jaccard 0.7 share a band with p ≈ 0.99
ROWS = NUM_PERM // BANDS
MIN_JACCARD = 0.3  # below this, even a contained text is an excerpt, not a copy
MIN_CONTAINMENT = 0.7
# MinHash decides only for short bodies (the smaller one at most this many distinct shingles,
# about as many characters): on long ones simhash is reliable, and templated long texts
# (shared boilerplate, few varying words) reach Jaccard 0.7+ without being copies
SHORT_SHINGLES = 300
_PRIME = 4294967311  # the first prime above 2**32
_rng = np.random.default_rng(20240611)  # fixed: signatures must be comparable across runs
_A = _rng.integers(1, 1 << 31, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, NUM_PERM, dtype=np.uint64)


@dataclass(frozen=True)
class MinHash:
    signature: tuple[int, ...]
    shingles: int  # distinct shingles (for containment)


def minhash(text: str) -> MinHash | None:
    """MinHash signature of the body's distinct character shingles; None for empty text."""
    features = set(_features(text))
    if not features:
        return None
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(f.encode("utf-8"), digest_size=4).digest(), "big")
         for f in features),
        dtype=np.uint64, count=len(features),
    )
    # a*h < 2**63 and + b < 2**64: no overflow in uint64
    values = (np.outer(hashes, _A) + _B) % np.uint64(_PRIME)
    return MinHash(tuple(int(v) for v in values.min(axis=0)), len(features))


def jaccard(a: MinHash, b: MinHash) -> float:
    """Estimated Jaccard similarity of two bodies' shingle sets."""
    same = sum(x == y for x, y in zip(a.signature, b.signature, strict=True))
    return same / len(a.signature)


def containment(a: MinHash, b: MinHash) -> float:
    """Estimated share of the smaller body's shingles found in the larger one."""
    j = jaccard(a, b)
    common = j * (a.shingles + b.shingles) / (1.0 + j)
    return min(1.0, common / min(a.shingles, b.shingles))


def same_story(a: MinHash, b: MinHash) -> bool:
    """Pure: a syndicated copy (disclaimer, byline, trimmed paragraph) of the same short
    body (see SHORT_SHINGLES)."""
    if min(a.shingles, b.shingles) > SHORT_SHINGLES:
        return False
    return jaccard(a, b) >= MIN_JACCARD and containment(a, b) >= MIN_CONTAINMENT


def minhash_bands(mh: MinHash | None) -> list[int | None]:
    """BANDS band keys (signed 64-bit): bodies sharing any one are compared."""
    if mh is None:
        return [None] * BANDS
    out: list[int | None] = []
    for band in range(BANDS):
        rows = mh.signature[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(repr(rows).encode(), digest_size=8).digest()
        out.append(_signed(int.from_bytes(digest, "big")))
    return out
