"""Every Cypher statement Tokenwatch runs, as parameterised builders.

Values are always parameters. Labels and relationship types are interpolated only from the
allow-lists below, never from input (`label()` / `rel_type()` raise on anything else).
"""

from __future__ import annotations

from typing import Final

MINHASH_BANDS: Final = 16  # crawlers.dedupe.BANDS (a test holds them equal)

ENTITY_LABELS: Final = {
    "company": "Company", "agency": "Agency", "model": "Model", "policy": "Policy",
}
NODE_LABELS: Final = frozenset(
    {
        "Source", "Article", "Company", "Agency", "Model", "Policy", "Observation",
        "RiskSignal", "AlertRule", "Alert", "Webhook", "Delivery", "CrawlRun", "ApiKey",
        "MergedEntity",
    }
)
# what graph exploration (neighbours, paths, search) may see: never keys, alerts, webhooks
PUBLIC_LABELS: Final = ("Company", "Agency", "Model", "Policy", "Article", "Source",
                        "Observation", "RiskSignal")
TRAVERSAL_RELS: Final = ("MENTIONS", "REPORTS", "ABOUT", "SIGNALS", "CONCERNS", "MADE_BY",
                         "PART_OF", "ISSUED_BY", "FROM", "DUPLICATE_OF")
ENTITY_MATCH: Final = "Company|Agency|Model|Policy"  # label disjunction: a union of index seeks
PUBLIC_MATCH: Final = "|".join(PUBLIC_LABELS)
REL_TYPES: Final = frozenset(
    {
        "FROM", "MENTIONS", "REPORTS", "ABOUT", "ISSUED_BY", "SIGNALS", "CONCERNS", "MADE_BY",
        "PART_OF", "DUPLICATE_OF", "TRIGGERED_BY", "OF", "TO",
    }
)


def label(name: str) -> str:
    if name not in NODE_LABELS:
        raise ValueError(f"label not allowed: {name!r}")
    return name


def entity_label(kind: str) -> str:
    try:
        return ENTITY_LABELS[kind]
    except KeyError:
        raise ValueError(f"entity kind not allowed: {kind!r}") from None


def rel_type(name: str) -> str:
    if name not in REL_TYPES:
        raise ValueError(f"relationship type not allowed: {name!r}")
    return name


# --- schema -----------------------------------------------------------------------------

FULLTEXT_ARTICLES: Final = "article_fulltext"
FULLTEXT_ENTITIES: Final = "entity_names"


def schema_statements() -> list[str]:
    """Constraints and indexes; every statement is IF NOT EXISTS so applying twice is a no-op."""
    stmts = [
        f"CREATE CONSTRAINT {lbl.lower()}_id IF NOT EXISTS FOR (n:{lbl}) REQUIRE n.id IS UNIQUE"
        for lbl in sorted(NODE_LABELS)
    ]
    stmts += [
        "CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published_at)",
        "CREATE INDEX article_canonical IF NOT EXISTS FOR (a:Article) ON (a.canonical_url)",
        "CREATE INDEX article_source IF NOT EXISTS FOR (a:Article) ON (a.source_id)",
        "CREATE INDEX article_hash IF NOT EXISTS FOR (a:Article) ON (a.content_hash)",
        *[
            f"CREATE INDEX article_sh{i} IF NOT EXISTS FOR (a:Article) ON (a.sh{i})"
            for i in range(4)
        ],
        *[  # MinHash LSH bands (crawlers.dedupe.BANDS): short syndicated copies
            f"CREATE INDEX article_mb{i} IF NOT EXISTS FOR (a:Article) ON (a.mb{i})"
            for i in range(MINHASH_BANDS)
        ],
        "CREATE INDEX observation_kind_asof IF NOT EXISTS FOR (o:Observation) ON (o.kind, o.as_of)",
        "CREATE INDEX observation_subject IF NOT EXISTS FOR (o:Observation) ON (o.subject_id)",
        "CREATE INDEX observation_date IF NOT EXISTS FOR (o:Observation) ON (o.kind, o.date)",
        "CREATE INDEX risk_published IF NOT EXISTS FOR (r:RiskSignal) ON (r.published_at)",
        "CREATE INDEX policy_issued IF NOT EXISTS FOR (p:Policy) ON (p.issued_at)",
        "CREATE INDEX mentions_published IF NOT EXISTS FOR ()-[m:MENTIONS]-() ON (m.published_at)",
        "CREATE INDEX risk_category IF NOT EXISTS FOR (r:RiskSignal) ON (r.category)",
        "CREATE INDEX crawlrun_source IF NOT EXISTS "
        "FOR (c:CrawlRun) ON (c.source_id, c.started_at)",
        "CREATE INDEX policy_doc_number IF NOT EXISTS FOR (p:Policy) ON (p.doc_number)",
        (
            f"CREATE FULLTEXT INDEX {FULLTEXT_ARTICLES} IF NOT EXISTS "
            "FOR (a:Article) ON EACH [a.title, a.text] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
        ),
        (
            f"CREATE FULLTEXT INDEX {FULLTEXT_ENTITIES} IF NOT EXISTS "
            "FOR (n:Company|Agency|Model|Policy) "
            "ON EACH [n.name, n.name_zh, n.name_en, n.search_terms] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
        ),
    ]
    return stmts


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
    lbl = entity_label(kind)
    return f"""
UNWIND $rows AS r
MATCH (a:Article {{id: r.article_id}})
MATCH (e:{lbl} {{id: r.entity_id}})
MERGE (a)-[m:MENTIONS]->(e)
SET m.count = r.count, m.offsets = r.offsets, m.surfaces = r.surfaces,
    m.sentences = r.sentences, m.published_at = a.published_at
"""


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
    o.date = coalesce(r.as_of, date(a.published_at))
WITH o, r
""" + _link_entities(
    "o", "CASE WHEN r.subject_id IS NULL THEN [] ELSE [r.subject_id] END", "ABOUT",
    "x.article_id = r.article_id, x.start = r.start, x.end = r.end, x.sentence = r.quote",
)

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
    "x.article_id = r.article_id, x.start = r.start, x.end = r.end, x.sentence = r.quote",
)

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
              m.sentences = [r.sentence], m.published_at = a.published_at
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
  DETACH DELETE o
}
CALL (a) {
  MATCH (a)-[:SIGNALS]->(s:RiskSignal)
  DETACH DELETE s
}
CALL (a) {
  MATCH (a)-[m:MENTIONS]->()
  DELETE m
}
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

# --- reads ------------------------------------------------------------------------------

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

COUNTS: Final = """
CALL () {
  MATCH (n) RETURN count(n) AS nodes
}
CALL () {
  MATCH ()-[r]->() RETURN count(r) AS rels
}
RETURN nodes, rels
"""

LIST_ARTICLES: Final = """
MATCH (a:Article)-[:FROM]->(s:Source)
WHERE $cursor_published IS NULL
   OR coalesce(a.published_at, datetime('1970-01-01T00:00:00Z')) < $cursor_published
   OR (coalesce(a.published_at, datetime('1970-01-01T00:00:00Z')) = $cursor_published
       AND a.id < $cursor_id)
WITH a, s, coalesce(a.published_at, datetime('1970-01-01T00:00:00Z')) AS sort_key
ORDER BY sort_key DESC, a.id DESC
LIMIT $limit
RETURN a.id AS id, a.url AS url, a.title AS title, a.lang AS lang,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name, sort_key
"""

ENTITY_PROFILE: Final = """
MATCH (e {id: $id}) WHERE e:Company OR e:Agency OR e:Model OR e:Policy
OPTIONAL MATCH (:Article)-[m:MENTIONS]->(e)
WITH e, sum(coalesce(m.count, 1)) AS mentions, count(m) AS articles
RETURN e {.*} AS entity, labels(e) AS labels, mentions, articles
"""

ENTITY_LATEST_OBSERVATIONS: Final = """
MATCH (o:Observation)
WHERE o.subject_id = $id
MATCH (a:Article)-[:REPORTS]->(o)
RETURN o {.*} AS obs, a.id AS article_id, a.url AS article_url, a.title AS article_title,
       a.published_at AS published_at
ORDER BY o.as_of DESC, a.published_at DESC
LIMIT $limit
"""

# --- API reads: entities ------------------------------------------------------------------
# Every read runs in a read transaction with a server-side timeout (graph.reader), every list
# has a LIMIT from a capped parameter, and entity ids are found through index seeks.

_ENTITY_FIELDS: Final = ".id, .name, .name_zh, .name_en, .aliases, .tickers, .kb"


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
RETURN e {{{_ENTITY_FIELDS}}} AS entity, labels(e) AS labels, score
ORDER BY score DESC, e.id
SKIP $skip LIMIT $limit
"""


ENTITY_CORE: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})
CALL (e) {{
  OPTIONAL MATCH (:Article)-[m:MENTIONS]->(e)
  RETURN sum(coalesce(m.count, 1)) AS mentions, count(m) AS articles
}}
RETURN e {{.*}} AS entity, labels(e) AS labels, mentions, articles
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

ENTITY_MENTIONS_BY_MONTH: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})<-[m:MENTIONS]-(:Article)
WHERE m.published_at IS NOT NULL
WITH date.truncate('month', m.published_at) AS month, sum(coalesce(m.count, 1)) AS mentions,
     count(*) AS articles
RETURN month, mentions, articles
ORDER BY month DESC
LIMIT $limit
"""

ENTITY_RECENT_ARTICLES: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})<-[m:MENTIONS]-(a:Article)-[:FROM]->(s:Source)
RETURN a.id AS id, a.url AS url, a.title AS title, a.lang AS lang,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name,
       m.count AS count, m.sentences[0] AS sentence
ORDER BY a.published_at DESC, a.id DESC
LIMIT $limit
"""

ENTITY_POLICIES: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})
CALL (e) {{
  MATCH (e)<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(p:Policy) WHERE p <> e
  RETURN p, count(a) AS articles, 'co_mentioned' AS link
  UNION
  MATCH (p:Policy)-[:ISSUED_BY]->(e) RETURN p, 0 AS articles, 'issued' AS link
  UNION
  MATCH (e)<-[:CONCERNS]-(:RiskSignal)<-[:SIGNALS]-(a:Article)-[:MENTIONS]->(p:Policy)
  WHERE p <> e
  RETURN p, count(a) AS articles, 'risk' AS link
}}
RETURN p.id AS id, p.name AS name, p.doc_number AS doc_number, p.issued_at AS issued_at,
       p.status AS status, collect(DISTINCT link) AS links, sum(articles) AS articles
ORDER BY articles DESC, id
LIMIT $limit
"""

ENTITY_RISKS: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})<-[c:CONCERNS]-(r:RiskSignal)<-[:SIGNALS]-(a:Article)
RETURN r.id AS id, r.category AS category, r.score AS score, r.quote AS quote,
       a.id AS article_id, a.title AS article_title, a.url AS article_url,
       a.published_at AS published_at
ORDER BY a.published_at DESC, r.id
LIMIT $limit
"""

ENTITY_RISK_COUNTS: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})<-[:CONCERNS]-(r:RiskSignal)
RETURN r.category AS category, count(r) AS signals
ORDER BY category
"""

# --- API reads: observations (kept as reported; latest / as-of are queries) --------------

# the newest date per (kind, period, side, currency) at or before $as_of; every observation on
# that date, from every source, so disagreeing reports are all shown
OBSERVATIONS_LATEST: Final = """
MATCH (o:Observation {subject_id: $subject})
WHERE o.date IS NOT NULL AND ($as_of IS NULL OR o.date <= $as_of)
  AND ($kind IS NULL OR o.kind = $kind)
WITH o.kind AS kind, coalesce(o.period, '') AS period, coalesce(o.side, '') AS side,
     coalesce(o.currency, '') AS currency, max(o.date) AS latest
MATCH (o:Observation {subject_id: $subject})
WHERE o.kind = kind AND o.date = latest AND coalesce(o.period, '') = period
  AND coalesce(o.side, '') = side AND coalesce(o.currency, '') = currency
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN o {.*} AS obs, a.id AS article_id, a.url AS article_url, a.title AS article_title,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name,
       rep.start AS start, rep.end AS end
ORDER BY o.kind, o.period, o.side, o.currency, a.published_at DESC, o.id
LIMIT $limit
"""

OBSERVATION_SERIES: Final = """
MATCH (o:Observation {subject_id: $subject})
WHERE o.kind = $kind AND o.date IS NOT NULL
  AND ($period IS NULL OR o.period = $period)
  AND ($side IS NULL OR o.side = $side)
  AND ($currency IS NULL OR o.currency = $currency)
  AND ($since IS NULL OR o.date >= $since) AND ($until IS NULL OR o.date <= $until)
  AND ($after_date IS NULL OR o.date > $after_date
       OR (o.date = $after_date AND o.id > $after_id))
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN o {.*} AS obs, a.id AS article_id, a.url AS article_url, a.title AS article_title,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name,
       rep.start AS start, rep.end AS end
ORDER BY o.date, o.id
LIMIT $limit
"""

# the latest token price per subject (as of $as_of), for a side, across providers
PRICE_COMPARISON: Final = """
MATCH (o:Observation)
WHERE o.kind = 'token_price' AND o.date IS NOT NULL AND o.subject_id IS NOT NULL
  AND o.currency IS NOT NULL
  AND ($as_of IS NULL OR o.date <= $as_of)
  AND ($side IS NULL OR o.side = $side)
  AND ($subjects IS NULL OR o.subject_id IN $subjects)
WITH o.subject_id AS subject, coalesce(o.side, '') AS side, max(o.date) AS latest
MATCH (o:Observation {subject_id: subject})
WHERE o.kind = 'token_price' AND o.date = latest AND coalesce(o.side, '') = side
  AND o.currency IS NOT NULL
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
OPTIONAL MATCH (e:Company|Agency|Model|Policy {id: subject})
RETURN subject, e.name AS name, labels(e) AS labels, o {.*} AS obs, a.id AS article_id,
       a.url AS article_url, a.title AS article_title, a.published_at AS published_at,
       s.id AS source_id, s.name AS source_name, rep.start AS start, rep.end AS end
ORDER BY subject, side, o.id
LIMIT $limit
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

# --- API reads: articles ------------------------------------------------------------------

_ARTICLE_FILTERS: Final = """
  ($source IS NULL OR a.source_id = $source)
  AND ($lang IS NULL OR a.lang = $lang)
  AND ($since IS NULL OR a.published_at >= $since)
  AND ($until IS NULL OR a.published_at < $until)
  AND ($entity IS NULL OR EXISTS {
        MATCH (a)-[:MENTIONS]->(x:Company|Agency|Model|Policy {id: $entity}) })
"""

ARTICLE_LIST: Final = """
MATCH (a:Article)
WHERE """ + _ARTICLE_FILTERS + """
WITH a, coalesce(a.published_at, datetime('1970-01-01T00:00:00Z')) AS sort_key
WHERE $cursor_published IS NULL OR sort_key < $cursor_published
   OR (sort_key = $cursor_published AND a.id < $cursor_id)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN a.id AS id, a.url AS url, a.title AS title, a.lang AS lang,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name, sort_key
ORDER BY sort_key DESC, a.id DESC
LIMIT $limit
"""

ARTICLE_SEARCH: Final = f"""
CALL db.index.fulltext.queryNodes('{FULLTEXT_ARTICLES}', $lucene, {{limit: $cap}})
YIELD node AS a, score
WHERE """ + _ARTICLE_FILTERS + """
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN a.id AS id, a.url AS url, a.title AS title, a.lang AS lang,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name, score
ORDER BY score DESC, a.id
SKIP $skip LIMIT $limit
"""

ARTICLE_DETAIL: Final = """
MATCH (a:Article {id: $id})
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
OPTIONAL MATCH (a)-[d:DUPLICATE_OF]->(orig:Article)
RETURN a {.*} AS article, s {.id, .name, .kind, .lang, .url} AS source,
       orig.id AS duplicate_of,
       COUNT { (:Article)-[:DUPLICATE_OF]->(a) } AS duplicates
"""

ARTICLE_MENTIONS: Final = """
MATCH (a:Article {id: $id})-[m:MENTIONS]->(e)
RETURN e.id AS id, e.name AS name, labels(e) AS labels, m.count AS count,
       m.offsets AS offsets, m.surfaces AS surfaces, m.sentences AS sentences
ORDER BY m.count DESC, id
LIMIT $limit
"""

ARTICLE_OBSERVATIONS: Final = """
MATCH (a:Article {id: $id})-[rep:REPORTS]->(o:Observation)
RETURN o {.*} AS obs, rep.start AS start, rep.end AS end
ORDER BY rep.start, o.id
LIMIT $limit
"""

ARTICLE_RISKS: Final = """
MATCH (a:Article {id: $id})-[sg:SIGNALS]->(r:RiskSignal)
OPTIONAL MATCH (r)-[:CONCERNS]->(e)
WITH r, sg, collect(e.id) AS entities
RETURN r {.id, .category, .score, .quote} AS risk, sg.start AS start, sg.end AS end, entities
ORDER BY start, risk.id
LIMIT $limit
"""

# --- API reads: risks ---------------------------------------------------------------------

RISK_LIST: Final = """
MATCH (r:RiskSignal)
WHERE ($category IS NULL OR r.category = $category)
  AND ($since IS NULL OR r.published_at >= $since)
  AND ($until IS NULL OR r.published_at < $until)
  AND ($entity IS NULL OR EXISTS {
        MATCH (r)-[:CONCERNS]->(x:Company|Agency|Model|Policy {id: $entity}) })
WITH r, coalesce(r.published_at, datetime('1970-01-01T00:00:00Z')) AS sort_key
WHERE $cursor_published IS NULL OR sort_key < $cursor_published
   OR (sort_key = $cursor_published AND r.id < $cursor_id)
MATCH (a:Article)-[sg:SIGNALS]->(r)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
WITH r, a, sg, s, sort_key ORDER BY sort_key DESC, r.id DESC LIMIT $limit
OPTIONAL MATCH (r)-[:CONCERNS]->(e)
WITH r, a, sg, s, sort_key, collect(e.id) AS entities
RETURN r {.id, .category, .score, .quote} AS risk, a.id AS article_id, a.title AS article_title,
       a.url AS article_url, a.published_at AS published_at, s.id AS source_id,
       sg.start AS start, sg.end AS end, entities, sort_key
ORDER BY sort_key DESC, risk.id DESC
LIMIT $limit
"""

# --- API reads: sources and crawl runs -------------------------------------------------------

SOURCE_LIST: Final = """
MATCH (s:Source)
WHERE $after_id IS NULL OR s.id > $after_id
CALL (s) {
  OPTIONAL MATCH (c:CrawlRun)-[:FROM]->(s)
  WITH c ORDER BY c.started_at DESC LIMIT $window
  RETURN collect(c {.id, .source_id, .status, .started_at, .ended_at, .errors_total,
                    .pages_fetched, .new_articles, .unchanged, .duplicates, .error_kinds, .detail,
                    .error_counts, .health, .health_reason}) AS runs
}
RETURN s {.id, .name, .kind, .lang, .url} AS source,
       COUNT { (:Article)-[:FROM]->(s) } AS articles, runs
ORDER BY s.id
LIMIT $limit
"""

SOURCE_DETAIL: Final = """
MATCH (s:Source {id: $id})
CALL (s) {
  OPTIONAL MATCH (c:CrawlRun)-[:FROM]->(s)
  WITH c ORDER BY c.started_at DESC LIMIT $window
  RETURN collect(c {.id, .source_id, .status, .started_at, .ended_at, .errors_total,
                    .pages_fetched, .new_articles, .unchanged, .duplicates, .error_kinds, .detail,
                    .error_counts, .health, .health_reason}) AS runs
}
CALL (s) {
  OPTIONAL MATCH (a:Article)-[:FROM]->(s)
  RETURN count(a) AS articles, max(a.published_at) AS last_published
}
RETURN s {.id, .name, .kind, .lang, .url} AS source, articles, last_published, runs
"""

CRAWL_RUNS: Final = """
MATCH (c:CrawlRun)
WHERE ($source IS NULL OR c.source_id = $source)
  AND ($status IS NULL OR c.status = $status)
  AND ($cursor_started IS NULL OR c.started_at < $cursor_started
       OR (c.started_at = $cursor_started AND c.id < $cursor_id))
RETURN c {.*} AS run
ORDER BY c.started_at DESC, c.id DESC
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
RETURN t {{{_ENTITY_FIELDS}, .merged_ids}} AS entity
"""


ADD_ALIAS: Final = f"""
MATCH (e:{ENTITY_MATCH} {{id: $id}})
WITH e, $alias IN coalesce(e.aliases, []) + [e.name, e.name_zh, e.name_en] AS known
SET e.aliases = CASE WHEN known THEN e.aliases ELSE coalesce(e.aliases, []) + $alias END,
    e.curated_aliases = CASE WHEN known THEN e.curated_aliases
                             ELSE coalesce(e.curated_aliases, []) + $alias END,
    e.search_terms = CASE WHEN known THEN e.search_terms
                          ELSE coalesce(e.search_terms, '') + ' ' + $alias END
RETURN e {{{_ENTITY_FIELDS}}} AS entity, labels(e) AS labels, NOT known AS added
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


# --- alerts, webhooks, deliveries -------------------------------------------------------
# The outbox: an Alert and its Delivery nodes are written in one transaction; the delivery
# worker claims due deliveries with a lease, so a crash leaves nothing half-sent forever.

ALERT_SCHEMA: Final = (
    "CREATE INDEX delivery_due IF NOT EXISTS FOR (d:Delivery) ON (d.status, d.next_attempt_at)",
    "CREATE INDEX delivery_webhook IF NOT EXISTS FOR (d:Delivery) ON (d.webhook_id, d.created_at)",
    "CREATE INDEX alert_dedupe IF NOT EXISTS FOR (a:Alert) ON (a.owner, a.dedupe_key)",
    "CREATE INDEX alert_owner_created IF NOT EXISTS FOR (a:Alert) ON (a.owner, a.created_at)",
    "CREATE INDEX alertrule_owner IF NOT EXISTS FOR (r:AlertRule) ON (r.owner)",
    "CREATE INDEX alertrule_type IF NOT EXISTS FOR (r:AlertRule) ON (r.type)",
    "CREATE INDEX webhook_owner IF NOT EXISTS FOR (w:Webhook) ON (w.owner)",
    "CREATE INDEX observation_subject_text IF NOT EXISTS FOR (o:Observation) ON (o.subject_text)",
)

MERGE_RULE: Final = """
MERGE (r:AlertRule {id: $row.id})
SET r += $row
RETURN r {.*} AS rule
"""

GET_RULE: Final = "MATCH (r:AlertRule {id: $id, owner: $owner}) RETURN r {.*} AS rule"

LIST_RULES: Final = """
MATCH (r:AlertRule {owner: $owner})
RETURN r {.*} AS rule ORDER BY r.created_at, r.id
"""

UPDATE_RULE: Final = """
MATCH (r:AlertRule {id: $id, owner: $owner})
SET r += $props
RETURN r {.*} AS rule
"""

DELETE_RULE: Final = """
MATCH (r:AlertRule {id: $id, owner: $owner})
WITH r, r.id AS id
DETACH DELETE r
RETURN id
"""

ENABLED_RULES: Final = """
MATCH (r:AlertRule)
WHERE r.type IN $types AND r.enabled
RETURN r {.*} AS rule
"""

MERGE_WEBHOOK: Final = """
MERGE (w:Webhook {id: $row.id})
SET w += $row
RETURN w {.*} AS webhook
"""

GET_WEBHOOK: Final = "MATCH (w:Webhook {id: $id, owner: $owner}) RETURN w {.*} AS webhook"

LIST_WEBHOOKS: Final = """
MATCH (w:Webhook {owner: $owner})
RETURN w {.*} AS webhook ORDER BY w.created_at, w.id
"""

UPDATE_WEBHOOK: Final = """
MATCH (w:Webhook {id: $id, owner: $owner})
SET w += $props
RETURN w {.*} AS webhook
"""

DELETE_WEBHOOK: Final = """
MATCH (w:Webhook {id: $id, owner: $owner})
CALL (w) {
  MATCH (d:Delivery)-[:TO]->(w) WHERE d.status IN ['pending', 'sending']
  SET d.status = 'cancelled', d.lease_until = null
}
WITH w, w.id AS id
DETACH DELETE w
RETURN id
"""

LOCK_ALERT_GROUP: Final = """
OPTIONAL MATCH (r:AlertRule {id: $lock_id})
OPTIONAL MATCH (w:Webhook {id: $lock_id})
WITH coalesce(r, w) AS n
WHERE n IS NOT NULL
SET n.alert_lock = $now
RETURN n.id AS id
"""

RECENT_ALERT: Final = """
MATCH (a:Alert {owner: $owner, dedupe_key: $dedupe_key})
WHERE a.last_seen_at >= $since
RETURN a.id AS id, a.evidence_json AS evidence_json, a.entities AS entities
ORDER BY a.last_seen_at DESC
LIMIT 1
"""

REPEAT_ALERT: Final = """
MATCH (a:Alert {id: $id})
SET a.last_seen_at = $now, a.occurrences = a.occurrences + 1,
    a.evidence_json = $evidence_json, a.entities = $entities,
    a.title = $title, a.summary = $summary
"""

CREATE_ALERT: Final = """
MERGE (a:Alert {id: $row.id})
ON CREATE SET a += $row
"""


def link_alert_triggers(lbl: str) -> str:
    """(Alert)-[:TRIGGERED_BY]->(Article|Observation|RiskSignal)."""
    if lbl not in ("Article", "Observation", "RiskSignal"):
        raise ValueError(f"alert trigger label not allowed: {lbl!r}")
    return f"""
UNWIND $ids AS tid
MATCH (a:Alert {{id: $alert_id}})
MATCH (t:{label(lbl)} {{id: tid}})
MERGE (a)-[:TRIGGERED_BY]->(t)
"""


TARGET_WEBHOOKS: Final = """
MATCH (w:Webhook {owner: $owner})
WHERE w.enabled AND (size($ids) = 0 OR w.id IN $ids) AND NOT w.id IN $exclude
RETURN w.id AS id, w.format AS format
"""

CREATE_DELIVERIES: Final = """
MATCH (a:Alert {id: $alert_id})
UNWIND $rows AS r
MATCH (w:Webhook {id: r.webhook_id})
MERGE (d:Delivery {id: r.id})
ON CREATE SET d += r
MERGE (d)-[:OF]->(a)
MERGE (d)-[:TO]->(w)
"""

# Lock first (SET d._lock), then re-check: a delivery claimed by another worker in between
# fails the second WHERE, so no delivery is handed to two workers at once.
CLAIM_DELIVERIES: Final = """
MATCH (d:Delivery)
WHERE (d.status = 'pending' AND d.next_attempt_at <= $now)
   OR (d.status = 'sending' AND d.lease_until < $now)
MATCH (d)-[:TO]->(w:Webhook)
WHERE w.enabled
WITH d, w ORDER BY d.next_attempt_at, d.id LIMIT $limit
SET d._lock = $token
WITH d, w
WHERE (d.status = 'pending' AND d.next_attempt_at <= $now)
   OR (d.status = 'sending' AND d.lease_until < $now)
SET d.status = 'sending', d.claim = $token, d.lease_until = $lease_until
RETURN d.id AS id, d.body AS body, d.attempts AS attempts, d.alert_id AS alert_id,
       w.id AS webhook_id, w.url AS url, w.secret AS secret,
       w.previous_secret AS previous_secret,
       w.previous_secret_expires_at AS previous_secret_expires_at,
       w.failing_since IS NOT NULL AS failing, w.format AS format, w.bot_secret AS bot_secret
"""

COMPLETE_DELIVERY: Final = """
MATCH (d:Delivery {id: $id})
WHERE d.claim = $token AND d.status = 'sending'
SET d.status = $status, d.attempts = d.attempts + 1, d.next_attempt_at = $next_attempt_at,
    d.lease_until = null, d.claim = null, d.last_status_code = $status_code,
    d.last_error = $error, d.last_attempt_at = $now,
    d.delivered_at = CASE WHEN $status = 'succeeded' THEN $now ELSE d.delivered_at END,
    d.attempt_at = d.attempt_at + [$now],
    d.attempt_status = d.attempt_status + [coalesce($status_code, 0)],
    d.attempt_error = d.attempt_error + [coalesce($error, '')],
    d.attempt_ms = d.attempt_ms + [$duration_ms]
RETURN d.id AS id
"""

WEBHOOK_SUCCEEDED: Final = """
MATCH (w:Webhook {id: $id})
SET w.failing_since = null, w.last_success_at = $now
"""

WEBHOOK_FAILED: Final = """
MATCH (w:Webhook {id: $id})
SET w.failing_since = coalesce(w.failing_since, $now), w.last_failure_at = $now
RETURN w.failing_since AS failing_since, w.enabled AS enabled
"""

DISABLE_WEBHOOK: Final = """
MATCH (w:Webhook {id: $id})
WHERE w.enabled
SET w.enabled = false, w.disabled_reason = $reason, w.disabled_at = $now
RETURN w.id AS id, w.owner AS owner, w.url AS url
"""

LIST_DELIVERIES: Final = """
MATCH (w:Webhook {id: $webhook_id, owner: $owner})
MATCH (d:Delivery {webhook_id: $webhook_id})
WHERE $status IS NULL OR d.status = $status
RETURN d {.id, .alert_id, .webhook_id, .event, .status, .attempts, .next_attempt_at,
          .created_at, .delivered_at, .last_status_code, .last_error, .attempt_at,
          .attempt_status, .attempt_error, .attempt_ms, .replays} AS delivery
ORDER BY d.created_at DESC, d.id DESC
LIMIT $limit
"""

REPLAY_DELIVERY: Final = """
MATCH (d:Delivery {id: $id})-[:TO]->(w:Webhook {id: $webhook_id, owner: $owner})
WITH d, d.status AS before
SET d.status = CASE WHEN before = 'sending' THEN before ELSE 'pending' END,
    d.attempts = CASE WHEN before = 'sending' THEN d.attempts ELSE 0 END,
    d.next_attempt_at = CASE WHEN before = 'sending' THEN d.next_attempt_at ELSE $now END,
    d.replays = coalesce(d.replays, 0) + CASE WHEN before = 'sending' THEN 0 ELSE 1 END
RETURN d.id AS id, before
"""

GET_ALERT: Final = """
MATCH (a:Alert {id: $id, owner: $owner})
OPTIONAL MATCH (d:Delivery)-[:OF]->(a)
RETURN a {.*} AS alert,
       collect(d {.id, .webhook_id, .status, .attempts, .delivered_at}) AS deliveries
"""

LIST_ALERTS: Final = """
MATCH (a:Alert {owner: $owner})
WHERE ($status IS NULL OR a.status = $status)
  AND ($severities IS NULL OR a.severity IN $severities)
  AND ($rule_id IS NULL OR a.rule_id = $rule_id)
  AND ($since IS NULL OR a.created_at >= $since)
  AND ($entity IS NULL OR $entity IN a.entities)
  AND ($cursor_created IS NULL OR a.created_at < $cursor_created
       OR (a.created_at = $cursor_created AND a.id < $cursor_id))
RETURN a {.*} AS alert
ORDER BY a.created_at DESC, a.id DESC
LIMIT $limit
"""

ACK_ALERT: Final = """
MATCH (a:Alert {id: $id, owner: $owner})
SET a.status = 'acknowledged', a.acknowledged_at = coalesce(a.acknowledged_at, $now),
    a.acknowledged_by = coalesce(a.acknowledged_by, $by)
RETURN a {.*} AS alert
"""

SOURCE_KINDS: Final = """
UNWIND $ids AS sid
MATCH (s:Source {id: sid})
RETURN s.id AS id, s.kind AS kind
"""

# the previous observation of each new one (r.as_of: its date, as_of else the publication
# day): the latest dated before it, or dated the same day and published before it; a dateless
# new one gets the latest dated one. Observations with no date at all are never a previous one.
PREVIOUS_OBSERVATIONS: Final = """
UNWIND $rows AS r
CALL (r) {
  MATCH (o:Observation)
  WHERE o.kind = r.kind AND o.id <> r.id
    AND ((r.subject_id IS NOT NULL AND o.subject_id = r.subject_id)
         OR (r.subject_id IS NULL AND o.subject_id IS NULL
             AND coalesce(o.subject_text, '') = coalesce(r.subject_text, '')))
    AND (r.period IS NULL OR o.period = r.period)
    AND (r.side IS NULL OR o.side IS NULL OR o.side = r.side)
    AND (r.currency IS NULL OR o.currency IS NULL OR o.currency = r.currency)
  WITH o, coalesce(o.as_of, date(o.published_at)) AS d
  WHERE d IS NOT NULL AND (r.as_of IS NULL OR d < r.as_of
                           OR (d = r.as_of AND o.published_at < r.published_at))
  RETURN o.value AS previous
  ORDER BY d DESC, o.published_at DESC, o.id DESC
  LIMIT 1
}
RETURN r.id AS id, previous
"""

MENTION_COUNTS: Final = """
UNWIND $entities AS eid
CALL (eid) {
  MATCH (e:Company {id: eid}) RETURN e
  UNION MATCH (e:Model {id: eid}) RETURN e
  UNION MATCH (e:Agency {id: eid}) RETURN e
  UNION MATCH (e:Policy {id: eid}) RETURN e
}
MATCH (a:Article)-[m:MENTIONS]->(e)
WHERE NOT (a)-[:DUPLICATE_OF]->()
WITH eid, a, m, coalesce(a.published_at, a.fetched_at) AS t
WHERE t >= $baseline_start AND t <= $now
WITH eid, a, m, t ORDER BY t DESC
RETURN eid AS entity_id,
       sum(CASE WHEN t >= $window_start THEN 1 ELSE 0 END) AS window,
       sum(CASE WHEN t < $window_start THEN 1 ELSE 0 END) AS baseline,
       collect(CASE WHEN t >= $window_start THEN
                 {id: a.id, url: a.url, title: a.title, published_at: a.published_at,
                  source_id: a.source_id, sentence: m.sentences[0]} END)[0..3] AS recent
"""

RECENT_CRAWL_RUNS: Final = """
UNWIND $sources AS sid
CALL (sid) {
  MATCH (c:CrawlRun {source_id: sid})
  RETURN c ORDER BY c.started_at DESC LIMIT $n
}
WITH sid, collect(c) AS runs
RETURN sid AS source_id, [c IN runs | c.status] AS statuses,
       [c IN runs | c.error_kinds][0] AS last_error_kinds,
       [c IN runs | coalesce(c.health, 'ok')] AS healths,
       [c IN runs | c.health_reason][0] AS last_health_reason
"""

ALL_SOURCE_IDS: Final = "MATCH (s:Source) RETURN s.id AS id ORDER BY id"

LIST_CRAWL_RUNS: Final = """
MATCH (c:CrawlRun {source_id: $source_id})
RETURN c {.*} AS run
ORDER BY c.started_at DESC
LIMIT $limit
"""

CREATE_TEST_DELIVERY: Final = """
MATCH (w:Webhook {id: $row.webhook_id})
MERGE (d:Delivery {id: $row.id})
ON CREATE SET d += $row
MERGE (d)-[:TO]->(w)
"""

DELIVERY_STATUS_COUNTS: Final = """
MATCH (d:Delivery)
RETURN d.status AS status, count(*) AS n
"""

WATCHLIST: Final = """
CALL () {
  UNWIND $ids AS id
  RETURN id AS eid
  UNION
  UNWIND $ids AS id
  MATCH (x)-[:MADE_BY|PART_OF*1..2]->(:Company {id: id})
  WHERE $related
  RETURN x.id AS eid
  UNION
  MATCH (c:Company) WHERE c.sector IN $sectors
  RETURN c.id AS eid
  UNION
  MATCH (x)-[:MADE_BY|PART_OF*1..2]->(c:Company)
  WHERE $related AND c.sector IN $sectors
  RETURN x.id AS eid
}
RETURN collect(DISTINCT eid) AS ids
"""

# --- rule checks: which of the ids a rule names exist (entities, sources, sectors) --------

KNOWN_ENTITY_IDS: Final = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY_MATCH} {{id: id}})
RETURN DISTINCT n.id AS id
"""

KNOWN_SOURCE_IDS: Final = """
UNWIND $ids AS id
MATCH (s:Source {id: id})
RETURN s.id AS id
"""

KNOWN_SECTORS: Final = "MATCH (c:Company) WHERE c.sector IS NOT NULL RETURN DISTINCT c.sector AS s"
