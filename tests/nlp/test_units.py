"""Pure functions: numbers, prices, dates, negation, language detection, KB."""

from datetime import date
from pathlib import Path

import pytest

from nlp.components.risks import RiskRules
from nlp.dates import resolve_as_of
from nlp.errors import KbError
from nlp.kb import load_kb, read_kb
from nlp.numbers import (
    change_fraction,
    discount_to_change,
    parse_quantity,
    per_million,
    per_unit_count,
)
from nlp.text import detect_lang


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30万亿", 3e13),
        ("1.2百万亿", 1.2e14),
        ("3 trillion", 3e12),
        ("三百亿", 3e10),
        ("16.4万亿", 1.64e13),
        ("2.5 quadrillion", 2.5e15),
        ("1,000", 1000.0),
        ("一点五万亿", 1.5e12),
    ],
)
def test_parse_quantity(text: str, value: float) -> None:
    assert parse_quantity(text) == pytest.approx(value)


def test_price_per_million() -> None:
    assert per_million(0.0008, per_unit_count("千")) == pytest.approx(0.8)
    assert per_million(2, per_unit_count("百万")) == pytest.approx(2.0)
    assert per_million(0.28, per_unit_count("million")) == pytest.approx(0.28)


def test_price_change_signs() -> None:
    assert change_fraction(97, -1) == pytest.approx(-0.97)
    assert change_fraction(20, 1) == pytest.approx(0.2)
    assert discount_to_change(50) == pytest.approx(-0.5)


@pytest.mark.parametrize(
    ("sentence", "pub", "expected"),
    [
        ("截至2025年6月底，中国日均词元调用量突破30万亿", date(2025, 8, 1), "2025-06-30"),
        ("今年3月，豆包日均tokens突破12万亿", date(2025, 5, 10), "2025-03"),
        ("In October, Google processed 1.3 quadrillion tokens", date(2026, 1, 5), "2025-10"),
        ("去年12月日均词元消耗量超过100万亿", date(2026, 1, 8), "2025-12"),
        ("火山引擎日均tokens超过16万亿", date(2025, 6, 12), "2025-06-12"),
    ],
)
def test_as_of(sentence: str, pub: date, expected: str) -> None:
    assert resolve_as_of(sentence, len(sentence), pub) == expected


def test_negated_risk_is_not_a_risk() -> None:
    rules = RiskRules()
    assert rules.sentence("经自查未发现重大合规风险。") == []
    assert rules.sentence("There is no evidence of a GPU shortage.") == []
    assert [c for c, _ in rules.sentence("多款AI应用被下架整改。")] == ["policy_regulatory"]


def test_language_detection() -> None:
    assert detect_lang("DeepSeek发布新模型，价格直降") == "zh"
    assert detect_lang("DeepSeek cut prices by 50%") == "en"


def test_kb_size_and_relations() -> None:
    kb = load_kb()
    assert len(kb) >= 150
    assert kb["doubao"].vendor == "bytedance"
    assert kb["volcano-engine"].parent == "bytedance"
    assert kb["ai-content-labeling-measures"].effective_at == "2025-09-01"


def test_bad_kb_entry_names_id_and_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "- {id: broken-model, kind: model, name: X, vendor: nobody}\n", encoding="utf-8"
    )
    with pytest.raises(KbError, match=r"bad\.yaml.*broken-model"):
        read_kb(tmp_path)
