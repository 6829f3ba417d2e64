"""Near-duplicate detection: 64-bit simhash over character shingles of the body (pure).

Character shingles work for Chinese (no word segmentation needed) and English alike. Two
bodies whose simhashes differ in at most NEAR_DUPLICATE_DISTANCE bits are treated as the
same story (syndicated copy, re-posted press release)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

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
