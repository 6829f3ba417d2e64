"""Curation (entity merge, aliases), API keys and health probes."""

from __future__ import annotations

from typing import Final

from graph.cypher.entities import ENTITY_FIELDS
from graph.labels import ENTITY_MATCH, entity_label, rel_type

# --- curation (entity merge, aliases): no APOC on Community, so each relationship type of
# the allow-list is moved by its own statement --------------------------------------------

CURATION_PAIR: Final = f"""
OPTIONAL MATCH (s:{ENTITY_MATCH} {{id: $source}})
OPTIONAL MATCH (t:{ENTITY_MATCH} {{id: $target}})
OPTIONAL MATCH (m:MergedEntity {{id: $source}})
RETURN labels(s) AS source_labels, labels(t) AS target_labels, m.into AS merged_into
"""

ENTITY_REL_TYPES: Final = f"""
MATCH (s:{ENTITY_MATCH} {{id: $source}})-[r]-()
RETURN DISTINCT type(r) AS type, startNode(r) = s AS outgoing
"""

_MENTIONS_ON_MATCH: Final = """
ON MATCH SET n.count = coalesce(n.count, 0) + coalesce(r.count, 0),
             n.offsets = coalesce(n.offsets, []) + coalesce(r.offsets, []),
             n.surfaces = coalesce(n.surfaces, []) + [w IN coalesce(r.surfaces, [])
                                                     WHERE NOT w IN coalesce(n.surfaces, [])],
             n.sentences = coalesce(n.sentences, []) + coalesce(r.sentences, [])"""


def move_relationships(kind: str, rel: str, outgoing: bool) -> str:
    """Re-point every `rel` relationship of entity $source to $target (merging into an
    existing one, combining MENTIONS counts); a relationship between the two is dropped."""
    lbl, typ = entity_label(kind), rel_type(rel)
    pattern = f"(s)-[r:{typ}]->(x)" if outgoing else f"(s)<-[r:{typ}]-(x)"
    merge = f"(t)-[n:{typ}]->(x)" if outgoing else f"(t)<-[n:{typ}]-(x)"
    on_match = _MENTIONS_ON_MATCH if typ == "MENTIONS" else ""
    return f"""
MATCH (s:{lbl} {{id: $source}}), (t:{lbl} {{id: $target}})
MATCH {pattern}
CALL (s, t, r, x) {{
  WITH s, t, r, x WHERE x <> t AND x <> s
  MERGE {merge}
  ON CREATE SET n = properties(r){on_match}
}}
DELETE r
RETURN count(*) AS moved
"""


def merge_entity_nodes(kind: str) -> str:
    lbl = entity_label(kind)
    return f"""
MATCH (s:{lbl} {{id: $source}}), (t:{lbl} {{id: $target}})
WITH s, t, [x IN [s.name, s.name_zh, s.name_en] + coalesce(s.aliases, [])
            WHERE x IS NOT NULL AND NOT x IN [t.name, t.name_zh, t.name_en]] AS gained
WITH s, t, gained, reduce(acc = [], x IN coalesce(t.aliases, []) + gained |
                          CASE WHEN x IN acc THEN acc ELSE acc + x END) AS aliases
SET t.aliases = aliases,
    t.curated_aliases = reduce(acc = coalesce(t.curated_aliases, []), x IN gained |
                               CASE WHEN x IN acc THEN acc ELSE acc + x END),
    t.tickers = reduce(acc = coalesce(t.tickers, []), x IN coalesce(s.tickers, []) |
                       CASE WHEN x IN acc THEN acc ELSE acc + x END),
    t.merged_ids = coalesce(t.merged_ids, []) + [s.id] + coalesce(s.merged_ids, []),
    t.search_terms = coalesce(t.search_terms, '') + ' ' + coalesce(s.search_terms, s.name, '')
WITH s, t
OPTIONAL MATCH (o:Observation {{subject_id: s.id}})
SET o.subject_id = t.id
WITH DISTINCT s, t
OPTIONAL MATCH (old:MergedEntity {{into: s.id}})
SET old.into = t.id
WITH DISTINCT s, t
MERGE (m:MergedEntity {{id: s.id}})
SET m.into = t.id, m.label = '{lbl}', m.name = s.name, m.merged_at = datetime()
WITH s, t
DETACH DELETE s
RETURN t {{{ENTITY_FIELDS}, .merged_ids}} AS entity
"""


ADD_ALIAS: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})
WITH e, $alias IN coalesce(e.aliases, []) + [e.name, e.name_zh, e.name_en] AS known
SET e.aliases = CASE WHEN known THEN e.aliases ELSE coalesce(e.aliases, []) + $alias END,
    e.curated_aliases = CASE WHEN known THEN e.curated_aliases
                             ELSE coalesce(e.curated_aliases, []) + $alias END,
    e.search_terms = CASE WHEN known THEN e.search_terms
                          ELSE coalesce(e.search_terms, '') + ' ' + $alias END
RETURN e {{{ENTITY_FIELDS}}} AS entity, labels(e) AS labels, NOT known AS added
"""


# --- API keys ---------------------------------------------------------------------------

CREATE_API_KEY: Final = """
MERGE (k:ApiKey {id: $id})
ON CREATE SET k.owner = $owner, k.role = $role, k.name = $name, k.hash = $hash,
              k.created_at = datetime(), k.revoked = false
RETURN k {.*} AS key
"""

ENSURE_API_KEY: Final = """
MERGE (k:ApiKey {id: $id})
ON CREATE SET k.created_at = datetime()
SET k.owner = $owner, k.role = $role, k.name = $name, k.hash = $hash, k.revoked = false
RETURN k {.*} AS key
"""

GET_API_KEY: Final = "MATCH (k:ApiKey {id: $id}) RETURN k {.*} AS key"

LIST_API_KEYS: Final = """
MATCH (k:ApiKey)
WHERE $owner IS NULL OR k.owner = $owner
RETURN k {.id, .owner, .role, .name, .created_at, .revoked} AS key
ORDER BY k.created_at, k.id
LIMIT $limit
"""

REVOKE_API_KEY: Final = """
MATCH (k:ApiKey {id: $id})
SET k.revoked = true, k.revoked_at = coalesce(k.revoked_at, datetime())
RETURN k {.id, .owner, .role, .name, .created_at, .revoked} AS key
"""

PING: Final = "RETURN 1 AS ok"


COUNTS: Final = """
CALL () {
  MATCH (n) RETURN count(n) AS nodes
}
CALL () {
  MATCH ()-[r]->() RETURN count(r) AS rels
}
RETURN nodes, rels
"""
