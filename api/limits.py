"""Request bodies: credentials before the body, and a per-route size cap (pure ASGI).

FastAPI reads a request's body before it runs its dependencies, so without this an
unauthenticated client could make the server buffer any amount of data before its 401. This
middleware sits in front of the app and, for a request that carries a body:

1. refuses a missing or invalid API key with 401 before a byte of the body is read (a key is
   checked exactly as the `authenticate` dependency checks it, through the same cache);
2. refuses a declared `Content-Length` above the route's cap with 413 at once;
3. counts the bytes of a streamed (chunked) body as the app reads them and stops at the cap
   with 413: nothing is read unbounded.

Errors are problem+json like every other error of the API.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import anyio.to_thread
import orjson
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PROBLEM, problem

KIB: Final = 1024


@dataclass(frozen=True)
class BodyLimit:
    pattern: re.Pattern[str]  # matched against the path without its /v1 prefix
    max_bytes: int


def limit(path_regex: str, max_bytes: int) -> BodyLimit:
    return BodyLimit(re.compile(path_regex), max_bytes)


# what each writing route can legitimately need; everything else gets the default cap
ROUTE_LIMITS: Final[tuple[BodyLimit, ...]] = (
    limit(r"^/admin/cypher$", 64 * KIB),
    limit(r"^/rules(/[^/]+)?$", 64 * KIB),
    limit(r"^/webhooks(/.*)?$", 16 * KIB),
    limit(r"^/keys(/[^/]+)?$", 4 * KIB),
    limit(r"^/entities/.*$", 16 * KIB),
)
_V1: Final = re.compile(r"^/v1(?=/)")


def body_cap(path: str, default: int, limits: Sequence[BodyLimit] = ROUTE_LIMITS) -> int:
    """Pure: the largest body, in bytes, a request to `path` may send."""
    bare = _V1.sub("", path, count=1)
    return next((lim.max_bytes for lim in limits if lim.pattern.match(bare)), default)


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its cap; FastAPI lets an
    HTTPException raised while it reads the body through to the problem+json handler."""

    def __init__(self, cap: int) -> None:
        super().__init__(413, f"the request body is larger than {cap} bytes, this route's limit")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def _presented_key(scope: Scope) -> str | None:
    auth = _header(scope, b"authorization")
    if auth is not None:
        scheme, _, credentials = auth.decode("latin-1").partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            return credentials.strip()
    header = _header(scope, b"x-api-key")
    if header is None:
        return None
    return header.decode("latin-1").strip() or None


async def _problem(send: Send, status: int, title: str, detail: str, path: str,
                   headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = orjson.dumps(problem(status, title, detail, path))
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", PROBLEM.encode()), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *headers]})
    await send({"type": "http.response.body", "body": body})


def _check_key(app: Any, key: str) -> str | None:
    """The reason a key is refused, or None when it is valid (blocking: a graph lookup)."""
    from api.auth import Unauthorized, _verify

    if len(key) > 400:
        return "unknown or revoked API key"
    state = app.state
    settings, neo4j = state.api_settings, state.neo4j_settings
    try:
        _verify(state.driver, key, neo4j.database, settings.query_timeout_s, state.key_cache,
                settings.admin_key)
    except Unauthorized as exc:
        return exc.detail
    return None


class BodyGuard:
    """The pure ASGI middleware described in the module docstring."""

    def __init__(self, app: ASGIApp, default_max_bytes: int = 256 * KIB,
                 limits: Sequence[BodyLimit] = ROUTE_LIMITS) -> None:
        self.app = app
        self.default = default_max_bytes
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        chunked = _header(scope, b"transfer-encoding") is not None
        if not chunked and (length is None or length.strip() in (b"", b"0")):
            await self.app(scope, receive, send)  # no body: auth stays with the dependency
            return
        path = scope.get("path", "")
        refused = await self._refuse_credentials(scope)
        if refused is not None:
            await _problem(send, 401, "Unauthorized", refused, path,
                           [(b"www-authenticate", b'Bearer realm="tokenwatch"')])
            return
        cap = body_cap(path, self.default, self.limits)
        if length is not None and (not length.strip().isdigit() or int(length) > cap):
            await _problem(send, 413, "Request body too large", BodyTooLarge(cap).detail, path)
            return
        await self._counted(scope, receive, send, cap)

    async def _refuse_credentials(self, scope: Scope) -> str | None:
        key = _presented_key(scope)
        if not key:
            return "an API key is required (Authorization: Bearer … or X-API-Key)"
        app = scope.get("app")
        if app is None or not hasattr(app.state, "driver"):
            return None  # no graph to check against (lifespan not run): the dependency decides
        return await anyio.to_thread.run_sync(_check_key, app, key)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, cap: int) -> None:
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise BodyTooLarge(cap)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:  # read outside FastAPI's body parsing
            if started:
                raise
            await _problem(send, 413, "Request body too large", str(exc.detail),
                           scope.get("path", ""))
