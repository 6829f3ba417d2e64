"""`tokenwatch.policies.v1`: policy titles (《…》 and KB titles), document numbers
(国发〔2025〕11号), issuers and issue/effective dates -> `doc._.tw_policies`; bracketed titles not
in the KB are added to `doc._.tw_entities` as `policy` entities with `new:policy:` ids."""

from __future__ import annotations

import re
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from nlp.components.entities import new_id
from nlp.components.extensions import BatchPipe, doc_text, norm_text, sentences
from nlp.dates import find_dates
from nlp.kb import KnowledgeBase, load_kb
from nlp.lexicon import alternation, load_lexicon
from nlp.normalize import to_simplified
from nlp.prefilter import compile_guarded
from nlp.text import slug
from nlp.types import Entity, PolicyInfo

# the year in brackets every document number has: the lazy prefix run is tried only after it
_DOC_YEAR_RE = re.compile(r"[〔［\[【(（](?:19|20)\d{2}[〕］\]】)）]")
DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,8}[〔［\[【(（](?:19|20)\d{2}[〕］\]】)）]\s*(?:\d+|[A-Za-z]+)号"
)


class PolicyRules:
    def __init__(self, kb: KnowledgeBase) -> None:
        lex = load_lexicon("cues")["policies"]
        self.kb = kb
        self.title_re = re.compile(
            rf"《(?P<t>[^《》\n]{{2,80}}?(?:{alternation(lex['title_suffixes'])})(?:[（(][^）)》]{{1,8}}[）)])?)》"
        )
        heads, tails = alternation(lex["en_title_heads"]), alternation(lex["en_title_tails"])
        cap = r"[A-Z][\w-]*"
        link = r"(?:for|on|of|to|the|and|in|by)"
        self.en_title_re = compile_guarded(
            rf"\b(?:(?:{heads})(?:\s+{link})+(?:\s+(?:{cap}|{link}))*\s+{cap}"
            rf"|{cap}\s+(?:(?:and|of|for|on)\s+)?(?:{cap}\s+){{0,4}}(?:{tails})\b(?:\s+of\s+\d{{4}})?)"
        )
        self.by_title = {slug(to_simplified(n)): e for e in kb.of_kind("policy") for n in e.names()}
        self.issuer_prefixes: dict[str, str] = lex["issuer_prefixes"]
        self.issued_re = compile_guarded(
            alternation(lex["issued_verbs_zh"] + lex["issued_verbs_en"])
        )
        self.effective_re = compile_guarded(
            alternation(lex["effective_zh"] + lex["effective_en"]), re.I
        )

    def run(self, doc: Doc, published: date | None) -> tuple[list[PolicyInfo], list[Entity]]:
        text, original = norm_text(doc), doc_text(doc)
        entities = list(doc._.tw_entities or [])
        mentions = [(e.start, e.end, e.id) for e in entities if e.type == "policy"]
        found = [(m.start("t"), m.end("t")) for m in self.title_re.finditer(text)]
        found += [self._trim_en(text, m.start(), m.end()) for m in self.en_title_re.finditer(text)]
        for t0, t1 in found:
            if t1 <= t0 or any(s < t1 and t0 < e for s, e, _ in mentions):
                continue
            title = text[t0:t1]
            entry = self.by_title.get(slug(title))
            ident = entry.id if entry else new_id("policy", title)
            ent = Entity(
                type="policy",
                text=original[t0:t1],
                start=t0,
                end=t1,
                id=ident,
                name=entry.name if entry else title,
                kb=entry is not None,
            )
            entities = [e for e in entities if not (e.start < ent.end and ent.start < e.end)] + [
                ent
            ]
            mentions.append((ent.start, ent.end, ident))
        entities.sort(key=lambda e: e.start)
        infos = [self._info(doc, s, e, i, entities, published) for s, e, i in sorted(mentions)]
        return _dedupe(infos), entities

    @staticmethod
    def _trim_en(text: str, start: int, end: int) -> tuple[int, int]:
        """Drop a leading "The"/"China's"-style word that the capitalised run swallowed."""
        lead = re.match(r"(?:The|A|An|China's|EU's|Its|Their|This|That|New)\s+", text[start:end])
        start += lead.end() if lead else 0
        return start, end if len(text[start:end].split()) >= 2 else start

    def _info(
        self,
        doc: Doc,
        start: int,
        end: int,
        ident: str | None,
        entities: list[Entity],
        published: date | None,
    ) -> PolicyInfo:
        text = norm_text(doc)
        s0, s1 = next(((s, e) for s, e in sentences(doc) if s <= start < e), (0, len(text)))
        sent = text[s0:s1]
        entry = self.kb.get(ident)
        number = DOC_NUMBER_RE.search(sent) if _DOC_YEAR_RE.search(sent) else None
        doc_number = number.group() if number else (entry.doc_number if entry else None)
        issuer = self._issuer(doc_number, entities, s0, start) or (entry.issuer if entry else None)
        issued, effective = self._dates(sent, published)
        return PolicyInfo(
            id=ident,
            title=doc_text(doc)[start:end],
            doc_number=doc_number,
            issuer=issuer,
            issued_at=issued or (entry.issued_at if entry else None),
            effective_at=effective or (entry.effective_at if entry else None),
            start=start,
            end=end,
        )

    def _issuer(
        self, doc_number: str | None, entities: list[Entity], s0: int, start: int
    ) -> str | None:
        if doc_number:
            for prefix, agency in self.issuer_prefixes.items():
                if doc_number.startswith(prefix):
                    return agency
        before = [e for e in entities if e.type == "agency" and s0 <= e.start < start]
        return before[0].id if before else None

    def _dates(self, sent: str, pub: date | None) -> tuple[str | None, str | None]:
        issued = effective = None
        for d in find_dates(sent, pub):
            after = sent[d.end : d.end + 12]
            if self.effective_re.match(after.lstrip("起 ，,")) or self.effective_re.search(
                sent[max(0, d.start - 18) : d.start]
            ):
                effective = effective or d.value
            elif self.issued_re.search(sent[d.end : d.end + 20]) or self.issued_re.search(
                sent[max(0, d.start - 6) : d.start]
            ):
                issued = issued or d.value
        return issued, effective


def _dedupe(infos: list[PolicyInfo]) -> list[PolicyInfo]:
    out: dict[str | None, PolicyInfo] = {}
    for info in infos:
        prev = out.get(info.id)
        if prev is None:
            out[info.id] = info
            continue
        merged = prev.model_copy(
            update={
                k: getattr(prev, k) or getattr(info, k)
                for k in ("doc_number", "issuer", "issued_at", "effective_at")
            }
        )
        out[info.id] = merged
    return list(out.values())


@registry.misc("tokenwatch.policies.v1")
def policy_rules() -> PolicyRules:
    return PolicyRules(load_kb())


@Language.factory(
    "tokenwatch_policies",
    assigns=["doc._.tw_policies", "doc._.tw_entities"],
    requires=["doc._.tw_entities"],
    default_config={"rules": {"@misc": "tokenwatch.policies.v1"}},
)
def make_policies(nlp: Language, name: str, rules: PolicyRules) -> Policies:
    return Policies(rules)


class Policies(BatchPipe):
    def __init__(self, rules: PolicyRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        doc._.tw_policies, doc._.tw_entities = self.rules.run(doc, doc._.tw_published)
        return doc
