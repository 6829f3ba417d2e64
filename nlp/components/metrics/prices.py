"""The token-price grammar: a money amount × a per-unit denominator (元/千tokens, $/1M, per
million tokens, 每百万tokens, /MTok; "元/千" with the token word left out in an AI document)
× a side (input, output, cached input) × a tariff (`TariffGrammar`). Amounts are normalised to
a price per million tokens; prices without a side repeat the sides of a parallel list.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import cast

from nlp.components.metrics.filters import Filters
from nlp.components.metrics.grammar import CJK_RE, Found
from nlp.components.metrics.tariffs import TariffGrammar, complement
from nlp.lexicon import alternation
from nlp.numbers import parse_number, per_million, per_unit_count
from nlp.prefilter import compile_guarded
from nlp.text import clause_bounds
from nlp.types import Currency, Side

_INSTEAD_RE = re.compile(
    r"(?:instead of|rather than|versus|vs\.?|compared with|而非|而不是|相比)\s*$", re.I
)


_BEYOND_RE = re.compile(
    r"\s*(?:per (?:million|1M) tokens\s*)?(?:beyond|above (?:that|it)|over (?:that|it)|thereafter"
    r"|for longer (?:prompts|inputs))\b",
    re.I,
)
_SLASH_RE = re.compile(r"\s*/\s*")
_RESPECTIVELY_RE = compile_guarded(r"分别|respectively", re.I)
_NOT_TOKENS_AFTER_RE = re.compile(r"[克米瓦卡次人件张台]")
_CLAUSE_MARK_RE = re.compile(r"[，,；;]")
_SIDE_WORD = r"(?:cached input|cache hits?|input|output|prompt|completion|输入|输出)"
_SIDE_LIST_RE = re.compile(
    rf"[^.;。；]{{0,30}}?[(（]?\s*(?P<list>{_SIDE_WORD}(?:\s*/\s*{_SIDE_WORD})+)\s*[)）]?", re.I
)


class PriceGrammar(TariffGrammar, Filters):
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
        # one alternation, longest first across sides, so 缓存命中输入 is not read as 输入
        # nor 快取未命中 as 快取; an English side word ends at a word boundary ("inputs")
        cues = {**lex["side_cues"], "not_a_side": lex["not_a_side"]}
        self.side_words = {w.lower(): k for k, ws in cues.items() for w in ws}
        self.side_any_re = re.compile(
            rf"(?:{alternation(list(self.side_words))})(?:(?<![A-Za-z])|(?![A-Za-z]))", re.I
        )
        self.cur = {k: set(v) for k, v in lex["currency"].items()}

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
        latin = not CJK_RE.search(sent)
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
                condition = complement(out[-1].condition) if out[-1].condition else condition
            elif out and out[-1].condition and _BEYOND_RE.match(sent, m.end()):
                condition = complement(out[-1].condition)  # "up to 200k and $2.50 beyond"
            out.append(
                Found(
                    "token_price",
                    per_million(amount, count),
                    s0 + m.start(),
                    s0 + m.end(),
                    currency=currency,
                    side=cast("Side | None", side),
                    condition=condition,
                )
            )
        return parallel_sides(self._slash_sides(sent, s0, out))

    def _slash_sides(self, sent: str, s0: int, found: list[Found]) -> list[Found]:
        """ "$0.10/$0.40 per MTok (input/output)": prices joined by "/" take the sides of a
        "/"-joined side list after them, in order."""
        out = list(found)
        i = 0
        while i < len(out):
            j = i
            while j + 1 < len(out) and _SLASH_RE.fullmatch(
                sent, out[j].end - s0, out[j + 1].start - s0
            ):
                j += 1
            listed = _SIDE_LIST_RE.match(sent, out[j].end - s0) if j > i else None
            words = re.split(r"\s*/\s*", listed["list"]) if listed else []
            if len(words) == j - i + 1:
                for k, word in enumerate(words):
                    side = self._side_of(word)
                    out[i + k] = replace(out[i + k], side=cast("Side | None", side))
            i = j + 1
        return out

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
        if _NOT_TOKENS_AFTER_RE.match(sent[p.end() : p.end() + 1]):
            return False
        million = cnt.lower() in ("百万", "100万", "一百万", "million", "1m", "1 m", "1 million")
        if (p["side0"] or p["side"]) and million:
            return True  # "$1.25/1M input", "每输入百万"
        if len(cnt) > 1:
            return has_tok
        return p.group().startswith("/") and (has_tok or ai_doc)

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
            and not _CLAUSE_MARK_RE.search(p.group() + " ")
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
        if _RESPECTIVELY_RE.search(sent):  # 输入和输出价格分别为0.8元和2元
            sides = [self._side_of(x.group()) for x in self._side_iter(sent[: moneys[0].start()])]
            if len(sides) >= len(moneys) > 1:
                return sides[len(sides) - len(moneys) + i]
            resp = _RESPECTIVELY_RE.search(sent[moneys[-1].end() :])
            tail = sent[moneys[-1].end() : moneys[-1].end() + resp.start()] if resp else ""
            after = [self._side_of(x.group()) for x in self._side_iter(tail)]
            if len(after) == len(moneys) > 1:  # "$0.25 and $2 per million input and output
                return after[i]  # tokens respectively"
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
            tail_sides = {self._side_of(x.group()) for x in self._side_iter(tail)}
            if found == "input" and "cached_input" in tail_sides:
                found = "cached_input"  # "$0.07/M input tokens on a cache hit"
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
        return self.side_words.get(word.lower(), "input")


def parallel_sides(found: list[Found]) -> list[Found]:
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
