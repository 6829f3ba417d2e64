"""What the alerts package hands the graph to record: drafts, evidence, severities.

Defined here, below alerts, so the outbox (graph/outbox.py) needs nothing from above it;
`alerts.types` re-exports every name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["info", "warning", "critical"]
WebhookFormat = Literal["generic", "slack", "feishu", "dingtalk", "wecom"]
SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}


class Evidence(BaseModel):
    """Why an alert fired: an article and the sentence that says so."""

    model_config = ConfigDict(frozen=True)

    article_id: str | None = None
    url: str | None = None
    title: str | None = None
    sentence: str | None = None
    source_id: str | None = None
    published_at: datetime | None = None


def merge_evidence(a: Iterable[Evidence], b: Iterable[Evidence],
                   limit: int | None = None) -> tuple[Evidence, ...]:
    """`a` then what `b` adds: one piece of evidence per (article, sentence), first kept."""
    seen: dict[tuple[str | None, str | None], Evidence] = {}
    for ev in (*a, *b):
        seen.setdefault((ev.article_id, ev.sentence), ev)
    return tuple(seen.values())[:limit]


class AlertDraft(BaseModel):
    """An alert a rule wants to raise; `dedupe_key` groups repeats within the cooldown."""

    model_config = ConfigDict(frozen=True)

    rule_id: str | None  # None for system alerts (e.g. a webhook was disabled)
    rule_type: str
    owner: str
    severity: Severity
    title: str
    summary: str
    dedupe_key: str
    evidence: tuple[Evidence, ...] = ()
    entities: tuple[str, ...] = ()
    triggered_by: tuple[str, ...] = Field(default=(), description="Article, Observation or "
                                          "RiskSignal ids")
    cooldown_s: float = 3600.0
    webhook_ids: tuple[str, ...] = ()  # empty: every enabled webhook of the owner
    exclude_webhooks: tuple[str, ...] = ()
