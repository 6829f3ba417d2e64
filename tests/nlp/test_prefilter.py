"""The first-character guard (`nlp.prefilter`) changes how fast a pattern fails, never what
it matches: same spans and groups on the dev set for every metric-rule pattern, and on
strings built to probe case folding, inline flags and zero-width starts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nlp.components.metrics.rules import MetricRules
from nlp.prefilter import guarded
from nlp.text import sentence_spans

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


def test_a_pattern_that_can_match_nothing_is_left_alone() -> None:
    rx = re.compile(r"(?:abc)?", re.I)
    assert guarded(rx) is rx
    negated = re.compile(r"[^，,]{0,3}x", re.I)
    assert guarded(negated) is negated
