"""API state shared by every replica through Redis (`TOKENWATCH_REDIS_URL`): per-key rate
limits and the verified-key cache with its revocations.

Without a Redis URL the API keeps both in its own process (api/auth.py `RateLimiter`,
`KeyCache`), as the single-machine service always did. With one:

- the rate limit is one token bucket per key in Redis, taken atomically by a Lua script that
  reads the server's clock, so N replicas together allow what one would (a client's limit is
  global, and replicas' clocks do not matter);
- a verified key is cached in Redis for `key_cache_s`; a revocation deletes the entry and
  leaves a tombstone for a minute that refuses re-caching, so a replica that read the key
  just before it was revoked cannot put it back. Every replica reads the cache on each
  request: a revoked key is refused by all of them as soon as the revoke returns.

A Redis that does not answer is a 503 (problem+json), never a request let through unchecked.
"""

from __future__ import annotations

import hmac
import math
from typing import Final, cast

import redis

from api.auth import ROLES, ApiPrincipal, KeyCache, Limiter, PrincipalCache, RateLimiter, Role
from api.errors import ApiError
from api.settings import ApiSettings

PREFIX: Final = "tw:api:"
TOMBSTONE_MS: Final = 60_000  # longer than any key lookup can take

# KEYS[1] bucket; ARGV: rate (tokens per ms), capacity. Returns the wait in ms ("0": allowed),
# as a string because Redis turns a Lua number into an integer.
_TAKE: Final = """
local rate = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or cap
local ts = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate) + 1000)
return tostring(wait)
"""

# KEYS[1] entry, KEYS[2] tombstone; ARGV: ttl ms, hash, owner, role. Caches unless revoked.
_PUT: Final = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'hash', ARGV[2], 'owner', ARGV[3], 'role', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
"""


class SharedStateUnavailable(ApiError):
    status = 503
    title = "Shared state unavailable"


def _unavailable(exc: redis.RedisError) -> SharedStateUnavailable:
    return SharedStateUnavailable(f"the shared rate-limit and key store (Redis) did not answer: "
                                  f"{type(exc).__name__}; try again shortly")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisRateLimiter:
    """One token bucket per key in Redis: the same contract as `RateLimiter.take`."""

    def __init__(self, client: redis.Redis, per_minute: float, burst: int | None = None) -> None:
        self.client = client
        self.rate_ms = per_minute / 60_000.0
        self.capacity = float(burst if burst is not None else max(1, math.ceil(per_minute)))
        self._take = client.register_script(_TAKE)

    def take(self, key_id: str) -> float:
        """0 when allowed, else the seconds to wait before a token is available."""
        if self.rate_ms <= 0:
            return 0.0
        try:
            wait_ms = self._take(keys=[f"{PREFIX}rl:{key_id}"], args=[self.rate_ms, self.capacity])
        except redis.RedisError as exc:
            raise _unavailable(exc) from exc
        return float(wait_ms) / 1000.0


class RedisKeyCache:
    """Verified keys in Redis for `ttl` seconds: the same contract as `KeyCache`."""

    def __init__(self, client: redis.Redis, ttl: float) -> None:
        self.client = client
        self.ttl_ms = int(ttl * 1000)
        self._put = client.register_script(_PUT)

    def get(self, key_id: str, key_hash: str) -> ApiPrincipal | None:
        if self.ttl_ms <= 0:
            return None
        try:
            raw = self.client.hgetall(f"{PREFIX}key:{key_id}")
        except redis.RedisError as exc:
            raise _unavailable(exc) from exc
        item = {_text(k): _text(v) for k, v in raw.items()}
        stored, role, owner = item.get("hash", ""), item.get("role", ""), item.get("owner", "")
        if not stored or role not in ROLES or not hmac.compare_digest(stored, key_hash):
            return None
        return ApiPrincipal(key_id=key_id, owner=owner, role=cast(Role, role))

    def put(self, key_id: str, key_hash: str, principal: ApiPrincipal) -> None:
        if self.ttl_ms <= 0:
            return
        try:
            self._put(keys=[f"{PREFIX}key:{key_id}", f"{PREFIX}revoked:{key_id}"],
                      args=[self.ttl_ms, key_hash, principal.owner, principal.role])
        except redis.RedisError as exc:
            raise _unavailable(exc) from exc

    def drop(self, key_id: str) -> None:
        """A revocation: every replica stops trusting the cached key now."""
        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.set(f"{PREFIX}revoked:{key_id}", b"1", px=TOMBSTONE_MS)
            pipe.delete(f"{PREFIX}key:{key_id}")
            pipe.execute()
        except redis.RedisError as exc:
            raise _unavailable(exc) from exc


def connect(url: str) -> redis.Redis:
    """A client (connections are opened on first use); short timeouts, so a lost Redis is a
    prompt 503 rather than a hung request."""
    client: redis.Redis = redis.Redis.from_url(url, socket_timeout=2.0,
                                               socket_connect_timeout=2.0,
                                               health_check_interval=30)
    return client


def shared_state(api: ApiSettings, client: redis.Redis | None = None
                 ) -> tuple[PrincipalCache, Limiter, redis.Redis | None]:
    """(key cache, rate limiter, the Redis client or None): in Redis when the settings name
    one, else in this process."""
    if client is None and api.redis_url:
        client = connect(api.redis_url)
    if client is None:
        return KeyCache(api.key_cache_s), RateLimiter(api.rate_per_min, api.rate_burst), None
    return (RedisKeyCache(client, api.key_cache_s),
            RedisRateLimiter(client, api.rate_per_min, api.rate_burst), client)
