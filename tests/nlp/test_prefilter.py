"""The scan shortcuts change how fast a pattern fails, never what it matches. The first-character
guard (`nlp.prefilter`): same spans and groups on the dev set for every metric-rule pattern and
for date search, and on strings built to probe case folding, inline flags and zero-width
starts. The suffix-first scan for unseen Chinese legal names: same matches as the plain one."""

from __future__ import annotations

import importlib.util
import json
import random
import re
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

import nlp.dates
import nlp.prefilter
from nlp.components.entities import EntityRules
from nlp.components.metrics.rules import MetricRules
from nlp.kb import load_kb
from nlp.prefilter import guarded
from nlp.text import ascii_fold, sentence_spans

DEVSET = Path(__file__).parent / "devset"


def _sentences() -> list[str]:
    out = []
    for path in sorted(DEVSET.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            out += [text[s:e] for s, e in sentence_spans(text)]
    return out


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in rx.finditer(text)]


def _rule_patterns() -> dict[str, re.Pattern[str]]:
    """The metric rules' patterns as they were compiled, before guarding."""
    rules = MetricRules(guard=False)
    out = {}
    for name, value in vars(rules).items():
        if isinstance(value, re.Pattern):
            out[name] = value
        elif isinstance(value, dict):
            out |= {f"{name}.{k}": v for k, v in value.items() if isinstance(v, re.Pattern)}
    return out


def test_rule_patterns_match_the_same_on_the_dev_set() -> None:
    sentences = _sentences()
    assert len(sentences) > 800
    patterns = _rule_patterns()
    guarded_count = 0
    for name, rx in patterns.items():
        fast = guarded(rx)
        guarded_count += fast is not rx
        for sent in sentences:
            assert _matches(fast, sent) == _matches(rx, sent), (name, sent)
    assert guarded_count >= 15  # the case-insensitive cue alternations got their guard


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"(?:kelvin|strasse)\b", re.I, "2 \u212aelvin, \u017ftrasse, KELVIN"),
        (r"\b(?i:one|two)(?=\s+million)|\d+", 0, "ONE million, Two million, 3"),
        (r"(?<![A-Za-z])(?:tokens?|词元)(?![A-Za-z])", re.I, "xTokens 词元 TOKENS"),
        (r"(?:每|per)?\s*(?:百万|million)", re.I, "每 百万 Per Million  million"),
        (r"(?:a|b)*c", 0, "aabc c bbc"),
        (r"[\]\-^]+x", 0, "]-^x ^x"),
    ],
)
def test_probes_match_the_same(pattern: str, flags: int, text: str) -> None:
    rx = re.compile(pattern, flags)
    assert _matches(guarded(rx), text) == _matches(rx, text)


def _unguarded_dates(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A second copy of `nlp.dates` compiled with plain `re.compile`."""
    spec = importlib.util.find_spec("nlp.dates")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with monkeypatch.context() as patch:
        patch.setattr(nlp.prefilter, "compile_guarded", re.compile)
        spec.loader.exec_module(module)
    return module


def test_dates_are_found_the_same_with_and_without_guards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = _unguarded_dates(monkeypatch)
    assert not plain._EN_YEAR.pattern.startswith("(?=")
    assert nlp.dates._EN_YEAR.pattern.startswith("(?=")
    probes = [
        "截至2025年6月底，日均调用量超过30万亿；去年同期仅为1万亿，上个月为25万亿。",
        "In May 2025 and by end of June, Q3 FY25; the first half of 2024, in 2023.",
        "二〇二五年三月、3月15日、今年一季度、下半年、年底，昨天和目前。",
    ]

    def spans(module: ModuleType, sent: str, pub: date | None) -> list[tuple[int, int, str]]:
        return [(d.start, d.end, d.value) for d in module.find_dates(sent, pub)]

    found = 0
    for sent in _sentences() + probes:
        for pub in (date(2025, 7, 1), None):
            assert spans(nlp.dates, sent, pub) == spans(plain, sent, pub), sent
            found += len(spans(plain, sent, pub))
    assert found > 100


def test_unseen_legal_names_are_scanned_like_the_plain_pattern() -> None:
    """`EntityRules._zh_legal_matches` tries only starts near a suffix: same matches."""
    rules = EntityRules(load_kb())
    rng = random.Random(12)
    chars = list("集团有限公司股份责任阿里巴（）()AB1 ，。\n") + ["中"] * 10
    texts = ["".join(rng.choice(chars) for _ in range(rng.randint(0, 80))) for _ in range(4000)]
    texts += _sentences()
    found = 0
    for text in texts:
        plain = [m.span() for m in rules.zh_legal.finditer(text)]
        assert [m.span() for m in rules._zh_legal_matches(text)] == plain, text
        found += len(plain)
    assert found > 100


def test_a_pattern_that_can_match_nothing_is_left_alone() -> None:
    rx = re.compile(r"(?:abc)?", re.I)
    assert guarded(rx) is rx
    negated = re.compile(r"[^，,]{0,3}x", re.I)
    assert guarded(negated) is negated


@pytest.mark.parametrize(
    "text",
    [
        "DeepSeek-V3 与腾讯混元 GPT-4o",
        "ＡＢＣ全角 Token",
        "ΣΟΦΙΑ İstanbul Straße",
        "𐐀 Deseret 𐐨",
        "",
    ],
)
def test_ascii_fold_lowercases_ascii_letters_only(text: str) -> None:
    """The fold the KB and risk automata match on: `str.lower` where it gives the same."""
    folded = ascii_fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in text)
