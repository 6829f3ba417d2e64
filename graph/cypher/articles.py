"""API reads of articles, risk signals, sources and crawl runs."""

from __future__ import annotations

from typing import Final

from graph.cypher.schema import FULLTEXT_ARTICLES

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
