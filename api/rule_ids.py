"""A rule that names an id nobody has (`subjects: ["deepseak"]`) can never fire: such rules are
refused with the field, the id and the closest known id. Ids are checked against the graph
(entities, sources, company sectors); suggestions come from the KB's ids and names too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from alerts.figures import NATIONAL_NAMES
from alerts.rules import MetricSpec, PolicySpec, RiskSpec, RuleSpec, SourceHealthSpec, SpikeSpec
from api.errors import Unprocessable
from graph import db, outbox
from graph.access import Graph
from nlp.kb import load_kb
from nlp.text import closest


def _fields(spec: RuleSpec) -> list[tuple[str, str, Sequence[str]]]:
    """(field name, what kind of id, ids) of every id list the rule names."""
    out: list[tuple[str, str, Sequence[str]]] = []
    if isinstance(spec, MetricSpec):
        out.append(("subjects", "entity", [s for s in spec.subjects if s not in NATIONAL_NAMES]))
    if isinstance(spec, RiskSpec | PolicySpec | SpikeSpec):
        out.append(("entities", "entity", spec.entities))
    if isinstance(spec, RiskSpec | MetricSpec | PolicySpec):
        out.append(("sectors", "sector", spec.sectors))
    if isinstance(spec, SourceHealthSpec):
        out.append(("sources", "source", spec.sources))
    return [f for f in out if f[2]]


def _suggestion(word: str, what: str, known: Iterable[str]) -> str:
    if what == "entity":
        by_name: dict[str, str] = {}
        for entry in load_kb():
            for label in (entry.id, *entry.names()):
                by_name.setdefault(label, entry.id)
        best = closest(word, [*by_name, *known])
        best = by_name.get(best, best) if best else None
    else:
        best = closest(word, known)
    return f' (did you mean "{best}"?)' if best else ""


def check_rule_ids(g: Graph, spec: RuleSpec) -> None:
    """Unprocessable (422) naming the first unknown id of each field, with a suggestion."""
    problems = []
    for field, what, ids in _fields(spec):
        found = outbox.known_ids(g, ids, what)
        missing = [i for i in ids if i not in found]
        if not missing:
            continue
        pool: Iterable[str] = found
        if what != "entity":
            pool = outbox.known_ids(g, _all(g, what), what)
        hints = [f"{field}: unknown {what} id {m!r}{_suggestion(m, what, pool)}"
                 for m in missing[:3]]
        problems += hints
    if problems:
        raise Unprocessable("; ".join(problems) + ". A rule naming an unknown id never fires.")


def _all(g: Graph, what: str) -> list[str]:
    if what == "source":
        return db.source_ids(g)
    sectors = {e.sector for e in load_kb() if e.sector}
    return sorted(sectors)
