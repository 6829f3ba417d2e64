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
    """A regex alternation of literal words, longest first."""
    import re

    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
