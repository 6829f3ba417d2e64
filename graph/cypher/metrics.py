"""Observation reads: the API's latest / series / price comparison, and what metric rules read."""

from __future__ import annotations

from typing import Final

# --- API reads: observations (kept as reported; latest / as-of are queries) --------------

# Each observation group (subject, kind, period, side, currency) has a `LatestObservation`
# aggregate kept by the writer; the newest date at or before an as-of date is one step down the
# (group, date) index from it. Cost: the subject's groups and the rows returned, however many
# observations the subject's history holds.
_GROUP_DATE: Final = """
CALL (l) {
  MATCH (o:Observation {group: l.id})
  WHERE o.date <= coalesce($as_of, l.date)
  RETURN o.date AS latest ORDER BY o.group DESC, o.date DESC LIMIT 1
}
"""

# the newest date per (kind, period, side, currency) at or before $as_of; every observation on
# that date, from every source, so disagreeing reports are all shown
OBSERVATIONS_LATEST: Final = """
MATCH (l:LatestObservation {subject_id: $subject})
WHERE $kind IS NULL OR l.kind = $kind
""" + _GROUP_DATE + """
MATCH (o:Observation {group: l.id, date: latest})
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN o {.*} AS obs, a.id AS article_id, a.url AS article_url,
       a.title AS article_title, a.published_at AS published_at, s.id AS source_id,
       s.name AS source_name, rep.start AS start, rep.end AS end
ORDER BY o.kind, o.period, o.side, o.currency, a.published_at DESC, o.id
LIMIT $limit
"""

# reports of one figure that disagree: per observation group of $subject (kind, period, side,
# currency) and day, the days with more than one distinct value, newest first, every report
# with its source. Walks the (group, date) index from the subject's `LatestObservation`s.
OBSERVATION_CONFLICTS: Final = """
MATCH (l:LatestObservation {subject_id: $subject})
WHERE $kind IS NULL OR l.kind = $kind
MATCH (o:Observation {group: l.id})
WHERE o.date IS NOT NULL AND ($since IS NULL OR o.date >= $since)
  AND ($until IS NULL OR o.date <= $until)
WITH l, o.date AS day, collect(o) AS reports, count(DISTINCT o.value) AS values
WHERE values > 1
WITH l, day, reports ORDER BY day DESC, l.id LIMIT $limit
UNWIND reports AS o
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN l.id AS group, day, o {.*} AS obs, a.id AS article_id, a.url AS article_url,
       a.title AS article_title, a.published_at AS published_at, s.id AS source_id,
       s.name AS source_name, rep.start AS start, rep.end AS end
ORDER BY day DESC, group, o.value, o.id
"""

_SERIES_FILTER: Final = """
  AND ($period IS NULL OR o.period = $period)
  AND ($side IS NULL OR o.side = $side)
  AND ($currency IS NULL OR o.currency = $currency)
  AND ($until IS NULL OR o.date <= $until)
  AND ($after_date IS NULL OR o.date > $after_date
       OR (o.date = $after_date AND o.id > $after_id))
"""

# oldest first along the (subject_id, kind, date) index from $lower (the later of `since` and
# the page cursor): a page costs its rows, not the subject's whole history. The index gives
# date order only; the page's last date is read whole so that the (date, id) order and the
# cursor stay exact when reports share a date.
OBSERVATION_SERIES: Final = """
CALL () {
  MATCH (o:Observation {subject_id: $subject, kind: $kind})
  WHERE o.date >= $lower""" + _SERIES_FILTER + """
  RETURN o ORDER BY o.subject_id, o.kind, o.date LIMIT $limit
}
WITH collect(o) AS page, max(o.date) AS last
CALL (page, last) {
  UNWIND page AS o
  WITH o WHERE o.date < last
  RETURN o
  UNION
  MATCH (o:Observation {subject_id: $subject, kind: $kind, date: last})
  WHERE true""" + _SERIES_FILTER + """
  RETURN o
}
WITH o ORDER BY o.date, o.id LIMIT $limit
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN o {.*} AS obs, a.id AS article_id, a.url AS article_url,
       a.title AS article_title, a.published_at AS published_at, s.id AS source_id,
       s.name AS source_name, rep.start AS start, rep.end AS end
ORDER BY o.date, o.id
LIMIT $limit
"""

# the newest $limit observations of a subject's kind (on or before $until, of $side and
# $period if given), returned oldest first (the console's charts): a backwards walk of the
# (subject_id, kind, date) index, so a long history costs the rows shown, not all of it
OBSERVATIONS_RECENT: Final = """
CALL () {
  MATCH (o:Observation {subject_id: $subject, kind: $kind})
  WHERE o.date <= coalesce($until, date('9999-12-31'))
    AND ($side IS NULL OR o.side = $side) AND ($period IS NULL OR o.period = $period)
  RETURN o ORDER BY o.subject_id DESC, o.kind DESC, o.date DESC LIMIT $limit
}
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
RETURN o {.*} AS obs, a.id AS article_id, a.url AS article_url,
       a.title AS article_title, a.published_at AS published_at, s.id AS source_id,
       s.name AS source_name, rep.start AS start, rep.end AS end
ORDER BY o.date, o.id
"""

# the latest token price per subject and side (as of $as_of), across providers: from the
# token-price groups' aggregates, never from every price ever reported
PRICE_COMPARISON: Final = """
MATCH (l:LatestObservation {kind: 'token_price'})
WHERE l.currency IS NOT NULL
  AND ($side IS NULL OR l.side = $side)
  AND ($subjects IS NULL OR l.subject_id IN $subjects)
""" + _GROUP_DATE + """
WITH l.subject_id AS subject, coalesce(l.side, '') AS side, collect([l.id, latest]) AS groups,
     max(latest) AS latest
UNWIND groups AS g
WITH subject, side, g[0] AS group, latest WHERE g[1] = latest
MATCH (o:Observation {group: group, date: latest})
MATCH (a:Article)-[rep:REPORTS]->(o)
OPTIONAL MATCH (a)-[:FROM]->(s:Source)
OPTIONAL MATCH (e:Company|Agency|Model|Policy {id: subject})
RETURN subject, e.name AS name, labels(e) AS labels, o {.*} AS obs,
       a.id AS article_id, a.url AS article_url, a.title AS article_title,
       a.published_at AS published_at, s.id AS source_id, s.name AS source_name,
       rep.start AS start, rep.end AS end
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
