"""Alert rules, webhooks, alerts and the delivery outbox in Neo4j. All Cypher is in
graph.cypher (section "alerts, webhooks, deliveries").

The outbox: `record_alerts` writes an Alert and one Delivery per target webhook in the same
transaction, with the rendered body, so that an alert is never stored without its deliveries
and vice versa. Workers `claim_deliveries` with a lease and `complete_delivery` with their
claim token; a worker that dies leaves its claims to expire and be picked up again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from neo4j import Driver, ManagedTransaction

from graph import cypher
from graph.alert_types import AlertDraft

Row = dict[str, Any]
Render = Callable[[Mapping[str, Any], str], str]  # (alert data, webhook format) -> body


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


def _rows(driver: Driver, query: str, database: str | None, **params: Any) -> list[Row]:
    records, _, _ = driver.execute_query(query, params, database_=database)
    return [r.data() for r in records]


def _one(driver: Driver, query: str, database: str | None, key: str, **params: Any) -> Any:
    rows = _rows(driver, query, database, **params)
    return rows[0][key] if rows else None


def apply_alert_schema(driver: Driver, database: str | None = None) -> None:
    for stmt in cypher.ALERT_SCHEMA:
        driver.execute_query(stmt, database_=database)


# --- rules and webhooks (owner-scoped) --------------------------------------------------


def save_rule(driver: Driver, row: Row, database: str | None = None) -> Row:
    return dict(_one(driver, cypher.MERGE_RULE, database, "rule", row=row))


def get_rule(driver: Driver, owner: str, rule_id: str, database: str | None = None) -> Row | None:
    return _one(driver, cypher.GET_RULE, database, "rule", owner=owner, id=rule_id)


def list_rules(driver: Driver, owner: str, database: str | None = None) -> list[Row]:
    return [r["rule"] for r in _rows(driver, cypher.LIST_RULES, database, owner=owner)]


def update_rule(driver: Driver, owner: str, rule_id: str, props: Row,
                database: str | None = None) -> Row | None:
    return _one(driver, cypher.UPDATE_RULE, database, "rule", owner=owner, id=rule_id,
                props=props)


def delete_rule(driver: Driver, owner: str, rule_id: str, database: str | None = None) -> bool:
    return _one(driver, cypher.DELETE_RULE, database, "id", owner=owner, id=rule_id) is not None


def enabled_rules(driver: Driver, types: Sequence[str], database: str | None = None) -> list[Row]:
    return [r["rule"] for r in _rows(driver, cypher.ENABLED_RULES, database, types=list(types))]


def save_webhook(driver: Driver, row: Row, database: str | None = None) -> Row:
    return dict(_one(driver, cypher.MERGE_WEBHOOK, database, "webhook", row=row))


def get_webhook(driver: Driver, owner: str, webhook_id: str,
                database: str | None = None) -> Row | None:
    return _one(driver, cypher.GET_WEBHOOK, database, "webhook", owner=owner, id=webhook_id)


def list_webhooks(driver: Driver, owner: str, database: str | None = None) -> list[Row]:
    return [r["webhook"] for r in _rows(driver, cypher.LIST_WEBHOOKS, database, owner=owner)]


def update_webhook(driver: Driver, owner: str, webhook_id: str, props: Row,
                   database: str | None = None) -> Row | None:
    return _one(driver, cypher.UPDATE_WEBHOOK, database, "webhook", owner=owner,
                id=webhook_id, props=props)


def delete_webhook(driver: Driver, owner: str, webhook_id: str,
                   database: str | None = None) -> bool:
    return _one(driver, cypher.DELETE_WEBHOOK, database, "id", owner=owner,
                id=webhook_id) is not None


# --- alerts + deliveries (the outbox) ----------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    alert_id: str
    created: bool  # False: a repeat grouped into an alert still within its cooldown
    deliveries: int


def _merge_evidence(old: list[Row], new: list[Row], limit: int) -> list[Row]:
    seen: dict[tuple[Any, Any], Row] = {}
    for ev in (*old, *new):
        seen.setdefault((ev.get("article_id"), ev.get("sentence")), ev)
    return list(seen.values())[:limit]


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
        merged = _merge_evidence(orjson.loads(existing["evidence_json"] or "[]"), evidence,
                                 max_evidence)
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


def record_alerts(driver: Driver, drafts: Sequence[AlertDraft], render: Render, now: datetime,
                  max_evidence: int = 20, database: str | None = None) -> list[Recorded]:
    """Each draft in its own transaction: the alert (or the repeat) and its deliveries."""
    out = []
    with driver.session(database=database) as session:
        for draft in drafts:
            rec = session.execute_write(_record_one, draft, render, now, max_evidence)
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


def claim_deliveries(driver: Driver, now: datetime, lease_until: datetime, token: str,
                     limit: int, database: str | None = None) -> list[Claimed]:
    rows = _rows(driver, cypher.CLAIM_DELIVERIES, database, now=now, lease_until=lease_until,
                 token=token, limit=limit)
    out = []
    for r in rows:
        keys = [r["secret"]]
        expires = r["previous_secret_expires_at"]
        if r["previous_secret"] and expires is not None and expires.to_native() > now:
            keys.append(r["previous_secret"])
        out.append(Claimed(id=r["id"], body=r["body"], attempts=int(r["attempts"] or 0),
                           alert_id=r["alert_id"], webhook_id=r["webhook_id"], url=r["url"],
                           secrets=tuple(keys), failing=bool(r["failing"]),
                           format=r.get("format") or "generic", bot_secret=r.get("bot_secret")))
    return out


def complete_delivery(driver: Driver, delivery_id: str, token: str, status: str,
                      next_attempt_at: datetime | None, status_code: int | None,
                      error: str | None, duration_ms: float, now: datetime,
                      database: str | None = None) -> bool:
    """Record one attempt; False when the claim was lost (lease expired and re-claimed)."""
    return _one(driver, cypher.COMPLETE_DELIVERY, database, "id", id=delivery_id, token=token,
                status=status, next_attempt_at=next_attempt_at, status_code=status_code,
                error=error, duration_ms=float(duration_ms), now=now) is not None


def insert_delivery(driver: Driver, alert_id: str | None, row: Row,
                    database: str | None = None) -> None:
    """A delivery not tied to a stored alert (test sends) is linked to its webhook only."""
    driver.execute_query(cypher.CREATE_TEST_DELIVERY, row=row, database_=database)


def webhook_succeeded(driver: Driver, webhook_id: str, now: datetime,
                      database: str | None = None) -> None:
    driver.execute_query(cypher.WEBHOOK_SUCCEEDED, id=webhook_id, now=now, database_=database)


def webhook_failed(driver: Driver, webhook_id: str, now: datetime,
                   database: str | None = None) -> datetime | None:
    since = _one(driver, cypher.WEBHOOK_FAILED, database, "failing_since", id=webhook_id, now=now)
    return since.to_native() if since is not None else None


def disable_webhook(driver: Driver, webhook_id: str, reason: str, now: datetime,
                    database: str | None = None) -> Row | None:
    """Returns the webhook when this call disabled it (None if it already was)."""
    rows = _rows(driver, cypher.DISABLE_WEBHOOK, database, id=webhook_id, reason=reason, now=now)
    return rows[0] if rows else None


def list_deliveries(driver: Driver, owner: str, webhook_id: str, status: str | None,
                    limit: int, database: str | None = None) -> list[Row]:
    return [r["delivery"] for r in _rows(driver, cypher.LIST_DELIVERIES, database, owner=owner,
                                         webhook_id=webhook_id, status=status, limit=limit)]


def replay_delivery(driver: Driver, owner: str, webhook_id: str, delivery_id: str,
                    now: datetime, database: str | None = None) -> str | None:
    """The status before the replay ('sending' means: not replayed, in flight), or None."""
    return _one(driver, cypher.REPLAY_DELIVERY, database, "before", owner=owner,
                webhook_id=webhook_id, id=delivery_id, now=now)


def delivery_counts(driver: Driver, database: str | None = None) -> dict[str, int]:
    rows = _rows(driver, cypher.DELIVERY_STATUS_COUNTS, database)
    return {r["status"]: int(r["n"]) for r in rows}


def get_alert(driver: Driver, owner: str, alert_id: str,
              database: str | None = None) -> Row | None:
    rows = _rows(driver, cypher.GET_ALERT, database, owner=owner, id=alert_id)
    if not rows:
        return None
    return {**rows[0]["alert"], "deliveries": rows[0]["deliveries"]}


def list_alerts(driver: Driver, owner: str, *, status: str | None = None,
                severities: Sequence[str] | None = None, rule_id: str | None = None,
                since: datetime | None = None, entity: str | None = None,
                cursor: tuple[datetime, str] | None = None, limit: int = 50,
                database: str | None = None) -> list[Row]:
    created, cid = cursor if cursor else (None, None)
    rows = _rows(driver, cypher.LIST_ALERTS, database, owner=owner, status=status,
                 severities=list(severities) if severities else None, rule_id=rule_id,
                 since=since, entity=entity, cursor_created=created, cursor_id=cid, limit=limit)
    return [r["alert"] for r in rows]


def ack_alert(driver: Driver, owner: str, alert_id: str, by: str, now: datetime,
              database: str | None = None) -> Row | None:
    return _one(driver, cypher.ACK_ALERT, database, "alert", owner=owner, id=alert_id, by=by,
                now=now)


# --- facts the rules need from the graph ---------------------------------------------------


def source_kinds(driver: Driver, source_ids: Sequence[str],
                 database: str | None = None) -> dict[str, str]:
    rows = _rows(driver, cypher.SOURCE_KINDS, database, ids=sorted(set(source_ids)))
    return {r["id"]: r["kind"] for r in rows}


def previous_observations(driver: Driver, rows: Sequence[Row],
                          database: str | None = None) -> dict[str, float]:
    """For each new observation row (id, kind, subject_id, subject_text, period, side,
    currency, as_of: its date, or its article's publication day; published_at): the value of
    the latest observation of the same subject and kind dated before it (as_of, else the
    publication day; same day: published before it). Observations without a date are never
    a previous one."""
    if not rows:
        return {}
    found = _rows(driver, cypher.PREVIOUS_OBSERVATIONS, database, rows=list(rows))
    return {r["id"]: float(r["previous"]) for r in found if r["previous"] is not None}


def merged_redirects(driver: Driver, ids: Sequence[str],
                     database: str | None = None) -> dict[str, str]:
    """Curated merges among `ids`: merged-away id -> survivor id (what the writer applies)."""
    if not ids:
        return {}
    found = _rows(driver, cypher.MERGED_REDIRECTS, database, ids=sorted(set(ids)))
    return {r["id"]: r["into"] for r in found if r["into"]}


def mention_counts(driver: Driver, entities: Sequence[str], now: datetime,
                   window_start: datetime, baseline_start: datetime,
                   database: str | None = None) -> list[Row]:
    return _rows(driver, cypher.MENTION_COUNTS, database, entities=sorted(set(entities)),
                 now=now, window_start=window_start, baseline_start=baseline_start)


def recent_crawl_runs(driver: Driver, sources: Sequence[str], n: int,
                      database: str | None = None) -> list[Row]:
    ids = list(sources) or [r["id"] for r in _rows(driver, cypher.ALL_SOURCE_IDS, database)]
    return _rows(driver, cypher.RECENT_CRAWL_RUNS, database, sources=ids, n=n)


def list_crawl_runs(driver: Driver, source_id: str, limit: int,
                    database: str | None = None) -> list[Row]:
    return [r["run"] for r in _rows(driver, cypher.LIST_CRAWL_RUNS, database,
                                    source_id=source_id, limit=limit)]


def expand_watchlist(driver: Driver, ids: Sequence[str], sectors: Sequence[str], related: bool,
                     database: str | None = None) -> frozenset[str]:
    """The ids, every company of the sectors, and (with `related`) their models and
    subsidiaries."""
    found = _one(driver, cypher.WATCHLIST, database, "ids", ids=list(ids), sectors=list(sectors),
                 related=related)
    return frozenset(found or ids)


def known_ids(driver: Driver, ids: Sequence[str], what: str,
              database: str | None = None) -> set[str]:
    """Which of `ids` exist as entities (`what="entity"`), sources or sectors."""
    if what == "sector":
        return {r["s"] for r in _rows(driver, cypher.KNOWN_SECTORS, database)} & set(ids)
    query = cypher.KNOWN_SOURCE_IDS if what == "source" else cypher.KNOWN_ENTITY_IDS
    return {r["id"] for r in _rows(driver, query, database, ids=list(ids))}
