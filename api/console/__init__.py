"""The analysts' web console at /console: server-rendered pages (Jinja2, HTMX) over the same
read models as the API, signed in with an API key exchanged for a session cookie.

The console is its own small ASGI app that shares the API app's state (driver, settings,
clock, services: what the API's lifespan opens). It is reached ahead of the API's middlewares
(`ConsoleMount`, the outermost one): the API's body guard asks every request with a body for an
API key, while the console's forms carry a session cookie and a CSRF token instead, and the
console caps its own bodies."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Final

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from neo4j.exceptions import DriverError, Neo4jError
from starlette.types import ASGIApp, Receive, Scope, Send

from api.console import alert_pages, pages
from api.console.cache import TtlCache
from api.console.render import page
from api.console.security import (
    ConsoleError,
    CsrfRefused,
    Keys,
    NotAllowed,
    Shield,
    SignInNeeded,
    sign_in_url,
)
from api.console.settings import ConsoleSettings

log = logging.getLogger(__name__)
PREFIX: Final = "/console"
HERE = Path(__file__).parent
# the front-end packages, from node_modules (npm ci of the committed package-lock.json)
VENDOR: Final = {
    "echarts.min.js": HERE / "node_modules" / "echarts" / "dist" / "echarts.min.js",
    "htmx.min.js": HERE / "node_modules" / "htmx.org" / "dist" / "htmx.min.js",
}


def _vendor(name: str) -> Response:
    path = VENDOR.get(name)
    if path is None or not path.is_file():
        return PlainTextResponse(f"{name}: front-end package missing; run `make setup` "
                                 "(npm ci in api/console)", status_code=404)
    return FileResponse(path, media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})


def build(parent: FastAPI, settings: ConsoleSettings | None = None) -> FastAPI:
    """The console app; its `state` is the parent's (what the API's lifespan opens)."""
    settings = settings or ConsoleSettings()
    keys = Keys(settings.secret or secrets.token_hex(32), settings,
                TtlCache(settings.today_cache_s))
    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console.state = parent.state
    console.include_router(pages.router, prefix=PREFIX)
    console.include_router(alert_pages.router, prefix=PREFIX)
    console.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="static")
    console.add_api_route(f"{PREFIX}/vendor/{{name}}", _vendor, methods=["GET"])
    console.add_middleware(Shield, keys=keys)

    @console.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: ConsoleError) -> Response:
        if request.headers.get("hx-request") or request.url.path.endswith(".json"):
            return PlainTextResponse("sign in first", status_code=401,
                                     headers={"HX-Redirect": sign_in_url(request)})
        return RedirectResponse(sign_in_url(request), status_code=303)

    @console.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: ConsoleError) -> Response:
        return page(request, "error.html", status=403,
                    message="This form has no valid CSRF token: reload the page and try again.")

    @console.exception_handler(NotAllowed)
    async def _role(request: Request, exc: NotAllowed) -> Response:
        return page(request, "error.html", status=403,
                    message=f"This needs the {exc.role!r} role.")

    @console.exception_handler(Neo4jError)
    @console.exception_handler(DriverError)
    async def _graph(request: Request, exc: Exception) -> Response:
        log.warning("console %s: graph error %s", request.url.path, exc)
        return page(request, "error.html", status=503,
                    message="The graph did not answer in time: try again in a moment.")

    return console


class ConsoleMount:
    """Outermost ASGI middleware of the API app: /console requests go to the console app."""

    def __init__(self, app: ASGIApp, console: ASGIApp) -> None:
        self.app = app
        self.console = console

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == PREFIX or path.startswith(PREFIX + "/"):
            if path == PREFIX:
                scope = {**scope, "path": PREFIX + "/", "raw_path": (PREFIX + "/").encode()}
            await self.console(scope, receive, send)
            return
        await self.app(scope, receive, send)


def install(app: FastAPI, settings: ConsoleSettings | None = None) -> None:
    """Mount the console at /console (call after every other middleware is added)."""
    app.add_middleware(ConsoleMount, console=build(app, settings))
