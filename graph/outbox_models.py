"""Typed reads of the outbox (graph/outbox.py): rules, webhooks, alerts, deliveries and the
facts the rules look up. Built like graph/read_models.py: from one record, every Neo4j
temporal made native by `graph.temporal` first."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Self

import orjson
from pydantic import Field, field_validator

from graph.alert_types import Evidence, Severity
from graph.reads.base import ReadModel, Row


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


class StoredRule(ReadModel):
    """An AlertRule node; `spec` is the rule's definition as stored (JSON)."""

    id: str
    owner: str
    name: str | None = None
    type: str
    severity: Severity = "warning"
    cooldown_s: float = 0.0
    enabled: bool = True
    webhook_ids: list[str] = Field(default_factory=list)
    spec: str
    created_at: datetime | None = None
    updated_at: datetime | None = None

    _lists = field_validator("webhook_ids", mode="before")(_none_to_list)

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: Any) -> Any:
        return value or "warning"

    @field_validator("cooldown_s", mode="before")
    @classmethod
    def _cooldown(cls, value: Any) -> float:
        return float(value or 0.0)

    @field_validator("enabled", mode="before")
    @classmethod
    def _enabled(cls, value: Any) -> bool:
        return bool(value)


class Webhook(ReadModel):
    """A Webhook node, secrets included (routes decide what to show)."""

    id: str
    owner: str
    url: str
    format: str = "generic"
    description: str = ""
    enabled: bool = True
    secret: str | None = None
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None
    bot_secret: str | None = None
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    failing_since: datetime | None = None
    last_success_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def secrets_at(self, now: datetime) -> tuple[str, ...]:
        return signing_secrets(self.secret or "", self.previous_secret,
                               self.previous_secret_expires_at, now)

    @field_validator("format", mode="before")
    @classmethod
    def _format(cls, value: Any) -> str:
        return value or "generic"

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: Any) -> str:
        return value or ""


def signing_secrets(secret: str, previous: str | None, previous_expires: datetime | None,
                    now: datetime) -> tuple[str, ...]:
    """The secrets that sign a message sent at `now`: the current one, and the previous one
    while its rotation overlap lasts."""
    if previous and previous_expires is not None and previous_expires > now:
        return (secret, previous)
    return (secret,)


class DisabledWebhook(ReadModel):
    id: str
    owner: str
    url: str


class Attempt(ReadModel):
    at: datetime | None = None
    status_code: int | None = None
    error: str | None = None
    ms: float | None = None


class Delivery(ReadModel):
    """One message to one webhook, with every attempt as stored: four lists, one entry per
    attempt, oldest first (`log` pairs them up)."""

    id: str
    alert_id: str | None = None
    webhook_id: str
    event: str
    status: str
    attempts: int = 0
    next_attempt_at: datetime | None = None
    created_at: datetime
    delivered_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    replays: int = 0
    attempt_at: list[datetime] = Field(default_factory=list)
    attempt_status: list[int] = Field(default_factory=list)  # 0: no HTTP answer
    attempt_error: list[str] = Field(default_factory=list)  # "": none
    attempt_ms: list[float] = Field(default_factory=list)

    @classmethod
    def of(cls, row: Row) -> Self:
        return super().of({k: v for k, v in dict(row).items() if v is not None})

    @property
    def log(self) -> list[Attempt]:
        return [Attempt(at=at, status_code=code or None, error=err or None, ms=ms)
                for at, code, err, ms in zip(self.attempt_at, self.attempt_status,
                                             self.attempt_error, self.attempt_ms, strict=False)]


class AlertDelivery(ReadModel):
    id: str
    webhook_id: str
    status: str
    attempts: int = 0
    delivered_at: datetime | None = None


class StoredAlert(ReadModel):
    """An Alert node; `deliveries` only where the read asked for them (one alert)."""

    id: str
    owner: str
    rule_id: str | None = None
    rule_type: str
    severity: Severity
    status: Literal["open", "acknowledged"]
    title: str
    summary: str
    dedupe_key: str
    entities: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    occurrences: int = 1
    created_at: datetime
    last_seen_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    deliveries: list[AlertDelivery] | None = None

    _lists = field_validator("entities", mode="before")(_none_to_list)

    @classmethod
    def of(cls, row: Row) -> Self:
        d = dict(row)
        d["evidence"] = orjson.loads(d.pop("evidence_json", None) or "[]")
        return super().of(d)


class MentionWindow(ReadModel):
    """Articles mentioning an entity within a window and in the baseline before it."""

    entity_id: str
    window: int
    baseline: int
    recent: list[Evidence] = Field(default_factory=list)

    @classmethod
    def of(cls, row: Row) -> Self:
        recent = [{"article_id": e["id"], "url": e["url"], "title": e["title"],
                   "sentence": e["sentence"] or e["title"], "source_id": e["source_id"],
                   "published_at": e["published_at"]} for e in row["recent"]]
        return super().of({**dict(row), "recent": recent})


class RunHistory(ReadModel):
    """A source's latest crawl runs, newest first."""

    source_id: str
    statuses: list[str]
    last_error_kinds: list[str] = Field(default_factory=list)
    healths: list[str]
    last_health_reason: str | None = None

    _lists = field_validator("last_error_kinds", mode="before")(_none_to_list)
