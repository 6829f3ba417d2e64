"""`tokenwatch.token_metrics.v1`: token volumes, token prices and price changes.

The rules compose: a number grammar (`nlp.numbers`: 30万亿, 1.3 quadrillion, 3兆, 1-2万亿 →
its lower bound) × a unit grammar (token words, per-unit price denominators) × a period
grammar (日均, weekly, 上周, per month — in the figure's clause, else anywhere in its sentence)
× subject attribution. Matching runs on the simplified copy of the text (`norm_text`), so
traditional script (萬億, 詞元, 調用量) reads like simplified; quotes come from the original.

Conventions (also what the dev set is annotated with):
- `token_volume` is tokens per `period` (null for cumulative totals); `token_price` is the
  price per 1,000,000 tokens; `price_change` a signed fraction. Both the old and the new
  price of a cut are reported ("从0.02元/千tokens降至0.0005元/千tokens" → 20 and 0.5 CNY).
- A figure "a year ago" / 一年前 / 去年同期 is a separate, earlier observation (as_of one
  year before the figure it is compared with), not a period.
- `condition` names the tariff: `off_peak` (夜间, 闲时, off-peak), `peak`, or a context tier by
  its upper bound (`context<=32k`) or, for the open top tier, its lower bound (`context>200k`).
- Comparisons with another product (比行业便宜99.3%, 60% cheaper than X) are not price
  changes; GPU/server rental prices, stock moves, rate limits (TPM/RPM), parameter counts,
  user counts, API call counts and revenue yield no metric.
- subject: the nearest entity (model, company) or country (中国 -> `cn`) before the figure in
  its clause, else before it in the sentence, else after it in the sentence, else the nearest
  subject named before the sentence (the previous figure's subject or a later entity). Where
  that nearest name is a company and a model is named before the figure too, the model wins.
  Lists: "A和B…分别为X和Y" / "A and B … respectively" pair subjects and figures in order;
  "A和B…均为X" reports X for each. Research firms, brokers, agencies and policies are
  sources, not subjects.
- as_of: the nearest date before the figure in its sentence, else the first after it in its
  clause, else the publication date.
- one observation per fact: the same figure (kind, value, period, currency, side, condition,
  subject) repeated in a document (title, lead, body) is reported once, at its first mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import cast

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from nlp.components.extensions import doc_text, norm_text, sentences
from nlp.dates import find_dates, resolve_as_of
from nlp.lexicon import alternation, load_lexicon
from nlp.numbers import (
    EN_UNIT_RE,
    ZH_DIGITS,
    ZH_UNIT_RE,
    change_fraction,
    discount_to_change,
    parse_number,
    parse_quantity,
    per_million,
    per_unit_count,
    unit_factor,
)
from nlp.text import clause_bounds
from nlp.types import Currency, Entity, Metric, MetricKind, Period, Side

NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{ZH_DIGITS}]+)"
QTY = rf"(?P<q>{NUM}\s*(?:{ZH_UNIT_RE}|(?:{EN_UNIT_RE}))?)"
PCT = r"(?P<p>\d+(?:\.\d+)?)\s*(?:%|％|percent|per cent|个百分点)"
NON_SUBJECT_SECTORS = {"research", "broker"}
AI_SECTORS = {"ai_model", "cloud", "ai_platform"}
FOREIGN_AGENCIES = ("us-", "eu-", "uk-", "bis", "ftc", "nist", "white-house")
ZH_FRACTION = {"二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "八": 8, "十": 10}
EN_FOLD = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
EN_FRACTION = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
EN_BY_FRACTION = {
    "two thirds": 0.667,
    "a third": 0.333,
    "one third": 0.333,
    "a quarter": 0.25,
    "three quarters": 0.75,
}
_RANGE_LOW_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|—|~|～|至|到|to)\s*$")
# a context length: 32k, 32K, 32,000, 128千, 1M (in thousands of tokens via `_kilo`)
_LEN = r"\d+(?:,\d{3})*(?:\.\d+)?\s*(?:[kKmM](?![A-Za-z])|千|万)?"
_TIER_RE = re.compile(
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
_INSTEAD_RE = re.compile(
    r"(?:instead of|rather than|versus|vs\.?|compared with|而非|而不是|相比)\s*$", re.I
)
_TIER_CTX_RE = re.compile(
    r"上下文|输入长度|长度|区间|档|提示|context|prompts?|input(?:s)? (?:of|longer|up|under)|tier"
    r"|[\[(（]",
    re.I,
)
_YEAR_AGO_ZH = re.compile(r"(?:一年前|去年同期|上年同期|去年)的?\s*$")
_YEAR_AGO_EN = re.compile(
    r"^\s*(?:(?:AI\s+)?tokens?\s+)?(?:(?:per|a|each)\s+(?:month|day|week)\s+)?"
    r"(?:a year (?:ago|earlier|before)|last year|the year before|in the same period last year)",
    re.I,
)
_COMPARE_BEFORE_RE = re.compile(
    r"比(?!例|较|重|特|赛|上年|去年|上月|此前|之前|原价)[^，,。；;]{1,16}$"
)
_COMPARE_AFTER_RE = re.compile(r"[^，,。；;.]{0,30}?\b(?:than|versus|vs\.?)\b", re.I)
# every price-change form has one of these; sentences without one skip the big alternation
_CHANGE_HINT_RE = re.compile(
    r"[%％折半成]|分之|per\s?cent|half|halv|fold|third|quarter|fifth|tenth|\d\s*[xX×]", re.I
)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_LIST_JOIN_RE = re.compile(r"^\s*(?:和|与|及|以及|、|,|，|and|&|as well as)\s*$", re.I)


@dataclass(frozen=True)
class Found:
    kind: MetricKind
    value: float
    start: int
    end: int
    period: Period | None = None
    currency: Currency | None = None
    side: Side | None = None
    condition: str | None = None
    years_back: int = 0  # 1 for "a year ago" figures: as_of one year before
    dated: bool = False  # an earlier figure: its own date follows it ("from 16tn in May")
    subjects: tuple[tuple[str | None, str | None], ...] = ()  # list attribution (分别 / 均)


class MetricRules:
    def __init__(self) -> None:
        lex = load_lexicon("metrics")
        self.lex = lex
        tok = alternation(lex["token_words"])
        self.token_re = re.compile(rf"(?:{tok})(?![A-Za-z])")
        self.exclude_re = re.compile(
            rf"(?<![A-Za-z])(?:{alternation(lex['exclude_sentence'])})(?![A-Za-z])", re.I
        )
        self.not_volume_re = re.compile(
            rf"(?<![A-Za-z])(?:{alternation(lex['not_volume_near'])})(?![A-Za-z])", re.I
        )
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
            r"(?:up from|from|compared with|compared to|versus|vs\.?)\s+"
            rf"(?:about |around |nearly |roughly )?{QTY}",
            re.I,
        )
        self.coord_re = re.compile(
            rf"\s*(?:个)?\s*(?:(?:{tok})\s*)?(?:和|与|、|及|以及|,|，|and)\s*{QTY}(?!\s*(?:%|％|元|美元))",
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
        self.ago_sentence_re = re.compile(
            rf"^\s*(?:A year (?:earlier|ago|before)|一年前|去年同期|上年同期)[^.。]{{0,30}}?"
            r"(?:was|were|stood at|totalled|仅为|仅约|仅|为|是|约)\s*"
            rf"(?:below |under |about |around |just |only |约|仅)?{QTY}"
        )
        self.periods = {p: re.compile(alternation(w), re.I) for p, w in lex["periods"].items()}
        self.cumulative_re = re.compile(alternation(lex["cumulative"]), re.I)
        self.first_period_re = re.compile(alternation(lex["first_periods"]), re.I)
        self.weak_periods = {
            p: re.compile(alternation(w), re.I) for p, w in lex["weak_periods"].items()
        }
        self.quarter_re = re.compile(
            rf"(?:{alternation(lex['quarter_words'])})(?![A-Za-z0-9])", re.I
        )
        self.volume_noun_re = re.compile(alternation(lex["volume_nouns"]), re.I)
        self.other_period_re = re.compile(
            rf"^\s*(?:个)?\s*(?:{tok})?\s*(?:{alternation(lex['unsupported_periods'])})", re.I
        )
        self._build_price(lex, tok)
        self._build_change(lex)
        self.ai_re = re.compile(alternation(lex["ai_context"]), re.I)
        self.country = {k: re.compile(alternation(v)) for k, v in lex["countries"].items()}
        self.conditions = {
            k: re.compile(alternation(v), re.I) for k, v in lex["conditions"].items()
        }

    def _build_price(self, lex: dict, tok: str) -> None:
        sides = [w for ws in lex["side_cues"].values() for w in ws]
        side = alternation(sides)
        count = (
            r"千|1000|1,000|万|百万|100万|一百万|million|1M|1 M|1 million|one million|thousand"
            r"|1K|K|M"
        )
        bare = r"(?=(?:百万|100万|一百万|千)\s*个?\s*(?:tokens?|Tokens?|词元|令牌))"
        self.per_re = re.compile(
            rf"(?:(?:每|/|per|a|each|every|for)\s*|{bare})(?P<side0>{side})?\s*(?P<cnt>{count})?\s*(?:个)?\s*(?P<side>{side})?\s*(?P<tokw>{tok})?(?![A-Za-z])",
            re.I,
        )
        self.money_re = re.compile(
            r"(?:(?P<c1>US\$|\$|USD|RMB|CNY|¥|￥)\s*(?P<a1>\d+(?:\.\d+)?)"
            r"|(?P<a2>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十点]+)\s*(?P<c2>元|美元|美金|美分|分(?![钟之析别享])|厘|yuan|dollars?|cents?|USD|RMB|CNY)(?![A-Za-z]))"
        )
        # one pass, cached_input first so 缓存命中输入 is not read as 输入
        self.side_any_re = re.compile(
            "|".join(f"(?P<{k}>{alternation(v)})" for k, v in lex["side_cues"].items())
            + "|(?P<not_a_side>"
            + alternation(lex["not_a_side"])
            + ")",
            re.I,
        )
        # an English side word ends at a word boundary ("inputs" is not "input")
        self.side_any_re = re.compile(
            rf"(?:{self.side_any_re.pattern})(?:(?<![A-Za-z])|(?![A-Za-z]))", re.I
        )
        self.cur = {k: set(v) for k, v in lex["currency"].items()}
        after = alternation(lex["not_token_price_after"])
        self.not_price_after_re = re.compile(
            rf"^\s*(?:/|每|per|a|an)\s*(?:{after})(?![A-Za-z])", re.I
        )
        self.rental_re = re.compile(alternation(lex["rental"]), re.I)

    def _build_change(self, lex: dict) -> None:
        down, up = alternation(lex["down_verbs"]), alternation(lex["up_verbs"])
        mod = rf"(?:{alternation(lex['change_modifiers'])})?"
        pu, pby, p2 = (PCT.replace("?P<p>", f"?P<{g}>") for g in ("pu", "pby", "p2"))
        en_verbs = alternation(lex["change_verbs_by"])
        en_gap = r"(?P<en_gap>(?:[^.;%。]|\.(?!\s)){1,50}?)"
        remain = r"(?:降至|降到|降为|低至|下调至|下调到|调至|调整为|仅为|只有|仅需)"
        orig = r"(?:原价|原来|此前|之前|原先|标准价格|标准价)"
        self.change_re = re.compile(
            rf"(?P<dn>{down})\s*{mod}\s*{mod}\s*{PCT}|(?P<up>{up})\s*{mod}\s*{mod}\s*{pu}"
            rf"|{p2}\s*(?:的)?\s*(?:price\s+)?(?P<dn2>{alternation(lex['change_nouns_after'])})"
            rf"|{remain}{orig}的?\s*(?P<rem>\d+(?:\.\d+)?)\s*(?:%|％)"
            rf"|{remain}?{orig}的?\s*(?P<fden>[二两三四五六八十]|\d+)分之(?P<fnum>一|1)"
            rf"|{remain}?{orig}的?\s*(?P<snum>1)\s*/\s*(?P<sden>\d+)"
            rf"|\b(?:{en_verbs})\b{en_gap}\bby\s+{mod}\s*{pby}"
            rf"|(?:(?:打|享受?|按)\s*(?P<zhe>\d+(?:\.\d+)?|[一二三四五六七八九])\s*折|(?P<zhe2>\d(?:\.\d+)?)\s*折(?![扣合算旧叠]))"
            rf"|(?:降幅|降价|下降|下调|便宜|减价)\s*{mod}\s*(?P<cheng>[一二三四五六七八九]|\d)成"
            rf"|(?P<half>(?:降价|降低|下调|下降|便宜|降幅)\s*(?:了)?\s*(?:约为|约|近|超过|达|为)?\s*一半|(?:为|是|仅为|降至|降为)[^，,。；;]{{0,6}}?的一半|价格减半|减半|半价|halve[sd]?|halving|(?:cut|cuts|slashed|lowered|reduced)\s+(?:\S+\s+){{0,3}}?(?:in|by)\s+half|half\s+price)"
            rf"|\b(?:a|one)\s+(?P<enfr>third|quarter|fifth|tenth)\s+(?:of\s+(?:what|the|its|their)|as\s+(?:expensive|much))"
            rf"|\b(?:cut|cuts|slashed|lowered|reduced|lower|reduce)\s+(?:\S+\s+){{0,4}}?by\s+(?P<byfr>two-thirds|two\sthirds|a\sthird|one\sthird|a\squarter|three\squarters|three-quarters)"
            rf"|\b(?:cut|cuts|slashed|lowered|reduced)\s+(?:\S+\s+){{0,4}}?(?P<fold2>two|three|four|five|ten)fold"
            rf"|(?P<mult>\d+(?:\.\d+)?)\s*(?:x|X|×|-fold|fold)\s+(?:price\s+)?(?:cut|reduction|drop|lower|cheaper)"
            rf"|\b(?P<fold>two|three|four|five|ten)fold\s+(?:price\s+)?(?:cut|reduction|drop)",
            re.I,
        )
        self.price_ctx_re = re.compile(alternation(lex["price_context"]), re.I)
        self.self_price_re = re.compile(alternation(lex["self_price_verbs"]), re.I)
        self.change_excl_re = re.compile(alternation(lex["change_exclude"]), re.I)

    # -- volumes -----------------------------------------------------------------------------
    def excluded(self, masked: str, s0: int, s1: int) -> bool:
        """Another sense of "token" in the sentence (crypto, museum, auth…), names masked out."""
        return bool(self.exclude_re.search(masked, s0, s1))

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
            low = _RANGE_LOW_RE.search(sent[max(0, qs - 12) : qs])
            head = sent[max(0, qs - 24) : qs]
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
            stop = re.search(r"[。；;!?！？$￥¥]|\.(?!\d)", sent[t.end() :])
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
            comma = re.search(r"[，,；;]", sent[pos:])
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
            if value is None or value < 1e6 or re.match(r"\s*(?:%|％|元|美元)", sent[m.end("q") :]):
                continue
            g = replace(f, value=value, start=s0 + m.start("q"), end=s0 + m.end("q"))
            taken.add(g.start)
            out.append(g)
            queue.append(g)
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
            ago = self._year_ago(sent, qs, qe) or bool(
                re.match(r"一年前|去年同期|上年同期", m.group())
            )
            if qs in taken or not (ago or qs > first or m.re is not self.year_ago_en_re):
                continue  # "from X" before any current figure is a range start, not a figure
            value = parse_quantity(m["q"])
            if value is None or value < 1e6 or re.match(r"\s*(?:%|％|元|美元)", sent[qe:]):
                continue
            taken.add(qs)
            out.append(
                Found(
                    "token_volume", value, s0 + qs, s0 + qe, years_back=1 if ago else 0, dated=True
                )
            )
        return out

    def _not_volume(self, sent: str, qs: int, qe: int) -> bool:
        before = sent[max(0, qs - 8) : qs]
        if re.search(
            r"(?:每|/|\bper|\ba|\beach)\s*(?:输入|输出|input|output|prompt)?\s*$", before, re.I
        ):
            return True
        c0, c1 = clause_bounds(sent, qs, 0, len(sent))
        near = sent[max(c0, qs - 24) : min(c1, qe + 16)]
        if self.not_volume_re.search(near):
            return True
        return bool(
            re.match(
                r"\s*(?:个)?\s*(?:tokens?|Tokens?|词元)?\s*(?:元|美元|\$|收费|计费)",
                sent[qe : qe + 12],
            )
        )

    def _period(self, sent: str, qs: int, qe: int, match_start: int) -> Period | None:
        """The period cue nearest the number in its clause, else in the matched phrase, else
        anywhere in its sentence (上周…, weekly ranking… stated away from the number)."""
        c0, c1 = clause_bounds(sent, qs, 0, len(sent))
        m0, _ = clause_bounds(sent, match_start, 0, len(sent))
        chunks = ((c0, c1), (min(m0, c0), c1), (0, len(sent)))
        for lo, hi in chunks:
            chunk = sent[lo:hi]
            if self.cumulative_re.search(chunk) and not self.first_period_re.search(chunk):
                return None
            best = self._nearest_period(self.periods, chunk, lo, qs)
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
                if re.match(r"\s*(?:ago|earlier|before|前|以前)", chunk[m.end() :]):
                    continue  # "a year ago" dates a figure, it is not a period
                dist = abs(lo + m.start() - qs)
                if best is None or dist < best[0]:
                    best = (dist, period)
        return cast(Period, best[1]) if best else None

    # -- prices ------------------------------------------------------------------------------
    def prices(self, text: str, s0: int, s1: int, ai_doc: bool) -> list[Found]:
        sent = text[s0:s1]
        moneys = list(self.money_re.finditer(sent))
        if not moneys:
            return []
        has_tok = bool(self.token_re.search(sent))
        pers = [p for p in self.per_re.finditer(sent) if self._per_ok(sent, p, has_tok, ai_doc)]
        if not pers:
            return []
        out: list[Found] = []
        latin = not _CJK_RE.search(sent)
        for i, m in enumerate(moneys):
            amount = parse_number(m["a1"] or m["a2"])
            cur_word = m["c1"] or m["c2"]
            if amount is None or self._not_token_price(sent, m):
                continue
            per = self._nearest_per(pers, m)
            if per["cnt"]:
                count = per_unit_count(per["cnt"])
            else:
                count = 1e6 if (per["tokw"] or "").lower() == "mtok" else 1.0
            if count is None:
                continue
            amount, currency = self._currency(amount, cur_word)
            side = self._side(sent, m, per, moneys, i, latin)
            if side == "not_a_side":
                continue  # cache writes, storage: no such side in the contract
            nxt = moneys[i + 1].start() if i + 1 < len(moneys) else None
            condition = self._condition(sent, m.start(), m.end(), nxt)
            if out and _INSTEAD_RE.search(sent[max(0, m.start() - 16) : m.start()]):
                # "$15 … instead of $10": the other tier's price of the same side
                side = side or out[-1].side
                condition = _complement(out[-1].condition) if out[-1].condition else condition
            out.append(
                Found(
                    "token_price",
                    per_million(amount, count),
                    s0 + m.start(),
                    s0 + m.end(),
                    currency=currency,
                    side=cast(Side | None, side),
                    condition=condition,
                )
            )
        return _parallel_sides(out)

    def _per_ok(self, sent: str, p: re.Match[str], has_tok: bool, ai_doc: bool) -> bool:
        """A price denominator: "per million tokens", "/1M input", "/MTok", "每百万tokens";
        "元/千" with the word tokens left out counts in a document about AI."""
        cnt, tokw = p["cnt"] or "", p["tokw"] or ""
        if tokw.lower() == "mtok":
            return True
        if tokw:
            return has_tok
        if not cnt:
            return False
        if re.match(r"[克米瓦卡次人件张台]", sent[p.end() : p.end() + 1]):
            return False
        million = cnt.lower() in ("百万", "100万", "一百万", "million", "1m", "1 m", "1 million")
        if (p["side0"] or p["side"]) and million:
            return True  # "$1.25/1M input", "每输入百万"
        if len(cnt) > 1:
            return has_tok
        return p.group().startswith("/") and (has_tok or ai_doc)

    def _not_token_price(self, sent: str, m: re.Match[str]) -> bool:
        """GPU hours, seats, subscriptions: a money amount priced per something else."""
        if self.not_price_after_re.match(sent, m.end()):
            return True
        c0, c1 = clause_bounds(sent, m.start(), 0, len(sent))
        return bool(self.rental_re.search(sent, c0, c1))

    def _condition(self, sent: str, start: int, end: int, stop: int | None = None) -> str | None:
        """The tariff a figure at [start, end) belongs to: in English a cue right after it
        ("$3.50 with thinking", "for prompts longer than 200k tokens"), else the nearest
        time-of-day or context-tier cue before it in its sentence, else one after it in its
        clause. `stop` ends the look-ahead (the next figure)."""
        if not _CJK_RE.search(sent):
            _, c1 = clause_bounds(sent, end, 0, len(sent))
            hi = min(c1, stop if stop is not None else len(sent), end + 60)
            after = self._condition_in(sent, end, hi, first=True)
            if after is not None:
                return after[1]
        best = self._condition_in(sent, 0, start, first=False)
        if best is not None:
            return best[1]
        _, c1 = clause_bounds(sent, end, 0, len(sent))
        after = self._condition_in(sent, end, c1, first=True)
        return after[1] if after is not None else None

    def _condition_in(
        self, sent: str, lo: int, hi: int, first: bool
    ) -> tuple[int, str | None] | None:
        """The first (or last) condition cue in sent[lo:hi] as (position, condition); a
        "standard" cue counts, as condition None."""
        hits: list[tuple[int, str | None]] = []
        for name, rx in self.conditions.items():
            for m in rx.finditer(sent, lo, hi):
                hits.append((m.start(), None if name == "standard" else name))
        for m in _TIER_RE.finditer(sent, lo, hi):
            tier = _tier(m)
            ctx = sent[max(0, m.start() - 16) : m.end() + 4]
            if tier and _TIER_CTX_RE.search(ctx):
                hits.append((m.start(), tier))
        for m in _CLOCK_RE.finditer(sent, lo, hi):
            hour = int(m["h"])
            if hour in (0, 1, 22, 23) or (m["utc"] and hour == 16):
                hits.append((m.start(), "off_peak"))  # 00:30-08:30 Beijing time
        if not hits:
            return None
        return min(hits) if first else max(hits)

    def _nearest_per(self, pers: list[re.Match[str]], m: re.Match[str]) -> re.Match[str]:
        def dist(p: re.Match[str]) -> int:
            if p.start() >= m.end():
                return p.start() - m.end()
            return (m.start() - p.end()) + 1

        before = [p for p in pers if p.end() <= m.start()]
        adjacent = [
            p
            for p in pers
            if 0 <= p.start() - m.end() <= 3
            and not re.search(r"[，,；;]", p.group() + " ")
            and p.group()[:1] in "/pP"
        ]
        if adjacent:
            return adjacent[0]
        return before[-1] if before else min(pers, key=dist)

    def _currency(self, amount: float, word: str) -> tuple[float, Currency]:
        word = word.strip()
        if word in ("分",):
            return amount / 100, "CNY"
        if word == "厘":
            return amount / 1000, "CNY"
        if word in ("美分", "cent", "cents"):
            return amount / 100, "USD"
        return amount, "USD" if word in self.cur["USD"] else "CNY"

    def _side(
        self,
        sent: str,
        m: re.Match[str],
        per: re.Match[str],
        moneys: list[re.Match[str]],
        i: int,
        latin: bool,
    ) -> str | None:
        if re.search(r"分别|respectively", sent, re.I):  # 输入和输出价格分别为0.8元和2元
            sides = [self._side_of(x.group()) for x in self._side_iter(sent[: moneys[0].start()])]
            if len(sides) >= len(moneys) > 1:
                return sides[len(sides) - len(moneys) + i]
        c0, c1 = clause_bounds(sent, m.start(), 0, len(sent))
        prev_end = moneys[i - 1].end() if i > 0 else 0
        nxt = moneys[i + 1].start() if i + 1 < len(moneys) else len(sent)
        tail = sent[m.end() : min(c1, nxt, m.end() + (40 if latin else 8))]
        segment = sent[max(c0, prev_end) : m.start()]
        per_word = per["side"] or per["side0"]
        per_side = self._side_of(per_word) if per_word else None
        if latin:  # "$3 / MTok for input and $15 / MTok for output", "per million input tokens"
            near = per.start() >= m.end() or per.end() >= m.start() - 1
            found = (per_side if near else None) or self._first_side(tail)
            found = found or self._last_side(segment)
        else:  # "输入1元、输出16元", "输入（缓存命中）0.5元", "每输入100万个Token收费1元"
            found = self._last_side(segment) or (per_side if c0 <= per.start() < c1 else None)
            found = found or self._last_side(sent[c0 : m.start()]) or self._first_side(tail)
        if found:
            return found
        before = {self._side_of(x.group()) for x in self._side_iter(sent[: m.start()])}
        if len(before) == 1 and len(moneys) == 1:
            return before.pop()  # one side named earlier in the sentence: 输入价格直降97%，降至…
        return None

    def _side_iter(self, chunk: str) -> list[re.Match[str]]:
        return list(self.side_any_re.finditer(chunk))

    def _first_side(self, chunk: str) -> str | None:
        found = self.side_any_re.search(chunk)
        return self._side_of(found.group()) if found else None

    def _last_side(self, chunk: str) -> str | None:
        found = self._side_iter(chunk)
        return self._side_of(found[-1].group()) if found else None

    def _side_of(self, word: str) -> str:
        """input | output | cached_input, or not_a_side (cache writes, storage)."""
        match = self.side_any_re.fullmatch(word)
        return match.lastgroup if match and match.lastgroup else "input"

    # -- price changes -------------------------------------------------------------------------
    def changes(self, text: str, s0: int, s1: int, ai_doc: bool) -> list[Found]:
        sent = text[s0:s1]
        if not ai_doc or not _CHANGE_HINT_RE.search(sent):
            return []
        out = []
        for m in self.change_re.finditer(sent):
            value = self._change_value(m)
            if value is None:
                continue
            c0, c1 = clause_bounds(sent, m.start(), 0, len(sent))
            clause = sent[c0:c1]
            compound = m.group()
            if self.change_excl_re.search(clause) or self.rental_re.search(sent, 0, c1):
                continue  # another price (shares, GPU rental) changed
            if (
                not self.self_price_re.search(compound)
                and not self.price_ctx_re.search(clause)
                and not self.price_ctx_re.search(sent[:c0])
            ):
                continue
            if sent[max(0, m.start() - 1) : m.start()] == "每":
                continue  # 价格每下降10%: a hypothetical ratio, not a reported change
            if _COMPARE_BEFORE_RE.search(sent[c0 : m.start()]) or _COMPARE_AFTER_RE.match(
                sent, m.end()
            ):
                continue  # 比行业便宜99.3%, 60% cheaper than X: a comparison, not a change
            anchor = next((g for g in _CHANGE_ANCHORS if m[g] is not None), None)
            a0, a1 = (m.start(anchor), m.end(anchor)) if anchor else (m.start(), m.end())
            side = self._last_side(sent[c0 : m.start()])
            side = None if side == "not_a_side" else side
            if side is None:  # 输入价格降至0.8元，降幅达到44%: the change of the side named
                named = {self._side_of(x.group()) for x in self._side_iter(sent[: m.start()])}
                side = named.pop() if len(named) == 1 else None
            out.append(
                Found(
                    "price_change",
                    value,
                    s0 + a0,
                    s0 + a1,
                    side=cast(Side | None, side),
                    condition=self._condition(sent, m.start(), m.end()),
                )
            )
        return out

    def _change_value(self, m: re.Match[str]) -> float | None:
        if m["p"] is not None:
            return change_fraction(float(m["p"]), -1)
        if m["pu"] is not None:
            return change_fraction(float(m["pu"]), 1)
        if m["pby"] is not None:
            up = m.group().lower().startswith(("raise", "hike", "increase"))
            return change_fraction(float(m["pby"]), 1 if up else -1)
        if m["p2"] is not None:
            return change_fraction(float(m["p2"]), -1)
        if m["rem"] is not None:
            return discount_to_change(float(m["rem"]))
        if m["fden"] is not None:  # 降至原价的四分之一
            den = ZH_FRACTION.get(m["fden"]) or float(m["fden"])
            return round(1 / den - 1, 10) if den > 1 else None
        if m["sden"] is not None:  # 原价的1/4
            den = float(m["sden"])
            return round(1 / den - 1, 10) if den > 1 else None
        if m["half"] is not None:
            return -0.5
        fold = m["fold"] or m["fold2"]
        if m["mult"] is not None or fold is not None:  # "3x price cut": a third of it
            mult = float(m["mult"]) if m["mult"] else float(EN_FOLD[fold.lower()])
            return round(1 / mult - 1, 10) if mult > 1 else None
        if m["enfr"] is not None:  # "a fifth as expensive", "a tenth of what they were"
            return round(1 / EN_FRACTION[m["enfr"].lower()] - 1, 10)
        if m["byfr"] is not None:  # "lowered pricing by two-thirds"
            return -EN_BY_FRACTION[m["byfr"].lower().replace("-", " ")]
        if m["cheng"] is not None:  # 降幅达九成
            tenth = parse_number(m["cheng"])
            return round(-tenth / 10, 10) if tenth else None
        zhe = parse_number(m["zhe"] or m["zhe2"])
        return discount_to_change(zhe * 10) if zhe is not None else None

    # -- assembly ---------------------------------------------------------------------------------
    def run(self, doc: Doc, published: date | None) -> list[Metric]:
        text, original = norm_text(doc), doc_text(doc)
        all_entities = doc._.tw_entities or []
        entities = [e for e in all_entities if _can_be_subject(e)]
        ai_doc = bool(self.ai_re.search(text)) or any(_ai_entity(e) for e in entities)
        metrics: list[Metric] = []
        last_subject: tuple[str | None, str | None] = (None, None)
        last_pos = -1
        masked = _mask(text, all_entities)
        last_volume: Metric | None = None
        for s0, s1 in sentences(doc):
            if self.excluded(masked, s0, s1):
                continue
            found = (
                self.volumes(text, s0, s1)
                + self.prices(text, s0, s1, ai_doc)
                + self.changes(text, s0, s1, ai_doc)
            )
            if not found and last_volume is not None:
                found = self._ago_sentence(text, s0, s1, last_volume)
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

    def _national(self, s0: int, s1: int, ents: list[Entity]) -> tuple[str, str] | None:
        """A figure a Chinese national agency reports, with no other subject, is China's."""
        for e in ents:
            national = e.kb and e.id and not e.id.startswith(FOREIGN_AGENCIES)
            if s0 <= e.start < s1 and e.type == "agency" and national:
                return "cn", e.text
        return None

    def _prior_subject(
        self, text: str, s0: int, ents: list[Entity], last_pos: int
    ) -> tuple[str, str] | None:
        """A figure whose sentence names nothing: the subject named last before the sentence,
        when that mention is later than the previous figure ("火山引擎发布豆包1.6。新模型的…")."""
        before = [e for e in ents if last_pos < e.start < s0]
        if not before:
            return None
        models = [e for e in before if e.type == "model"]
        best = max(models or before, key=lambda e: e.end)
        return best.id or "", best.text

    def _candidates(
        self, text: str, s0: int, s1: int, ents: list[Entity]
    ) -> list[tuple[int, int, str, str, str]]:
        cands: list[tuple[int, int, str, str, str]] = [
            (e.start, e.end, e.id or "", e.text, e.type)
            for e in ents
            if s0 <= e.start < s1 and not _venue(text, e)
        ]
        for code, rx in self.country.items():
            for m in rx.finditer(text, s0, s1):
                if not any(s <= m.start() < e for s, e, *_ in cands):
                    cands.append((m.start(), m.end(), code, m.group(), "country"))
        return sorted(cands)

    def _attribute_lists(
        self, text: str, s0: int, s1: int, found: list[Found], ents: list[Entity]
    ) -> list[Found]:
        """ "A和B的…分别为X和Y" pairs in order; "A和B…均为X" gives X to each."""
        sent = text[s0:s1]
        resp = re.search(r"分别|各自|respectively", sent, re.I)
        each = re.search(
            r"(?<![平日月周人])均(?!价|值|衡|匀)|都|\bboth\b|\beach\b(?!\s+(?:day|week|month|year|minute))",
            sent,
            re.I,
        )
        if not (resp or each) or not found:
            return found
        cut = s0 + (resp or each).start()  # type: ignore[union-attr]
        listed = self._listed(text, self._candidates(text, s0, cut, ents))
        if len(listed) < 2:
            return found
        out = []
        by_kind: dict[str, list[Found]] = {}
        for f in found:
            by_kind.setdefault(f.kind, []).append(f)
        for f in found:
            group = by_kind[f.kind]
            if resp and f.start >= cut and len(group) == len(listed):
                out.append(replace(f, subjects=(listed[group.index(f)],)))
            elif each and not resp and f.start >= cut and len(group) == 1:
                out.append(replace(f, subjects=tuple(listed)))
            else:
                out.append(f)
        return out

    def _listed(
        self, text: str, cands: list[tuple[int, int, str, str, str]]
    ) -> list[tuple[str, str]]:
        """The trailing run of names joined by 和/与/、/and (a vendor glued to its model counts
        once, as the model)."""
        run: list[tuple[int, int, str, str, str]] = []
        for c in cands:
            if run and c[0] - run[-1][1] <= 1 and run[-1][4] == "company" and c[4] == "model":
                run[-1] = c  # 阿里云通义千问 -> 通义千问
            elif run and _LIST_JOIN_RE.match(text[run[-1][1] : c[0]]):
                run.append(c)
            else:
                run = [c]
        seen: dict[str, tuple[str, str]] = {}
        for c in run:
            seen.setdefault(c[2], (c[2], c[3]))
        return list(seen.values())

    def _subject(
        self,
        text: str,
        s0: int,
        s1: int,
        pos: int,
        ents: list[Entity],
        cands: list[tuple[int, int, str, str, str]] | None = None,
    ) -> tuple[str, str] | None:
        """(id, surface) of what the figure at `pos` is about; a model named before the figure
        wins over its company (火山引擎豆包… -> 豆包), see the module docstring. `cands`: the
        sentence's subject candidates when the caller has them already."""
        if cands is None:
            cands = self._candidates(text, s0, s1, ents)
        c0, c1 = clause_bounds(text, pos, s0, s1)
        for_model = re.match(
            r"(?:[^,;.]|\.(?=\d)){0,48}?\b(?:for|on|of)\s+(?:the\s+|its\s+)?", text[pos:c1]
        )
        if for_model:  # "a 3x price cut for GPT-4o", "a 50 per cent discount on Claude …"
            at = pos + for_model.end()
            named = [c for c in cands if c[0] == at and c[4] == "model"]
            if named:
                return named[0][2], named[0][3]
        for lo in (c0, s0):
            before = [c for c in cands if lo <= c[0] and c[1] <= pos]
            if before:
                best = max(before, key=lambda c: c[1])
                models = [c for c in before if c[4] == "model"]
                if best[4] == "company" and models:
                    best = max(models, key=lambda c: c[1])
                return best[2], best[3]
        after = [c for c in cands if c[0] >= pos]
        if after:
            best = min(after, key=lambda c: c[0])
            return best[2], best[3]
        return None


_CHANGE_ANCHORS = (
    "cheng",
    "enfr",
    "byfr",
    "fold2",
    "p",
    "pu",
    "pby",
    "p2",
    "rem",
    "fden",
    "sden",
    "zhe",
    "zhe2",
    "half",
    "mult",
    "fold",
)


def _venue(text: str, e: Entity) -> bool:
    """A platform named as the place figures were counted ("on OpenRouter", "在OpenRouter上")
    is not what they are about."""
    if e.type != "company":
        return False
    before = text[max(0, e.start - 12) : e.start]
    if re.search(r"\b(?:on|via|through)\s+(?:the\s+)?$", before, re.I):
        return True
    return before.endswith("在") and text.startswith(("上", "平台上", "平台"), e.end)


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


def _complement(condition: str | None) -> str | None:
    """The other tariff of a two-tier comparison: context>200k <-> context<=200k."""
    if condition and condition.startswith("context>"):
        return "context<=" + condition.removeprefix("context>")
    if condition and condition.startswith("context<="):
        return "context>" + condition.removeprefix("context<=")
    return {"peak": "off_peak", "off_peak": "peak"}.get(condition or "")


def _parallel_sides(found: list[Found]) -> list[Found]:
    """ "$0.25/1M input and $2/1M output, and GPT-5 nano at $0.05 and $0.40": prices without a
    side repeat the sides of the prices before them, in order."""
    sided = [f.side for f in found if f.side]
    bare = [i for i, f in enumerate(found) if f.side is None]
    if not sided or not bare or any(found[i].currency != found[0].currency for i in bare):
        return found
    first_bare = bare[0]
    if any(f.side is None for f in found[:first_bare]) or bare != list(
        range(first_bare, len(found))
    ):
        return found
    head = [f.side for f in found[:first_bare]]
    if len(bare) == len(head):
        fill = head
    elif len(bare) == 1:
        fill = head[-1:]
    else:
        return found
    out = list(found)
    for i, side in zip(bare, fill, strict=True):
        out[i] = replace(out[i], side=side)
    return out


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


def _mask(text: str, entities: list[Entity]) -> str:
    """`text` with entity names blanked (国泰海通 must not read as 通证), same length."""
    chars = list(text)
    for e in entities:
        chars[e.start : e.end] = " " * (e.end - e.start)
    return "".join(chars)


def _ai_entity(entity: Entity) -> bool:
    """A model, or a company whose business is models, clouds or model platforms."""
    from nlp.kb import load_kb

    if entity.type == "model":
        return True
    entry = load_kb().get(entity.id)
    return entry is not None and entry.sector in AI_SECTORS


def _can_be_subject(entity: Entity) -> bool:
    from nlp.kb import load_kb

    if entity.type not in ("company", "model"):
        return False
    entry = load_kb().get(entity.id)
    return entry is None or entry.sector not in NON_SUBJECT_SECTORS


@registry.misc("tokenwatch.token_metrics.v1")
def token_metric_rules() -> MetricRules:
    return MetricRules()


@Language.factory(
    "tokenwatch_token_metrics",
    assigns=["doc._.tw_metrics"],
    requires=["doc._.tw_entities"],
    default_config={"rules": {"@misc": "tokenwatch.token_metrics.v1"}},
)
def make_token_metrics(nlp: Language, name: str, rules: MetricRules) -> TokenMetrics:
    return TokenMetrics(rules)


class TokenMetrics:
    def __init__(self, rules: MetricRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        doc._.tw_metrics = self.rules.run(doc, doc._.tw_published)
        return doc
