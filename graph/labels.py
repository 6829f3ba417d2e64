"""The graph's vocabulary: node labels and relationship types, defined once.

Each set is a ``Literal`` (so mypy and the API's OpenAPI schema see the exact values) and a
tuple derived from it (so Cypher builders can check what they interpolate). Labels and types
are interpolated into Cypher only through `label()`, `entity_label()` and `rel_type()`, which
raise on anything outside these lists — never from input.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

EntityKind = Literal["company", "agency", "model", "policy"]
EntityLabel = Literal["Company", "Agency", "Model", "Policy"]
# what graph exploration (neighbours, paths, search) may see: never keys, alerts, webhooks
PublicLabel = Literal[EntityLabel, "Article", "Source", "Observation", "RiskSignal"]
# aggregates the writer keeps beside the entities (graph.aggregates) and the migration marker
AggregateLabel = Literal["MentionMonth", "LatestObservation", "RiskCount", "Migration"]
NodeLabel = Literal[PublicLabel, AggregateLabel, "AlertRule", "Alert", "Webhook", "Delivery",
                    "CrawlRun", "ApiKey", "MergedEntity"]
# what an alert may be triggered by: (Alert)-[:TRIGGERED_BY]->(…)
TriggerLabel = Literal["Article", "Observation", "RiskSignal"]

# relationships graph exploration may cross
TraversalRel = Literal["MENTIONS", "REPORTS", "ABOUT", "SIGNALS", "CONCERNS", "MADE_BY",
                       "PART_OF", "ISSUED_BY", "FROM", "DUPLICATE_OF"]
# entity-to-entity relations from the KB and from policy documents
EntityRel = Literal["MADE_BY", "PART_OF", "ISSUED_BY"]
RelType = Literal[TraversalRel, "TRIGGERED_BY", "OF", "TO"]

ENTITY_LABELS: Final[dict[EntityKind, EntityLabel]] = {
    "company": "Company", "agency": "Agency", "model": "Model", "policy": "Policy",
}
ENTITY_KINDS: Final[dict[str, EntityKind]] = {lbl: kind for kind, lbl in ENTITY_LABELS.items()}
NODE_LABELS: Final[frozenset[str]] = frozenset(get_args(NodeLabel))
PUBLIC_LABELS: Final[tuple[PublicLabel, ...]] = get_args(PublicLabel)
TRIGGER_LABELS: Final[tuple[TriggerLabel, ...]] = get_args(TriggerLabel)
TRAVERSAL_RELS: Final[tuple[TraversalRel, ...]] = get_args(TraversalRel)
ENTITY_RELS: Final[tuple[EntityRel, ...]] = get_args(EntityRel)
REL_TYPES: Final[frozenset[str]] = frozenset(get_args(RelType))

ENTITY_MATCH: Final = "|".join(ENTITY_LABELS.values())  # label disjunction: index seeks
PUBLIC_MATCH: Final = "|".join(PUBLIC_LABELS)


def label(name: str) -> str:
    if name not in NODE_LABELS:
        raise ValueError(f"label not allowed: {name!r}")
    return name


def entity_label(kind: str) -> str:
    try:
        return ENTITY_LABELS[kind]  # type: ignore[index]
    except KeyError:
        raise ValueError(f"entity kind not allowed: {kind!r}") from None


def rel_type(name: str) -> str:
    if name not in REL_TYPES:
        raise ValueError(f"relationship type not allowed: {name!r}")
    return name
