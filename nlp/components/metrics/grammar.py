"""The number + unit grammar every metric rule shares, and the figure a rule finds (`Found`).

A quantity is a number (Arabic with separators, or Chinese numerals) with an optional magnitude
word (万亿, 兆, trillion, tn, T): `QTY` captures it as group `q` for `nlp.numbers.parse_quantity`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.numbers import EN_UNIT_RE, EN_WORD_NUM_RE, ZH_DIGITS, ZH_UNIT_RE
from nlp.types import Currency, MetricKind, Period, Side

NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{ZH_DIGITS}]+|{EN_WORD_NUM_RE})"
QTY = rf"(?P<q>{NUM}\s*(?:{ZH_UNIT_RE}|(?:{EN_UNIT_RE}))?)"
PCT = r"(?P<p>\d+(?:\.\d+)?)\s*(?:%|％|percent|per cent|个百分点)"
RANGE_LOW_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|—|~|～|至|到|to)\s*$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Found:
    kind: MetricKind
    value: float
    start: int
    end: int
    period: Period | None = None
    currency: Currency | None = None
    side: Side | None = None
    condition: str | None = None
    years_back: int = 0  # 1 for "a year ago" figures: as_of one year before
    dated: bool = False  # an earlier figure: its own date follows it ("from 16tn in May")
    subjects: tuple[tuple[str | None, str | None], ...] = ()  # list attribution (分别 / 均)
