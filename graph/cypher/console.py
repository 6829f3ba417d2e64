"""Cypher for the console's own views: what no API route reads yet (a per-model leaderboard,
the latest price change per subject, risk signals per category and week) and the analysts'
corrections. Same rules as every other module here: values are parameters, every list has a
LIMIT, the columns of observation rows match `OBSERVATIONS_LATEST` so the same read models
(`Observation`, `ProviderQuote`) are built from them."""

from __future__ import annotations

from typing import Final

_PROVENANCE: Final = """
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN subject, e.name AS name, labels(e) AS labels, o {.*} AS obs, a.id AS article_id,
       a.url AS article_url, a.title AS article_title, a.published_at AS published_at,
       s.id AS source_id, s.name AS source_name, rep.start AS start, rep.end AS end
"""

# the latest token volume reported for each model (as of $as_of)
MODEL_VOLUMES: Final = """
MATCH (e:Model)
MATCH (o:Observation {subject_id: e.id})
WHERE o.kind = 'token_volume' AND o.date IS NOT NULL AND ($as_of IS NULL OR o.date <= $as_of)
WITH e, o ORDER BY o.date DESC, o.id
WITH e, e.id AS subject, collect(o)[0] AS o
""" + _PROVENANCE + """
ORDER BY subject
LIMIT $limit
"""

# the latest price change reported for each of $subjects (as of $as_of)
LATEST_PRICE_CHANGES: Final = """
UNWIND $subjects AS subject
MATCH (o:Observation {subject_id: subject})
WHERE o.kind = 'price_change' AND o.date IS NOT NULL AND ($as_of IS NULL OR o.date <= $as_of)
WITH subject, o ORDER BY o.date DESC, o.id
WITH subject, collect(o)[0] AS o
OPTIONAL MATCH (e:Company|Agency|Model|Policy {id: subject})
""" + _PROVENANCE + """
ORDER BY subject
LIMIT $limit
"""

# risk signals per category and ISO week of their article (published_at is copied onto the
# signal and indexed), in [$since, $until)
RISK_WEEKS: Final = """
MATCH (r:RiskSignal)
WHERE r.published_at >= $since AND r.published_at < $until
RETURN r.category AS category, date(date.truncate('week', r.published_at)) AS week,
       count(r) AS signals
ORDER BY week, category
LIMIT $limit
"""

# --- corrections (curation data recorded from the console) ---------------------------------

CREATE_CORRECTION: Final = """
MATCH (a:Article {id: $row.article_id})
CREATE (c:Correction)
SET c = $row
CREATE (c)-[:CORRECTS]->(a)
RETURN c {.*} AS correction
"""

LIST_CORRECTIONS: Final = """
MATCH (c:Correction)-[:CORRECTS]->(a:Article)
WHERE ($article_id IS NULL OR a.id = $article_id)
RETURN c {.*} AS correction, a.title AS article_title
ORDER BY c.created_at DESC, c.id
LIMIT $limit
"""

CORRECTED_ARTICLE_IDS: Final = """
MATCH (c:Correction)-[:CORRECTS]->(a:Article)
WITH a, max(c.created_at) AS last
RETURN a.id AS id
ORDER BY last DESC, id
LIMIT $limit
"""
