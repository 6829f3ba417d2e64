"""`tokenwatch.risks.v1`: sentence-level risk signals in four categories.

A sentence is a signal for a category when one of its literal cues occurs, or when one of the
category's triggers (a shortfall, a decline, a tightening: 不及预期, 回调, tumbled, 趋严) and
one of its aspects (what falls short: 落地, 股价, pilots, export) meet in one clause within a
few characters of each other (`compose` in `data/risks.yaml`). A negator earlier in the
clause (未发现, 并未, no evidence of…) or a relief word after the cue (困难正在缓解) cancels
it. Score = category weight + 0.1 per further cue, capped at 1. Entity ids are those of the
sentence. Matching runs on the simplified copy of the text; the evidence is the original.

Every literal word (cues, triggers, aspects, negators, relief and off-topic words of every
category) is found in one Aho-Corasick pass over the document, built once; only the few
`re:` cues are regular expressions. Per sentence, the hits are then taken leftmost-longest
per category and role, as a regex alternation would. English words keep their word
boundaries: a cue starts at one, a trigger, aspect or negator also ends at one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, cast

import ahocorasick
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from nlp.components.extensions import BatchPipe, doc_text, norm_text, sentences
from nlp.lexicon import load_lexicon
from nlp.prefilter import compile_guarded
from nlp.text import ascii_fold, clause_bounds
from nlp.types import Risk, RiskCategory

Span = tuple[int, int]
_FOLD = {i: i + 32 for i in range(ord("A"), ord("Z") + 1)}
# roles of a word; a category's cues, aspects and triggers are kept apart
CUE, ASPECT, TRIGGER, NEGATOR, RELIEF, OFF_TOPIC = (
    "cue",
    "aspect",
    "trigger",
    "neg",
    "relief",
    "off",
)


@dataclass(frozen=True)
class Role:
    role: str
    category: str  # "" for negators, relief and off-topic words
    start_boundary: bool  # an English word must start at a word boundary
    end_boundary: bool  # … and end at one


class Hit(NamedTuple):  # a tuple: thousands are made per document
    start: int
    end: int
    role: Role


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _latin(word: str) -> bool:
    return word[:1].isascii() and word[:1].isalpha()


def _greedy(spans: Iterable[Span]) -> list[Span]:
    """Leftmost-longest, non-overlapping (what `finditer` over an alternation returns)."""
    out: list[Span] = []
    for s, e in sorted(spans, key=lambda x: (x[0], -x[1])):
        if not out or s >= out[-1][1]:
            out.append((s, e))
    return out


class RiskRules:
    def __init__(self) -> None:
        lex = load_lexicon("risks")
        self.words: dict[str, list[Role]] = {}
        self._add(lex["negators"]["zh"], Role(NEGATOR, "", False, False))
        self._add(lex["negators"]["en"], Role(NEGATOR, "", True, True))
        self._add(lex["relief"], Role(RELIEF, "", False, False))
        self._add(lex.get("off_topic", []), Role(OFF_TOPIC, "", False, False))
        self.weights: dict[str, float] = {}
        self.regex_cues: dict[str, re.Pattern[str]] = {}
        for cat, spec in lex["categories"].items():
            self.weights[cat] = float(spec["weight"])
            words = [str(w) for w in (*spec["zh"], *spec["en"])]
            regexes = [w[3:] for w in words if w.startswith("re:")]
            if regexes:
                self.regex_cues[cat] = compile_guarded("|".join(f"(?:{r})" for r in regexes), re.I)
            self._add(
                [w for w in spec["zh"] if not str(w).startswith("re:")],
                Role(CUE, cat, False, False),
            )
            self._add(
                [w for w in spec["en"] if not str(w).startswith("re:")], Role(CUE, cat, True, False)
            )
        compose = lex.get("compose", {})
        self.window = int(compose.get("window", 24))
        self.composing: set[str] = set()
        for cat, spec in compose.items():
            if not isinstance(spec, dict):
                continue
            self.composing.add(cat)
            for role, key in ((ASPECT, "aspects"), (TRIGGER, "triggers")):
                self._add(spec[key].get("zh", []), Role(role, cat, False, False))
                self._add(spec[key].get("en", []), Role(role, cat, True, True))
        self.automaton = ahocorasick.Automaton()
        for key, roles in self.words.items():
            self.automaton.add_word(key, (len(key), tuple(roles)))
        self.automaton.make_automaton()

    def _add(self, words: Iterable[object], role: Role) -> None:
        for word in map(str, words):
            latin = _latin(word)
            r = Role(
                role.role, role.category, role.start_boundary and latin, role.end_boundary and latin
            )
            self.words.setdefault(word.translate(_FOLD).lower(), []).append(r)

    # -- finding ------------------------------------------------------------------------------
    def hits(self, text: str) -> list[Hit]:
        """Every word of the lexicon in `text` (simplified copy), boundaries checked."""
        folded = ascii_fold(text)
        out = []
        for last, (length, roles) in self.automaton.iter(folded):
            end = last + 1
            start = end - length
            before = start > 0 and _is_word(text[start - 1])
            after = end < len(text) and _is_word(text[end])
            for role in roles:
                if (role.start_boundary and before) or (role.end_boundary and after):
                    continue
                out.append(Hit(start, end, role))
        for cat, rx in self.regex_cues.items():
            out += [
                Hit(m.start(), m.end(), Role(CUE, cat, False, False)) for m in rx.finditer(text)
            ]
        out.sort(key=lambda h: h.start)
        return out

    def negated(self, sent: str, hits: list[Hit], start: int, end: int) -> bool:
        """A negator before the cue in its clause, or a relief word after it (困难正在缓解).
        `sent` and the hits share offsets (the sentence's)."""
        c0, c1 = clause_bounds(sent, start, 0, len(sent))
        lo, hi = max(c0, start - 40), min(c1, end + 12)
        for h in hits:
            if h.role.role == NEGATOR and lo <= h.start and h.end <= start:
                return True
            if h.role.role == RELIEF and end <= h.start and h.end <= hi:
                return True
        return False

    def composed(self, cat: str, sent: str, hits: list[Hit]) -> list[Span]:
        """Spans where an aspect and a trigger of `cat` meet in one clause (either order)."""
        if cat not in self.composing:
            return []
        aspects = _greedy(_spans(hits, ASPECT, cat))
        if not aspects:
            return []
        triggers = _greedy(_spans(hits, TRIGGER, cat))
        window = self.window * (2 if sent.isascii() else 1)
        out = []
        for t0, t1 in triggers:
            c0, c1 = clause_bounds(sent, t0, 0, len(sent))
            for a0, a1 in aspects:
                if not (c0 <= a0 < c1) or (a0 < t1 and t0 < a1):
                    continue
                gap = t0 - a1 if a0 < t0 else a0 - t1
                if 0 <= gap <= window:
                    # negation is checked before the later word: 商业化进展并未放缓
                    out.append((max(a0, t0), max(a1, t1)))
                    break
        return out

    def sentence(
        self, sent: str, hits: list[Hit] | None = None
    ) -> list[tuple[RiskCategory, float]]:
        """The categories `sent` signals, with scores; `hits` are its lexicon hits in sentence
        offsets (found here when not given)."""
        hits = self.hits(sent) if hits is None else hits
        if any(h.role.role == OFF_TOPIC for h in hits):
            return []
        out = []
        for cat, weight in self.weights.items():
            spans = _greedy(_spans(hits, CUE, cat)) + self.composed(cat, sent, hits)
            cues = [s for s in spans if not self.negated(sent, hits, s[0], s[1])]
            if cues:
                out.append((cast(RiskCategory, cat), min(1.0, weight + 0.1 * (len(cues) - 1))))
        return out

    def run(self, doc: Doc) -> list[Risk]:
        text, original = norm_text(doc), doc_text(doc)
        ents = doc._.tw_entities or []
        all_hits = self.hits(text)
        starts = [h.start for h in all_hits]
        risks = []
        for s0, s1 in sentences(doc):
            i, j = bisect_left(starts, s0), bisect_left(starts, s1)
            local = [Hit(h.start - s0, h.end - s0, h.role) for h in all_hits[i:j] if h.end <= s1]
            if not local:
                continue
            sent = text[s0:s1]
            for cat, score in self.sentence(sent, local):
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


def _spans(hits: list[Hit], role: str, cat: str) -> list[Span]:
    return [(h.start, h.end) for h in hits if h.role.role == role and h.role.category == cat]


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


class Risks(BatchPipe):
    def __init__(self, rules: RiskRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        doc._.tw_risks = self.rules.run(doc)
        return doc
