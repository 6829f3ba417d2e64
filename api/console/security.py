"""Who is signed in (the session cookie, checked against the API key it was made from), CSRF
on every state-changing request, and the security headers of every console response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import ROLES, ApiPrincipal, Role
from api.console import session
from api.console.cache import TtlCache
from api.console.settings import ConsoleSettings
from api.deps import ClockDep, GraphDep
from graph import apikeys

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()),
           (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"same-origin"),
           (b"x-frame-options", b"DENY")]


class ConsoleError(Exception):
    """Root of the console's errors (each becomes a page, a redirect or a status)."""


class SignInNeeded(ConsoleError):
    pass


class CsrfRefused(ConsoleError):
    pass


class NotAllowed(ConsoleError):
    def __init__(self, role: str) -> None:
        super().__init__(role)
        self.role = role


@dataclass(frozen=True)
class Keys:
    """The secret the console signs with (settings, or one random secret per process)."""

    secret: str
    settings: ConsoleSettings
    today: TtlCache


def get_keys(request: Request) -> Keys:
    keys: Keys = request.scope["console_keys"]
    return keys


KeysDep = Annotated[Keys, Depends(get_keys)]


def signed_in(request: Request, keys: KeysDep, graph_: GraphDep, clock: ClockDep) -> ApiPrincipal:
    """The session's principal; SignInNeeded (a redirect to the sign-in page) otherwise. The
    key is looked up on every request, so a revoked key ends its sessions at once."""
    parsed = session.parse_session(request.cookies.get(session.SESSION_COOKIE))
    if parsed is None:
        raise SignInNeeded()
    token, mac = parsed
    record = apikeys.get_key(graph_, token.key_id)
    if (record is None or record.revoked or record.role not in ROLES
            or not session.session_valid(keys.secret, token, mac, record.hash or "", clock())):
        raise SignInNeeded()
    principal = ApiPrincipal(key_id=token.key_id, owner=record.owner, role=record.role)
    request.state.principal = principal
    request.state.nonce = token.nonce
    request.state.csrf = session.csrf_token(keys.secret, token.nonce)
    return principal


Viewer = Annotated[ApiPrincipal, Depends(signed_in)]


def need(principal: ApiPrincipal, role: Role) -> None:
    if not principal.has_role(role):
        raise NotAllowed(role)


async def checked_form(request: Request, keys: Keys, nonce: str | None) -> FormData:
    """The request's form once its CSRF token (form field or X-CSRF-Token header) is right."""
    form = await request.form()
    presented = request.headers.get(session.CSRF_HEADER) or form.get(session.CSRF_FIELD)
    if not session.csrf_ok(keys.secret, nonce, presented if isinstance(presented, str)
                           else None):
        raise CsrfRefused()
    return form


def sign_in_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/console/login?next=" + quote(target, safe="")


def secure(request: Request, settings: ConsoleSettings) -> bool:
    if settings.secure_cookies == "auto":
        return request.url.scheme == "https"
    return settings.secure_cookies == "always"


class Shield:
    """ASGI middleware of the console app: security headers on every response, and a body cap
    (the console's forms are small) checked before the body is read."""

    def __init__(self, app: ASGIApp, keys: Keys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope["console_keys"] = self.keys
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        cap = self.keys.settings.max_body_bytes
        too_big = (length is not None and (not length.isdigit() or int(length) > cap)) or (
            length is None and b"transfer-encoding" in headers)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        if too_big:
            await with_headers({"type": "http.response.start", "status": 413,
                                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await with_headers({"type": "http.response.body",
                                "body": f"request body over {cap} bytes".encode()})
            return
        await self.app(scope, receive, with_headers)
