"""Dates in text resolve against the document's published_at, else the caller's reference
time, never against today's date; named periods resolve to their own months."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from nlp import jsonl
from nlp.dates import find_dates
from nlp.extractor import extract


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("2024年初", date(2025, 5, 1), "2024-01"),  # the start of 2024, not December
        ("2024年底", date(2025, 5, 1), "2024-12-31"),
        ("2024年上半年", date(2025, 5, 1), "2024-06"),
        ("2024年下半年", date(2025, 5, 1), "2024-12"),
        ("2024年第三季度", date(2025, 5, 1), "2024-09"),
        ("今年一季度", date(2025, 5, 1), "2025-03"),
        ("一季度", date(2025, 5, 1), "2025-03"),
        ("四季度", date(2025, 2, 10), "2024-12"),  # had not begun in February: last year's
        ("下半年", date(2025, 2, 10), "2024-12"),
        ("上半年", date(2025, 8, 10), "2025-06"),
        ("年底", date(2025, 2, 10), "2025-12-31"),
        ("年初", date(2025, 8, 10), "2025-01"),
        ("H1 2025", date(2025, 9, 1), "2025-06"),
        ("Q3", date(2025, 11, 1), "2025-09"),
        ("Q3", date(2025, 2, 1), "2024-09"),
        ("H2", date(2025, 3, 1), "2024-12"),
        ("early 2024", date(2025, 3, 1), "2024-01"),
        ("the second half of 2024", date(2025, 3, 1), "2024-12"),
    ],
)
def test_periods_resolve_to_their_months(text: str, published: date, expected: str) -> None:
    assert [d.value for d in find_dates(text, published)] == [expected]


@pytest.mark.parametrize("text", ["一季度", "下半年", "上个月", "昨天", "Q3", "last month"])
def test_relative_periods_without_an_anchor_are_unknown(text: str) -> None:
    assert find_dates(text, None) == []


VOLUME = "国家数据局表示，上个月我国日均词元调用量已突破30万亿。"


def test_as_of_uses_published_at_first() -> None:
    ex = extract(VOLUME, published_at="2025-07-15", reference_time="2031-01-02")
    assert [m.as_of for m in ex.metrics] == ["2025-06"]


def test_as_of_falls_back_to_the_callers_reference_time() -> None:
    ex = extract(VOLUME, reference_time="2027-03-05T08:00:00+08:00")
    assert [m.as_of for m in ex.metrics] == ["2027-02"]


def test_without_publication_or_reference_relative_dates_stay_unknown() -> None:
    ex = extract(VOLUME)
    assert [m.value for m in ex.metrics] == [3e13] and [m.as_of for m in ex.metrics] == [None]


def test_extract_cli_reference_applies_only_to_lines_without_dates() -> None:
    lines = [
        {"id": "a", "text": VOLUME},
        {"id": "b", "text": VOLUME, "published_at": "2025-07-15"},
        {"id": "c", "text": VOLUME, "reference_time": "2026-01-10"},
    ]
    inp = io.StringIO("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    out, err = io.StringIO(), io.StringIO()
    assert jsonl.run(inp, out, err, reference="2027-03-05") == 0
    as_of = {r["id"]: [m["as_of"] for m in r["metrics"]] for r in map(json.loads, out.getvalue().splitlines())}
    assert as_of == {"a": ["2027-02"], "b": ["2025-06"], "c": ["2025-12"]}
