"""Every Cypher statement Tokenwatch runs, as parameterised builders.

Values are always parameters. Labels and relationship types are interpolated only from the
allow-lists below, never from input (`label()` / `rel_type()` raise on anything else).
"""

from __future__ import annotations

from typing import Final

ENTITY_LABELS: Final = {"company": "Company", "agency": "Agency", "model": "Model", "policy": "Policy"}
NODE_LABELS: Final = frozenset(
    {
        "Source", "Article", "Company", "Agency", "Model", "Policy", "Observation",
        "RiskSignal", "AlertRule", "Alert", "Webhook", "Delivery", "CrawlRun", "ApiKey",
    }
)
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
        "CREATE INDEX observation_kind_asof IF NOT EXISTS FOR (o:Observation) ON (o.kind, o.as_of)",
        "CREATE INDEX observation_subject IF NOT EXISTS FOR (o:Observation) ON (o.subject_id)",
        "CREATE INDEX risk_category IF NOT EXISTS FOR (r:RiskSignal) ON (r.category)",
        "CREATE INDEX crawlrun_source IF NOT EXISTS FOR (c:CrawlRun) ON (c.source_id, c.started_at)",
        "CREATE INDEX policy_doc_number IF NOT EXISTS FOR (p:Policy) ON (p.doc_number)",
        (
            f"CREATE FULLTEXT INDEX {FULLTEXT_ARTICLES} IF NOT EXISTS "
            "FOR (a:Article) ON EACH [a.title, a.text] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
        ),
        (
            f"CREATE FULLTEXT INDEX {FULLTEXT_ENTITIES} IF NOT EXISTS "
            "FOR (n:Company|Agency|Model|Policy) ON EACH [n.name, n.name_zh, n.name_en, n.search_terms] "
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
"""


def merge_kb_relations(rel: str, from_kind: str, to_kind: str) -> str:
    return f"""
UNWIND $rows AS r
MATCH (a:{entity_label(from_kind)} {{id: r.from}})
MATCH (b:{entity_label(to_kind)} {{id: r.to}})
MERGE (a)-[:{rel_type(rel)}]->(b)
"""


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
SET rep.start = r.start, rep.end = r.end, rep.sentence = r.quote
WITH o, r
OPTIONAL MATCH (e {id: r.subject_id}) WHERE e:Company OR e:Agency OR e:Model OR e:Policy
FOREACH (_ IN CASE WHEN e IS NULL THEN [] ELSE [1] END |
  MERGE (o)-[ab:ABOUT]->(e)
  SET ab.article_id = r.article_id, ab.start = r.start, ab.end = r.end)
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
UNWIND r.entities AS eid
MATCH (e {id: eid}) WHERE e:Company OR e:Agency OR e:Model OR e:Policy
MERGE (s)-[c:CONCERNS]->(e)
SET c.article_id = r.article_id, c.start = r.start, c.end = r.end
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
WHERE (a.sh0 = r.sh0 OR a.sh1 = r.sh1 OR a.sh2 = r.sh2 OR a.sh3 = r.sh3)
  AND a.id <> r.id AND NOT (a)-[:DUPLICATE_OF]->()
RETURN r.id AS id, a.id AS other_id, a.simhash AS simhash, a.fetched_at AS fetched_at
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

PING: Final = "RETURN 1 AS ok"
