"""A first-character guard for regular expressions that Python's engine cannot scan fast.

`re` finds a match by trying the whole pattern at every position, unless the pattern starts
with a literal or a character set it can skip ahead to in C. A case-insensitive alternation
(the cue lexicons, `re.I` throughout the metric rules) or a pattern that starts with a group,
a repeat or a lookbehind gets no such scan: each of its branches is tried at every
character, and on a Chinese sentence nearly every try fails. `guarded(rx)` prefixes `rx` with
a lookahead for the characters a match can start with, computed from the parsed pattern, so a
failing position costs one set test. The matches are the same: the set holds every character
the pattern can consume first, groups and flags are unchanged. Where the set cannot be
derived (a negated set, a back-reference, a pattern that can match nothing) the pattern is
returned as it is.
"""

from __future__ import annotations

# `re._parser` is the parser behind `re.compile` (private, present in 3.11-3.13): a parse
# it cannot do or a node this module does not know leaves a pattern unguarded, unchanged
import re
import re._constants as _c
import re._parser as _p
from typing import Any


class _Unknown(Exception):
    """The first characters of a pattern cannot be stated as one character set."""


_CATEGORIES: dict[Any, str] = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}


def guarded(rx: re.Pattern[str]) -> re.Pattern[str]:
    """`rx` behind a lookahead for its possible first characters (same matches), or `rx`."""
    if rx.flags & re.VERBOSE:
        return rx
    ignorecase = bool(rx.flags & re.IGNORECASE)
    try:
        seq = list(_p.parse(rx.pattern, rx.flags))
        if _scans_itself(seq, ignorecase):
            return rx
        items, nullable = _first(seq, ignorecase)
        if nullable or not items:
            return rx
        return re.compile(f"(?={_render(items, ignorecase)})(?:{rx.pattern})", rx.flags)
    except (_Unknown, re.error, KeyError, TypeError, ValueError):
        return rx


def _scans_itself(seq: list[tuple[Any, Any]], ignorecase: bool) -> bool:
    """Whether `re` finds where the pattern can start on its own (a leading literal or set of
    uncased characters, a branch of such literals, or an anchor): a guard would only cost."""
    if not seq:
        return False
    op, av = seq[0]
    if op is _c.SUBPATTERN and not av[1] and not av[2]:
        return _scans_itself(list(av[3]), ignorecase)
    if op is _c.AT:
        return av in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING)
    if op is _c.LITERAL:
        return not (ignorecase and _cased(av))
    if op is _c.IN:
        return not ignorecase or not any(
            (o is _c.LITERAL and _cased(a))
            or (o is _c.RANGE and any(map(_cased, range(a[0], a[1] + 1))))
            for o, a in av
        )
    if op is _c.BRANCH:
        return all(
            alt and alt[0][0] is _c.LITERAL and not (ignorecase and _cased(alt[0][1]))
            for alt in av[1]
        )
    return False


def _cased(code: int) -> bool:
    ch = chr(code)
    return ch.lower() != ch.upper()


Item = tuple[Any, Any, bool]  # a set item and whether it matches ignoring case


def _first(seq: list[tuple[Any, Any]], ignorecase: bool) -> tuple[list[Item], bool]:
    """(set items a match of `seq` can start with, whether `seq` can match nothing)."""
    out: list[Item] = []
    for op, av in seq:
        items, nullable = _one(op, av, ignorecase)
        out += items
        if not nullable:
            return out, False
    return out, True


def _one(op: Any, av: Any, ignorecase: bool) -> tuple[list[Item], bool]:
    if op is _c.LITERAL:
        return [(op, av, ignorecase)], False
    if op is _c.IN:
        if any(o is _c.NEGATE for o, _ in av):
            raise _Unknown
        return [(o, a, ignorecase) for o, a in av], False
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return [], True  # zero width: what follows is consumed at the same position
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if (add_flags | del_flags) & ~_NEUTRAL_FLAGS:
            raise _Unknown  # (?a:…), (?L:…): other character classes
        if add_flags & re.IGNORECASE:
            ignorecase = True
        if del_flags & re.IGNORECASE:
            ignorecase = False
        return _first(list(sub), ignorecase)
    if op is _c.ATOMIC_GROUP:
        return _first(list(av), ignorecase)
    if op is _c.BRANCH:
        out: list[Item] = []
        nullable = False
        for alt in av[1]:
            items, empty = _first(list(alt), ignorecase)
            out += items
            nullable = nullable or empty
        return out, nullable
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        lo, _hi, sub = av
        items, empty = _first(list(sub), ignorecase)
        return items, empty or lo == 0
    raise _Unknown  # any character, a negated literal, a group reference…


# flags that do not change which characters a set matches
_NEUTRAL_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL


def _render(items: list[Item], ignorecase: bool) -> str:
    """One character set per case mode, written under the pattern's own flags."""
    sets: dict[bool, list[str]] = {}
    for op, av, icase in items:
        if op is _c.LITERAL:
            part = _esc(av)
        elif op is _c.RANGE:
            part = f"{_esc(av[0])}-{_esc(av[1])}"
        elif op is _c.CATEGORY:
            part = _CATEGORIES[av]
        else:
            raise _Unknown
        sets.setdefault(icase, []).append(part)
    alts = []
    for icase, parts in sets.items():
        chars = "[" + "".join(dict.fromkeys(parts)) + "]"
        if icase == ignorecase:
            alts.append(chars)
        else:
            alts.append(f"(?{'i' if icase else '-i'}:{chars})")
    return "|".join(alts)


def _esc(code: int) -> str:
    return re.escape(chr(code))


def compile_guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, guarded."""
    return guarded(re.compile(pattern, flags))
