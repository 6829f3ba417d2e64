"""The price-change grammar: a change verb × a percentage (直降97%, cut by 50%), the remaining
share (降至原价的25%, 打3折, 原价的1/4, 四分之一), halves (减半, halved), multiples (3x price
cut, threefold) and English fractions (a third of…). A change is about a price only where the
clause (or the sentence before it) names one; comparisons with another product (比行业低99.3%,
60% cheaper than X) are not changes. Side and tariff come from `PriceGrammar`.
"""

from __future__ import annotations

import re
from typing import cast

from nlp.components.metrics.grammar import PCT, Found
from nlp.components.metrics.prices import PriceGrammar
from nlp.lexicon import alternation
from nlp.numbers import change_fraction, discount_to_change, parse_number
from nlp.prefilter import compile_guarded
from nlp.text import clause_bounds
from nlp.types import Side

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
_COMPARE_BEFORE_RE = re.compile(
    r"比(?!例|较|重|特|赛|上年|去年|上月|此前|之前|原价)[^，,。；;]{1,16}$"
)
_COMPARE_AFTER_RE = re.compile(r"[^，,。；;.]{0,30}?\b(?:than|versus|vs\.?)\b", re.I)
# every price-change form has one of these; sentences without one skip the big alternation
_CHANGE_HINT_RE = compile_guarded(
    r"[%％折半成]|腰斩|分之|per\s?cent|half|halv|fold|third|quarter|fifth|tenth|\d\s*[xX×]|1\s*/\s*\d",
    re.I,
)

_CHANGE_ANCHORS = (
    "cheng",
    "rcheng",
    "cden",
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
    "sden2",
    "zhe",
    "zhe2",
    "half",
    "mult",
    "fold",
)

# "… by 78% for input and 71% for output": a change's side named right after it, and a
# coordinated percentage for another side
_FOR_SIDE = r"(?:for|on)\s+(?:the\s+)?(?P<s>cached input|input|output|prompt|completion)\b"
_FOR_SIDE_RE = re.compile(r"\s*" + _FOR_SIDE, re.I)
_AND_PCT_RE = re.compile(
    r"\s*(?:tokens?\s*)?,?\s*(?:and|while)\s+(?:by\s+)?"
    r"(?P<p>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)\s+" + _FOR_SIDE,
    re.I,
)


class ChangeGrammar(PriceGrammar):
    def _build_change(self, lex: dict) -> None:
        down, up = alternation(lex["down_verbs"]), alternation(lex["up_verbs"])
        mod = rf"(?:{alternation(lex['change_modifiers'])})?"
        pu, pby, p2 = (PCT.replace("?P<p>", f"?P<{g}>") for g in ("pu", "pby", "p2"))
        en_verbs = alternation(lex["change_verbs_by"])
        en_gap = r"(?P<en_gap>(?:[^.;%。]|\.(?!\s)){1,50}?)"
        remain = r"(?:降至|降到|降为|低至|下调至|下调到|调至|调整为|仅为|只有|仅需|不到|不足)"
        orig = r"(?:原价|原来|此前|之前|原先|标准价格|标准价|去年|一年前|上线时|发布时)"
        en_orig = r"(?:original|previous|former|old|earlier|standard|list)\b"
        self.change_re = re.compile(
            rf"(?P<dn>{down})\s*{mod}\s*{mod}\s*{PCT}|(?P<up>{up})\s*{mod}\s*{mod}\s*{pu}"
            rf"|{p2}\s*(?:的)?\s*(?:price\s+)?(?P<dn2>{alternation(lex['change_nouns_after'])})"
            rf"|{remain}{orig}的?\s*(?P<rem>\d+(?:\.\d+)?)\s*(?:%|％)"
            rf"|{remain}?{orig}的?\s*(?P<fden>[二两三四五六八十]|\d+)分之(?P<fnum>一|1)"
            rf"|{remain}?{orig}的?\s*(?P<snum>1)\s*/\s*(?P<sden>\d+)"
            rf"|\b(?:{en_verbs})\b{en_gap}\bby\s+{mod}\s*{pby}"
            rf"|(?:(?:打|享受?|按)\s*(?P<zhe>\d+(?:\.\d+)?|[一二三四五六七八九])\s*折|(?P<zhe2>\d(?:\.\d+)?)\s*折(?![扣合算旧叠]))"
            rf"|(?:降幅|降价|下降|下调|便宜|减价)\s*{mod}\s*(?P<cheng>[一二三四五六七八九]|\d)成"
            rf"|{remain}?{orig}的?\s*(?P<rcheng>[一二三四五六七八九])成"
            rf"|(?:削减|降低|下调|减少|下降|降价|减价)\s*(?:了)?\s*(?:约|近|超过|逾)?\s*"
            rf"(?P<cden>[三四五六八十])分之(?P<cnum>[二三四五六七八九])"
            rf"|(?P<half>腰斩|(?:降价|降低|下调|下降|便宜|降幅)\s*(?:了)?\s*(?:约为|约|近|超过|达|为)?\s*一半|(?:为|是|仅为|降至|降为)[^，,。；;]{{0,6}}?的一半|价格减半|减半|半价|halve[sd]?|halving|(?:cut|cuts|cutting|slashed|lowered|reduced)\s+(?:\S+\s+){{0,5}}?(?:in|by)\s+half|half\s+price|\bto\s+half\s+(?:of\s+)?(?:the|its|their)\s+{en_orig})"
            rf"|\b(?:a|one)[\s-](?P<enfr>third|quarter|fifth|tenth)\s+(?:of\s+(?:what|the|its|their)|as\s+(?:expensive|much))"
            rf"|\bto\s+(?P<snum2>1)\s*/\s*(?P<sden2>\d+)(?:st|nd|rd|th)?\s+of\s+(?:the|its|their)\s+{en_orig}"
            rf"|\b(?:cut|cuts|slashed|lowered|reduced|lower|reduce)\s+(?:\S+\s+){{0,4}}?by\s+(?P<byfr>two-thirds|two\sthirds|a\sthird|one\sthird|a\squarter|three\squarters|three-quarters)"
            rf"|\b(?:cut|cuts|slashed|lowered|reduced)\s+(?:\S+\s+){{0,4}}?(?P<fold2>two|three|four|five|ten)fold"
            rf"|(?P<mult>\d+(?:\.\d+)?)\s*(?:x|X|×|-fold|fold)\s+(?:price\s+)?(?:cut|reduction|drop|lower|cheaper)"
            rf"|\b(?P<fold>two|three|four|five|ten)fold\s+(?:price\s+)?(?:cut|reduction|drop)",
            re.I,
        )
        self.price_ctx_re = re.compile(alternation(lex["price_context"]), re.I)
        self.self_price_re = re.compile(alternation(lex["self_price_verbs"]), re.I)

    def changes(self, text: str, s0: int, s1: int, ai_doc: bool) -> list[Found]:
        sent = text[s0:s1]
        if not ai_doc or not _CHANGE_HINT_RE.search(sent):
            return []
        if not self.price_ctx_re.search(sent) and not self.self_price_re.search(sent):
            return []  # a change needs a price word in its clause, the sentence or its match
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
            side = self._last_side(sent[c0:a0])  # "cut M2 output prices threefold"
            side = None if side == "not_a_side" else side
            if side is None:  # 输入价格降至0.8元，降幅达到44%: the change of the side named
                named = {self._side_of(x.group()) for x in self._side_iter(sent[: m.start()])}
                side = named.pop() if len(named) == 1 else None
            for_side = _FOR_SIDE_RE.match(sent, m.end())
            more = _AND_PCT_RE.match(sent, for_side.end()) if for_side else None
            side = self._side_of(for_side["s"]) if for_side and more else side
            condition = self._condition(sent, m.start(), m.end())
            out.append(
                Found(
                    "price_change",
                    value,
                    s0 + a0,
                    s0 + a1,
                    side=cast("Side | None", side),
                    condition=condition,
                )
            )
            if more:  # "by 78% for input and 71% for output": the same change, the other side
                sign = -1 if value < 0 else 1
                out.append(
                    Found(
                        "price_change",
                        change_fraction(float(more["p"]), sign),
                        s0 + more.start("p"),
                        s0 + more.end("p"),
                        side=cast("Side | None", self._side_of(more["s"])),
                        condition=condition,
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
        if (
            m["sden"] is not None or m["sden2"] is not None
        ):  # 原价的1/4, "to 1/10th of the original"
            den = float(m["sden"] or m["sden2"])
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
        if m["rcheng"] is not None:  # 降至原价的四成: four tenths remain
            remaining = parse_number(m["rcheng"])
            return discount_to_change(remaining * 10) if remaining else None
        if m["cden"] is not None:  # 削减约三分之二
            part, whole = parse_number(m["cnum"]), ZH_FRACTION.get(m["cden"])
            return round(-part / whole, 10) if part and whole and part < whole else None
        if m["cheng"] is not None:  # 降幅达九成
            tenth = parse_number(m["cheng"])
            return round(-tenth / 10, 10) if tenth else None
        zhe = parse_number(m["zhe"] or m["zhe2"])
        return discount_to_change(zhe * 10) if zhe is not None else None
