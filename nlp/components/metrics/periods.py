"""The period grammar: which period (minute, day, week, month, year) a volume is per.

An explicit cue (日均, weekly, per month) in the figure's clause wins, else in the phrase that
matched, else anywhere in its sentence; a cumulative cue (累计, to date) means no period; a
word that dates the figure too (上周, last month) counts only when nothing explicit is said; a
quarter has no period in the contract; "a year ago" dates a figure and is not a period.
"""

from __future__ import annotations

import re
from typing import cast

from nlp.lexicon import alternation, cue_pattern
from nlp.text import clause_bounds
from nlp.types import Period

_AGO_AFTER_RE = re.compile(r"\s*(?:ago|earlier|before|前|以前)")


class PeriodGrammar:
    def _build_periods(self, lex: dict) -> None:
        self.periods = {p: re.compile(alternation(w), re.I) for p, w in lex["periods"].items()}
        self.cumulative_re = re.compile(alternation(lex["cumulative"]), re.I)
        self.first_period_re = re.compile(alternation(lex["first_periods"]), re.I)
        self.weak_periods = {
            p: re.compile(cue_pattern(w), re.I) for p, w in lex["weak_periods"].items()
        }
        self.quarter_re = re.compile(
            rf"(?:{alternation(lex['quarter_words'])})(?![A-Za-z0-9])", re.I
        )

    def _period(self, sent: str, qs: int, qe: int, match_start: int) -> Period | None:
        """The period cue nearest the number in its clause, else in the matched phrase, else
        anywhere in its sentence (上周…, weekly ranking… stated away from the number)."""
        c0, c1 = clause_bounds(sent, qs, 0, len(sent))
        m0, _ = clause_bounds(sent, match_start, 0, len(sent))
        chunks = ((c0, c1), (min(m0, c0), c1), (0, len(sent)))
        # the cue words the sentence holds at all (each chunk is a part of it)
        periods = {p: rx for p, rx in self.periods.items() if rx.search(sent)}
        for lo, hi in chunks:
            chunk = sent[lo:hi]
            if self.cumulative_re.search(chunk) and not self.first_period_re.search(sent):
                return None  # a total, unless it is a first period's (去年全年，…累计…)
            best = self._nearest_period(periods, chunk, lo, qs)
            if best:
                return best
        for lo, hi in chunks:  # no explicit cue: a quarter has none, else 上周/last month…
            chunk = sent[lo:hi]
            if self.quarter_re.search(chunk):
                return None
            best = self._nearest_period(self.weak_periods, chunk, lo, qs)
            if best:
                return best
        return None

    @staticmethod
    def _nearest_period(
        periods: dict[str, re.Pattern[str]], chunk: str, lo: int, qs: int
    ) -> Period | None:
        best: tuple[int, str] | None = None
        for period, rx in periods.items():
            for m in rx.finditer(chunk):
                if _AGO_AFTER_RE.match(chunk, m.end()):
                    continue  # "a year ago" dates a figure, it is not a period
                dist = abs(lo + m.start() - qs)
                if best is None or dist < best[0]:
                    best = (dist, period)
        return cast(Period, best[1]) if best else None
