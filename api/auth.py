"""API keys, roles and per-key rate limits.

A key is `tw_<id>_<secret>`; only sha256(secret) is stored, on an `ApiKey {id, owner, role,
name, hash, created_at, revoked}` node. A request presents it as `Authorization: Bearer <key>`
or `X-API-Key: <key>`. Roles are ordered `reader` < `analyst` < `admin` < `operator`. An
admin manages its own owner's keys only; the operator (who runs the service; the bootstrap
TOKENWATCH_ADMIN_KEY is one) is not owner-scoped and manages every owner's keys.

Use in routes:

    def handler(principal: Principal) -> ...           # any valid key (reader and up)
    def handler(principal: Analyst) -> ...             # analyst or admin, else 403
    @router.post(..., dependencies=[Depends(require_role("admin"))])

`principal.owner` is what owner-scoped resources (rules, webhooks, alerts) filter on.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Final, Literal, Protocol

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from neo4j import Driver

from api.deps import DriverDep, Neo4jSettingsDep, SettingsDep
from api.errors import ApiError
from graph import apikeys
from graph.access import Graph

Role = Literal["reader", "analyst", "admin", "operator"]
ROLES: Final[tuple[Role, ...]] = ("reader", "analyst", "admin", "operator")
_RANK: Final[dict[str, int]] = {role: i for i, role in enumerate(ROLES)}
_KEY_RE: Final = re.compile(r"^tw_([A-Za-z0-9]{6,64})_([A-Za-z0-9_-]{8,256})$")


class Unauthorized(ApiError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="tokenwatch"'})


class Forbidden(ApiError):
    status = 403
    title = "Forbidden"


class RateLimited(ApiError):
    status = 429
    title = "Too many requests"


@dataclass(frozen=True)
class ApiPrincipal:
    """Who is calling: the key's id, its owner and its role."""

    key_id: str
    owner: str
    role: Role

    def has_role(self, role: Role) -> bool:
        return _RANK[self.role] >= _RANK[role]

    @property
    def all_owners(self) -> bool:
        """The operator's keys are not owner-scoped (key management across owners)."""
        return self.role == "operator"

    def may_manage(self, owner: str, role: str | None = None) -> bool:
        """May this principal create/list/revoke a key of `owner` (with `role`)? Its own
        owner's keys, and never one ranked above itself; the operator: any key."""
        if self.all_owners:
            return True
        return owner == self.owner and (role is None or _RANK.get(role, 99) <= _RANK[self.role])


# --- keys (pure) ------------------------------------------------------------------------


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_key(key: str) -> tuple[str, str]:
    """(id, secret). A string not in the `tw_<id>_<secret>` format (e.g. a hand-picked
    TOKENWATCH_ADMIN_KEY) is its own secret, with an id derived from it."""
    match = _KEY_RE.match(key)
    if match:
        return match.group(1), match.group(2)
    return "x" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:15], key


def new_key() -> tuple[str, str, str]:
    """A fresh (key string, id, secret hash)."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"tw_{key_id}_{secret}", key_id, hash_secret(secret)


def issue_key(g: Graph, role: Role, owner: str, name: str = "") -> tuple[str, apikeys.ApiKey]:
    """Create a key; the key string is returned once and never stored."""
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    key, key_id, key_hash = new_key()
    return key, apikeys.create_key(g, key_id, owner, role, name, key_hash)


def ensure_admin_key(driver: Driver, key: str, database: str | None = None) -> str:
    """Make `key` a valid operator key of owner `admin` (idempotent); returns its id. The key
    in the service's own environment belongs to whoever runs it: it is not owner-scoped."""
    key_id, secret = parse_key(key)
    apikeys.ensure_key(Graph(driver, database, None), key_id, "admin", "operator",
                       "bootstrap (TOKENWATCH_ADMIN_KEY)", hash_secret(secret))
    return key_id


# --- rate limits and the key cache: in this process here, shared in api/shared.py ------


class Limiter(Protocol):
    def take(self, key_id: str) -> float: ...


class PrincipalCache(Protocol):
    def get(self, key_id: str, key_hash: str) -> ApiPrincipal | None: ...

    def put(self, key_id: str, key_hash: str, principal: ApiPrincipal) -> None: ...

    def drop(self, key_id: str) -> None: ...



class RateLimiter:
    """One token bucket per key, in memory (per process)."""

    def __init__(self, per_minute: float, burst: int | None = None) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(burst if burst is not None else max(1, math.ceil(per_minute)))
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> float:
        """0 when allowed, else the seconds to wait before a token is available."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, stamp = self._buckets.get(key_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - stamp) * self.rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / self.rate


class KeyCache:
    """Verified keys for a few seconds, so a request does not always cost a key lookup."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._items: dict[str, tuple[float, str, ApiPrincipal | None]] = {}
        self._lock = threading.Lock()

    def get(self, key_id: str, key_hash: str) -> ApiPrincipal | None:
        with self._lock:
            item = self._items.get(key_id)
        if item and item[0] > time.monotonic() and hmac.compare_digest(item[1], key_hash):
            return item[2]
        return None

    def put(self, key_id: str, key_hash: str, principal: ApiPrincipal) -> None:
        if self.ttl > 0:
            with self._lock:
                self._items[key_id] = (time.monotonic() + self.ttl, key_hash, principal)

    def drop(self, key_id: str) -> None:
        with self._lock:
            self._items.pop(key_id, None)


# --- dependencies -----------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer tw_<id>_<secret>`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the API key")


def _presented(bearer: HTTPAuthorizationCredentials | None, header: str | None) -> str | None:
    if bearer is not None and bearer.credentials:
        return bearer.credentials.strip()
    return header.strip() if header else None


def _verify(driver: Driver, key: str, database: str | None, timeout: float,
            cache: PrincipalCache, bootstrap: str | None) -> ApiPrincipal:
    key_id, secret = parse_key(key)
    key_hash = hash_secret(secret)
    cached = cache.get(key_id, key_hash)
    if cached is not None:
        return cached
    g = Graph(driver, database, timeout)
    record = apikeys.get_key(g, key_id)
    if record is None and bootstrap and hmac.compare_digest(key, bootstrap):
        # the configured admin key is re-ensured if the graph lost it (a wiped database)
        ensure_admin_key(driver, key, database)
        record = apikeys.get_key(g, key_id)
    if (record is None or record.revoked
            or not hmac.compare_digest(record.hash or "", key_hash)
            or record.role not in _RANK):
        raise Unauthorized("unknown or revoked API key")
    principal = ApiPrincipal(key_id=key_id, owner=record.owner, role=record.role)  # type: ignore[arg-type]
    cache.put(key_id, key_hash, principal)
    return principal


def authenticate(
    request: Request,
    driver: DriverDep,
    neo4j: Neo4jSettingsDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> ApiPrincipal:
    """401 without a valid key; 429 (with Retry-After) past the key's rate limit."""
    key = _presented(bearer, header)
    if not key:
        raise Unauthorized("an API key is required (Authorization: Bearer … or X-API-Key)")
    if len(key) > 400:
        raise Unauthorized("unknown or revoked API key")
    principal = _verify(driver, key, neo4j.database, settings.query_timeout_s,
                        request.app.state.key_cache, settings.admin_key)
    wait = request.app.state.rate_limiter.take(principal.key_id)
    if wait > 0:
        raise RateLimited(
            f"rate limit of {settings.rate_per_min:g} requests/minute exceeded for this key",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    request.state.principal = principal
    return principal


def require_role(role: Role) -> Callable[[ApiPrincipal], ApiPrincipal]:
    """A dependency: the caller's principal when its role is at least `role`, else 403."""
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}")

    def check(principal: Annotated[ApiPrincipal, Depends(authenticate)]) -> ApiPrincipal:
        if not principal.has_role(role):
            raise Forbidden(
                f"this operation needs the {role!r} role; the key has {principal.role!r}")
        return principal

    check.__name__ = f"require_{role}"
    return check


Principal = Annotated[ApiPrincipal, Depends(authenticate)]
Reader = Principal
Analyst = Annotated[ApiPrincipal, Depends(require_role("analyst"))]
Admin = Annotated[ApiPrincipal, Depends(require_role("admin"))]
Operator = Annotated[ApiPrincipal, Depends(require_role("operator"))]
