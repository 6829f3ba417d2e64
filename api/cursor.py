"""Opaque cursors for keyset pagination."""

from __future__ import annotations

import base64
from datetime import datetime

from api.errors import BadRequest


def encode(published: datetime, item_id: str) -> str:
    raw = f"{published.isoformat()}|{item_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        published, item_id = raw.split("|", 1)
        return datetime.fromisoformat(published), item_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"invalid cursor: {cursor!r}") from exc
