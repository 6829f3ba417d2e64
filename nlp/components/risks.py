"""`tokenwatch.risks.v1`: sentence-level risk signals in four categories.

A sentence is a signal for a category when one of its literal cues occurs, or when one of the
category's triggers (a shortfall, a decline, a tightening: 不及预期, 回调, tumbled, 趋严) and
one of its aspects (what falls short: 落地, 股价, pilots, export) meet in one clause within a
few characters of each other (`compose` in `data/risks.yaml`). A negator earlier in the
clause (未发现, 并未, no evidence of…) or a relief word after the cue (困难正在缓解) cancels
it. Score = category weight + 0.1 per further cue, capped at 1. Entity ids are those of the
sentence. Matching runs on the simplified copy of the text; the evidence is the original.
"""

from __future__ import annotations

import re
from typing import cast

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from nlp.components.extensions import doc_text, norm_text, sentences
from nlp.lexicon import alternation, cue_pattern, load_lexicon
from nlp.text import clause_bounds
from nlp.types import Risk, RiskCategory

Span = tuple[int, int]


def _words(spec: dict[str, list[str]]) -> re.Pattern[str]:
    zh, en = alternation(spec.get("zh", [])), alternation(spec.get("en", []))
    parts = [f"(?:{zh})" if zh else "", rf"\b(?:{en})(?![A-Za-z])" if en else ""]
    return re.compile("|".join(p for p in parts if p), re.I)


class RiskRules:
    def __init__(self) -> None:
        lex = load_lexicon("risks")
        self.neg_zh = re.compile(alternation(lex["negators"]["zh"]))
        self.neg_en = re.compile(rf"\b(?:{alternation(lex['negators']['en'])})\b", re.I)
        self.relief = re.compile(cue_pattern(lex["relief"]), re.I)
        self.off_topic = re.compile(alternation(lex.get("off_topic", [])) or "(?!)", re.I)
        self.cats: dict[str, tuple[float, re.Pattern[str]]] = {}
        for cat, spec in lex["categories"].items():
            zh = cue_pattern(spec["zh"])
            en = cue_pattern(spec["en"])
            self.cats[cat] = (float(spec["weight"]), re.compile(rf"(?:{zh})|\b(?:{en})", re.I))
        compose = lex.get("compose", {})
        self.window = int(compose.get("window", 24))
        self.compose: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
            cat: (_words(spec["aspects"]), _words(spec["triggers"]))
            for cat, spec in compose.items()
            if isinstance(spec, dict)
        }

    def negated(self, sent: str, start: int, end: int) -> bool:
        """A negator before the cue in its clause, or a relief word after it (困难正在缓解)."""
        c0, c1 = clause_bounds(sent, start, 0, len(sent))
        window = sent[max(c0, start - 40) : start]
        if self.neg_zh.search(window) or self.neg_en.search(window):
            return True
        return bool(self.relief.search(sent[end : min(c1, end + 12)]))

    def composed(self, cat: str, sent: str) -> list[Span]:
        """Spans where an aspect and a trigger of `cat` meet in one clause (either order)."""
        pair = self.compose.get(cat)
        if pair is None:
            return []
        aspects_re, triggers_re = pair
        aspects = [(m.start(), m.end()) for m in aspects_re.finditer(sent)]
        if not aspects:
            return []
        window = self.window * (2 if sent.isascii() else 1)
        out = []
        for t in triggers_re.finditer(sent):
            c0, c1 = clause_bounds(sent, t.start(), 0, len(sent))
            for a0, a1 in aspects:
                if not (c0 <= a0 < c1) or (a0 < t.end() and t.start() < a1):
                    continue
                gap = t.start() - a1 if a0 < t.start() else a0 - t.end()
                if 0 <= gap <= window:
                    # negation is checked before the later word: 商业化进展并未放缓
                    out.append((max(a0, t.start()), max(a1, t.end())))
                    break
        return out

    def sentence(self, sent: str) -> list[tuple[RiskCategory, float]]:
        if self.off_topic.search(sent):
            return []
        out = []
        for cat, (weight, rx) in self.cats.items():
            spans = [(m.start(), m.end()) for m in rx.finditer(sent)] + self.composed(cat, sent)
            cues = [s for s in spans if not self.negated(sent, s[0], s[1])]
            if cues:
                out.append((cast(RiskCategory, cat), min(1.0, weight + 0.1 * (len(cues) - 1))))
        return out

    def run(self, doc: Doc) -> list[Risk]:
        text, original = norm_text(doc), doc_text(doc)
        ents = doc._.tw_entities or []
        risks = []
        for s0, s1 in sentences(doc):
            sent = text[s0:s1]
            for cat, score in self.sentence(sent):
                ids = tuple(dict.fromkeys(e.id for e in ents if s0 <= e.start < s1 and e.id))
                risks.append(
                    Risk(
                        category=cat,
                        text=original[s0:s1],
                        start=s0,
                        end=s1,
                        score=round(score, 3),
                        entities=ids,
                    )
                )
        return risks


@registry.misc("tokenwatch.risks.v1")
def risk_rules() -> RiskRules:
    return RiskRules()


@Language.factory(
    "tokenwatch_risks",
    assigns=["doc._.tw_risks"],
    requires=["doc._.tw_entities"],
    default_config={"rules": {"@misc": "tokenwatch.risks.v1"}},
)
def make_risks(nlp: Language, name: str, rules: RiskRules) -> Risks:
    return Risks(rules)


class Risks:
    def __init__(self, rules: RiskRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        doc._.tw_risks = self.rules.run(doc)
        return doc
