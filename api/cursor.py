"""Opaque cursors for keyset (and, for relevance-ranked search, offset) pagination.

A cursor is url-safe base64 of `kind|part|part…`; a malformed or foreign cursor is a 400."""

from __future__ import annotations

import base64
from datetime import date, datetime

from api.errors import BadRequest


def _pack(kind: str, *parts: str) -> str:
    raw = "|".join((kind, *parts)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unpack(cursor: str, kind: str, n: int) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        got_kind, *parts = raw.split("|", n)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("invalid cursor") from exc
    if got_kind != kind or len(parts) != n:
        raise BadRequest("invalid cursor")
    return parts


def encode(published: datetime, item_id: str) -> str:
    return _pack("t", published.isoformat(), item_id)


def decode(cursor: str) -> tuple[datetime, str]:
    stamp, item_id = _unpack(cursor, "t", 2)
    try:
        return datetime.fromisoformat(stamp), item_id
    except ValueError as exc:
        raise BadRequest("invalid cursor") from exc


def encode_date(day: date, item_id: str) -> str:
    return _pack("d", day.isoformat(), item_id)


def decode_date(cursor: str) -> tuple[date, str]:
    day, item_id = _unpack(cursor, "d", 2)
    try:
        return date.fromisoformat(day), item_id
    except ValueError as exc:
        raise BadRequest("invalid cursor") from exc


def encode_offset(offset: int) -> str:
    return _pack("o", str(offset))


def decode_offset(cursor: str | None, cap: int) -> int:
    if not cursor:
        return 0
    (raw,) = _unpack(cursor, "o", 1)
    if not raw.isdigit() or int(raw) > cap:
        raise BadRequest("invalid cursor")
    return int(raw)


def encode_key(item_id: str) -> str:
    return _pack("k", item_id)


def decode_key(cursor: str) -> str:
    return _unpack(cursor, "k", 1)[0]
