"""Unversioned paths: every route lives under `/v1`; a request for `/entities/x` that only
`/v1/entities/x` would answer gets a 308 to it (method and body kept, query string too)."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX = "/v1"


class VersionRedirect:
    """ASGI middleware: 308 from an unversioned path that no route matches to its `/v1` twin."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = _target(scope) if scope["type"] == "http" else None
        if target is None:
            await self.app(scope, receive, send)
            return
        await RedirectResponse(target, status_code=308)(scope, receive, send)


def _target(scope: Scope) -> str | None:
    path: str = scope["path"]
    if path.startswith(PREFIX + "/") or path == PREFIX:
        return None
    routes = scope["app"].router.routes
    if any(r.matches(scope)[0] != Match.NONE for r in routes):
        return None
    versioned = {**scope, "path": PREFIX + path}
    if not any(r.matches(versioned)[0] != Match.NONE for r in routes):
        return None
    query = scope.get("query_string", b"").decode("latin-1")
    return PREFIX + path + (f"?{query}" if query else "")
