"""Small text helpers: language detection, cleaning, sentence spans, id slugs, "did you
mean" for ids typed by people (pure)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_SENT_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\.(?=\s+[A-Z“\"(])|\n\s*\n|\n(?=\s*\S)")


_ASCII_FOLD = {i: i + 32 for i in range(ord("A"), ord("Z") + 1)}


def ascii_fold(text: str) -> str:
    """`text` with A-Z lower-cased and nothing else (same length, so offsets carry over).
    `str.lower` gives the same string, much faster than `translate`, unless a non-ASCII
    letter with a lower case occurs (Ａ, Σ, İ…): then each character is mapped."""
    if _non_ascii_cased().search(text):
        return text.translate(_ASCII_FOLD)
    return text.lower()


@lru_cache(maxsize=1)
def _non_ascii_cased() -> re.Pattern[str]:
    """Non-ASCII characters that `str.lower` changes (anything beyond the BMP, to be safe)."""
    ranges: list[list[int]] = []
    for code in range(0x80, 0x10000):
        if chr(code).lower() != chr(code):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    chars = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{chars}\U00010000-\U0010ffff]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def detect_lang(text: str) -> Literal["zh", "en"]:
    """'zh' when CJK characters are at least 15% of the letters (CJK + Latin), else 'en'."""
    sample = text[:5000]
    cjk = len(_CJK_RE.findall(sample))
    latin = len(_LATIN_RE.findall(sample))
    if cjk == 0:
        return "en"
    # a Chinese character carries about as much as a 3-4 letter English word
    return "zh" if cjk * 4 >= 0.15 * (cjk * 4 + latin) * 2 else "en"


def clean_text(text: str) -> str:
    """Control characters become spaces and lone surrogates U+FFFD (one character each), so
    offsets into the cleaned text are offsets into the original."""
    return _SURROGATE_RE.sub("\ufffd", _CONTROL_RE.sub(" ", text))


def join_title(title: str | None, text: str) -> str:
    """The analysed string: `title + "\\n\\n" + text` when a title is given."""
    return f"{title}\n\n{text}" if title else text


def sentence_spans(text: str, breaks: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Sentence (start, end) spans from punctuation, blank lines and model sentence `breaks`;
    surrounding whitespace is trimmed."""
    cuts = {m.end() for m in _SENT_END.finditer(text) if not _is_abbreviation(text, m)}
    cuts |= set(breaks) | {len(text)}
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts):
        if cut <= start:
            continue
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = cut
    return spans


SENTENCE_LIMIT = 500  # characters kept of a stored or quoted sentence


class Sentences:
    """The sentences of one text (`sentence_spans`, computed once), looked up by offset: the
    one definition of "the sentence around a mention" that the graph stores and alerts quote."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = sentence_spans(text)
        self._ends = [e for _, e in self.spans]

    def around(self, start: int, end: int, limit: int = SENTENCE_LIMIT) -> str:
        """The sentence(s) holding [start, end): from the sentence where `start` falls to the
        one where `end` falls (a span across a sentence break keeps both), at most `limit`."""
        first = bisect_right(self._ends, start)
        last = bisect_right(self._ends, max(start, end - 1))
        if first >= len(self.spans):
            return self.text[start:end].strip()[:limit]
        s = min(self.spans[first][0], start)
        e = self.spans[min(last, len(self.spans) - 1)][1]
        return self.text[s : max(e, end)].strip()[:limit]


def sentence_at(text: str, start: int, end: int, limit: int = SENTENCE_LIMIT) -> str:
    """The sentence around [start, end) of `text` (see `Sentences` to look up many)."""
    return Sentences(text).around(start, end, limit)


_ABBREV = {
    "inc",
    "corp",
    "co",
    "ltd",
    "mr",
    "ms",
    "dr",
    "st",
    "no",
    "vs",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}


def _is_abbreviation(text: str, match: re.Match[str]) -> bool:
    if match.group() != ".":
        return False
    word = re.search(r"([A-Za-z.]+)$", text[max(0, match.start() - 12) : match.start()])
    if word is None:
        return False
    w = word.group(1).lower()
    return w in _ABBREV or len(w) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", w))


def slug(name: str) -> str:
    """Stable id part for an unseen name: NFKC, lower-case, no spaces or punctuation."""
    norm = unicodedata.normalize("NFKC", name).lower()
    return "".join(ch for ch in norm if ch.isalnum() or ch in "+-")


_CLAUSE_DELIMS = "，,；;：:。！？!?\n"
_CLAUSE_END_RE = re.compile(f"[{re.escape(_CLAUSE_DELIMS)}]")
# greedy, then back to the last delimiter: the clause start in one call, in C
_LAST_DELIM_RE = re.compile(f"(?s:.*)[{re.escape(_CLAUSE_DELIMS)}]")


def clause_bounds(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around `pos` within [lo, hi): delimited by commas, semicolons, colons.
    (Searched in C: the rules ask this for every figure and every risk word.)"""
    start = pos
    if pos > lo:
        last = _LAST_DELIM_RE.match(text, lo, pos)
        start = last.end() if last else lo
    found = _CLAUSE_END_RE.search(text, pos, hi) if pos < hi else None
    return start, found.start() if found else max(pos, hi)


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The most similar choice (case-insensitive), or None when nothing is close."""
    options = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=cutoff)
    return options[found[0]] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' or ''."""
    best = closest(word, choices)
    return f' (did you mean "{best}"?)' if best else ""
