"""Sign-in sessions and CSRF tokens (pure apart from the key lookup done by the caller).

A session cookie is `key_id.expires.nonce.mac`, where the MAC (HMAC-SHA256 with the console
secret) also covers the stored hash of the API key: revoking or replacing the key ends every
session made from it, and nothing secret is kept in the browser. The CSRF token of a session is
a MAC of its nonce (so it is known to the page that rendered the form and to nobody else);
before sign-in the login form's token is tied the same way to a pre-session nonce cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

SESSION_COOKIE = "tw_session"
PRE_COOKIE = "tw_pre"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class SessionToken:
    key_id: str
    expires: int  # unix seconds
    nonce: str


def _mac(secret: str, *parts: str) -> str:
    msg = "|".join(parts).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), msg, hashlib.sha256).hexdigest()


def new_session(secret: str, key_id: str, key_hash: str, now: datetime,
                lifetime: timedelta) -> tuple[str, SessionToken]:
    token = SessionToken(key_id, int((now + lifetime).timestamp()), secrets.token_hex(16))
    mac = _mac(secret, "session", token.key_id, str(token.expires), token.nonce, key_hash)
    return f"{token.key_id}.{token.expires}.{token.nonce}.{mac}", token


def parse_session(cookie: str | None) -> tuple[SessionToken, str] | None:
    """The token and its MAC, or None when the cookie is not one of ours."""
    parts = (cookie or "").split(".")
    if len(parts) != 4 or not parts[1].isdigit() or len(cookie or "") > 300:
        return None
    return SessionToken(parts[0], int(parts[1]), parts[2]), parts[3]


def session_valid(secret: str, token: SessionToken, mac: str, key_hash: str,
                  now: datetime) -> bool:
    if token.expires <= now.timestamp():
        return False
    want = _mac(secret, "session", token.key_id, str(token.expires), token.nonce, key_hash)
    return hmac.compare_digest(want, mac)


def csrf_token(secret: str, nonce: str) -> str:
    return _mac(secret, "csrf", nonce)


def csrf_ok(secret: str, nonce: str | None, presented: str | None) -> bool:
    if not nonce or not presented:
        return False
    return hmac.compare_digest(csrf_token(secret, nonce), presented)


def new_nonce() -> str:
    return secrets.token_hex(16)
