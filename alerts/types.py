"""Typed hand-off objects of the alerts package (defined in graph.alert_types, below alerts)."""

from __future__ import annotations

from graph.alert_types import SEVERITY_RANK, AlertDraft, Evidence, Severity, WebhookFormat

__all__ = ["SEVERITY_RANK", "AlertDraft", "Evidence", "Severity", "WebhookFormat"]
