"""Alert rules of the caller's owner (CRUD). Types: risk, metric, policy, spike,
source_health; see alerts/rules.py for each one's fields. Invalid definitions are 422 with
the failing field in `errors`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from alerts.rules import DEFAULT_SEVERITY, SPEC_ADAPTER, RuleSpec
from alerts.types import Severity
from api.auth import Analyst, Principal
from api.deps import ClockDep, GraphDep
from api.errors import NotFound, Unprocessable, problems
from api.rule_ids import check_rule_ids
from graph import outbox
from graph.access import Graph
from graph.outbox_models import StoredRule

router = APIRouter(tags=["alert rules"])
IdPath = Annotated[str, Path(max_length=100)]
WebhookIds = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)]


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "DeepSeek price cuts", "severity": "critical", "cooldown_minutes": 60,
        "condition": {"type": "metric", "condition": "price_cut", "threshold": 0.5,
                      "subjects": ["deepseek"]}}]})

    name: str = Field(min_length=1, max_length=200)
    severity: Severity | None = Field(default=None, description="default depends on the type")
    cooldown_minutes: float = Field(default=60.0, ge=0, le=60 * 24 * 30, description="repeats "
                                    "of the same alert within this time are grouped into it")
    enabled: bool = True
    webhook_ids: WebhookIds = Field(default_factory=list, description="empty: all of the "
                                    "owner's webhooks")
    condition: RuleSpec


class RulePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    severity: Severity | None = None
    cooldown_minutes: float | None = Field(default=None, ge=0, le=60 * 24 * 30)
    enabled: bool | None = None
    webhook_ids: WebhookIds | None = None
    condition: RuleSpec | None = None


class RuleOut(BaseModel):
    id: str
    name: str
    type: str
    severity: Severity
    cooldown_minutes: float
    enabled: bool
    webhook_ids: list[str]
    condition: dict[str, Any]
    created_at: datetime | None = None
    updated_at: datetime | None = None


def _out(r: StoredRule) -> RuleOut:
    return RuleOut(id=r.id, name=r.name or r.id, type=r.type, severity=r.severity,
                   cooldown_minutes=r.cooldown_s / 60.0, enabled=r.enabled,
                   webhook_ids=r.webhook_ids, condition=orjson.loads(r.spec),
                   created_at=r.created_at, updated_at=r.updated_at)


def _check_webhooks(g: Graph, owner: str, ids: list[str]) -> None:
    known = {w.id for w in outbox.list_webhooks(g, owner)}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise Unprocessable(f"unknown webhook id(s): {', '.join(unknown)}")


def _spec_json(spec: Any) -> str:
    return orjson.dumps(SPEC_ADAPTER.dump_python(spec, mode="json")).decode()


@router.post("/rules", response_model=RuleOut, status_code=201, responses=problems(403, 422))
def create_rule(body: RuleIn, principal: Analyst, g: GraphDep, clock: ClockDep) -> RuleOut:
    _check_webhooks(g, principal.owner, body.webhook_ids)
    check_rule_ids(g, body.condition)
    now = clock()
    row = {"id": outbox.new_id("rul"), "owner": principal.owner, "name": body.name,
           "type": body.condition.type,
           "severity": body.severity or DEFAULT_SEVERITY[body.condition.type],
           "cooldown_s": body.cooldown_minutes * 60.0, "enabled": body.enabled,
           "webhook_ids": body.webhook_ids, "spec": _spec_json(body.condition),
           "created_at": now, "updated_at": now}
    return _out(outbox.save_rule(g, row))


@router.get("/rules", response_model=list[RuleOut])
def list_rules(principal: Principal, g: GraphDep) -> list[RuleOut]:
    return [_out(r) for r in outbox.list_rules(g, principal.owner)]


@router.get("/rules/{rule_id}", response_model=RuleOut, responses=problems(404))
def get_rule(rule_id: IdPath, principal: Principal, g: GraphDep) -> RuleOut:
    row = outbox.get_rule(g, principal.owner, rule_id)
    if row is None:
        raise NotFound(f"no rule {rule_id!r}")
    return _out(row)


@router.patch("/rules/{rule_id}", response_model=RuleOut, responses=problems(403, 404, 422))
def update_rule(rule_id: IdPath, body: RulePatch, principal: Analyst, g: GraphDep,
                clock: ClockDep) -> RuleOut:
    if outbox.get_rule(g, principal.owner, rule_id) is None:
        raise NotFound(f"no rule {rule_id!r}")
    given = body.model_dump(exclude_unset=True)
    props: dict[str, Any] = {"updated_at": clock()}
    for key in ("name", "severity", "enabled"):
        if given.get(key) is not None:
            props[key] = given[key]
    if body.cooldown_minutes is not None:
        props["cooldown_s"] = body.cooldown_minutes * 60.0
    if body.webhook_ids is not None:
        _check_webhooks(g, principal.owner, body.webhook_ids)
        props["webhook_ids"] = body.webhook_ids
    if body.condition is not None:
        check_rule_ids(g, body.condition)
        props["type"] = body.condition.type
        props["spec"] = _spec_json(body.condition)
    row = outbox.update_rule(g, principal.owner, rule_id, props)
    return _out(row)  # type: ignore[arg-type]


@router.delete("/rules/{rule_id}", status_code=204, responses=problems(403, 404))
def delete_rule(rule_id: IdPath, principal: Analyst, g: GraphDep) -> Response:
    """Delete the rule; the alerts it raised stay."""
    if not outbox.delete_rule(g, principal.owner, rule_id):
        raise NotFound(f"no rule {rule_id!r}")
    return Response(status_code=204)
