"""Retry-After (RFC 9110 §10.2.3) as seconds to wait: the one parser, used by the crawlers
and by alert delivery (pure: the caller supplies the reference time)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value: delta-seconds ("120") or an HTTP-date, which
    is counted from `now` (a date already past → 0). None when absent, negative or garbage."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
