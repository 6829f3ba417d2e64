"""Alert rules, webhooks, alerts and the delivery outbox in Neo4j. All Cypher is in
graph.cypher (section "alerts, webhooks, deliveries"). Reads hand typed models upward
(graph/outbox_models.py); every function takes a `Graph` handle, so an API request's
queries keep its server-side timeout.

The outbox: `record_alerts` writes an Alert and one Delivery per target webhook in the same
transaction, with the rendered body, so that an alert is never stored without its deliveries
and vice versa. Workers `claim_deliveries` with a lease and `complete_delivery` with their
claim token; a worker that dies leaves its claims to expire and be picked up again.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from neo4j import Driver, ManagedTransaction
from pydantic import ValidationError

from graph import cypher
from graph.access import Graph
from graph.alert_types import AlertDraft, Evidence, merge_evidence
from graph.outbox_models import Delivery as DeliveryRecord
from graph.outbox_models import (
    DisabledWebhook,
    MentionWindow,
    RunHistory,
    StoredAlert,
    StoredRule,
    Webhook,
    signing_secrets,
)
from graph.temporal import to_datetime

log = logging.getLogger(__name__)

Row = dict[str, Any]
Render = Callable[[Mapping[str, Any], str], str]  # (alert data, webhook format) -> body


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


def _one(g: Graph, query: str, key: str, **params: Any) -> Any:
    rows = g.write_rows(query, **params)
    return rows[0][key] if rows else None


def apply_alert_schema(driver: Driver, database: str | None = None) -> None:
    for stmt in cypher.ALERT_SCHEMA:
        driver.execute_query(stmt, database_=database)


# --- rules and webhooks (owner-scoped) --------------------------------------------------


def save_rule(g: Graph, row: Row) -> StoredRule:
    return StoredRule.of(_one(g, cypher.MERGE_RULE, "rule", row=row))


def get_rule(g: Graph, owner: str, rule_id: str) -> StoredRule | None:
    rows = g.rows(cypher.GET_RULE, owner=owner, id=rule_id)
    return StoredRule.of(rows[0]["rule"]) if rows else None


def list_rules(g: Graph, owner: str) -> list[StoredRule]:
    return [StoredRule.of(r["rule"]) for r in g.rows(cypher.LIST_RULES, owner=owner)]


def update_rule(g: Graph, owner: str, rule_id: str, props: Row) -> StoredRule | None:
    found = _one(g, cypher.UPDATE_RULE, "rule", owner=owner, id=rule_id, props=props)
    return StoredRule.of(found) if found is not None else None


def delete_rule(g: Graph, owner: str, rule_id: str) -> bool:
    return _one(g, cypher.DELETE_RULE, "id", owner=owner, id=rule_id) is not None


def enabled_rules(g: Graph, types: Sequence[str]) -> list[StoredRule]:
    """Every enabled rule of these types; a node that is not a rule any more (a hand edit)
    is logged and skipped. Whether its `spec` still reads is the caller's to judge."""
    out = []
    for r in g.rows(cypher.ENABLED_RULES, types=list(types)):
        try:
            out.append(StoredRule.of(r["rule"]))
        except ValidationError as exc:
            log.error("alert rule %s skipped: unreadable node: %s", r["rule"].get("id"), exc)
    return out


def save_webhook(g: Graph, row: Row) -> Webhook:
    return Webhook.of(_one(g, cypher.MERGE_WEBHOOK, "webhook", row=row))


def get_webhook(g: Graph, owner: str, webhook_id: str) -> Webhook | None:
    rows = g.rows(cypher.GET_WEBHOOK, owner=owner, id=webhook_id)
    return Webhook.of(rows[0]["webhook"]) if rows else None


def list_webhooks(g: Graph, owner: str) -> list[Webhook]:
    return [Webhook.of(r["webhook"]) for r in g.rows(cypher.LIST_WEBHOOKS, owner=owner)]


def update_webhook(g: Graph, owner: str, webhook_id: str, props: Row) -> Webhook | None:
    found = _one(g, cypher.UPDATE_WEBHOOK, "webhook", owner=owner, id=webhook_id, props=props)
    return Webhook.of(found) if found is not None else None


def delete_webhook(g: Graph, owner: str, webhook_id: str) -> bool:
    return _one(g, cypher.DELETE_WEBHOOK, "id", owner=owner, id=webhook_id) is not None


# --- alerts + deliveries (the outbox) ----------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    alert_id: str
    created: bool  # False: a repeat grouped into an alert still within its cooldown
    deliveries: int


def _link_triggers(tx: ManagedTransaction, alert_id: str, triggered_by: Sequence[str]) -> None:
    by_label: dict[str, list[str]] = {}
    for ref in triggered_by:
        lbl, _, tid = ref.partition(":")
        if tid and lbl in ("Article", "Observation", "RiskSignal"):
            by_label.setdefault(lbl, []).append(tid)
    for lbl, ids in sorted(by_label.items()):
        tx.run(cypher.link_alert_triggers(lbl), alert_id=alert_id, ids=ids).consume()


def _record_one(tx: ManagedTransaction, draft: AlertDraft, render: Render, now: datetime,
                max_evidence: int) -> Recorded | None:
    lock_id = draft.rule_id or (draft.exclude_webhooks[0] if draft.exclude_webhooks else None)
    if lock_id is not None:
        # a write lock on the rule serialises concurrent batches raising the same alert
        locked = tx.run(cypher.LOCK_ALERT_GROUP, lock_id=lock_id, now=now).single()
        if locked is None and draft.rule_id is not None:
            return None  # the rule was deleted meanwhile
    evidence = [e.model_dump(mode="json") for e in draft.evidence]
    since = now - timedelta(seconds=draft.cooldown_s)
    existing = tx.run(cypher.RECENT_ALERT, owner=draft.owner, dedupe_key=draft.dedupe_key,
                      since=since).single()
    if existing is not None:
        stored = [Evidence.model_validate(e)
                  for e in orjson.loads(existing["evidence_json"] or "[]")]
        merged = [e.model_dump(mode="json")
                  for e in merge_evidence(stored, draft.evidence, max_evidence)]
        entities = sorted(set(existing["entities"] or []) | set(draft.entities))
        # the title and summary say the latest figure (a grouped alert stays current)
        tx.run(cypher.REPEAT_ALERT, id=existing["id"], now=now, entities=entities,
               evidence_json=orjson.dumps(merged).decode(), title=draft.title,
               summary=draft.summary).consume()
        _link_triggers(tx, existing["id"], draft.triggered_by)
        return Recorded(existing["id"], created=False, deliveries=0)
    row: Row = {
        "id": new_id("alt"), "owner": draft.owner, "rule_id": draft.rule_id,
        "rule_type": draft.rule_type, "severity": draft.severity, "title": draft.title,
        "summary": draft.summary, "dedupe_key": draft.dedupe_key, "status": "open",
        "entities": list(draft.entities), "created_at": now, "last_seen_at": now,
        "occurrences": 1, "evidence_json": orjson.dumps(evidence[:max_evidence]).decode(),
    }
    tx.run(cypher.CREATE_ALERT, row=row).consume()
    _link_triggers(tx, row["id"], draft.triggered_by)
    targets = tx.run(cypher.TARGET_WEBHOOKS, owner=draft.owner, ids=list(draft.webhook_ids),
                     exclude=list(draft.exclude_webhooks)).data()
    data = {**{k: v for k, v in row.items() if k != "evidence_json"},
            "evidence": evidence[:max_evidence]}
    bodies: dict[str, str] = {}
    deliveries = []
    for t in targets:
        fmt = t["format"] or "generic"
        if fmt not in bodies:
            bodies[fmt] = render(data, fmt)
        deliveries.append(new_delivery_row(row["id"], t["id"], draft.owner, "alert.created",
                                           bodies[fmt], now))
    if deliveries:
        tx.run(cypher.CREATE_DELIVERIES, alert_id=row["id"], rows=deliveries).consume()
    return Recorded(row["id"], created=True, deliveries=len(deliveries))


def new_delivery_row(alert_id: str | None, webhook_id: str, owner: str, event: str, body: str,
                     now: datetime, status: str = "pending") -> Row:
    return {
        "id": new_id("msg"), "alert_id": alert_id, "webhook_id": webhook_id, "owner": owner,
        "event": event, "body": body, "status": status, "attempts": 0,
        "next_attempt_at": now, "created_at": now, "attempt_at": [], "attempt_status": [],
        "attempt_error": [], "attempt_ms": [],
    }


def record_alerts(g: Graph, drafts: Sequence[AlertDraft], render: Render, now: datetime,
                  max_evidence: int = 20) -> list[Recorded]:
    """Each draft in its own transaction: the alert (or the repeat) and its deliveries."""
    out = []
    for draft in drafts:
        rec = g.write(functools.partial(_record_one, draft=draft, render=render, now=now,
                                        max_evidence=max_evidence))
        if rec is not None:
            out.append(rec)
    return out


@dataclass(frozen=True)
class Claimed:
    id: str
    body: str
    attempts: int
    alert_id: str | None
    webhook_id: str
    url: str
    secrets: tuple[str, ...]
    failing: bool = False  # the webhook has failures since its last success
    format: str = "generic"
    bot_secret: str | None = None  # a DingTalk/Feishu bot's own signing secret


def _claimed(r: Row, now: datetime) -> Claimed:
    keys = signing_secrets(r["secret"], r["previous_secret"],
                           to_datetime(r["previous_secret_expires_at"]), now)
    return Claimed(id=r["id"], body=r["body"], attempts=int(r["attempts"] or 0),
                   alert_id=r["alert_id"], webhook_id=r["webhook_id"], url=r["url"],
                   secrets=keys, failing=bool(r["failing"]),
                   format=r.get("format") or "generic", bot_secret=r.get("bot_secret"))


def claim_deliveries(g: Graph, now: datetime, lease_until: datetime, token: str,
                     limit: int) -> list[Claimed]:
    rows = g.write_rows(cypher.CLAIM_DELIVERIES, now=now, lease_until=lease_until, token=token,
                        limit=limit)
    return [_claimed(r, now) for r in rows]


def complete_delivery(g: Graph, delivery_id: str, token: str, status: str,
                      next_attempt_at: datetime | None, status_code: int | None,
                      error: str | None, duration_ms: float, now: datetime) -> bool:
    """Record one attempt; False when the claim was lost (lease expired and re-claimed)."""
    return _one(g, cypher.COMPLETE_DELIVERY, "id", id=delivery_id, token=token, status=status,
                next_attempt_at=next_attempt_at, status_code=status_code, error=error,
                duration_ms=float(duration_ms), now=now) is not None


def insert_delivery(g: Graph, row: Row) -> None:
    """A delivery not tied to a stored alert (test sends) is linked to its webhook only."""
    g.write_rows(cypher.CREATE_TEST_DELIVERY, row=row)


def webhook_succeeded(g: Graph, webhook_id: str, now: datetime) -> None:
    g.write_rows(cypher.WEBHOOK_SUCCEEDED, id=webhook_id, now=now)


def webhook_failed(g: Graph, webhook_id: str, now: datetime) -> datetime | None:
    return to_datetime(_one(g, cypher.WEBHOOK_FAILED, "failing_since", id=webhook_id, now=now))


def disable_webhook(g: Graph, webhook_id: str, reason: str,
                    now: datetime) -> DisabledWebhook | None:
    """Returns the webhook when this call disabled it (None if it already was)."""
    rows = g.write_rows(cypher.DISABLE_WEBHOOK, id=webhook_id, reason=reason, now=now)
    return DisabledWebhook.of(rows[0]) if rows else None


def list_deliveries(g: Graph, owner: str, webhook_id: str, status: str | None,
                    limit: int) -> list[DeliveryRecord]:
    rows = g.rows(cypher.LIST_DELIVERIES, owner=owner, webhook_id=webhook_id, status=status,
                  limit=limit)
    return [DeliveryRecord.of(r["delivery"]) for r in rows]


def replay_delivery(g: Graph, owner: str, webhook_id: str, delivery_id: str,
                    now: datetime) -> str | None:
    """The status before the replay ('sending' means: not replayed, in flight), or None."""
    return _one(g, cypher.REPLAY_DELIVERY, "before", owner=owner, webhook_id=webhook_id,
                id=delivery_id, now=now)


def delivery_counts(g: Graph) -> dict[str, int]:
    """Deliveries by status."""
    return {r["status"]: int(r["n"]) for r in g.rows(cypher.DELIVERY_STATUS_COUNTS)}


def get_alert(g: Graph, owner: str, alert_id: str) -> StoredAlert | None:
    rows = g.rows(cypher.GET_ALERT, owner=owner, id=alert_id)
    if not rows:
        return None
    return StoredAlert.of({**rows[0]["alert"], "deliveries": rows[0]["deliveries"]})


def list_alerts(g: Graph, owner: str, *, status: str | None = None,
                severities: Sequence[str] | None = None, rule_id: str | None = None,
                since: datetime | None = None, entity: str | None = None,
                cursor: tuple[datetime, str] | None = None,
                limit: int = 50) -> list[StoredAlert]:
    created, cid = cursor if cursor else (None, None)
    rows = g.rows(cypher.LIST_ALERTS, owner=owner, status=status,
                  severities=list(severities) if severities else None, rule_id=rule_id,
                  since=since, entity=entity, cursor_created=created, cursor_id=cid, limit=limit)
    return [StoredAlert.of(r["alert"]) for r in rows]


def ack_alert(g: Graph, owner: str, alert_id: str, by: str, now: datetime) -> StoredAlert | None:
    found = _one(g, cypher.ACK_ALERT, "alert", owner=owner, id=alert_id, by=by, now=now)
    return StoredAlert.of(found) if found is not None else None


# --- facts the rules need from the graph ---------------------------------------------------


def source_kinds(g: Graph, source_ids: Sequence[str]) -> dict[str, str]:
    """Source id -> its kind."""
    rows = g.rows(cypher.SOURCE_KINDS, ids=sorted(set(source_ids)))
    return {r["id"]: r["kind"] for r in rows}


def previous_observations(g: Graph, rows: Sequence[Row]) -> dict[str, float]:
    """For each new observation row (id, kind, subject_id, subject_text, period, side,
    currency, as_of: its date, or its article's publication day; published_at): the value of
    the latest observation of the same subject and kind dated before it (as_of, else the
    publication day; same day: published before it). Observations without a date are never
    a previous one."""
    if not rows:
        return {}
    found = g.rows(cypher.PREVIOUS_OBSERVATIONS, rows=list(rows))
    return {r["id"]: float(r["previous"]) for r in found if r["previous"] is not None}


def merged_redirects(g: Graph, ids: Sequence[str]) -> dict[str, str]:
    """Curated merges among `ids`: merged-away id -> survivor id (what the writer applies)."""
    if not ids:
        return {}
    found = g.rows(cypher.MERGED_REDIRECTS, ids=sorted(set(ids)))
    return {r["id"]: r["into"] for r in found if r["into"]}


def mention_counts(g: Graph, entities: Sequence[str], now: datetime, window_start: datetime,
                   baseline_start: datetime) -> list[MentionWindow]:
    rows = g.rows(cypher.MENTION_COUNTS, entities=sorted(set(entities)), now=now,
                  window_start=window_start, baseline_start=baseline_start)
    return [MentionWindow.of(r) for r in rows]


def recent_crawl_runs(g: Graph, sources: Sequence[str], n: int) -> list[RunHistory]:
    ids = list(sources) or [r["id"] for r in g.rows(cypher.ALL_SOURCE_IDS)]
    return [RunHistory.of(r) for r in g.rows(cypher.RECENT_CRAWL_RUNS, sources=ids, n=n)]


def expand_watchlist(g: Graph, ids: Sequence[str], sectors: Sequence[str],
                     related: bool) -> frozenset[str]:
    """The ids, every company of the sectors, and (with `related`) their models and
    subsidiaries."""
    rows = g.rows(cypher.WATCHLIST, ids=list(ids), sectors=list(sectors), related=related)
    return frozenset((rows[0]["ids"] if rows else None) or ids)


def known_ids(g: Graph, ids: Sequence[str], what: str) -> set[str]:
    """Which of `ids` exist as entities (`what="entity"`), sources or sectors."""
    if what == "sector":
        return {r["s"] for r in g.rows(cypher.KNOWN_SECTORS)} & set(ids)
    query = cypher.KNOWN_SOURCE_IDS if what == "source" else cypher.KNOWN_ENTITY_IDS
    return {r["id"] for r in g.rows(query, ids=list(ids))}
