"""Webhook bodies, one pure function per format. A body is rendered once, when the delivery is
written to the outbox, so every retry sends the same bytes.

Generic JSON (format `generic`, schema: `GenericPayload.model_json_schema()`):

    {"type": "alert.created" | "webhook.test",
     "timestamp": "2026-11-28T09:00:00Z",
     "data": {"id": "alt_…", "rule_id": "rul_…" | null, "rule_type": "metric", "owner": "…",
              "severity": "info" | "warning" | "critical", "title": "…", "summary": "…",
              "dedupe_key": "…", "entities": ["deepseek"], "created_at": "…",
              "evidence": [{"article_id": "…", "url": "https://…", "title": "…",
                            "sentence": "…", "source_id": "…", "published_at": "…"}]}}

Bot formats (Slack incoming webhook, Feishu/Lark custom bot `post`, DingTalk and WeCom group
robot `markdown`) carry the title, summary and the first evidence sentences with links.
Every format is sent with the Standard Webhooks headers as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel

from alerts.types import Evidence, Severity, WebhookFormat

MAX_BOT_EVIDENCE = 5
WECOM_MAX_BYTES = 4096
_ICON = {"info": "ℹ️", "warning": "⚠️", "critical": "🚨"}


class AlertData(BaseModel):
    id: str
    rule_id: str | None = None
    rule_type: str
    owner: str
    severity: Severity
    title: str
    summary: str
    dedupe_key: str
    entities: list[str] = []
    evidence: list[Evidence] = []
    created_at: datetime


class GenericPayload(BaseModel):
    """The documented body of the `generic` format."""

    type: Literal["alert.created", "webhook.test"]
    timestamp: datetime
    data: AlertData


def _dumps(obj: Any) -> str:
    return orjson.dumps(obj, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC).decode("utf-8")


def generic(alert: AlertData, event: str) -> dict[str, Any]:
    return GenericPayload.model_validate(
        {"type": event, "timestamp": alert.created_at, "data": alert}
    ).model_dump(mode="json")


def _lines(alert: AlertData, link: Callable[[str, str], str]) -> list[str]:
    out = []
    for ev in alert.evidence[:MAX_BOT_EVIDENCE]:
        text = (ev.sentence or ev.title or "").strip()
        out.append(f"> {text} {link(ev.url, '原文 source')}" if ev.url else f"> {text}")
    return out


def slack(alert: AlertData, event: str) -> dict[str, Any]:
    head = f"{_ICON[alert.severity]} [{alert.severity}] {alert.title}"
    evidence = "\n".join(_lines(alert, lambda u, t: f"<{u}|{t}>"))
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": head[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": alert.summary[:2900]}},
    ]
    if evidence:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": evidence[:2900]}})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"{alert.rule_type} · {alert.id} · {', '.join(alert.entities)}"}
    ]})
    return {"text": f"{head}\n{alert.summary}", "blocks": blocks}


def feishu(alert: AlertData, event: str) -> dict[str, Any]:
    content: list[list[dict[str, str]]] = [[{"tag": "text", "text": alert.summary}]]
    for ev in alert.evidence[:MAX_BOT_EVIDENCE]:
        row = [{"tag": "text", "text": (ev.sentence or ev.title or "").strip() + " "}]
        if ev.url:
            row.append({"tag": "a", "text": "原文", "href": ev.url})
        content.append(row)
    title = f"{_ICON[alert.severity]} {alert.title}"
    post = {"zh_cn": {"title": title, "content": content}}
    return {"msg_type": "post", "content": {"post": post}}


def _markdown(alert: AlertData) -> str:
    lines = [f"### {_ICON[alert.severity]} {alert.title}", "", alert.summary, ""]
    lines += _lines(alert, lambda u, t: f"[{t}]({u})")
    return "\n".join(lines)


def dingtalk(alert: AlertData, event: str) -> dict[str, Any]:
    markdown = {"title": alert.title[:64], "text": _markdown(alert)}
    return {"msgtype": "markdown", "markdown": markdown}


def wecom(alert: AlertData, event: str) -> dict[str, Any]:
    text = _markdown(alert)
    while len(text.encode("utf-8")) > WECOM_MAX_BYTES:
        text = text[: int(len(text) * 0.9)]
    return {"msgtype": "markdown", "markdown": {"content": text}}


RENDERERS: Mapping[str, Callable[[AlertData, str], dict[str, Any]]] = {
    "generic": generic, "slack": slack, "feishu": feishu, "dingtalk": dingtalk, "wecom": wecom,
}


def render(alert: AlertData | Mapping[str, Any], fmt: WebhookFormat | str,
           event: str = "alert.created") -> str:
    data = alert if isinstance(alert, AlertData) else AlertData.model_validate(alert)
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown webhook format {fmt!r}") from None
    return _dumps(renderer(data, event))
