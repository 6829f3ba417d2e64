"""Alerts of the caller's owner: list with filters (cursor pagination), one alert with its
deliveries, acknowledge."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from alerts.types import Evidence, Severity
from api import cursor as cursors
from api.auth import Analyst, Principal
from api.deps import ClockDep, GraphDep
from api.errors import NotFound, problems
from api.schemas import Page
from graph import outbox
from graph.outbox_models import StoredAlert

router = APIRouter(tags=["alerts"])
IdPath = Annotated[str, Path(max_length=100)]


class AlertDelivery(BaseModel):
    id: str
    webhook_id: str
    status: str
    attempts: int = 0
    delivered_at: datetime | None = None


class AlertOut(BaseModel):
    id: str
    rule_id: str | None = None
    rule_type: str
    severity: Severity
    status: Literal["open", "acknowledged"]
    title: str
    summary: str
    dedupe_key: str
    entities: list[str] = []
    evidence: list[Evidence] = Field(default_factory=list,
                                     description="article URLs and the sentences that say so")
    occurrences: int = Field(default=1, description="repeats grouped within the cooldown")
    created_at: datetime
    last_seen_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    deliveries: list[AlertDelivery] | None = None


def _out(alert: StoredAlert) -> AlertOut:
    return AlertOut.model_validate(alert.model_dump(include=set(AlertOut.model_fields)))


@router.get("/alerts", response_model=Page[AlertOut], responses=problems(400, 422))
def list_alerts(
    principal: Principal, g: GraphDep,
    status: Annotated[Literal["open", "acknowledged"] | None, Query()] = None,
    severity: Annotated[list[Severity] | None, Query(description="repeatable")] = None,
    rule_id: Annotated[str | None, Query(max_length=100)] = None,
    entity: Annotated[str | None, Query(max_length=200, description="entity id")] = None,
    since: Annotated[datetime | None, Query(description="created at or after")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> Page[AlertOut]:
    """Newest first."""
    after = cursors.decode(cursor) if cursor else None
    rows = outbox.list_alerts(g, principal.owner, status=status, severities=severity,
                              rule_id=rule_id, since=since, entity=entity, cursor=after,
                              limit=limit + 1)
    items = [_out(r) for r in rows[:limit]]
    nxt = cursors.encode(items[-1].created_at, items[-1].id) if len(rows) > limit else None
    return Page[AlertOut](items=items, next_cursor=nxt)


@router.get("/alerts/{alert_id}", response_model=AlertOut, responses=problems(404))
def get_alert(alert_id: IdPath, principal: Principal, g: GraphDep) -> AlertOut:
    row = outbox.get_alert(g, principal.owner, alert_id)
    if row is None:
        raise NotFound(f"no alert {alert_id!r}")
    return _out(row)


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertOut,
             responses=problems(403, 404))
def acknowledge(alert_id: IdPath, principal: Analyst, g: GraphDep,
                clock: ClockDep) -> AlertOut:
    """Idempotent: the first acknowledgement's time and key are kept."""
    row = outbox.ack_alert(g, principal.owner, alert_id, principal.key_id, clock())
    if row is None:
        raise NotFound(f"no alert {alert_id!r}")
    return _out(row)
