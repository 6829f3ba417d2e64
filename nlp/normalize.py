"""Script normalisation for matching: traditional -> simplified Chinese, same length.

`to_simplified(text)` has exactly `len(text)` characters, so an offset found in the
normalised copy is an offset into the original (騰訊 -> 腾讯, 萬億 -> 万亿). OpenCC's `t2s`
phrase table can, rarely, change a phrase's length; such text falls back to converting one
character at a time (1:1 by construction).
"""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` in simplified characters, character for character (same length)."""
    if text.isascii():
        return text
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    return "".join(_one(conv, ch) for ch in text)


def _one(conv: opencc.OpenCC, ch: str) -> str:
    out = conv.convert(ch)
    return out if len(out) == 1 else ch
