"""API reads of entities and policies, and graph exploration (neighbours, paths).

Every read runs in a read transaction with a server-side timeout (graph.reader), every list
has a LIMIT from a capped parameter, and entity ids are found through index seeks.
"""

from __future__ import annotations

from typing import Final

from graph.cypher.schema import FULLTEXT_ENTITIES
from graph.labels import ENTITY_MATCH, PUBLIC_LABELS, PUBLIC_MATCH, label, rel_type

# --- API reads: entities ------------------------------------------------------------------

ENTITY_FIELDS: Final = ".id, .name, .name_zh, .name_en, .aliases, .tickers, .kb"


def entity_search(fulltext: bool) -> str:
    """Search by name / alias (zh, en) through the cjk full-text index, by ticker and by id."""
    ft = (
        f"CALL db.index.fulltext.queryNodes('{FULLTEXT_ENTITIES}', $lucene, {{limit: $cap}}) "
        "YIELD node, score RETURN node AS e, score\n  UNION\n  "
        if fulltext else ""
    )
    return f"""
CALL () {{
  {ft}MATCH (e:Company) WHERE $ticker IN e.tickers RETURN e, 100.0 AS score
  UNION
  MATCH (e:{ENTITY_MATCH} {{id: $q}}) RETURN e, 200.0 AS score
}}
WITH e, max(score) AS score
// an exact name or alias (any case) outranks every partial match: "DeepSeek" finds the
// company before DeepSeek-V3, -R1 … whose names merely contain it (no scan: only hits)
WITH e, score + CASE WHEN toLower($q) IN [x IN [e.name, e.name_zh, e.name_en]
                                              + coalesce(e.aliases, []) WHERE x IS NOT NULL
                                          | toLower(x)] THEN 150.0 ELSE 0.0 END AS score
WHERE $labels IS NULL OR any(l IN labels(e) WHERE l IN $labels)
RETURN e {{{ENTITY_FIELDS}}} AS entity, labels(e) AS labels, score
ORDER BY score DESC, e.id
SKIP $skip LIMIT $limit
"""


# counts are the writer's aggregates (graph.cypher.aggregates): no mention is read
ENTITY_CORE: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})
RETURN e {{.*}} AS entity, labels(e) AS labels,
       coalesce(e.mention_count, 0) AS mentions, coalesce(e.article_count, 0) AS articles
"""

MERGED_INTO: Final = "MATCH (t:MergedEntity {id: $id}) RETURN t.into AS into"

ENTITY_EXISTS: Final = f"MATCH (e:{ENTITY_MATCH} {{id: $id}}) RETURN e.id AS id"

ENTITY_RELATIONS: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})-[r:MADE_BY|PART_OF|ISSUED_BY]-(o)
RETURN type(r) AS type, CASE WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction,
       o.id AS id, o.name AS name, labels(o) AS labels, r.source AS source,
       r.article_id AS article_id
ORDER BY type, direction, id
LIMIT $limit
"""

ENTITY_MENTIONS_BY_MONTH: Final = """
MATCH (mm:MentionMonth {entity_id: $id})
WHERE mm.month IS NOT NULL
RETURN mm.month AS month, mm.mentions AS mentions, mm.articles AS articles
ORDER BY mm.entity_id DESC, mm.month DESC
LIMIT $limit
"""

# newest first along the (entity_id, published_at) relationship index: reads `limit` mentions
# whatever the entity's fame (an article without a publication date is not listed). Ordering
# by the whole index key is what lets the planner stream the index in order instead of
# sorting every mention (its estimate cannot know that one entity holds a third of them).
ENTITY_RECENT_ARTICLES: Final = """
MATCH (a:Article)-[m:MENTIONS {entity_id: $id}]->()
WHERE m.published_at IS NOT NULL
WITH a, m ORDER BY m.entity_id DESC, m.published_at DESC LIMIT $limit
MATCH (a)-[:FROM]->(s:Source)
RETURN a.id AS id, a.url AS url, a.title AS title, a.lang AS lang,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name,
       m.count AS count, m.sentences[0] AS sentence
ORDER BY a.published_at DESC, a.id DESC
LIMIT $limit
"""

# policies linked to the entity: issued by it, and named in its latest $window mentioning
# articles and risk signals (newest first through the relationship indexes), so a hub costs
# the window, not its whole history; `articles` counts within that window
ENTITY_POLICIES: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})
CALL (e) {{
  CALL () {{
    MATCH (a:Article)-[m:MENTIONS {{entity_id: $id}}]->()
    WHERE m.published_at IS NOT NULL
    RETURN a ORDER BY m.entity_id DESC, m.published_at DESC LIMIT $window
  }}
  MATCH (a)-[:MENTIONS]->(p:Policy) WHERE p <> e
  RETURN p, count(a) AS articles, 'co_mentioned' AS link
  UNION
  MATCH (p:Policy)-[:ISSUED_BY]->(e) RETURN p, 0 AS articles, 'issued' AS link
  UNION
  CALL () {{
    MATCH (r:RiskSignal)-[c:CONCERNS {{entity_id: $id}}]->()
    WHERE c.published_at IS NOT NULL
    RETURN r ORDER BY c.entity_id DESC, c.published_at DESC LIMIT $window
  }}
  MATCH (r)<-[:SIGNALS]-(a:Article)-[:MENTIONS]->(p:Policy) WHERE p <> e
  RETURN p, count(a) AS articles, 'risk' AS link
}}
RETURN p.id AS id, p.name AS name, p.doc_number AS doc_number, p.issued_at AS issued_at,
       p.status AS status, collect(DISTINCT link) AS links, sum(articles) AS articles
ORDER BY articles DESC, id
LIMIT $limit
"""

ENTITY_RISKS: Final = """
MATCH (r:RiskSignal)-[c:CONCERNS {entity_id: $id}]->()
WHERE c.published_at IS NOT NULL
WITH r, c ORDER BY c.entity_id DESC, c.published_at DESC LIMIT $limit
MATCH (a:Article)-[:SIGNALS]->(r)
RETURN r.id AS id, r.category AS category, r.score AS score, r.quote AS quote,
       a.id AS article_id, a.title AS article_title, a.url AS article_url,
       a.published_at AS published_at
ORDER BY a.published_at DESC, r.id
LIMIT $limit
"""

ENTITY_RISK_COUNTS: Final = """
MATCH (rc:RiskCount {entity_id: $id})
RETURN rc.category AS category, rc.signals AS signals
ORDER BY category
"""

# --- API reads: policies ------------------------------------------------------------------

POLICY_LIST: Final = """
MATCH (p:Policy)
OPTIONAL MATCH (p)-[:ISSUED_BY]->(g:Agency)
WITH p, collect(g)[0] AS g
WHERE ($issuer IS NULL OR g.id = $issuer)
  AND ($status IS NULL OR p.status = $status)
  AND ($since IS NULL OR p.issued_at >= $since) AND ($until IS NULL OR p.issued_at <= $until)
  AND ($q IS NULL OR any(t IN [p.name, p.name_zh, p.name_en, p.title, p.doc_number]
                               + coalesce(p.aliases, [])
                         WHERE toLower(t) CONTAINS toLower($q)))
WITH p, g, coalesce(p.issued_at, date('0001-01-01')) AS sort_key
WHERE $after_key IS NULL OR sort_key < $after_key OR (sort_key = $after_key AND p.id > $after_id)
RETURN p {.id, .name, .name_zh, .name_en, .title, .doc_number, .issued_at, .effective_at,
          .status, .kb} AS policy,
       g.id AS issuer_id, g.name AS issuer_name, sort_key
ORDER BY sort_key DESC, p.id
LIMIT $limit
"""

POLICY_DETAIL: Final = """
MATCH (p:Policy {id: $id})
OPTIONAL MATCH (p)-[i:ISSUED_BY]->(g:Agency)
RETURN p {.*} AS policy, collect(g {.id, .name, .name_en, source: i.source,
                                    article_id: i.article_id}) AS issuers
"""

POLICY_ARTICLES: Final = """
MATCH (p:Policy {id: $id})<-[m:MENTIONS]-(a:Article)-[:FROM]->(s:Source)
RETURN a.id AS id, a.url AS url, a.title AS title, a.lang AS lang,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name,
       m.count AS count, m.sentences[0] AS sentence
ORDER BY a.published_at DESC, a.id DESC
LIMIT $limit
"""

POLICY_COMPANIES: Final = """
MATCH (p:Policy {id: $id})<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(c:Company)
RETURN c.id AS id, c.name AS name, count(DISTINCT a) AS articles
ORDER BY articles DESC, id
LIMIT $limit
"""

# --- API reads: exploration (neighbours, paths) -------------------------------------------------

_PUBLIC_NODE: Final = " OR ".join(f"n:{lbl}" for lbl in PUBLIC_LABELS)


def neighbour_hop(rel_types: tuple[str, ...]) -> str:
    """One breadth-first hop from `$frontier` ids over allowed relationship types; articles
    outside [$since, $until) are neither returned nor crossed. Streams (DISTINCT and LIMIT are
    lazy), so a hub with 100k relationships costs only the rows asked for; `$labels` (or null)
    filters what is returned. The edge a node was reached by is looked up per returned node."""
    rels = "|".join(rel_type(t) for t in rel_types)
    return f"""
UNWIND $frontier AS fid
// bound first, so the planner always expands from the frontier (never scans for n)
CALL (fid) {{ MATCH (x:{PUBLIC_MATCH} {{id: fid}}) RETURN x }}
MATCH (x)-[:{rels}]-(n)
WHERE ({_PUBLIC_NODE}) AND NOT n.id IN $seen
  AND ($labels IS NULL OR labels(n)[0] IN $labels)
  AND (NOT n:Article OR (($since IS NULL OR n.published_at >= $since)
                         AND ($until IS NULL OR n.published_at < $until)))
WITH DISTINCT n
LIMIT $limit
CALL (n) {{
  // expand from n (few relationships), not from a hub in the frontier: x has no label here
  MATCH (n)-[r:{rels}]-(x) WHERE x.id IN $frontier
  RETURN x.id AS from_id, type(r) AS type,
         CASE WHEN startNode(r) = x THEN 'out' ELSE 'in' END AS direction
  LIMIT 1
}}
RETURN n.id AS id, labels(n)[0] AS label, coalesce(n.name, n.title, n.kind, n.category) AS name,
       n.published_at AS published_at, from_id, type, direction
"""


PROVENANCE_LABELS: Final = ("Source", "Article")  # where facts come from, not how things relate


def shortest_paths(max_length: int, rel_types: tuple[str, ...],
                   provenance: bool = False) -> str:
    """All shortest paths; through Source and Article nodes only with `provenance` (else
    every company is two hops from every other through any article naming both)."""
    if not 1 <= int(max_length) <= 10:
        raise ValueError("max_length out of range")
    rels = "|".join(rel_type(t) for t in rel_types)
    hidden = "" if provenance else "".join(
        f" AND NOT n:{label(lbl)}" for lbl in PROVENANCE_LABELS)
    return f"""
MATCH (a:{ENTITY_MATCH} {{id: $from}}), (b:{ENTITY_MATCH} {{id: $to}})
MATCH p = allShortestPaths((a)-[:{rels}*..{int(max_length)}]-(b))
WHERE all(n IN nodes(p) WHERE ({_PUBLIC_NODE}){hidden})
WITH p LIMIT $limit
RETURN [n IN nodes(p) | {{id: n.id, label: labels(n)[0],
                          name: coalesce(n.name, n.title, n.kind, n.category)}}] AS nodes,
       [r IN relationships(p) | {{type: type(r), from: startNode(r).id, to: endNode(r).id,
                                  article_id: coalesce(r.article_id,
                                    CASE WHEN startNode(r):Article THEN startNode(r).id END)}}]
         AS rels
"""
