"""Loading of the YAML cue lexicons in `nlp/data/` (cached, validated on first use)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from nlp.errors import LexiconError

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=8)
def load_lexicon(name: str) -> dict[str, Any]:
    path = DATA_DIR / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path.name}: expected a mapping at the top level")
    return data


def cue_pattern(words: list[str]) -> str:
    """Like `alternation`, but entries written `re:<regex>` are used as regular expressions."""
    literal = [w for w in words if not str(w).startswith("re:")]
    regexes = [f"(?:{str(w)[3:]})" for w in words if str(w).startswith("re:")]
    return "|".join(p for p in (*regexes, alternation(literal)) if p)


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words that prefers the longest word at a position,
    written as a trie (`abc|abd|ab` -> `ab[cd]?`): Python's regex engine tries alternatives
    one by one, so a flat list of a few hundred cues cost a test per cue at every character;
    the trie costs one per distinct next character."""
    import re

    trie: dict[str, dict] = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if _case_variants(trie):
        # under re.I, `Token|token(?:s)?` would stop at "token" in "tokens": keep the flat
        # longest-first list when two branches differ only in case
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return _trie_pattern(trie)


def _case_variants(node: dict[str, dict]) -> bool:
    kids = [ch for ch in node if ch]
    if len({ch.lower() for ch in kids}) < len(kids):
        return True
    return any(_case_variants(sub) for sub in node.values())


def _trie_pattern(node: dict[str, dict]) -> str:
    import re

    kids = sorted((ch, sub) for ch, sub in node.items() if ch)
    if not kids:
        return ""
    optional = "?" if "" in node else ""
    if len(kids) > 1 and all(set(sub) == {""} for _, sub in kids):
        return "[" + "".join(re.escape(ch) for ch, _ in kids) + "]" + optional
    alts = [re.escape(ch) + _trie_pattern(sub) for ch, sub in kids]
    if len(alts) == 1 and not optional:
        return alts[0]
    return "(?:" + "|".join(alts) + ")" + optional
