"""Subject attribution: what a figure is about (see the package docstring for the order).

Candidates are the sentence's companies and models (research firms, brokers and agencies are
sources, not subjects; a platform named as the venue "on OpenRouter" is not either) and
countries (中国/我国/全国 -> `cn`). Lists pair subjects and figures: "A和B…分别为X和Y" and
"A and B … respectively" in order, "A和B…均为X" gives X to each.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlp.components.metrics.grammar import Found
from nlp.lexicon import alternation
from nlp.prefilter import compile_guarded
from nlp.text import clause_bounds
from nlp.types import Entity

NON_SUBJECT_SECTORS = {"research", "broker"}
FOREIGN_AGENCIES = ("us-", "eu-", "uk-", "bis", "ftc", "nist", "white-house")
_LIST_JOIN_RE = re.compile(r"^\s*(?:和|与|及|以及|、|,|，|and|&|as well as)\s*$", re.I)
_RESPECTIVELY_RE = compile_guarded(r"分别|各自|respectively", re.I)
_EACH_RE = compile_guarded(
    r"(?<![平日月周人])均(?!价|值|衡|匀)|都|\bboth\b|\beach\b(?!\s+(?:day|week|month|year|minute))",
    re.I,
)
_FOR_MODEL_RE = re.compile(r"(?:[^,;.]|\.(?=\d)){0,48}?\b(?:for|on|of)\s+(?:the\s+|its\s+)?")
_VENUE_BEFORE_RE = re.compile(r"\b(?:on|via|through)\s+(?:the\s+)?$", re.I)


class Attribution:
    def _build_attribution(self, lex: dict) -> None:
        self.country = {k: re.compile(alternation(v)) for k, v in lex["countries"].items()}

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
        resp = _RESPECTIVELY_RE.search(sent)
        each = _EACH_RE.search(sent)
        if not (resp or each) or not found:
            return found
        cut = s0 + (resp or each).start()  # type: ignore[union-attr]
        if resp and resp.group().lower() == "respectively":  # "A and B … X and Y, respectively"
            cut = min(cut, min(f.start for f in found))
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
        for_model = _FOR_MODEL_RE.match(text[pos:c1])
        if for_model:  # "a 3x price cut for GPT-4o", "a 50 per cent discount on Claude …"
            at = pos + for_model.end()
            named = [c for c in cands if c[0] == at and c[4] == "model"]
            if named:
                return named[0][2], named[0][3]
        for lo in (c0, s0):
            # a name that starts before the figure (even one whose span runs into it)
            before = [c for c in cands if lo <= c[0] < pos]
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


def _venue(text: str, e: Entity) -> bool:
    """A platform named as the place figures were counted ("on OpenRouter", "在OpenRouter上")
    is not what they are about."""
    if e.type != "company":
        return False
    before = text[max(0, e.start - 12) : e.start]
    if _VENUE_BEFORE_RE.search(before):
        return True
    return before.endswith("在") and text.startswith(("上", "平台上", "平台"), e.end)


def can_be_subject(entity: Entity) -> bool:
    from nlp.kb import load_kb

    if entity.type not in ("company", "model"):
        return False
    entry = load_kb().get(entity.id)
    return entry is None or entry.sector not in NON_SUBJECT_SECTORS
