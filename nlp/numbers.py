"""Number normalisation for Chinese and English news text (pure functions).

`parse_quantity("30万亿") == 3e13`, `parse_quantity("1.2百万亿") == 1.2e14`,
`parse_quantity("3 trillion") == 3e12`, `per_million("0.0008", "千") == 0.8`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cn2an

ZH_UNITS: dict[str, float] = {
    "亿亿": 1e16,
    "千万亿": 1e15,
    "百万亿": 1e14,
    "十万亿": 1e13,
    "万亿": 1e12,
    "兆": 1e12,  # Taiwan/Hong Kong usage (1兆 = 1万亿); 萬億 reaches here as 万亿 via OpenCC
    "千亿": 1e11,
    "百亿": 1e10,
    "十亿": 1e9,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
}
EN_UNITS: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "t": 1e12,
    "quadrillion": 1e15,
}
ZH_DIGITS = "零〇一二两三四五六七八九十百千点"
# a number word before a magnitude ("nearly one quadrillion", "a trillion tokens")
EN_NUMBER_WORDS: dict[str, float] = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
EN_WORD_NUM_RE = (
    r"\b(?i:one|two|three|four|five|six|seven|eight|nine|ten|a)"
    r"(?=\s+(?i:thousand|million|billion|trillion|quadrillion)\b)"
)
ZH_UNIT_RE = "|".join(sorted(ZH_UNITS, key=len, reverse=True))
EN_UNIT_RE = r"thousand|million|billion|trillion|quadrillion|mn|bn|trn|tn|[kKmMbBtT](?![a-zA-Z])"

# one number as written: Arabic (with separators) or Chinese numerals, then an optional unit
NUMBER_RE = re.compile(
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{ZH_DIGITS}]+|{EN_WORD_NUM_RE})"
    rf"\s*(?P<unit>{ZH_UNIT_RE}|(?:{EN_UNIT_RE}))?"
)


@lru_cache(maxsize=4096)  # the same few figures recur in every rule; cn2an is slow
def parse_number(text: str) -> float | None:
    """'1,234.5' -> 1234.5, '三十' -> 30.0, '一点五' -> 1.5; None when not a number."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    if text.lower() in EN_NUMBER_WORDS:
        return float(EN_NUMBER_WORDS[text.lower()])
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def unit_factor(unit: str | None) -> float | None:
    """Multiplier of a magnitude word (万亿, billion, bn, K); 1.0 when no unit."""
    if not unit:
        return 1.0
    unit = unit.strip()
    if unit in ZH_UNITS:
        return ZH_UNITS[unit]
    return EN_UNITS.get(unit.lower())


@lru_cache(maxsize=4096)
def parse_quantity(text: str) -> float | None:
    """A number with an optional magnitude: '30万亿' -> 3e13, '3 trillion' -> 3e12,
    '三百亿' -> 3e10, '1.2百万亿' -> 1.2e14."""
    text = text.strip()
    match = NUMBER_RE.fullmatch(text)
    if match is None:
        value = parse_number(text)
        return value
    number = parse_number(match["num"])
    factor = unit_factor(match["unit"])
    if number is None or factor is None:
        return None
    return float(f"{number * factor:.12g}")


PER_UNIT_TOKENS: dict[str, float] = {
    "千": 1e3,
    "1000": 1e3,
    "1,000": 1e3,
    "thousand": 1e3,
    "1k": 1e3,
    "k": 1e3,
    "万": 1e4,
    "百万": 1e6,
    "100万": 1e6,
    "1百万": 1e6,
    "million": 1e6,
    "1m": 1e6,
    "m": 1e6,
    "1,000,000": 1e6,
    "1000000": 1e6,
    "mtok": 1e6,
    "一百万": 1e6,
    "a million": 1e6,
    "one million": 1e6,
    "1 million": 1e6,
}


@lru_cache(maxsize=256)
def per_unit_count(unit: str) -> float | None:
    """How many tokens a price denominator counts: '千' -> 1000, 'million' -> 1e6."""
    key = re.sub(r"\s+", " ", unit.strip().lower())
    if key in PER_UNIT_TOKENS:
        return PER_UNIT_TOKENS[key]
    value = parse_quantity(key)
    return value if value and value > 0 else None


def per_million(amount: float, tokens_per_unit: float) -> float:
    """Normalise a price per `tokens_per_unit` tokens to a price per million tokens."""
    return round(amount * 1e6 / tokens_per_unit, 10)


def change_fraction(percent: float, direction: int) -> float:
    """Signed fraction from a percentage and a direction (+1 up, -1 down): (97, -1) -> -0.97."""
    return round(direction * percent / 100.0, 10)


def discount_to_change(remaining_percent: float) -> float:
    """'降至原价的50%' / '打5折' expressed as the remaining share -> signed change (-0.5)."""
    return round(remaining_percent / 100.0 - 1.0, 10)
