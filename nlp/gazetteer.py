"""Character-level longest-match lookup of KB names (an Aho-Corasick automaton, built once).

Matching runs on characters, not tokens, so a name survives Chinese segmentation
(国家数据局局长 still yields 国家数据局). Latin names need word boundaries; short or all-caps
Latin names match case-sensitively, longer ones case-insensitively. The automaton reports
every occurrence of every name in one pass in C; the leftmost-longest choice among them, with
the boundary and case checks, is made in Python on those few hits only (the per-character
Python trie walk it replaces cost more than all the other entity rules together).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick

from nlp.kb import KbEntry, KnowledgeBase
from nlp.normalize import to_simplified
from nlp.text import ascii_fold

_VERSION_RE = re.compile(
    r"(?:[-\s·]?(?:[VvRrKkMmTt]?\d+(?:\.\d+)*[a-z]?|\d+B|A\d+B)"
    r"|[-\s](?:Max|Plus|Turbo|Pro|Flash|Lite|mini|Mini|Coder|VL|Omni|Instruct|Chat|Thinking|Exp|"
    r"Terminus|Sonnet|Opus|Haiku|Ultra|Seed|Preview|Speciale)"
    r"|-[A-Za-z][A-Za-z0-9]*(?:\.\d+)*)"
)


@dataclass(frozen=True)
class Alias:
    surface: str
    entry: KbEntry
    weak: bool
    case_sensitive: bool

    @property
    def simplified(self) -> str:
        return _simplified(self.surface)


class Hit(NamedTuple):  # a tuple: thousands are made per document
    start: int
    end: int
    alias: Alias


def _is_latin_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _fold(text: str) -> str:
    # ASCII-only lower-casing keeps offsets identical to the original text
    return ascii_fold(text)


def _key(surface: str) -> str:
    """A KB surface as the trie stores it: simplified characters, ASCII folded (matching runs
    on the simplified copy of the text, so 騰訊 finds 腾讯)."""
    return _fold(to_simplified(surface))


_SIMPLIFIED: dict[str, str] = {}


def _simplified(surface: str) -> str:
    if surface not in _SIMPLIFIED:
        _SIMPLIFIED[surface] = to_simplified(surface)
    return _SIMPLIFIED[surface]


@dataclass
class Gazetteer:
    """KB names by their matching key (`_key`), and an automaton over the keys."""

    aliases: dict[str, list[Alias]] = field(default_factory=dict)
    _automaton: ahocorasick.Automaton | None = None

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> Gazetteer:
        gaz = cls()
        for entry in kb:
            for name in entry.names():
                gaz.add(Alias(name, entry, weak=False, case_sensitive=_case_sensitive(name)))
            for name in entry.weak_aliases:
                gaz.add(Alias(name, entry, weak=True, case_sensitive=True))
        return gaz

    def add(self, alias: Alias) -> None:
        key = _key(alias.surface)
        if key:
            self.aliases.setdefault(key, []).append(alias)
            self._automaton = None

    def _built(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            auto = ahocorasick.Automaton()
            for key in self.aliases:
                auto.add_word(key, len(key))
            auto.make_automaton()
            self._automaton = auto
        return self._automaton

    def find(self, text: str) -> list[Hit]:
        """Leftmost-longest matches with valid boundaries and case, weak ones included.
        `text` is the simplified copy (`nlp.normalize.to_simplified`); offsets carry over."""
        if not self.aliases:
            return []
        folded = _fold(text)
        ends: dict[int, list[int]] = {}  # start -> ends of the keys found there
        for last, length in self._built().iter(folded):
            ends.setdefault(last + 1 - length, []).append(last + 1)
        hits: list[Hit] = []  # (a name glued to another name, 通义千问GPT-4, is not a version)
        pos = 0
        for start in sorted(ends):
            if start < pos:
                continue
            best = self._longest_at(text, folded, start, ends)
            if best is not None:
                hits.append(best)
                pos = best.end
        return hits

    def _longest_at(
        self, text: str, folded: str, i: int, ends: dict[int, list[int]], extend: bool = True
    ) -> Hit | None:
        best = None
        for j in sorted(ends.get(i, ()), reverse=True):
            alias = next((a for a in self.aliases[folded[i:j]] if _valid(text, i, j, a)), None)
            if alias is not None:
                best = Hit(i, j, alias)
                break
        if extend and best is not None and best.alias.entry.kind == "model":
            glue_ok = (
                best.end >= len(text)
                or self._longest_at(text, folded, best.end, ends, extend=False) is None
            )
            best = Hit(best.start, extend_version(text, best.end, glue_ok), best.alias)
        return best


def _case_sensitive(name: str) -> bool:
    return name.isascii() and (len(name) <= 4 or name.isupper())


def _valid(text: str, start: int, end: int, alias: Alias) -> bool:
    if alias.case_sensitive and text[start:end] != alias.simplified:
        return False
    if _is_latin_word_char(text[start]) and start > 0 and _is_latin_word_char(text[start - 1]):
        return False
    last = text[end - 1]
    if _is_latin_word_char(last) and end < len(text) and _is_latin_word_char(text[end]):
        return alias.entry.kind == "model" and bool(
            _VERSION_RE.match(text, end) or text[end].isalnum()
        )
    return True


_CONTIGUOUS_RE = re.compile(r"[.\-]?[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?")
_NOT_VERSION = {"App", "APP", "app", "API", "api", "AI"}


def extend_version(text: str, end: int, glue: bool = True) -> int:
    """Extend a model name over its version suffix: Qwen -> Qwen3-Max, GPT-4o -> GPT-4o-mini,
    GLM-4 -> GLM-4.5V, 混元 -> 混元TurboS (but not 豆包App)."""
    glued = (
        _CONTIGUOUS_RE.match(text, end)
        if glue and end < len(text) and text[end - 1] != " "
        else None
    )
    if (
        glued
        and glued.group() not in _NOT_VERSION
        and (text[end - 1].isalnum() or text[end] in "-.")
    ):
        end = glued.end()
    while True:
        match = _VERSION_RE.match(text, end)
        if match is None or match.end() == end:
            return end
        stop = match.end()
        if (
            stop < len(text)
            and _is_latin_word_char(text[stop])
            and not _is_latin_word_char(text[stop - 1])
        ):
            return end
        if (
            stop < len(text)
            and text[stop - 1].isalnum()
            and text[stop].isascii()
            and text[stop].isalpha()
        ):
            return end
        end = stop
