"""Metric forms of the second issue-12 round, one behaviour each, through the real pipeline.
The sentences are written for these tests; where each form was seen is noted in
tests/nlp/devset/passages_real_metrics_*.py."""

from __future__ import annotations

import pytest

from nlp import extract

N = None
Row = tuple[str, float, str | None, str | None, str | None, str | None, str | None]


def _metrics(text: str, lang: str | None = None) -> list[Row]:
    ex = extract(text, lang=lang, published_at="2025-10-01")
    return sorted(
        (m.kind, round(m.value, 4), m.period, m.currency, m.side, m.subject, m.condition)
        for m in ex.metrics
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a number word before a magnitude; "tokens in July" is that month's volume
        (
            "Google said it processed nearly one quadrillion tokens in July.",
            [("token_volume", 1e15, "month", N, N, "google", N)],
        ),
        # "between X and Y" gives its lower bound
        (
            "OpenRouter routes somewhere between 5 and 6 trillion tokens a week.",
            [("token_volume", 5e12, "week", N, N, "openrouter", N)],
        ),
        # the earlier figure in a sentence of its own is a separate observation
        (
            "Qwen handled 9 trillion tokens a day in September. "
            "This was up from 2 trillion tokens one year before.",
            [
                ("token_volume", 2e12, "day", N, N, "qwen", N),
                ("token_volume", 9e12, "day", N, N, "qwen", N),
            ],
        ),
        # a rival's figure in the clause after; "respectively" after the figures
        (
            "OpenAI is handling 250 trillion tokens per month, while Anthropic is north of "
            "40 trillion.",
            [
                ("token_volume", 4e13, "month", N, N, "anthropic", N),
                ("token_volume", 2.5e14, "month", N, N, "openai", N),
            ],
        ),
        (
            "Doubao and Qwen handled 60 trillion and 35 trillion tokens a day, respectively.",
            [
                ("token_volume", 3.5e13, "day", N, N, "qwen", N),
                ("token_volume", 6e13, "day", N, N, "doubao", N),
            ],
        ),
        # distractors: per-customer figures, GPU-instance price cuts
        ("Over 300 customers each consumed more than 1 trillion tokens this year.", []),
        ("Oracle cut its H200 instance pricing by 30% for AI training.", []),
    ],
)
def test_volume_and_distractor_forms(text: str, expected: list[Row]) -> None:
    assert _metrics(text) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "$a/$b per MTok (input/output)", sides after a list with "respectively"
        (
            "Gemini Flash costs $0.12/$0.45 per MTok (input/output).",
            [
                ("token_price", 0.12, N, "USD", "input", "gemini", N),
                ("token_price", 0.45, N, "USD", "output", "gemini", N),
            ],
        ),
        (
            "GPT-5 nano costs $0.05 and $0.40 per million input and output tokens respectively.",
            [
                ("token_price", 0.05, N, "USD", "input", "gpt-5", N),
                ("token_price", 0.4, N, "USD", "output", "gpt-5", N),
            ],
        ),
        # English context tiers after the price, the open top tier said by "beyond"
        (
            "Gemini input is $1.25 per million tokens up to 200k and $2.50 beyond.",
            [
                ("token_price", 1.25, N, "USD", "input", "gemini", "context<=200k"),
                ("token_price", 2.5, N, "USD", "input", "gemini", "context>200k"),
            ],
        ),
        # 快取未命中 is the input side, 快取命中 the cached one
        (
            "Kimi K2 輸入價格（快取未命中）為每百萬 Token 4 元，快取命中輸入為 1 元。",
            [
                ("token_price", 1.0, N, "CNY", "cached_input", "kimi", N),
                ("token_price", 4.0, N, "CNY", "input", "kimi", N),
            ],
        ),
    ],
)
def test_price_forms(text: str, expected: list[Row]) -> None:
    assert _metrics(text) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "value", "side", "condition"),
    [
        ("DeepSeek cut its cache-hit price to one-tenth of the original.", -0.9, "cached_input", N),
        ("DeepSeek is offering up to 50% off during its overnight window.", -0.5, N, "off_peak"),
        ("錯峰時段，DeepSeek-V3 API 價格降至原價的 50%。", -0.5, N, "off_peak"),
        ("騰訊雲混元-standard價格降至原價的四成。", -0.6, N, N),
        ("智谱宣布GLM-4-Air的价格腰斩。", -0.5, N, N),
        ("MiniMax cut MiniMax-M2 output prices threefold.", -0.6667, "output", N),
    ],
)
def test_change_forms(text: str, value: float, side: str | None, condition: str | None) -> None:
    rows = _metrics(text)
    assert [(r[0], r[1], r[4], r[6]) for r in rows] == [("price_change", value, side, condition)]


def test_per_side_changes() -> None:
    rows = _metrics("Google lowered Gemini Flash prices by 70% for input and 65% for output.")
    assert [(r[1], r[4]) for r in rows] == [(-0.7, "input"), (-0.65, "output")]
