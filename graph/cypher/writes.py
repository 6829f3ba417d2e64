"""Ingest writes (UNWIND $rows, MERGE on constrained keys) and the lookups ingest makes first."""

from __future__ import annotations

from typing import Final

from graph.cypher.aggregates import COUNT_RISKS, UNCOUNT_RISKS, group_key, mention_delta
from graph.labels import ENTITY_LABELS, entity_label, rel_type

# --- writes (UNWIND $rows, MERGE on constrained keys) ------------------------------------

MERGE_SOURCES: Final = """
UNWIND $rows AS r
MERGE (s:Source {id: r.id})
SET s.name = r.name, s.kind = r.kind, s.lang = r.lang, s.url = r.url
"""

MERGE_ARTICLES: Final = """
UNWIND $rows AS r
MERGE (s:Source {id: r.source_id})
MERGE (a:Article {id: r.id})
ON CREATE SET a.fetched_at = r.fetched_at
SET a.url = r.url, a.canonical_url = r.canonical_url, a.title = r.title, a.text = r.text,
    a.lang = r.lang, a.published_at = r.published_at, a.content_hash = r.content_hash,
    a.simhash = r.simhash, a.sh0 = r.sh0, a.sh1 = r.sh1, a.sh2 = r.sh2, a.sh3 = r.sh3,
    a.minhash = r.minhash, a.mh_n = r.mh_n,
    a.mb0 = r.mb0, a.mb1 = r.mb1, a.mb2 = r.mb2, a.mb3 = r.mb3, a.mb4 = r.mb4, a.mb5 = r.mb5,
    a.mb6 = r.mb6, a.mb7 = r.mb7, a.mb8 = r.mb8, a.mb9 = r.mb9, a.mb10 = r.mb10,
    a.mb11 = r.mb11, a.mb12 = r.mb12, a.mb13 = r.mb13, a.mb14 = r.mb14, a.mb15 = r.mb15,
    a.etag = r.etag, a.last_modified = r.last_modified, a.source_id = r.source_id,
    a.doc_number = r.doc_number, a.issuer = r.issuer, a.issued_at = r.issued_at,
    a.effective_at = r.effective_at, a.attachments = r.attachments
MERGE (a)-[:FROM]->(s)
"""


def merge_entities(kind: str) -> str:
    lbl = entity_label(kind)
    # KB facts overwrite; surface-only entities never overwrite a KB node's names
    return f"""
UNWIND $rows AS r
MERGE (e:{lbl} {{id: r.id}})
ON CREATE SET e.name = r.name, e.kb = r.kb, e.aliases = r.aliases,
              e.search_terms = r.search_terms
"""


def merge_kb_entities(kind: str) -> str:
    lbl = entity_label(kind)
    return f"""
UNWIND $rows AS r
MERGE (e:{lbl} {{id: r.id}})
SET e += r.props, e.kb = true
// names added by curation (merges, aliases) survive a reload
WITH e, r, coalesce(e.curated_aliases, []) AS curated, coalesce(r.props.aliases, []) AS kb_aliases
SET e.aliases = kb_aliases + [x IN curated WHERE NOT x IN kb_aliases],
    e.search_terms = r.props.search_terms + reduce(acc = '', x IN curated | acc + ' ' + x)
"""


def merge_kb_relations(rel: str, from_kind: str, to_kind: str) -> str:
    """KB relations carry their provenance too: `source: 'kb'` (article ones carry offsets)."""
    return f"""
UNWIND $rows AS r
MATCH (a:{entity_label(from_kind)} {{id: r.from}})
MATCH (b:{entity_label(to_kind)} {{id: r.to}})
MERGE (a)-[k:{rel_type(rel)}]->(b)
SET k.source = 'kb', k.kb_field = r.field
"""


MERGED_REDIRECTS: Final = """
UNWIND $ids AS id
MATCH (t:MergedEntity {id: id})
RETURN t.id AS id, t.into AS into
"""


def _link_entities(node: str, ids_expr: str, rel: str, props: str) -> str:
    """Unit subqueries linking `node` to entities whose id is in `ids_expr`, one indexed seek
    per entity label (a subquery that matches nothing leaves the outer row alone)."""
    return "\n".join(
        f"CALL ({node}, r) {{ UNWIND {ids_expr} AS eid MATCH (e:{lbl} {{id: eid}}) "
        f"MERGE ({node})-[x:{rel_type(rel)}]->(e) SET {props} }}"
        for lbl in ENTITY_LABELS.values()
    )


def merge_mentions(kind: str) -> str:
    """Mentions and, in the same statement, their aggregates: the delta against what the
    relationship held (nothing for a new one; the same article's earlier row of this batch
    when two entities were redirected to one survivor)."""
    lbl = entity_label(kind)
    return f"""
UNWIND $rows AS r
MATCH (a:Article {{id: r.article_id}})
MATCH (e:{lbl} {{id: r.entity_id}})
MERGE (a)-[m:MENTIONS]->(e)
WITH a, e, m, r, coalesce(m.count, 0) AS old,
     CASE WHEN m.count IS NULL THEN 1 ELSE 0 END AS fresh
SET m.count = r.count, m.offsets = r.offsets, m.surfaces = r.surfaces,
    m.sentences = r.sentences, m.published_at = a.published_at, m.entity_id = e.id
WITH m, e, r.count - old AS n, fresh
""" + mention_delta("m", "e", "n", "fresh")


MERGE_OBSERVATIONS: Final = """
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (o:Observation {id: r.id})
SET o.kind = r.kind, o.value = r.value, o.period = r.period, o.currency = r.currency,
    o.side = r.side, o.as_of = r.as_of, o.quote = r.quote, o.subject_id = r.subject_id,
    o.subject_text = r.subject_text, o.article_id = r.article_id,
    o.published_at = a.published_at
MERGE (a)-[rep:REPORTS]->(o)
SET rep.start = r.start, rep.end = r.end, rep.sentence = r.quote,
    o.date = coalesce(r.as_of, date(a.published_at)), o.group = """ + group_key("r") + """
WITH o, r
""" + _link_entities(
    "o", "CASE WHEN r.subject_id IS NULL THEN [] ELSE [r.subject_id] END", "ABOUT",
    "x.article_id = r.article_id, x.start = r.start, x.end = r.end, x.sentence = r.quote",
) + """
RETURN collect(DISTINCT o.group) AS groups
"""

MERGE_RISKS: Final = """
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (s:RiskSignal {id: r.id})
SET s.category = r.category, s.score = r.score, s.quote = r.quote, s.article_id = r.article_id,
    s.published_at = a.published_at
MERGE (a)-[sg:SIGNALS]->(s)
SET sg.start = r.start, sg.end = r.end, sg.sentence = r.quote
WITH s, r
""" + _link_entities(
    "s", "r.entities", "CONCERNS",
    "x.article_id = r.article_id, x.start = r.start, x.end = r.end, x.sentence = r.quote, "
    "x.entity_id = e.id, x.published_at = s.published_at",
) + "\nWITH s\n" + COUNT_RISKS

# policies named in an article (PolicyInfo): KB ones are only linked, new ones created
MERGE_POLICIES: Final = """
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (p:Policy {id: r.id})
ON CREATE SET p.kb = false, p.aliases = []
SET p.name = coalesce(p.name, r.title), p.title = coalesce(p.title, r.title),
    p.doc_number = coalesce(p.doc_number, r.doc_number),
    p.issuer = coalesce(p.issuer, r.issuer),
    p.issued_at = coalesce(p.issued_at, r.issued_at),
    p.effective_at = coalesce(p.effective_at, r.effective_at)
SET p.search_terms = CASE WHEN p.kb THEN p.search_terms
                     ELSE trim(p.title + ' ' + coalesce(p.doc_number, '')) END
MERGE (a)-[m:MENTIONS]->(p)
ON CREATE SET m.count = 1, m.offsets = [r.start, r.end], m.surfaces = [r.title],
              m.sentences = [r.sentence], m.published_at = a.published_at, m.entity_id = p.id,
              m.fresh = true
WITH p, r, m
CALL (p, m) {
  WITH p, m WHERE m.fresh
  REMOVE m.fresh
  WITH p, m, 1 AS n, 1 AS fresh
  """ + mention_delta("m", "p", "n", "fresh") + """
}
WITH p, r
CALL (p, r) {
  WITH p, r WHERE r.issuer IS NOT NULL
  OPTIONAL MATCH (known:Agency {id: r.issuer})
  WITH p, r WHERE known IS NOT NULL OR r.issuer_name IS NOT NULL
  // an issuer outside the KB is kept as an unseen agency (kb = false), like new entities
  MERGE (g:Agency {id: r.issuer})
  ON CREATE SET g.kb = false, g.name = r.issuer_name, g.name_zh = r.issuer_name,
                g.aliases = [], g.search_terms = r.issuer_name
  MERGE (p)-[i:ISSUED_BY]->(g)
  ON CREATE SET i.article_id = r.article_id, i.start = r.start, i.end = r.end,
                i.sentence = r.sentence
}
"""

# an edited article's old facts go before its new ones are written (ids depend on offsets)
CLEAR_ARTICLE_FACTS: Final = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
CALL (a) {
  MATCH (a)-[:REPORTS]->(o:Observation)
  WITH o, o.group AS g
  DETACH DELETE o
  RETURN collect(DISTINCT g) AS groups
}
CALL (a) {
  MATCH (a)-[:SIGNALS]->(s:RiskSignal)
  """ + UNCOUNT_RISKS + """
  DETACH DELETE s
}
CALL (a) {
  MATCH (a)-[m:MENTIONS]->(e)
  WITH m, e, -coalesce(m.count, 1) AS n, -1 AS gone
  """ + mention_delta("m", "e", "n", "gone") + """
  DELETE m
}
RETURN groups
"""

MERGE_SOURCES_IF_ABSENT: Final = """
UNWIND $rows AS r
MERGE (s:Source {id: r.id})
ON CREATE SET s.name = r.name, s.kind = r.kind, s.lang = r.lang, s.url = r.url
"""

MERGE_DUPLICATES: Final = """
UNWIND $rows AS r
MATCH (a:Article {id: r.id})
MATCH (first:Article {id: r.first_id})
MERGE (a)-[d:DUPLICATE_OF]->(first)
SET d.distance = r.distance
"""

MERGE_CRAWL_RUN: Final = """
MERGE (s:Source {id: $row.source_id})
MERGE (c:CrawlRun {id: $row.id})
SET c += $row.props, c.source_id = $row.source_id
MERGE (c)-[:FROM]->(s)
"""

# --- lookups ingest makes before it writes ---------------------------------------------

KNOWN_PAGES: Final = """
MATCH (a:Article {source_id: $source_id})
RETURN a.canonical_url AS url, a.etag AS etag, a.last_modified AS last_modified,
       a.content_hash AS content_hash
"""

EXISTING_HASHES: Final = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.content_hash AS content_hash
"""

SIMHASH_CANDIDATES: Final = """
UNWIND $rows AS r
MATCH (a:Article)
WHERE (a.sh0 = r.sh0 OR a.sh1 = r.sh1 OR a.sh2 = r.sh2 OR a.sh3 = r.sh3
       OR a.mb0 = r.mb0 OR a.mb1 = r.mb1 OR a.mb2 = r.mb2 OR a.mb3 = r.mb3
       OR a.mb4 = r.mb4 OR a.mb5 = r.mb5 OR a.mb6 = r.mb6 OR a.mb7 = r.mb7
       OR a.mb8 = r.mb8 OR a.mb9 = r.mb9 OR a.mb10 = r.mb10 OR a.mb11 = r.mb11
       OR a.mb12 = r.mb12 OR a.mb13 = r.mb13 OR a.mb14 = r.mb14 OR a.mb15 = r.mb15)
  AND a.id <> r.id AND NOT (a)-[:DUPLICATE_OF]->()
RETURN r.id AS id, a.id AS other_id, a.simhash AS simhash, a.published_at AS published_at,
       a.minhash AS minhash, a.mh_n AS mh_n
"""
