"""Webhooks of the caller's owner: CRUD, secret rotation, test send, delivery log, replay.

Secrets are Standard Webhooks `whsec_` secrets, shown only at creation and rotation. During a
rotation overlap (TOKENWATCH_ALERTS_SECRET_OVERLAP_S) deliveries carry two signatures.
Another owner's webhook does not exist for the caller (404)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from alerts import channels, payloads, signing
from alerts.delivery import Sender, test_send
from alerts.errors import UnsafeUrl
from alerts.settings import AlertSettings
from alerts.ssrf import SsrfGuard
from alerts.types import WebhookFormat
from api.auth import Analyst, Principal
from api.deps import (
    AlertSettingsDep,
    ClockDep,
    DeliveryWorkerDep,
    GraphDep,
    get_alert_settings_dep,
)
from api.errors import ApiError, Conflict, NotFound, Unprocessable, problems
from graph import outbox
from graph.access import Graph
from graph.outbox_models import Webhook

router = APIRouter(tags=["webhooks"])
IdPath = Annotated[str, Path(max_length=100)]


alert_settings = get_alert_settings_dep  # the service's alert settings (api/deps.py)


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, examples=["https://hooks.example.com/tw"])
    format: WebhookFormat = Field(default="generic", description="body format: generic JSON "
                                  "(schema in alerts/payloads.py), slack, feishu, dingtalk, wecom")
    description: str = Field(default="", max_length=500)
    enabled: bool = True
    bot_secret: str | None = Field(
        default=None, min_length=8, max_length=200,
        description="write-only: the signing secret of a DingTalk (SEC…) or Feishu custom bot "
        "whose signature check is on; each attempt is then signed in the bot's own mode "
        "(timestamp + secret, HMAC-SHA256, base64), besides the Standard Webhooks headers")


class WebhookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, min_length=8, max_length=2000)
    format: WebhookFormat | None = None
    bot_secret: str | None = Field(
        default=None, min_length=8, max_length=200,
        description="write-only: the signing secret of a DingTalk (SEC…) or Feishu custom bot "
        "whose signature check is on; each attempt is then signed in the bot's own mode "
        "(timestamp + secret, HMAC-SHA256, base64), besides the Standard Webhooks headers")
    description: str | None = Field(default=None, max_length=500)
    enabled: bool | None = Field(default=None, description="true re-enables a disabled endpoint "
                                 "(its pending deliveries resume)")


class WebhookOut(BaseModel):
    id: str
    url: str
    format: str
    description: str = ""
    enabled: bool
    bot_signed: bool = Field(default=False, description="a bot_secret is set (never shown)")
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    failing_since: datetime | None = None
    last_success_at: datetime | None = None
    previous_secret_expires_at: datetime | None = Field(
        default=None, description="until then deliveries are also signed with the old secret")
    created_at: datetime | None = None


class WebhookWithSecret(WebhookOut):
    secret: str = Field(description="the signing secret (whsec_…); shown only here")


class TestSendOut(BaseModel):
    delivery_id: str = Field(description="the webhook-id of the test message")
    ok: bool
    status_code: int | None = None
    error: str | None = None
    duration_ms: float


class DeliveryOut(BaseModel):
    id: str = Field(description="the `webhook-id` header, constant across retries")
    alert_id: str | None = None
    event: str
    status: Literal["pending", "sending", "succeeded", "failed", "cancelled"]
    attempts: int
    next_attempt_at: datetime | None = None
    created_at: datetime
    delivered_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    replays: int = 0
    log: list[dict[str, Any]] = Field(default_factory=list,
                                      description="every attempt: at, status_code, error, ms")


def _out(hook: Webhook, cls: type[WebhookOut] = WebhookOut) -> Any:
    return cls.model_validate({**hook.model_dump(include=set(cls.model_fields)),
                               "bot_signed": bool(hook.bot_secret)})


def _check_url(url: str, settings: AlertSettings) -> None:
    try:
        SsrfGuard(tuple(settings.allow_list)).check(url)
    except UnsafeUrl as exc:
        raise Unprocessable(f"webhook url refused: {exc}") from exc


def _check_bot_secret(fmt: str | None, bot_secret: str | None) -> None:
    if bot_secret and fmt not in channels.SIGNED_FORMATS:
        raise Unprocessable(f"bot_secret applies to the {' and '.join(channels.SIGNED_FORMATS)} "
                            f"formats, not {fmt!r}")


def _get(g: Graph, owner: str, webhook_id: str) -> Webhook:
    row = outbox.get_webhook(g, owner, webhook_id)
    if row is None:
        raise NotFound(f"no webhook {webhook_id!r}")
    return row


@router.post("/webhooks", response_model=WebhookWithSecret, status_code=201,
             responses=problems(403, 422))
def create_webhook(body: WebhookIn, principal: Analyst, g: GraphDep, settings: AlertSettingsDep,
                   clock: ClockDep) -> WebhookWithSecret:
    """Register an endpoint; the URL passes the SSRF guard. The secret is returned once."""
    _check_url(body.url, settings)
    _check_bot_secret(body.format, body.bot_secret)
    now = clock()
    row = {"id": outbox.new_id("whk"), "owner": principal.owner, **body.model_dump(),
           "secret": signing.new_secret(), "previous_secret": None,
           "previous_secret_expires_at": None, "created_at": now, "updated_at": now}
    saved = outbox.save_webhook(g, row)
    return _out(saved, WebhookWithSecret)


@router.get("/webhooks", response_model=list[WebhookOut])
def list_webhooks(principal: Principal, g: GraphDep) -> list[WebhookOut]:
    return [_out(r) for r in outbox.list_webhooks(g, principal.owner)]


@router.get("/webhooks/payload-schema", response_model=dict[str, Any])
def payload_schema(_: Principal) -> dict[str, Any]:
    """The JSON Schema of the `generic` webhook body (`alert.created`, `webhook.test`).
    Headers: `webhook-id` (constant across retries; dedupe on it), `webhook-timestamp`,
    `webhook-signature` (Standard Webhooks `v1,` HMAC-SHA256; two during a rotation)."""
    return payloads.GenericPayload.model_json_schema()


@router.get("/webhooks/{webhook_id}", response_model=WebhookOut, responses=problems(404))
def get_webhook(webhook_id: IdPath, principal: Principal, g: GraphDep) -> WebhookOut:
    return _out(_get(g, principal.owner, webhook_id))


@router.patch("/webhooks/{webhook_id}", response_model=WebhookOut,
              responses=problems(403, 404, 422))
def update_webhook(webhook_id: IdPath, body: WebhookPatch, principal: Analyst,
                   g: GraphDep,
                   settings: AlertSettingsDep, clock: ClockDep) -> WebhookOut:
    current = _get(g, principal.owner, webhook_id)
    props: dict[str, Any] = body.model_dump(exclude_unset=True, exclude_none=True)
    if "url" in props or props.get("enabled") is True:
        # re-enabling re-checks the stored URL: its name may resolve elsewhere by now
        _check_url(props.get("url", current.url), settings)
    if "bot_secret" in props:
        _check_bot_secret(props.get("format") or current.format, props["bot_secret"])
    if props.get("enabled") is True:
        props.update(disabled_reason=None, disabled_at=None, failing_since=None)
    props["updated_at"] = clock()
    row = outbox.update_webhook(g, principal.owner, webhook_id, props)
    if row is None:  # deleted meanwhile
        raise NotFound(f"no webhook {webhook_id!r}")
    return _out(row)


@router.delete("/webhooks/{webhook_id}", status_code=204, responses=problems(403, 404))
def delete_webhook(webhook_id: IdPath, principal: Analyst, g: GraphDep) -> Response:
    """Delete the endpoint; its pending deliveries are cancelled."""
    if not outbox.delete_webhook(g, principal.owner, webhook_id):
        raise NotFound(f"no webhook {webhook_id!r}")
    return Response(status_code=204)


@router.post("/webhooks/{webhook_id}/rotate-secret", response_model=WebhookWithSecret,
             responses=problems(403, 404))
def rotate_secret(webhook_id: IdPath, principal: Analyst, g: GraphDep, settings: AlertSettingsDep,
                  clock: ClockDep) -> WebhookWithSecret:
    """A new secret; the old one keeps signing (a second signature) during the overlap."""
    row = _get(g, principal.owner, webhook_id)
    now = clock()
    props = {"secret": signing.new_secret(), "previous_secret": row.secret,
             "previous_secret_expires_at": now + timedelta(seconds=settings.secret_overlap_s),
             "updated_at": now}
    saved = outbox.update_webhook(g, principal.owner, webhook_id, props)
    if saved is None:
        raise NotFound(f"no webhook {webhook_id!r}")
    return _out(saved, WebhookWithSecret)


@router.post("/webhooks/{webhook_id}/test", response_model=TestSendOut,
             responses=problems(403, 404, 409))
def send_test(webhook_id: IdPath, principal: Analyst, g: GraphDep, settings: AlertSettingsDep,
              clock: ClockDep) -> TestSendOut:
    """Send a signed `webhook.test` event now (through the SSRF guard, not retried) and
    return the receiver's answer; the attempt appears in the delivery log."""
    row = _get(g, principal.owner, webhook_id)
    if not row.enabled:
        raise Conflict(f"webhook {webhook_id!r} is disabled"
                       + (f" ({row.disabled_reason})" if row.disabled_reason else "")
                       + "; enable it (PATCH enabled=true) before sending a test")
    sender = Sender(settings)
    try:
        result = test_send(g, sender, row, clock())
    finally:
        sender.close()
    return TestSendOut(**result.__dict__)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[DeliveryOut],
            responses=problems(404, 422))
def list_deliveries(
    webhook_id: IdPath, principal: Principal, g: GraphDep,
    status: Annotated[Literal["pending", "sending", "succeeded", "failed", "cancelled"] | None,
                      Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[DeliveryOut]:
    """The delivery log of one webhook, newest first, with every attempt."""
    _get(g, principal.owner, webhook_id)
    rows = outbox.list_deliveries(g, principal.owner, webhook_id, status, limit)
    return [DeliveryOut.model_validate({**d.model_dump(include=set(DeliveryOut.model_fields)),
                                        "log": [a.model_dump() for a in d.log]}) for d in rows]


class ReplayOut(BaseModel):
    id: str
    status: str = "pending"


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/replay", response_model=ReplayOut,
             status_code=202, responses=problems(403, 404, 409))
def replay(webhook_id: IdPath, delivery_id: IdPath, principal: Analyst, g: GraphDep,
           worker: DeliveryWorkerDep, clock: ClockDep) -> ReplayOut:
    """Queue the delivery again, same `webhook-id` and body, retry schedule from the start."""
    before = outbox.replay_delivery(g, principal.owner, webhook_id, delivery_id, clock())
    if before is None:
        raise NotFound(f"no delivery {delivery_id!r} for webhook {webhook_id!r}")
    if before == "sending":
        raise Conflict("the delivery is being attempted right now")
    if worker is not None:
        worker.wake()
    return ReplayOut(id=delivery_id)


__all__ = ["AlertSettingsDep", "ApiError", "alert_settings", "router"]
