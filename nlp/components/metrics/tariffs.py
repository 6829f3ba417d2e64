"""The tariff grammar (`condition`): time of day (夜间, 闲时, off-peak, 00:30-08:30), peak
hours, thinking and batch modes, and context-length tiers (0-32K, "longer than 200k tokens").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from nlp.components.metrics.grammar import CJK_RE
from nlp.lexicon import alternation
from nlp.prefilter import compile_guarded
from nlp.text import clause_bounds

# a context length: 32k, 32K, 32,000, 128千, 1M (in thousands of tokens via `_kilo`)
_LEN = r"\d+(?:,\d{3})*(?:\.\d+)?\s*(?:[kKmM](?![A-Za-z])|千|万)?"
_TIER_RE = compile_guarded(
    rf"(?P<lo>{_LEN})\s*(?:-|–|~|～|至|到|,|，|and|to)\s*(?P<hi>{_LEN})\s*(?:tokens?)?\s*[\]）)]?"
    rf"|(?:≤|<=|不超过|小于等于|up to|within|under|below|less than|不足)\s*(?P<le>{_LEN})"
    rf"|(?P<le2>{_LEN})\s*(?:tokens?\s*)?(?:及)?(?:以内|以下|or less|or fewer|or below)"
    rf"|(?:>|超过|大于|longer than|above|over|more than|exceeding|exceeds)\s*(?P<gt>{_LEN})"
    rf"|(?P<gt2>{_LEN})\s*(?:tokens?\s*)?(?:以上|or more)",
    re.I,
)
_CLOCK_RE = re.compile(
    r"(?P<h>\d{1,2}):\d{2}\s*(?:-|–|—|~|至|到|to|and)\s*(?:早上|凌晨|次日|早)?\s*\d{1,2}:\d{2}"
    r"\s*(?P<utc>UTC)?"
)
_TIER_CTX_RE = compile_guarded(
    r"上下文|输入长度|长度|区间|档|提示|context|prompts?|input(?:s)? (?:of|longer|up|under)|tier"
    r"|[\[(（]",
    re.I,
)

# a length that is plainly a count of tokens ("up to 32k tokens", "between 32k and 128k")
_TOKEN_LEN_RE = re.compile(r"\d\s*(?:[kK]|千|万)(?![A-Za-z])|\d\s*tokens?\b", re.I)


# what every context tier holds: a length with a unit (32k, 128千) or of 1,000 and more
_TIER_LEN_RE = re.compile(r"\d\s*(?:[kKmM]|千|万)|\d{4}|\d,\d{3}", re.I)


class SentenceCues(NamedTuple):
    """The tariff cues a sentence can hold at all (each figure looks in a part of it)."""

    conditions: tuple[tuple[str, re.Pattern[str]], ...]  # the cue words that occur in it
    tiers: bool  # a length a context tier could be read from
    clock: bool  # a time of day (hh:mm)


class TariffGrammar:
    def _build_tariffs(self, lex: dict) -> None:
        self.conditions = {
            k: re.compile(alternation(v), re.I) for k, v in lex["conditions"].items()
        }
        self._cue_memo: tuple[str, SentenceCues] | None = None

    def _cues(self, sent: str) -> SentenceCues:
        """Checked once per sentence (its prices and changes each look in several windows of
        it): a literal cue word absent from the sentence is absent from every window."""
        memo = self._cue_memo
        if memo is not None and memo[0] == sent:
            return memo[1]
        cues = SentenceCues(
            tuple((k, rx) for k, rx in self.conditions.items() if rx.search(sent)),
            bool(_TIER_LEN_RE.search(sent)),
            ":" in sent,
        )
        self._cue_memo = (sent, cues)
        return cues

    def _condition(self, sent: str, start: int, end: int, stop: int | None = None) -> str | None:
        """The tariff a figure at [start, end) belongs to: in English a cue right after it
        ("$3.50 with thinking", "for prompts longer than 200k tokens"), else the nearest
        time-of-day or context-tier cue before it in its sentence, else one after it in its
        clause. `stop` ends the look-ahead (the next figure)."""
        if not CJK_RE.search(sent):
            _, c1 = clause_bounds(sent, end, 0, len(sent))
            hi = min(c1, stop if stop is not None else len(sent), end + 60)
            reach = min(c1, stop if stop is not None else len(sent))
            after = self._condition_in(sent, end, hi, first=True, reach=reach)
            if after is not None:
                return after[1]
        best = self._condition_in(sent, 0, start, first=False)
        if best is not None:
            return best[1]
        _, c1 = clause_bounds(sent, end, 0, len(sent))
        after = self._condition_in(sent, end, c1, first=True)
        return after[1] if after is not None else None

    def _condition_in(
        self, sent: str, lo: int, hi: int, first: bool, reach: int | None = None
    ) -> tuple[int, str | None] | None:
        """The first (or last) condition cue in sent[lo:hi] as (position, condition); a
        "standard" cue counts, as condition None. A context tier starting before `hi` may
        run on to `reach` ("… for inputs of up to 32,000 tokens")."""
        cues = self._cues(sent)
        hits: list[tuple[int, str | None]] = []
        spans: list[tuple[int, int]] = []
        for name, rx in cues.conditions:
            for m in rx.finditer(sent, lo, hi):
                hits.append((m.start(), None if name == "standard" else name))
                spans.append(m.span())
        # a cue inside a longer one is not a cue of its own (峰时 in 错峰时段, peak in off-peak)
        hits = [
            h
            for h, (a, b) in zip(hits, spans, strict=True)
            if not any(x <= a and b <= y and (x, y) != (a, b) for x, y in spans)
        ]
        for m in _TIER_RE.finditer(sent, lo, max(hi, reach or hi)) if cues.tiers else ():
            tier = _tier(m)
            ctx = sent[max(0, m.start() - 16) : m.end() + 4]
            if (
                m.start() < hi
                and tier
                and (_TIER_CTX_RE.search(ctx) or _TOKEN_LEN_RE.search(m.group()))
            ):
                hits.append((m.start(), tier))
        for m in _CLOCK_RE.finditer(sent, lo, hi) if cues.clock else ():
            hour = int(m["h"])
            if hour in (0, 1, 22, 23) or (m["utc"] and hour == 16):
                hits.append((m.start(), "off_peak"))  # 00:30-08:30 Beijing time
        if not hits:
            return None
        return min(hits) if first else max(hits)


def _tier(m: re.Match[str]) -> str | None:
    """'0-32K' -> context<=32k, 'longer than 200k' -> context>200k, 'up to 1M' -> context<=1m."""
    for group, op in (("hi", "<="), ("le", "<="), ("le2", "<="), ("gt", ">"), ("gt2", ">")):
        if m[group]:
            kilo = _kilo(m[group])
            if kilo is None or kilo < 1:
                return None
            if kilo >= 1000 and kilo % 1000 == 0:
                return f"context{op}{kilo // 1000}m"
            return f"context{op}{kilo}k"
    return None


def _kilo(length: str) -> int | None:
    """A context length in thousands of tokens: '32k' -> 32, '32,000' -> 32, '1M' -> 1000."""
    m = re.fullmatch(r"([\d,.]+)\s*([kKmM]|千|万)?", length.strip())
    if m is None:
        return None
    try:
        value = float(m[1].replace(",", ""))
    except ValueError:
        return None
    unit = (m[2] or "").lower()
    scale = {"k": 1.0, "千": 1.0, "万": 10.0, "m": 1000.0}.get(unit, 0.001)
    if not unit and value < 1000:
        return None  # a bare small number is not a context length
    return round(value * scale)


def complement(condition: str | None) -> str | None:
    """The other tariff of a two-tier comparison: context>200k <-> context<=200k."""
    if condition and condition.startswith("context>"):
        return "context<=" + condition.removeprefix("context>")
    if condition and condition.startswith("context<="):
        return "context>" + condition.removeprefix("context<=")
    return {"peak": "off_peak", "off_peak": "peak"}.get(condition or "")
