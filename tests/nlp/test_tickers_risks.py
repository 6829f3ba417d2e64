"""Tickers belong to their company; risks compose a trigger with an aspect over the simplified
copy of traditional text, negation cancels, evidence quotes the original; the lexicon helpers
that make this cheap match what a plain alternation would."""

from __future__ import annotations

import re

import pytest

from nlp import extract
from nlp.lexicon import alternation


def _entities(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(e.text, e.id, e.ticker) for e in extract(text, published_at="2025-06-01").entities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a KB company whose code the text writes with a leading zero
            "智谱（02513.HK）收涨6%。",
            [("智谱", "zhipu", "02513.HK"), ("02513.HK", "zhipu", "02513.HK")],
        ),
        (  # an unseen listed company: one generated id for the name and its code
            "中际旭创（300308.SZ）跌超10%。",
            [
                ("中际旭创", "new:company:中际旭创", "300308.SZ"),
                ("300308.SZ", "new:company:中际旭创", "300308.SZ"),
            ],
        ),
        (  # a share-class suffix between the name and the code
            "阿里巴巴-W（09988.HK）高开。",
            [("阿里巴巴", "alibaba", "09988.HK"), ("09988.HK", "alibaba", "09988.HK")],
        ),
        (
            "Nvidia (NASDAQ: NVDA) fell 3%.",
            [("Nvidia", "nvidia", "NVDA"), ("NVDA", "nvidia", "NVDA")],
        ),
        ("Shares of NVDA fell 3%.", [("NVDA", "nvidia", "NVDA")]),
        ("北京智谱华章科技股份有限公司（02513.HK）发布公告。", [
            ("北京智谱华章科技股份有限公司", "zhipu", "02513.HK"),
            ("02513.HK", "zhipu", "02513.HK"),
        ]),
    ],
)
def test_ticker_is_its_company(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _entities(text) == expected


def test_unknown_capitals_in_brackets_are_no_company() -> None:
    assert _entities("OpenAI (SB) said nothing.") == [("OpenAI", "openai", None)]


def _risks(text: str) -> list[tuple[str, str]]:
    return [(r.category, r.text) for r in extract(text, published_at="2025-06-01").risks]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("股價同步回落。", "market_sentiment"),
        ("北水連續三日淨賣出內地AI股，市場情緒轉趨審慎。", "market_sentiment"),
        ("外資連日賣超AI伺服器族群。", "market_sentiment"),
        ("企業對AI代理的採用仍處於起步階段，規模部署的個案不多。", "adoption_shortfall"),
        ("國產AI晶片良率偏低，產能爬坡慢於預期。", "technology_shortfall"),
        ("新版模型的推理表現不及舊版。", "technology_shortfall"),
        ("在歐營運的AI企業合規要求趨嚴、成本上升。", "policy_regulatory"),
        ("主管機關對違規的AI業者開罰。", "policy_regulatory"),
        ("AI chip stocks tumbled as the sell-off spread.", "market_sentiment"),
        ("The new model hallucinated more than its predecessor.", "technology_shortfall"),
    ],
)
def test_risk_compositions_quote_the_original(text: str, category: str) -> None:
    assert _risks(text) == [(category, text)]


@pytest.mark.parametrize(
    "text",
    [
        "公司股價並未回落，市場情緒穩定。",
        "模型推理表現並未落後於對手。",
        "厂商表示，大模型的商业化进展并未放缓。",
        "Analysts found no evidence of weak demand for inference.",
        "AI晶片的算力需求持續增加。",
    ],
)
def test_negated_or_harmless_sentences_signal_nothing(text: str) -> None:
    assert _risks(text) == []


def test_figures_and_risks_in_sentences_with_and_without_numbers() -> None:
    """Token metrics see only sentences holding a number; risks still see every sentence."""
    ex = extract(
        "市场担忧AI泡沫。火山引擎表示，豆包大模型日均Token调用量突破30万亿。",
        published_at="2025-06-01",
    )
    assert [(m.kind, m.value, m.subject) for m in ex.metrics] == [
        ("token_volume", 3e13, "doubao")
    ]
    assert [r.category for r in ex.risks] == ["market_sentiment"]


@pytest.mark.parametrize(
    "words",
    [["a", "ab", "abc", "abd", "b"], ["Token", "tokens", "token"], ["1.5", "1", "1.", "+"]],
)
def test_alternation_prefers_the_longest_word(words: list[str]) -> None:
    text = "xab abc abd b tokens Token 1.5 1. + 1"
    flat = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    found = [m.group() for m in re.finditer(alternation(words), text, re.I)]
    assert found == [m.group() for m in re.finditer(flat, text, re.I)]
    assert found  # the text holds some of every list
