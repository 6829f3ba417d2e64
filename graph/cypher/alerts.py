"""Alert rules, webhooks, alerts and their deliveries (the outbox), and what rules check."""

from __future__ import annotations

from typing import Final

from graph.labels import ENTITY_MATCH, TRIGGER_LABELS, label

# --- alerts, webhooks, deliveries -------------------------------------------------------
# The outbox: an Alert and its Delivery nodes are written in one transaction; the delivery
# worker claims due deliveries with a lease, so a crash leaves nothing half-sent forever.

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
    if lbl not in TRIGGER_LABELS:
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

# --- rule inputs: sources, crawl runs, watchlists --------------------------------------

SOURCE_KINDS: Final = """
UNWIND $ids AS sid
MATCH (s:Source {id: sid})
RETURN s.id AS id, s.kind AS kind
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
