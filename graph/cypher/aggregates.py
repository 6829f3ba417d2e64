"""Aggregates kept beside the entities so that hot reads cost what the answer needs, not what
the history holds: per entity `mention_count` / `article_count` (properties), a
`RiskCount {entity_id, category, signals}` per risk category, one
`MentionMonth {entity_id, month, mentions, articles}` per month with mentions, and one
`LatestObservation {subject_id, kind, period, side, currency, date}` per observation group
(`Observation.group`). The writer keeps them exact in the same transaction as the facts
(deltas: a re-ingested article's old mentions are subtracted before its new ones are added);
curated merges and the migration rebuild them from the facts.

The aggregates are keyed by property (`entity_id`, `subject_id`), not linked by relationship:
a curated merge moves relationships wholesale, and a month bucket must be summed, not moved."""

from __future__ import annotations

from typing import Final

from graph.labels import ENTITY_MATCH


def group_key(o: str) -> str:
    """The observation group (subject, kind, period, side, currency) of node/row `o`, as the
    key `LatestObservation.id` and `Observation.group` hold; null without a subject."""
    return (f"CASE WHEN {o}.subject_id IS NULL THEN null ELSE {o}.subject_id + '|' + {o}.kind"
            f" + '|' + coalesce({o}.period, '') + '|' + coalesce({o}.side, '') + '|'"
            f" + coalesce({o}.currency, '') END")


def month_id(entity: str, month: str) -> str:
    return f"{entity}.id + '|' + toString({month})"


# add `n` mentions and `fresh` articles (variables; negative when a mention goes) of mention
# relationship `m` to its entity `e` and to the entity's bucket for the month of `m`
def mention_delta(m: str, e: str, n: str, fresh: str) -> str:
    return f"""
SET {e}.mention_count = coalesce({e}.mention_count, 0) + {n},
    {e}.article_count = coalesce({e}.article_count, 0) + {fresh}
WITH *
CALL ({m}, {e}, {n}, {fresh}) {{
  WITH {m}, {e}, {n}, {fresh}, CASE WHEN {m}.published_at IS NULL THEN null
                  ELSE date.truncate('month', {m}.published_at) END AS month
  WHERE month IS NOT NULL
  MERGE (mm:MentionMonth {{id: {month_id(e, "month")}}})
  ON CREATE SET mm.entity_id = {e}.id, mm.month = month, mm.mentions = 0, mm.articles = 0
  SET mm.mentions = mm.mentions + {n}, mm.articles = mm.articles + {fresh}
  WITH mm WHERE mm.articles <= 0
  DELETE mm
}}"""


# count each risk signal's new CONCERNS once (`c.category` marks a counted one) per
# (entity, category); `s` is a RiskSignal bound by the caller
COUNT_RISKS: Final = """
CALL (s) {
  MATCH (s)-[c:CONCERNS]->(e) WHERE c.category IS NULL
  SET c.category = s.category
  MERGE (rc:RiskCount {id: e.id + '|' + s.category})
  ON CREATE SET rc.entity_id = e.id, rc.category = s.category, rc.signals = 0
  SET rc.signals = rc.signals + 1
}"""

# take a risk signal `s` about to be deleted out of its entities' counts
UNCOUNT_RISKS: Final = """
CALL (s) {
  MATCH (s)-[c:CONCERNS]->(e) WHERE c.category IS NOT NULL
  MATCH (rc:RiskCount {id: e.id + '|' + c.category})
  SET rc.signals = rc.signals - 1
  WITH rc WHERE rc.signals <= 0
  DELETE rc
}"""

# the latest dated observation of each group in $groups, or no aggregate when none is left
REFRESH_LATEST: Final = """
UNWIND $groups AS g
CALL (g) {
  MATCH (o:Observation {group: g}) WHERE o.date IS NOT NULL
  RETURN o ORDER BY o.group DESC, o.date DESC LIMIT 1
  UNION
  RETURN null AS o
}
WITH g, collect(o)[0] AS o
CALL (g, o) {
  WITH g WHERE o IS NULL
  OPTIONAL MATCH (l:LatestObservation {id: g})
  DELETE l
}
CALL (g, o) {
  WITH g, o WHERE o IS NOT NULL
  MERGE (l:LatestObservation {id: g})
  SET l.subject_id = o.subject_id, l.kind = o.kind, l.period = o.period, l.side = o.side,
      l.currency = o.currency, l.date = o.date
}
"""

# every aggregate of the entities in $ids, recomputed from the facts (curated merges and the
# migration; costs what the entity's history holds, so never on a read or an ingest)
_REBUILD_BODY: Final = f"""
CALL (e) {{
  OPTIONAL MATCH (mm:MentionMonth {{entity_id: e.id}})
  DELETE mm
}}
CALL (e) {{
  OPTIONAL MATCH (l:LatestObservation {{subject_id: e.id}})
  DELETE l
}}
CALL (e) {{
  MATCH (:Article)-[m:MENTIONS]->(e)
  SET m.entity_id = e.id
  RETURN sum(coalesce(m.count, 1)) AS mentions, count(m) AS articles
}}
SET e.mention_count = mentions, e.article_count = articles
WITH e
CALL (e) {{
  MATCH (:Article)-[m:MENTIONS]->(e) WHERE m.published_at IS NOT NULL
  WITH e, date.truncate('month', m.published_at) AS month, sum(coalesce(m.count, 1)) AS n,
       count(*) AS k
  CREATE (:MentionMonth {{id: {month_id("e", "month")}, entity_id: e.id, month: month,
                         mentions: n, articles: k}})
}}
CALL (e) {{
  OPTIONAL MATCH (rc:RiskCount {{entity_id: e.id}})
  DELETE rc
}}
CALL (e) {{
  MATCH (s:RiskSignal)-[c:CONCERNS]->(e)
  SET c.entity_id = e.id, c.category = s.category
  WITH e, s.category AS category, count(*) AS n
  CREATE (:RiskCount {{id: e.id + '|' + category, entity_id: e.id, category: category,
                      signals: n}})
}}
CALL (e) {{
  MATCH (o:Observation {{subject_id: e.id}})
  SET o.group = {group_key("o")}
}}
CALL (e) {{
  MATCH (o:Observation {{subject_id: e.id}}) WHERE o.date IS NOT NULL
  WITH o ORDER BY o.date DESC
  WITH o.group AS g, collect(o)[0] AS o
  CREATE (:LatestObservation {{id: g, subject_id: o.subject_id, kind: o.kind, period: o.period,
                              side: o.side, currency: o.currency, date: o.date}})
}}"""

# every aggregate of the entities in $ids, recomputed from the facts (curated merges and the
# migration; costs what the entity's history holds, so never on a read or an ingest)
REBUILD_AGGREGATES: Final = f"""
UNWIND $ids AS id
MATCH (e:{ENTITY_MATCH} {{id: id}})
{_REBUILD_BODY}
"""

# the aggregates of entities that are gone (the merged side of a curated merge)
DROP_AGGREGATES: Final = """
UNWIND $ids AS id
CALL (id) {
  OPTIONAL MATCH (mm:MentionMonth {entity_id: id})
  DELETE mm
}
CALL (id) {
  OPTIONAL MATCH (l:LatestObservation {subject_id: id})
  DELETE l
}
CALL (id) {
  OPTIONAL MATCH (rc:RiskCount {entity_id: id})
  DELETE rc
}
"""

# --- the migration that backfills the aggregates of a database written before them --------

MIGRATION_DONE: Final = "MATCH (m:Migration {id: $id}) RETURN m.id AS id"

# auto-commit (CALL … IN TRANSACTIONS): run with session.run
BACKFILL_RELATIONSHIP_KEYS: Final = """
MATCH (a:Article)
CALL (a) {
  MATCH (a)-[m:MENTIONS]->(e)
  SET m.entity_id = e.id, m.published_at = a.published_at
} IN TRANSACTIONS OF 2000 ROWS
"""

BACKFILL_CONCERNS: Final = """
MATCH (s:RiskSignal)
CALL (s) {
  MATCH (s)-[c:CONCERNS]->(e)
  SET c.entity_id = e.id, c.published_at = s.published_at, c.category = s.category
} IN TRANSACTIONS OF 2000 ROWS
"""

BACKFILL_ENTITIES: Final = f"""
MATCH (e:{ENTITY_MATCH})
CALL (e) {{
  {_REBUILD_BODY}
}} IN TRANSACTIONS OF 50 ROWS
"""

MARK_MIGRATION: Final = "MERGE (:Migration {id: $id})"
