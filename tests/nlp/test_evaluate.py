"""The scorer behind `tokenwatch eval`, and the floors on the real-form held-out set."""

from pathlib import Path

import pytest

from nlp.evaluate import EvalReport, evaluate, load_devset, render, score
from nlp.types import Entity, Extraction, Metric, Risk

HELDOUT_REAL = Path(__file__).parent / "heldout_real"


def gold_passage(**extra: object) -> dict:
    text = "DeepSeek夜间输出价格为每百万tokens 4元。股价回调。"
    return {
        "id": "g-1",
        "lang": "zh",
        "text": text,
        "entities": [
            {"type": "company", "text": "DeepSeek", "start": 0, "end": 8, "id": "deepseek"}
        ],
        "metrics": [
            {
                "kind": "token_price",
                "value": 4.0,
                "period": None,
                "currency": "CNY",
                "side": "output",
                "subject": "deepseek",
                "as_of": None,
                "condition": "off_peak",
            }
        ],
        "risks": [{"category": "market_sentiment", "text": "股价回调。", "start": 28, "end": 33}],
        **extra,
    }


def price(value: float) -> Metric:
    return Metric(
        kind="token_price", value=value, currency="CNY", side="output", subject="deepseek",
        start=0, end=1,
    )  # fmt: skip


def extraction(*metrics: Metric) -> Extraction:
    return Extraction(
        id="g-1",
        lang="zh",
        entities=(Entity(type="company", text="DeepSeek", start=0, end=8, id="deepseek", kb=True),),
        metrics=metrics,
        risks=(Risk(category="market_sentiment", text="股价回调。", start=28, end=33),),
    )


def test_gold_condition_must_be_predicted() -> None:
    report = EvalReport()
    score(gold_passage(), extraction(price(4.0)), report)
    assert (report.metrics.tp, report.metrics.fn, report.metrics.fp) == (0, 1, 1)
    assert any("FN metric token_price 4.0 None CNY output off_peak" in e for e in report.errors)


def test_metric_without_gold_condition_matches_on_value_within_one_percent() -> None:
    gold = gold_passage()
    gold["metrics"][0]["condition"] = None
    report = EvalReport()
    score(gold, extraction(price(4.03), price(4.2)), report)
    assert (report.metrics.tp, report.metrics.fp, report.metrics.fn) == (1, 1, 0)
    assert report.subject_accuracy == 1.0


def test_figures_are_sliced_by_language_variant_and_form() -> None:
    report = EvalReport()
    score(gold_passage(variant="zh-Hant", forms=["prices", "risks"]), extraction(), report)
    score(gold_passage(id="g-2", forms=["prices"]), extraction(), report)
    assert set(report.by_language) == {"zh-Hant", "zh-Hans"}
    assert report.by_form["prices"].passages == 2
    assert report.by_form["risks"].passages == 1
    assert report.by_form["prices"].metrics.fn == 2
    assert report.by_language["zh-Hant"].risks.tp == 1
    figures = report.as_dict()
    assert figures["by_type"]["metric/token_price"]["fn"] == 2
    assert figures["by_form"]["risks"]["entities"]["f1"] == 1.0
    assert "g-1" not in str(figures)  # figures only: no passage ids or text
    assert "form" in render(report) and "zh-Hant" in render(report)


@pytest.fixture(scope="module")
def heldout_real() -> EvalReport:
    return evaluate(HELDOUT_REAL)


def test_heldout_real_covers_every_form_and_variant(heldout_real: EvalReport) -> None:
    assert heldout_real.passages >= 100
    assert set(heldout_real.by_language) == {"zh-Hans", "zh-Hant", "en"}
    assert set(heldout_real.by_form) == {
        "scripts", "numbers", "periods", "prices", "price_changes",
        "attribution", "distractors", "entities", "risks",
    }  # fmt: skip


def test_heldout_real_floors(heldout_real: EvalReport) -> None:
    """Passages written before the issue-12 rules (tests/nlp/heldout_real/). First run of the
    unchanged extractor (FIRST_RUN.md): entities 0.868, metrics 0.447, subject 0.868, risks
    0.467. The floors hold the issue-12 rules' figures (0.963 / 0.818 / 0.976 / 0.900),
    rounded down with a little room; metrics after the second metrics round: 0.859."""
    report, text = heldout_real, render(heldout_real, max_errors=0)
    assert report.entities_all.f1 >= 0.94, text
    assert report.metrics.f1 >= 0.84, text
    assert report.subject_accuracy >= 0.95, text
    assert report.risks.f1 >= 0.85, text


def test_devset_has_500_passages_half_of_them_real_forms() -> None:
    gold = load_devset()
    real = [g for g in gold if g.get("origin") == "real-form"]
    assert len(gold) >= 500
    assert 2 * len(real) >= len(gold)
    assert all(g["forms"] for g in real), [g["id"] for g in real if not g["forms"]]
    assert {g["variant"] for g in real} == {"zh-Hans", "zh-Hant", "en"}


def test_devset_real_form_floors() -> None:
    """The dev passages modelled on real forms (issue 12). Before the issue-12 rules: 0.814 /
    0.333 / 0.846 / 0.409; after: 0.954 / 0.922 / 0.971 / 0.942 (metrics 0.965 after the second
    metrics round, with its passages). The floors hold the latter, rounded down."""
    report = evaluate(origin="real-form")
    text = render(report, max_errors=0)
    assert report.entities_all.f1 >= 0.94, text
    assert report.metrics.f1 >= 0.94, text
    assert report.subject_accuracy >= 0.95, text
    assert report.risks.f1 >= 0.92, text
