"""User text → a safe Lucene query for the cjk full-text indexes.

Nothing of the user's text reaches Lucene's query syntax: the text is cut into words (runs of
CJK characters, runs of letters/digits); CJK runs become quoted phrases (the cjk analyzer turns
them into bigrams), other words become lower-case terms with a prefix wildcard. Operators,
quotes, brackets, wildcards and escapes in the input are dropped.
"""

from __future__ import annotations

import re
from typing import Final

_WORD: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
MAX_TERMS: Final = 12


def lucene_query(text: str, *, all_terms: bool = False) -> str | None:
    """None when the text has no searchable word. `all_terms`: every word must match."""
    parts: list[str] = []
    for word in _WORD.findall(text)[:MAX_TERMS]:
        if "\u3400" <= word[0] <= "\ufaff":
            parts.append(f'"{word}"')
        else:
            low = word.lower()
            parts.append(f"({low} OR {low}*)" if len(low) >= 3 else low)
    if not parts:
        return None
    return (" AND " if all_terms else " OR ").join(parts)
