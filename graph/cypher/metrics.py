"""Observation reads: the API's latest / series / price comparison, and what metric rules read."""

from __future__ import annotations

from typing import Final

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

# --- rule inputs: metric changes and mention spikes -------------------------------

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
