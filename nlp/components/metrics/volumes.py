"""The token-volume grammar: a quantity × a token word × a volume verb, in either order
("30万亿Tokens", "Token调用量突破30万亿", "1.3 quadrillion tokens"), with the further figures
of a list (和/and), continuation clauses (，一季度约为10万亿), ranges (their lower bound) and
earlier figures of a comparison ("up from 480 trillion in May", 一年前的…) as separate, earlier
observations. The period comes from `PeriodGrammar`, the distractors from `Filters`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlp.components.metrics.filters import Filters
from nlp.components.metrics.grammar import QTY, RANGE_LOW_RE, Found
from nlp.components.metrics.periods import PeriodGrammar
from nlp.lexicon import alternation
from nlp.numbers import parse_quantity, unit_factor

_YEAR_AGO_ZH = re.compile(r"(?:一年前|去年同期|上年同期|去年)的?\s*$")
_YEAR_AGO_EN = re.compile(
    r"^\s*(?:(?:AI\s+)?tokens?\s+)?(?:(?:per|a|each)\s+(?:month|day|week)\s+)?"
    r"(?:(?:just |only )?(?:a|one) year (?:ago|earlier|before)|last year|the year before"
    r"|in the same period last year)",
    re.I,
)

_STOP_RE = re.compile(r"[。；;!?！？$￥¥]|\.(?!\d)")
_COMMA_RE = re.compile(r"[，,；;]")
_PCT_OR_MONEY_RE = re.compile(r"\s*(?:%|％|元|美元)")
_YEAR_AGO_WORD_RE = re.compile(r"一年前|去年同期|上年同期")
_AND_LOW_RE = re.compile(r"(\d+(?:\.\d+)?)\s*and\s*$")
_BETWEEN_RE = re.compile(r"\bbetween\s*$", re.I)


class VolumeGrammar(PeriodGrammar, Filters):
    def _build_volumes(self, lex: dict, tok: str) -> None:
        verbs = alternation(lex["volume_verbs"])
        adj = r"(?:(?:monthly|daily|weekly|AI|LLM|model)\s+)*"
        self.vol_after_re = re.compile(
            rf"{QTY}\s*(?:个|多个|余个|亿个)?\s*{adj}(?:{tok})(?![A-Za-z])", re.I
        )
        # a token word, then (within 48 characters) a verb and a quantity: the first valid
        # (verb, quantity) pair after each token word is taken (`_before_matches`)
        self.verb_qty_re = re.compile(
            rf"(?:(?:{verbs})\s*)+(?:\d{{1,2}}月(?:底|末|份)?的?\s*)?(?:(?:{verbs})\s*)*"
            rf"(?:日均|每日|每天|月均|每月|周均|每周|每分钟)?{QTY}(?![\d.]|,\d)"
            r"(?!\s*(?:%|％|元|美元|\$|个百分点|倍|成|x\b))(?![A-Za-z])"
        )
        self.continuation_re = re.compile(
            rf"[^，,；;。]{{0,10}}?(?:{verbs})\s*{QTY}(?![\d.]|,\d)(?!\s*(?:%|％|元|美元|\$|个百分点|倍|成|次))"
            r"\s*(?:个)?\s*(?=[，,；;。]|$)"
        )
        self.year_ago_en_re = re.compile(
            r"(?:up from|from|compared with|compared to|against|versus|vs\.?)\s+"
            rf"(?:about |around |nearly |roughly )?{QTY}",
            re.I,
        )
        self.coord_re = re.compile(
            rf"\s*(?:个)?\s*(?:(?:{tok})\s*)?(?:和|与|、|及|以及|,|，|and)\s*{QTY}(?!\s*(?:%|％|元|美元))",
            re.I,
        )
        # "…1.9T tokens, ahead of Claude at 1.2T", "…, while Groq is north of 50 trillion": a
        # rival's figure of the same kind, its own unit, in the clause after a found volume
        self.rival_re = re.compile(
            rf"\s*(?:(?:{tok})\s*)?(?:(?:a|per|each)\s+(?:day|week|month)\s*)?[,，]?\s*"
            r"(?:while|whereas|ahead of|behind|trailing|followed by|compared with|against|but)\s+"
            r"(?P<who>[^,.;%$\d]{1,30}?)\s+"
            r"(?:at|on|(?:is|was|are|were|stands|stood)\s+(?:at\s+|north of\s+|above\s+|over\s+"
            r"|around\s+|about\s+|near\s+|close to\s+)?|north of|reached|hit|processed|handled"
            r"|processes|handles|consumed|with)\s*"
            rf"(?:about |around |nearly |roughly |more than |over |some )?{QTY}"
            r"(?!\s*(?:%|％|percent|per cent|元|美元|yuan|dollars))",
            re.I,
        )
        self.coord_back_re = re.compile(
            rf"(?<![\d.]){QTY}\s*(?:和|与|、|及|以及|and)\s*(?:about |around |roughly )?$", re.I
        )
        self.year_ago_zh_re = re.compile(
            rf"(?:一年前|去年同期|上年同期)[^，,。；;\d]{{0,4}}?的?\s*{QTY}"
        )
        self.from_zh_re = re.compile(
            rf"(?:从|由|相比|较)(?:[^，,。；;\d]|\d{{1,2}}月){{0,10}}?的?\s*{QTY}"
            r"(?=\s*(?:个)?\s*(?:\S{0,4})?(?:增|升|提|跃|扩|到|至))"
        )
        self.volume_noun_re = re.compile(alternation(lex["volume_nouns"]), re.I)
        self.other_period_re = re.compile(
            rf"^\s*(?:个)?\s*(?:{tok})?\s*(?:{alternation(lex['unsupported_periods'])})", re.I
        )

    def volumes(self, text: str, s0: int, s1: int) -> list[Found]:
        sent = text[s0:s1]
        if not self.token_re.search(sent):
            return []
        out: list[Found] = []
        matches = [
            (m.start("q"), m.end("q"), m["q"], m.start(), "")
            for m in self.vol_after_re.finditer(sent)
        ] + self._before_matches(sent)
        for qs, qe, q, match_start, _gap in matches:
            value = parse_quantity(q)
            if value is None or value < 1e6:
                continue
            if self._not_volume(sent, qs, qe) or any(f.start == s0 + qs for f in out):
                continue
            if self.other_period_re.search(sent[qe : qe + 16]):
                continue  # tokens per hour/second: no such period in the contract
            low = RANGE_LOW_RE.search(sent[max(0, qs - 12) : qs])
            head = sent[max(0, qs - 24) : qs]
            if low is None:  # "somewhere between 5 and 6 trillion": also a range
                low = _AND_LOW_RE.search(sent[max(0, qs - 12) : qs])
                if low and not _BETWEEN_RE.search(head[: len(head) - len(low.group())]):
                    low = None
            if low and re.search(r"(?:from|从|由)\s*$", head[: len(head) - len(low.group())]):
                low = None  # "from 9.7 to 480 trillion" is a change, not a range
            if low and not re.search(r"[^\d.\s]", q[:1]):
                unit = re.sub(r"^[\d.,\s]+", "", q)
                factor = unit_factor(unit) if unit else 1.0
                if factor and float(low.group(1)) * factor < value:
                    value = float(f"{float(low.group(1)) * factor:.12g}")  # ranges: lower bound
                    qs = max(0, qs - 12) + low.start(1)
            ago = self._year_ago(sent, qs, qe)
            out.append(
                Found(
                    "token_volume",
                    value,
                    s0 + qs,
                    s0 + qe,
                    period=self._period(sent, qs, qe, match_start),
                    years_back=1 if ago else 0,
                )
            )
        out += self._coordinated(sent, s0, out)
        out += self._continuations(sent, s0, out)
        out += self._earlier_volumes(sent, s0, out)
        if any(f.years_back == 0 for f in out):  # an earlier figure shares the period of the
            main = next(f for f in out if f.years_back == 0)  # one it is compared with
            out = [
                replace(f, period=f.period or main.period) if f.years_back or f.dated else f
                for f in out
            ]
        else:
            out = [replace(f, years_back=0) for f in out]
        return out

    def _before_matches(self, sent: str) -> list[tuple[int, int, str, int, str]]:
        """(q start, q end, q, match start, gap) for "Token调用量…突破30万亿": after each token
        word, the first verb + quantity that is a plausible volume; a comma in between is
        crossed only by a volume noun (Token调用量增长60%，月调用量超过3万亿)."""
        out = []
        for t in self.token_re.finditer(sent):
            stop = _STOP_RE.search(sent[t.end() :])
            hi = t.end() + min(64, stop.start() if stop else len(sent))
            for m in self.verb_qty_re.finditer(sent, t.end(), hi):
                gap = sent[t.end() : m.start()]
                last_comma = max(gap.rfind("，"), gap.rfind(","))
                tail = gap[last_comma + 1 :]
                if last_comma >= 0 and len(tail) > 6 and not self.volume_noun_re.search(tail):
                    break  # a comma is crossed by a volume noun or a short qualifier (每天)
                value = parse_quantity(m["q"])
                if value is not None and value >= 1e6:
                    out.append((m.start("q"), m.end("q"), m["q"], t.start(), gap))
                    break
        return out

    def _continuations(self, sent: str, s0: int, found: list[Found]) -> list[Found]:
        """ "…日均Token消耗量约为25万亿，一季度约为10万亿": a later clause that is only a date
        or qualifier, a verb and a quantity continues the volume before it."""
        if not found:
            return []
        last = max(found, key=lambda f: f.end)
        out: list[Found] = []
        pos = last.end - s0
        while True:
            comma = _COMMA_RE.search(sent[pos:])
            if comma is None:
                break
            at = pos + comma.end()
            m = self.continuation_re.match(sent, at)
            if m is None:
                break
            value = parse_quantity(m["q"])
            if value is None or value < 1e8 or self._not_volume(sent, m.start("q"), m.end("q")):
                break
            f = replace(last, value=value, start=s0 + m.start("q"), end=s0 + m.end("q"))
            f = replace(f, period=self._period(sent, m.start("q"), m.end("q"), at) or last.period)
            out.append(f)
            pos = m.end("q")
        return out

    def _coordinated(self, sent: str, s0: int, found: list[Found]) -> list[Found]:
        """ "分别为1万亿和5万亿", "1.2 trillion and 800 billion tokens": the further figures of a
        list that starts with a found volume."""
        out: list[Found] = []
        taken = {f.start for f in found}
        queue = list(found)
        while queue:
            f = queue.pop()
            m = self.coord_re.match(sent, f.end - s0)
            if m is None or s0 + m.start("q") in taken:
                continue
            value = parse_quantity(m["q"])
            if value is None or value < 1e6 or _PCT_OR_MONEY_RE.match(sent[m.end("q") :]):
                continue
            g = replace(f, value=value, start=s0 + m.start("q"), end=s0 + m.end("q"))
            taken.add(g.start)
            out.append(g)
            queue.append(g)
        for f in found + out:
            m = self.rival_re.match(sent, f.end - s0)
            value = parse_quantity(m["q"]) if m else None
            if m is None or value is None or value < 1e6 or s0 + m.start("q") in taken:
                continue
            if not re.search(r"[^\d.,\s]", m["q"]) or self._not_volume(
                sent, m.start("q"), m.end("q")
            ):
                continue  # a bare number has no magnitude of its own
            taken.add(s0 + m.start("q"))
            out.append(replace(f, value=value, start=s0 + m.start("q"), end=s0 + m.end("q")))
        for f in found:  # "roughly 2 trillion and 8 trillion tokens": the figures before
            head = sent[max(0, f.start - s0 - 30) : f.start - s0]
            m = self.coord_back_re.search(head)
            if m is None:
                continue
            value = parse_quantity(m["q"])
            qs = f.start - len(head) + m.start("q")
            if value is None or value < 1e6 or qs in taken:
                continue
            taken.add(qs)
            out.append(replace(f, value=value, start=qs, end=qs + len(m["q"])))
        return out

    def _year_ago(self, sent: str, qs: int, qe: int) -> bool:
        return bool(_YEAR_AGO_ZH.search(sent[max(0, qs - 8) : qs])) or bool(
            _YEAR_AGO_EN.match(sent[qe : qe + 40])
        )

    def _earlier_volumes(self, sent: str, s0: int, found: list[Found]) -> list[Found]:
        """ "up from 9.7 trillion a year ago", "一年前的9.7万亿": the earlier figure of a
        comparison, when the sentence also has the current one."""
        if not found:
            return []
        out = []
        taken = {f.start - s0 for f in found}
        first = min(f.start - s0 for f in found)
        zh = list(self.year_ago_zh_re.finditer(sent)) + list(self.from_zh_re.finditer(sent))
        for m in zh + list(self.year_ago_en_re.finditer(sent)):
            qs, qe = m.start("q"), m.end("q")
            ago = self._year_ago(sent, qs, qe) or bool(_YEAR_AGO_WORD_RE.match(m.group()))
            if qs in taken or not (ago or qs > first or m.re is not self.year_ago_en_re):
                continue  # "from X" before any current figure is a range start, not a figure
            value = parse_quantity(m["q"])
            if value is None or value < 1e6 or _PCT_OR_MONEY_RE.match(sent[qe:]):
                continue
            taken.add(qs)
            out.append(
                Found(
                    "token_volume", value, s0 + qs, s0 + qe, years_back=1 if ago else 0, dated=True
                )
            )
        return out
