"""`tokenwatch.kb_entities.v1`: companies, agencies, models and policies.

Sources, merged longest-first (KB wins ties): KB names and weak aliases (character trie),
tickers in an exchange/bracket context, unseen Chinese legal names (有限公司, 集团…) with a
cut left edge, unseen English legal names, and the English model's ORG entities when they
carry a corporate suffix. Unseen names get `new:<type>:<slug>` ids and `kb=False`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from nlp.components.extensions import BatchPipe, doc_text, norm_text
from nlp.gazetteer import Gazetteer, Hit
from nlp.kb import KnowledgeBase, load_kb
from nlp.lexicon import alternation, load_lexicon
from nlp.prefilter import compile_guarded
from nlp.text import is_cjk, slug
from nlp.types import Entity, EntityType


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    type: EntityType
    id: str
    name: str
    kb: bool
    priority: int  # higher wins among equally long overlapping candidates
    ticker: str | None = None


# a listing code in brackets, right after a name (a share-class suffix between): （300308.SZ）,
# -W（09988.HK）, (NASDAQ: NVDA), （股票代码：688256）
_BRACKET_CODE_RE = compile_guarded(
    r"(?P<gap>(?:-[A-Z]{1,2})?\s?)[（(]"
    r"(?:(?:股票代码|证券代码|NYSE|NASDAQ|Nasdaq|HKEX|SEHK|港股)\s*[:：]?\s*)?"
    r"(?P<code>\d{6}(?:\.S[HZ])?|\d{4,5}\.HK|[A-Z]{2,5})[）)]"
)
_LISTED_CODE = r"[（(](?:股票代码[:：]?\s*)?(?P<code>\d{6}(?:\.S[HZ])?|\d{4,5}\.HK)[）)]"
_LISTED_RE = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{2,12}}?)(?:-[A-Z]{{1,2}})?{_LISTED_CODE}")
# the lazy name run is tried at every Chinese character: look for a bracketed code first
_LISTED_HINT_RE = re.compile(_LISTED_CODE)


_NAME_CHARS = r"\u4e00-\u9fff（）()A-Za-z0-9"  # what an unseen Chinese legal name is made of
_NAME_RUN_END_RE = re.compile(rf"[{_NAME_CHARS}]+\Z")


def new_id(kind: str, name: str) -> str:
    return f"new:{kind}:{slug(name)}"


class EntityRules:
    """Pure rule logic, built once per pipeline from the KB and the cue lexicon."""

    def __init__(self, kb: KnowledgeBase) -> None:
        cues = load_lexicon("cues")["entities"]
        self.kb = kb
        self._families: dict[str, frozenset[str]] = {}
        self.gazetteer = Gazetteer.from_kb(kb)
        self.weak_follow = tuple(cues["weak_follow_zh"])
        self.weak_block_prev = set(cues["weak_block_prev_zh"])
        suffixes = alternation(cues["zh_legal_suffixes"])
        self.zh_legal = re.compile(rf"[{_NAME_CHARS}]{{2,40}}?(?:{suffixes})")
        # the lazy name run is tried at every character: look for a suffix first
        self.zh_legal_hint = re.compile(suffixes)
        self.zh_legal_ahead = re.compile(f"(?=(?:{suffixes}))")
        self.zh_cut = re.compile(alternation(cues["zh_left_cuts"]))
        self.zh_block = tuple(cues["zh_suffix_block_prefix"])
        en_suffix = alternation(cues["en_legal_suffixes"])
        self.en_legal = compile_guarded(rf"\b(?:[A-Z][\w&'.-]*\s+){{1,4}}(?:{en_suffix})(?![\w])")
        self.en_suffixes = tuple(cues["en_legal_suffixes"])
        self.en_stop = set(cues["en_org_stop"])
        self.tickers = {ticker_key(t): e for e in kb.of_kind("company") for t in e.tickers}
        tick = load_lexicon("cues")["tickers"]["exchange_prefix"]
        self.ticker_re = compile_guarded(
            rf"(?:(?:{alternation(tick)})\s*[:：]?\s*)?"
            r"(?<![A-Za-z0-9.])(?P<t>\d{6}(?:\.S[HZ])?|\d{4,5}\.HK|[A-Z]{2,5})(?![A-Za-z0-9])"
        )

    # -- KB names -------------------------------------------------------------------------
    def kb_candidates(self, doc: Doc) -> list[Candidate]:
        text = norm_text(doc)
        hits = self.gazetteer.find(text)
        strong = {h.alias.entry.id for h in hits if not h.alias.weak}
        families = set().union(*map(self._family, strong)) if strong else set()
        out = []
        for hit in hits:
            if hit.alias.weak and not self._weak_ok(doc, hit, families):
                continue
            entry = hit.alias.entry
            out.append(Candidate(hit.start, hit.end, entry.kind, entry.id, entry.name, True, 3))
        return out

    def _family(self, entry_id: str) -> frozenset[str]:
        """`kb.family`, once per entry (the KB does not change under the rules)."""
        found = self._families.get(entry_id)
        if found is None:
            found = self._families[entry_id] = frozenset(self.kb.family(entry_id))
        return found

    def _weak_ok(self, doc: Doc, hit: Hit, families: set[str]) -> bool:
        if hit.alias.entry.id in families:
            return True
        text = norm_text(doc)
        if not is_cjk(hit.alias.surface[0]):
            return False
        if hit.start > 0 and text[hit.start - 1] in self.weak_block_prev:
            return False
        return text.startswith(self.weak_follow, hit.end) or hit.end == len(text)

    # -- tickers --------------------------------------------------------------------------
    def ticker_candidates(self, text: str) -> list[Candidate]:
        out = []
        for m in self.ticker_re.finditer(text):
            code = m["t"]
            entry = self.tickers.get(ticker_key(code))
            if entry is None:
                continue
            before = text[max(0, m.start() - 2) : m.start()]
            prev = text[m.start("t") - 1] if m.start("t") > 0 else ""
            in_brackets = "(" in before or "（" in before or (prev != "" and prev in "(（:：")
            # a bare US symbol of four or five capitals (NVDA, BABA) names its company alone
            bare = code.isalpha() and len(code) >= 4
            if not (in_brackets or m.start("t") > m.start() or "." in code or bare):
                continue
            out.append(
                Candidate(
                    m.start("t"), m.end("t"), "company", entry.id, entry.name, True, 3, code
                )
            )
        return out

    def listed_candidates(self, text: str) -> list[Candidate]:
        """Unseen listed companies named with their code: 贵州茅台（600519）."""
        out: list[Candidate] = []
        if not _LISTED_HINT_RE.search(text):
            return out
        for m in _LISTED_RE.finditer(text):
            code = m["code"]
            if ticker_key(code) in self.tickers:
                continue
            start = self._cut_left(text, m.start("name"), m.end("name") + 2)
            if m.end("name") - start > 6:
                start = m.end("name") - 4  # A-share short names are at most four characters
            name = text[start : m.end("name")]
            if len(name) < 2:
                continue
            ident = new_id("company", name)
            out.append(Candidate(start, m.end("name"), "company", ident, name, False, 1, code))
            out.append(
                Candidate(m.start("code"), m.end("code"), "company", ident, name, False, 1, code)
            )
        return out

    # -- unseen companies -------------------------------------------------------------------
    def zh_legal_candidates(self, text: str) -> list[Candidate]:
        out: list[Candidate] = []
        if not self.zh_legal_hint.search(text):
            return out
        for m in self._zh_legal_matches(text):
            start = self._cut_left(text, m.start(), m.end())
            name = text[start : m.end()]
            if len(name) < 4 or name.startswith(self.zh_block) or not is_cjk(name[0]):
                continue
            out.append(
                Candidate(start, m.end(), "company", new_id("company", name), name, False, 1)
            )
        return out

    def _zh_legal_matches(self, text: str) -> Iterator[re.Match[str]]:
        """`self.zh_legal.finditer(text)`, trying only the starts that can reach a suffix: a
        name is 2-40 name characters right before one, so the first suffix at or after
        `pos + 2` (q) bounds where the next match can start, and the earliest start is where
        the run of name characters ending at q begins."""
        pos = 0
        while (ahead := self.zh_legal_ahead.search(text, pos + 2)) is not None:
            q = ahead.start()
            run = _NAME_RUN_END_RE.search(text, max(pos, q - 40), q)
            if run is not None and q - run.start() >= 2:
                m = self.zh_legal.match(text, run.start())
                if m is None:  # not expected; the plain scan is always right
                    yield from self.zh_legal.finditer(text, pos)
                    return
                yield m
                pos = m.end()
            else:  # no name ends at q: the next match needs a later suffix
                pos = max(pos, q - 1)

    def _cut_left(self, text: str, start: int, end: int) -> int:
        cut = start
        for m in self.zh_cut.finditer(text, start, end - 2):
            cut = max(cut, m.end())
        return cut

    def en_legal_candidates(self, doc: Doc) -> list[Candidate]:
        text = doc_text(doc)
        spans = [(m.start(), m.end()) for m in self.en_legal.finditer(text)]
        spans += [(s, e) for s, e in org_spans(doc) if self._org_ok(text[s:e])]
        out = []
        for start, end in spans:
            while start < end and text[start : start + 4] in ("The ", "the "):
                start += 4
            name = text[start:end]
            if name in self.en_stop or not name[:1].isupper() or "'s" in name or "’s" in name:
                continue
            out.append(Candidate(start, end, "company", new_id("company", name), name, False, 1))
        return out

    def _org_ok(self, name: str) -> bool:
        words = name.split()
        return len(words) >= 2 and words[-1] in self.en_suffixes

    def entities(self, doc: Doc, lang: str) -> list[Entity]:
        text, original = norm_text(doc), doc_text(doc)
        cands = (
            self.kb_candidates(doc) + self.ticker_candidates(text) + self.listed_candidates(text)
        )
        cands += self.zh_legal_candidates(text) if lang == "zh" else self.en_legal_candidates(doc)
        return [
            Entity(
                type=c.type,
                text=original[c.start : c.end],
                start=c.start,
                end=c.end,
                id=c.id,
                name=c.name,
                kb=c.kb,
                ticker=c.ticker,
            )
            for c in attach_tickers(text, select_longest(cands))
        ]


def ticker_key(code: str) -> str:
    """One key per listing: 09988.HK / 9988.HK -> 9988.HK, 300308.SZ / 300308 -> 300308."""
    head, _, exchange = code.partition(".")
    if exchange == "HK" and head.isdigit():
        return f"{int(head):04d}.HK"
    return head if head.isdigit() else code


def attach_tickers(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """A code in brackets right after a company's name is that company's ticker: the code's
    mention takes the company's id (智谱（02513.HK）is 智谱, not a company named 02513.HK) and
    both mentions carry the code."""
    by_end = {c.end: c for c in chosen if c.type == "company"}
    starts = {c.start: c for c in chosen}
    out = list(chosen)
    for m in _BRACKET_CODE_RE.finditer(text):
        company = by_end.get(m.start())
        code = starts.get(m.start("code"))
        if company is None or (code is None and not m["code"][:1].isdigit()):
            continue  # a bare capital word in brackets is a ticker only when the KB knows it
        if code is not None and code.end != m.end("code"):
            continue
        linked = replace(company, ticker=m["code"])
        ticker = replace(linked, start=m.start("code"), end=m.end("code"))
        out = [c for c in out if c is not company and c is not code] + [linked, ticker]
        by_end[linked.end] = linked
    return sorted(out, key=lambda c: c.start)


def org_spans(doc: Doc) -> list[tuple[int, int]]:
    """Char spans of ORG entities, read from token arrays (`doc.ents` builds a Token object
    per token and dominated the English profile)."""
    if not doc.has_annotation("ENT_IOB"):
        return []
    arr = doc.to_array(["ENT_IOB", "ENT_TYPE", "IDX", "LENGTH"])
    org = doc.vocab.strings["ORG"]
    spans: list[tuple[int, int]] = []
    start = end = -1
    for iob, typ, idx, length in arr.tolist():
        if iob == 3 or (iob != 1 and start >= 0):  # B, or O after an open span
            if start >= 0:
                spans.append((start, end))
            start = -1
        if iob == 3 and typ == org:
            start = idx
        if start >= 0 and iob in (1, 3):
            end = idx + length
    if start >= 0:
        spans.append((start, end))
    return spans


def select_longest(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longer first, then higher priority, then earlier."""
    chosen: list[Candidate] = []
    taken = bytearray()  # one flag per character already covered by a chosen candidate
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        if c.end > len(taken):
            taken.extend(bytes(c.end - len(taken)))
        if any(taken[c.start : c.end]):
            continue
        chosen.append(c)
        taken[c.start : c.end] = b"\1" * (c.end - c.start)
    return sorted(chosen, key=lambda c: c.start)


@registry.misc("tokenwatch.kb_entities.v1")
def kb_entity_rules() -> EntityRules:
    return EntityRules(load_kb())


@Language.factory(
    "tokenwatch_kb_entities",
    assigns=["doc._.tw_entities"],
    requires=["token.text"],
    default_config={"lang": "zh", "rules": {"@misc": "tokenwatch.kb_entities.v1"}},
)
def make_kb_entities(nlp: Language, name: str, lang: str, rules: EntityRules) -> KbEntities:
    return KbEntities(rules, lang)


class KbEntities(BatchPipe):
    def __init__(self, rules: EntityRules, lang: str) -> None:
        self.rules = rules
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        doc._.tw_entities = self.rules.entities(doc, self.lang)
        return doc
