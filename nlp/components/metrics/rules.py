"""`MetricRules`: the grammars composed, sentence by sentence, into `Metric`s (see the
package docstring for the conventions)."""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Doc

from nlp.components.extensions import doc_text, norm_text, sentences
from nlp.components.metrics.attribution import Attribution, can_be_subject
from nlp.components.metrics.changes import ChangeGrammar
from nlp.components.metrics.filters import ai_entity, mask
from nlp.components.metrics.grammar import QTY, Found
from nlp.components.metrics.volumes import VolumeGrammar
from nlp.dates import find_dates, resolve_as_of
from nlp.lexicon import alternation, load_lexicon
from nlp.numbers import parse_quantity
from nlp.prefilter import guarded
from nlp.text import clause_bounds
from nlp.types import Metric


class MetricRules(VolumeGrammar, ChangeGrammar, Attribution):
    def __init__(self, guard: bool = True) -> None:
        """`guard=False` keeps the patterns as written (to compare them with guarded ones)."""
        lex = load_lexicon("metrics")
        self.lex = lex
        tok = alternation(lex["token_words"])
        self._build_filters(lex, tok)
        self._build_periods(lex)
        self._build_volumes(lex, tok)
        self.ago_sentence_re = re.compile(
            rf"\s*(?:A year (?:earlier|ago|before)|一年前|去年同期|上年同期)[^.。]{{0,30}}?"
            r"(?:was|were|stood at|totalled|仅为|仅约|仅|为|是|约)\s*"
            rf"(?:below |under |about |around |just |only |约|仅)?{QTY}"
        )
        # "This was up from 9.7 trillion tokens one year before."
        self.ago_from_re = re.compile(
            r"\s*(?:this|that|it|(?:the|this|that) (?:figure|number|total|volume|count))\s+"
            r"(?:was|is|compares|compared)\s+(?:up\s+|down\s+)?(?:sharply\s+)?(?:from|with)\s+"
            rf"(?:about |around |nearly |roughly |just |only |under |below )?{QTY}",
            re.I,
        )
        self._build_price(lex, tok)
        self._build_change(lex)
        self._build_tariffs(lex)
        self._build_attribution(lex)
        if guard:
            self._guard_patterns()

    def _guard_patterns(self) -> None:
        """Every pattern behind its first-character guard (`nlp.prefilter`): the cue
        alternations are case-insensitive, so `re` would try each at every character."""
        for name, value in list(vars(self).items()):
            if isinstance(value, re.Pattern):
                setattr(self, name, guarded(value))
            elif isinstance(value, dict) and all(isinstance(v, re.Pattern) for v in value.values()):
                setattr(self, name, {k: guarded(v) for k, v in value.items()})

    def run(self, doc: Doc, published: date | None) -> list[Metric]:
        text, original = norm_text(doc), doc_text(doc)
        all_entities = doc._.tw_entities or []
        entities = [e for e in all_entities if can_be_subject(e)]
        ai_doc = bool(self.ai_re.search(text)) or any(ai_entity(e) for e in entities)
        metrics: list[Metric] = []
        last_subject: tuple[str | None, str | None] = (None, None)
        last_pos = -1
        masked = mask(text, all_entities)
        last_volume: Metric | None = None
        for s0, s1 in sentences(doc):
            if self.excluded(masked, s0, s1):
                continue
            found = (
                self.volumes(text, s0, s1)
                + self.prices(text, s0, s1, ai_doc)
                + self.changes(text, s0, s1, ai_doc)
            )
            if last_volume is not None:  # "A year earlier it was 1 trillion (tokens)."
                ago = self._ago_sentence(text, s0, s1, last_volume)
                if ago and all(f.start == ago[0].start for f in found):
                    found = ago
            found = self._attribute_lists(
                text, s0, s1, sorted(found, key=lambda f: f.start), entities
            )
            cands: list[tuple[int, int, str, str, str]] | None = None
            for f in found:
                subjects: list[tuple[str | None, str | None]] = list(f.subjects)
                if not subjects:
                    if cands is None:
                        cands = self._candidates(text, s0, s1, entities)
                    one = self._subject(text, s0, s1, f.start, entities, cands)
                    one = one or self._national(s0, s1, all_entities)
                    one = one or self._prior_subject(text, s0, entities, last_pos)
                    subjects = [one or last_subject]
                as_of = resolve_as_of(text[s0:s1], f.start - s0, published)
                if f.dated:  # "up from 16.4 trillion in May": the date after the figure
                    _, c1 = clause_bounds(text, f.end, s0, s1)
                    own = find_dates(text[f.end : c1], published)
                    as_of = own[0].value if own else as_of
                if f.years_back:
                    as_of = _years_before(as_of, f.years_back)
                for subject in subjects:
                    last_subject, last_pos = subject, f.start
                    metrics.append(
                        Metric(
                            kind=f.kind,
                            value=f.value,
                            period=f.period,
                            currency=f.currency,
                            side=f.side,
                            condition=f.condition,
                            subject=subject[0],
                            subject_text=subject[1],
                            as_of=as_of,
                            start=f.start,
                            end=f.end,
                            quote=original[s0:s1],
                        )
                    )
                    if f.kind == "token_volume" and not f.years_back:
                        last_volume = metrics[-1]
        return _dedupe(metrics, published.isoformat() if published else None)

    def _ago_sentence(self, text: str, s0: int, s1: int, last: Metric) -> list[Found]:
        """ "… hit 40 trillion in August. A year earlier it was below 1 trillion.": the
        earlier figure in a sentence of its own, about what the previous figure was about."""
        m = self.ago_sentence_re.match(text, s0, s1)
        if m is None and _YEAR_AGO_RE.search(text, s0, s1):
            m = self.ago_from_re.match(text, s0, s1)
        value = parse_quantity(m["q"]) if m else None
        if m is None or value is None or value < 1e6:
            return []
        subject = (last.subject, last.subject_text or "")
        return [
            Found(
                "token_volume",
                value,
                m.start("q"),
                m.end("q"),
                period=last.period,
                years_back=1,
                subjects=(subject,) if last.subject else (),
            )
        ]


_YEAR_AGO_RE = re.compile(
    r"\b(?:a|one) year (?:ago|before|earlier)|twelve months (?:ago|earlier)|\blast year"
    r"|the (?:prior|previous) year",
    re.I,
)


def _years_before(as_of: str | None, years: int) -> str | None:
    if not as_of:
        return as_of
    year, rest = as_of[:4], as_of[4:]
    if rest == "-02-29":
        rest = "-02-28"
    return f"{int(year) - years:04d}{rest}"


def _dedupe(metrics: list[Metric], published: str | None) -> list[Metric]:
    """One observation per reported fact: a figure repeated in the title, lead and body is kept
    once (first mention), with the most specific as_of any mention resolved from the text."""
    kept: dict[tuple[object, ...], Metric] = {}
    for m in metrics:
        key = (m.kind, round(m.value, 9), m.period, m.currency, m.side, m.condition, m.subject)
        prev = kept.get(key)
        if prev is None:
            kept[key] = m
        elif prev.as_of == published and m.as_of not in (None, published):
            kept[key] = prev.model_copy(update={"as_of": m.as_of})
    return list(kept.values())
