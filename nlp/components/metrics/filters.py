"""Distractor filters: what makes a number that looks like a token metric something else.

Other senses of "token" (crypto, auth, museum tokens) drop the sentence; context lengths,
rate limits (TPM/RPM), parameter counts, user counts (MAU/DAU), API call counts and revenue
next to a number drop that volume; money priced per hour, seat or GPU (rentals) is no token
price; share, index, revenue and rental changes are no price change. Cue words live in
`nlp/data/metrics.yaml`.
"""

from __future__ import annotations

import re

from nlp.lexicon import alternation
from nlp.text import clause_bounds
from nlp.types import Entity

AI_SECTORS = {"ai_model", "cloud", "ai_platform"}
_PER_BEFORE_RE = re.compile(
    r"(?:每|/|\bper|\ba|\beach)\s*(?:输入|输出|input|output|prompt)?\s*$", re.I
)
_MONEY_AFTER_RE = re.compile(r"\s*(?:个)?\s*(?:tokens?|Tokens?|词元)?\s*(?:元|美元|\$|收费|计费)")


class Filters:
    def _build_filters(self, lex: dict, tok: str) -> None:
        self.token_re = re.compile(rf"(?:{tok})(?![A-Za-z])")
        self.exclude_re = re.compile(
            rf"(?<![A-Za-z])(?:{alternation(lex['exclude_sentence'])})(?![A-Za-z])", re.I
        )
        self.not_volume_re = re.compile(
            rf"(?<![A-Za-z])(?:{alternation(lex['not_volume_near'])})(?![A-Za-z])", re.I
        )
        after = alternation(lex["not_token_price_after"])
        self.not_price_after_re = re.compile(
            rf"^\s*(?:/|每|per|a|an)\s*(?:{after})(?![A-Za-z])", re.I
        )
        self.rental_re = re.compile(alternation(lex["rental"]), re.I)
        self.change_excl_re = re.compile(alternation(lex["change_exclude"]), re.I)
        self.ai_re = re.compile(alternation(lex["ai_context"]), re.I)

    def excluded(self, masked: str, s0: int, s1: int) -> bool:
        """Another sense of "token" in the sentence (crypto, museum, auth…), names masked out."""
        return bool(self.exclude_re.search(masked, s0, s1))

    def _not_volume(self, sent: str, qs: int, qe: int) -> bool:
        before = sent[max(0, qs - 8) : qs]
        if _PER_BEFORE_RE.search(before):
            return True
        c0, c1 = clause_bounds(sent, qs, 0, len(sent))
        near = sent[max(c0, qs - 24) : min(c1, qe + 16)]
        if self.not_volume_re.search(near):
            return True
        return bool(_MONEY_AFTER_RE.match(sent[qe : qe + 12]))

    def _not_token_price(self, sent: str, m: re.Match[str]) -> bool:
        """GPU hours, seats, subscriptions: a money amount priced per something else."""
        if self.not_price_after_re.match(sent, m.end()):
            return True
        c0, c1 = clause_bounds(sent, m.start(), 0, len(sent))
        return bool(self.rental_re.search(sent, c0, c1))


def mask(text: str, entities: list[Entity]) -> str:
    """`text` with entity names blanked (国泰海通 must not read as 通证), same length."""
    chars = list(text)
    for e in entities:
        chars[e.start : e.end] = " " * (e.end - e.start)
    return "".join(chars)


def ai_entity(entity: Entity) -> bool:
    """A model, or a company whose business is models, clouds or model platforms."""
    from nlp.kb import load_kb

    if entity.type == "model":
        return True
    entry = load_kb().get(entity.id)
    return entry is not None and entry.sector in AI_SECTORS
