"""`tokenwatch.token_metrics.v1`: token volumes, token prices and price changes.

Conventions (also what the dev set is annotated with):
- `token_volume` is tokens per `period` (null for cumulative totals); `token_price` is the
  price per 1,000,000 tokens; `price_change` a signed fraction. The old price in
  "从每百万tokens 2元降至0.8元" is not reported, only the new one.
- subject: the nearest entity (model, company) or country (中国 -> `cn`) before the figure in
  its clause, else before it in the sentence, else after it in the sentence, else the subject
  of the previous figure. Where that nearest name is a company and a model is named before the
  figure too, the model wins (it is what the figure is about: 火山引擎豆包… -> 豆包).
  Research firms, brokers, agencies and policies are sources, not subjects.
- as_of: the nearest date before the figure in its sentence, else the first after it in its
  clause, else the publication date.
- one observation per fact: the same figure (kind, value, period, currency, side, subject)
  repeated in a document (title, lead, body) is reported once, at its first mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import cast

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from nlp.components.extensions import doc_text, norm_text, sentences
from nlp.dates import resolve_as_of
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
)
from nlp.text import clause_bounds
from nlp.types import Currency, Entity, Metric, MetricKind, Period, Side

NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{ZH_DIGITS}]+)"
QTY = rf"(?P<q>{NUM}\s*(?:{ZH_UNIT_RE}|(?:{EN_UNIT_RE}))?)"
PCT = r"(?P<p>\d+(?:\.\d+)?)\s*(?:%|％|percent|个百分点)"
NON_SUBJECT_SECTORS = {"research", "broker"}


@dataclass(frozen=True)
class Found:
    kind: MetricKind
    value: float
    start: int
    end: int
    period: Period | None = None
    currency: Currency | None = None
    side: Side | None = None


class MetricRules:
    def __init__(self) -> None:
        lex = load_lexicon("metrics")
        self.lex = lex
        tok = alternation(lex["token_words"])
        self.token_re = re.compile(rf"(?:{tok})(?![A-Za-z])")
        self.exclude_re = re.compile(
            rf"(?<![A-Za-z])(?:{alternation(lex['exclude_sentence'])})(?![A-Za-z])", re.I
        )
        self.not_volume_re = re.compile(alternation(lex["not_volume_near"]), re.I)
        verbs = alternation(lex["volume_verbs"])
        self.vol_after_re = re.compile(rf"{QTY}\s*(?:个|多个|余个|亿个)?\s*(?:{tok})(?![A-Za-z])")
        self.vol_before_re = re.compile(
            rf"(?:{tok})(?P<gap>(?:[^。；;.!?！？$￥¥]|(?<=\d)\.(?=\d)){{0,40}}?)(?:(?:{verbs})\s*)+(?:日均|每日|每天|月均|每月|周均|每周)?{QTY}(?!\s*(?:%|％|元|美元|\$|个百分点|倍))(?![A-Za-z])"
        )
        self.periods = {p: re.compile(alternation(w), re.I) for p, w in lex["periods"].items()}
        self.cumulative_re = re.compile(alternation(lex["cumulative"]), re.I)
        self.volume_noun_re = re.compile(alternation(lex["volume_nouns"]), re.I)
        self.other_period_re = re.compile(
            rf"^\s*(?:个)?\s*(?:{tok})?\s*(?:{alternation(lex['unsupported_periods'])})", re.I
        )
        self._build_price(lex, tok)
        self._build_change(lex)
        self.ai_re = re.compile(alternation(lex["ai_context"]), re.I)
        self.country = {k: re.compile(alternation(v)) for k, v in lex["countries"].items()}

    def _build_price(self, lex: dict, tok: str) -> None:
        sides = [w for ws in lex["side_cues"].values() for w in ws]
        side = alternation(sides)
        count = (
            r"千|1000|1,000|万|百万|100万|一百万|million|1M|1 million|one million|thousand|1K|K|M"
        )
        self.per_re = re.compile(
            rf"(?:每|/|per|a|each|every|for)\s*(?P<cnt>{count})?\s*(?:个)?\s*(?P<side>{side})?\s*(?P<tokw>{tok}|MTok|Mtok)?(?![A-Za-z])",
            re.I,
        )
        self.money_re = re.compile(
            r"(?:(?P<c1>US\$|\$|USD|RMB|CNY|¥|￥)\s*(?P<a1>\d+(?:\.\d+)?)"
            r"|(?P<a2>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十点]+)\s*(?P<c2>元|美元|美金|美分|分(?![钟之析别享])|厘|yuan|dollars?|cents?|USD|RMB|CNY)(?![A-Za-z]))"
        )
        # one pass, cached_input first so 缓存命中输入 is not read as 输入
        self.side_any_re = re.compile(
            "|".join(f"(?P<{k}>{alternation(v)})" for k, v in lex["side_cues"].items()), re.I
        )
        self.old_re = re.compile(rf"(?:{alternation(lex['old_price_cues'])})\s*$", re.I)
        self.old_follow_re = re.compile(rf"^\s*(?:{alternation(lex['old_price_follow'])})", re.I)
        self.cur = {k: set(v) for k, v in lex["currency"].items()}

    def _build_change(self, lex: dict) -> None:
        down, up = alternation(lex["down_verbs"]), alternation(lex["up_verbs"])
        mod = rf"(?:{alternation(lex['change_modifiers'])})?"
        pu, pby, p2 = (PCT.replace("?P<p>", f"?P<{g}>") for g in ("pu", "pby", "p2"))
        en_verbs = alternation(lex["change_verbs_by"])
        en_gap = r"(?P<en_gap>(?:[^.;%。]|\.(?!\s)){1,50}?)"
        self.change_re = re.compile(
            rf"(?P<dn>{down})\s*{mod}\s*{mod}\s*{PCT}|(?P<up>{up})\s*{mod}\s*{mod}\s*{pu}"
            rf"|{p2}\s*(?:的)?\s*(?:price\s+)?(?P<dn2>{alternation(lex['change_nouns_after'])})"
            rf"|(?:降至|降到|降为|下调至|下调到|调至|调整为|仅为|只有)(?:原价|原来|此前|之前|原先)的?\s*(?P<rem>\d+(?:\.\d+)?)\s*(?:%|％)"
            rf"|\b(?:{en_verbs})\b{en_gap}\bby\s+{mod}\s*{pby}"
            rf"|(?:打|享受?|按)\s*(?P<zhe>\d+(?:\.\d+)?|[一二三四五六七八九])\s*折",
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
        for m in list(self.vol_after_re.finditer(sent)) + list(self.vol_before_re.finditer(sent)):
            value = parse_quantity(m["q"])
            if value is None or value < 1e6:
                continue
            qs, qe = m.start("q"), m.end("q")
            if self._not_volume(sent, qs, qe) or any(f.start == s0 + qs for f in out):
                continue
            gap = m.groupdict().get("gap") or ""
            if re.search(r"[，,]", gap) and not self.volume_noun_re.search(gap):
                continue
            if self.other_period_re.search(sent[qe : qe + 16]):
                continue  # tokens per hour/second: no such period in the contract
            out.append(
                Found(
                    "token_volume",
                    value,
                    s0 + qs,
                    s0 + qe,
                    period=self._period(sent, qs, qe, m.start()),
                )
            )
        return out

    def _not_volume(self, sent: str, qs: int, qe: int) -> bool:
        before = sent[max(0, qs - 3) : qs]
        if re.search(r"(?:每|/|per|a|each)\s*$", before, re.I):
            return True
        near = sent[max(0, qs - 12) : qe + 16]
        if self.not_volume_re.search(near):
            return True
        return bool(
            re.match(r"\s*(?:个)?\s*(?:tokens?|Tokens?|词元)?\s*(?:元|美元|\$)", sent[qe : qe + 12])
        )

    def _period(self, sent: str, qs: int, qe: int, match_start: int) -> Period | None:
        """The period cue nearest the number in its clause, else in the matched phrase."""
        c0, c1 = clause_bounds(sent, qs, 0, len(sent))
        m0, _ = clause_bounds(sent, match_start, 0, len(sent))
        for lo, hi in ((c0, c1), (min(m0, c0), c1)):
            chunk = sent[lo:hi]
            if self.cumulative_re.search(chunk):
                return None
            best = None
            for period, rx in self.periods.items():
                for m in rx.finditer(chunk):
                    if re.match(r"\s*(?:ago|earlier|before|前|以前)", chunk[m.end() :]):
                        continue  # "a year ago" dates a figure, it is not a period
                    dist = abs(lo + m.start() - qs)
                    if best is None or dist < best[0]:
                        best = (dist, period)
            if best:
                return best[1]
        return None

    # -- prices ------------------------------------------------------------------------------
    def prices(self, text: str, s0: int, s1: int) -> list[Found]:
        sent = text[s0:s1]
        if not self.token_re.search(sent):
            return []
        # "per million" without the word token counts only where the sentence is about tokens
        pers = [
            p for p in self.per_re.finditer(sent) if p["tokw"] or (p["cnt"] and len(p["cnt"]) > 1)
        ]
        if not pers:
            return []
        out = []
        moneys = list(self.money_re.finditer(sent))
        for i, m in enumerate(moneys):
            amount = parse_number(m["a1"] or m["a2"])
            cur_word = m["c1"] or m["c2"]
            if amount is None or self._is_old_price(sent, m):
                continue
            per = self._nearest_per(pers, m)
            count = per_unit_count(per["cnt"] or "1") if per["cnt"] else 1.0
            if count is None:
                continue
            amount, currency = self._currency(amount, cur_word)
            side = self._side(sent, m, per, moneys, i)
            out.append(
                Found(
                    "token_price",
                    per_million(amount, count),
                    s0 + m.start(),
                    s0 + m.end(),
                    currency=currency,
                    side=side,
                )
            )
        return out

    def _is_old_price(self, sent: str, m: re.Match[str]) -> bool:
        head = sent[max(0, m.start() - 22) : m.start()]
        tail = sent[m.end() : m.end() + 20]
        if not self.old_follow_re.search(
            re.sub(
                r"^[^\u4e00-\u9fffA-Za-z]*(?:/|每|per)?[^，,；;降下调]*?(?=降|下调|调整|to\b|cut)",
                "",
                tail,
            )
        ):
            return False
        return bool(re.search(r"(?:从|由|原价|原来|原先|此前|from|was|previously)", head, re.I))

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
        self, sent: str, m: re.Match[str], per: re.Match[str], moneys: list, i: int
    ) -> Side | None:
        if per["side"]:
            return self._side_of(per["side"])
        c0, c1 = clause_bounds(sent, m.start(), 0, len(sent))
        found = self._last_side(sent[c0 : m.start()]) or self._last_side(
            sent[m.end() : min(c1, m.end() + 8)]
        )
        if found:
            return found
        before = {self._side_of(x.group()) for x in self._side_iter(sent[: m.start()])}
        if re.search(r"分别|respectively", sent, re.I):
            sides = [self._side_of(x.group()) for x in self._side_iter(sent[: moneys[0].start()])]
            if len(sides) >= len(moneys):
                return sides[i]
        if len(before) == 1 and len(moneys) == 1:
            return before.pop()  # one side named earlier in the sentence: 输入价格直降97%，降至…
        return None

    def _side_iter(self, chunk: str) -> list[re.Match[str]]:
        return list(self.side_any_re.finditer(chunk))

    def _last_side(self, chunk: str) -> Side | None:
        found = self._side_iter(chunk)
        return self._side_of(found[-1].group()) if found else None

    def _side_of(self, word: str) -> Side:
        match = self.side_any_re.fullmatch(word)
        return cast(Side, match.lastgroup if match and match.lastgroup else "input")

    # -- price changes -------------------------------------------------------------------------
    def changes(self, text: str, s0: int, s1: int, ai_doc: bool) -> list[Found]:
        sent = text[s0:s1]
        if not ai_doc:
            return []
        out = []
        for m in self.change_re.finditer(sent):
            value = self._change_value(m)
            if value is None:
                continue
            c0, c1 = clause_bounds(sent, m.start(), 0, len(sent))
            clause = sent[c0:c1]
            compound = m.group()
            if self.change_excl_re.search(clause):
                continue
            if (
                not self.self_price_re.search(compound)
                and not self.price_ctx_re.search(clause)
                and not self.price_ctx_re.search(sent[:c0])
            ):
                continue
            if sent[max(0, m.start() - 1) : m.start()] == "每":
                continue  # 价格每下降10%: a hypothetical ratio, not a reported change
            anchor = next(g for g in ("p", "pu", "pby", "p2", "rem", "zhe") if m[g] is not None)
            side = self._last_side(sent[c0 : m.start()])
            out.append(
                Found("price_change", value, s0 + m.start(anchor), s0 + m.end(anchor), side=side)
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
        zhe = parse_number(m["zhe"])
        return discount_to_change(zhe * 10) if zhe is not None else None

    # -- assembly ---------------------------------------------------------------------------------
    def run(self, doc: Doc, published: date | None) -> list[Metric]:
        text, original = norm_text(doc), doc_text(doc)
        entities = [e for e in (doc._.tw_entities or []) if _can_be_subject(e)]
        ai_doc = bool(self.ai_re.search(text)) or any(e.type == "model" for e in entities)
        metrics: list[Metric] = []
        last_subject: tuple[str | None, str | None] = (None, None)
        masked = _mask(text, doc._.tw_entities or [])
        for s0, s1 in sentences(doc):
            if self.excluded(masked, s0, s1):
                continue
            found = (
                self.volumes(text, s0, s1)
                + self.prices(text, s0, s1)
                + self.changes(text, s0, s1, ai_doc)
            )
            for f in sorted(found, key=lambda f: f.start):
                subject = self._subject(text, s0, s1, f.start, entities) or last_subject
                last_subject = subject
                as_of = resolve_as_of(text[s0:s1], f.start - s0, published)
                metrics.append(
                    Metric(
                        kind=f.kind,
                        value=f.value,
                        period=f.period,
                        currency=f.currency,
                        side=f.side,
                        subject=subject[0],
                        subject_text=subject[1],
                        as_of=as_of,
                        start=f.start,
                        end=f.end,
                        quote=original[s0:s1],
                    )
                )
        return _dedupe(metrics, published.isoformat() if published else None)

    def _subject(
        self, text: str, s0: int, s1: int, pos: int, ents: list[Entity]
    ) -> tuple[str, str] | None:
        """(id, surface) of what the figure at `pos` is about; a model named before the figure
        wins over its company (火山引擎豆包… -> 豆包), see the module docstring."""
        cands: list[tuple[int, int, str, str, str]] = [
            (e.start, e.end, e.id or "", e.text, e.type) for e in ents if s0 <= e.start < s1
        ]
        for code, rx in self.country.items():
            for m in rx.finditer(text, s0, s1):
                if not any(s <= m.start() < e for s, e, *_ in cands):
                    cands.append((m.start(), m.end(), code, m.group(), "country"))
        c0, _ = clause_bounds(text, pos, s0, s1)
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


def _dedupe(metrics: list[Metric], published: str | None) -> list[Metric]:
    """One observation per reported fact: a figure repeated in the title, lead and body is kept
    once (first mention), with the most specific as_of any mention resolved from the text."""
    kept: dict[tuple[object, ...], Metric] = {}
    for m in metrics:
        key = (m.kind, round(m.value, 9), m.period, m.currency, m.side, m.subject)
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
