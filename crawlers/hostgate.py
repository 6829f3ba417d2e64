"""Per-host politeness shared by every crawl worker: the HostGate of crawlers/middlewares.py
kept in Redis, so one host's delay holds across N worker processes instead of being
multiplied by N.

Per host there is one hash (`last`: when the last answer came back, `held`: the end of a
Retry-After hold) and one sorted set of the requests still out (a token each, scored by
when its claim lapses, so a killed worker's claim frees the host after `lease_s`). Taking
the host is one Lua script: with a delay, it succeeds only when nothing is out and the
spacing has passed since the last answer, and then records the claim, all atomically; two
workers can never both take the host. Times are the Redis server's clock (`TIME`), the
one clock every worker shares; a `clock` may be passed instead (unit tests drive it).

The calls are synchronous and short (one round trip on a local network), made from the
reactor thread like scrapy-redis's own scheduler calls.
"""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any, Final

KEY_PREFIX: Final = "tokenwatch:hostgate"

# ARGV[1] now (negative: the server's TIME). Scripts return strings: Redis truncates Lua
# numbers to integers on the way out.
_NOW = """
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
"""

# KEYS: state hash, out zset. ARGV: now, spacing, margin, token, lease, poll, ttl, holds
# ("1": a Retry-After hold applies). Returns "0" when taken, else the seconds to wait.
TAKE: Final = _NOW + """
local spacing = tonumber(ARGV[2])
local margin = tonumber(ARGV[3])
local held = tonumber(redis.call('HGET', KEYS[1], 'held') or '0')
if ARGV[8] == '1' and held > now then return tostring(held - now) end
if spacing > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) > 0 then return ARGV[6] end
  local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '')
  if last and now < last + spacing + margin then
    return tostring(last + spacing + margin - now)
  end
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[4])
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[7]))
end
redis.call('HSET', KEYS[1], 'sent', tostring(now))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[7]))
return '0'
"""

# KEYS: state hash, out zset. ARGV: now, token, ttl.
ANSWERED: Final = _NOW + """
redis.call('ZREM', KEYS[2], ARGV[2])
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if now > last then redis.call('HSET', KEYS[1], 'last', tostring(now)) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return '0'
"""

# KEYS: state hash. ARGV: now, seconds, ttl.
HOLD: Final = _NOW + """
local until_ = now + tonumber(ARGV[2])
local held = tonumber(redis.call('HGET', KEYS[1], 'held') or '0')
if until_ > held then redis.call('HSET', KEYS[1], 'held', tostring(until_)) end
redis.call('EXPIRE', KEYS[1], math.max(tonumber(ARGV[3]), math.ceil(tonumber(ARGV[2])) + 60))
return '0'
"""

# KEYS: state hash. ARGV: now. Returns the seconds left of a hold.
REMAINING: Final = _NOW + """
local held = tonumber(redis.call('HGET', KEYS[1], 'held') or '0')
if held > now then return tostring(held - now) end
return '0'
"""


class RedisHostGate:
    """The HostGate interface (`take`, `answered`, `hold`, `remaining`, `interval`) on Redis.
    `interval` (Crawl-delay per host) stays per process: every worker reads robots.txt and
    gets the same values."""

    def __init__(self, client: Any, *, prefix: str = KEY_PREFIX, lease_s: float = 60.0,
                 poll_s: float = 0.02, margin_s: float = 0.02, ttl_s: int = 86_400,
                 clock: Callable[[], float] | None = None) -> None:
        self.client = client
        self.prefix = prefix
        self.lease_s = lease_s
        self.poll_s = poll_s
        self.margin_s = margin_s
        self.ttl_s = ttl_s
        self.clock = clock
        self.interval: dict[str, float] = {}
        self._worker = uuid.uuid4().hex[:12]
        self._serial = itertools.count()
        self._tokens: defaultdict[str, deque[str]] = defaultdict(deque)
        self._take = client.register_script(TAKE)
        self._answered = client.register_script(ANSWERED)
        self._hold = client.register_script(HOLD)
        self._remaining = client.register_script(REMAINING)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisHostGate:
        import redis

        return cls(redis.Redis.from_url(url), **kwargs)

    def _keys(self, host: str) -> list[str]:
        return [f"{self.prefix}:{host}", f"{self.prefix}:{host}:out"]

    def _now(self) -> float:
        return self.clock() if self.clock is not None else -1.0

    def take(self, host: str, delay: float, now: float = 0.0, *, holds: bool = True) -> float:
        """Claim `host` for one request: 0.0 when claimed (send it now), else the seconds to
        wait before asking again; `holds=False` (robots.txt) is spaced but not held. `now`
        (the caller's monotonic clock) is not used: every worker must count on one clock,
        the server's (or the injected `clock`)."""
        spacing = max(self.interval.get(host, 0.0), delay)
        token = f"{self._worker}:{next(self._serial)}"
        wait = float(self._take(keys=self._keys(host), args=[
            self._now(), spacing, self.margin_s, token, self.lease_s, self.poll_s, self.ttl_s,
            "1" if holds else "0"]))
        if wait <= 0 and spacing > 0:
            self._tokens[host].append(token)
        return wait

    def answered(self, host: str, now: float = 0.0) -> None:
        """The request sent to `host` got its answer or failed: the spacing counts from now."""
        tokens = self._tokens.get(host)
        token = tokens.popleft() if tokens else ""
        self._answered(keys=self._keys(host), args=[self._now(), token, self.ttl_s])

    def hold(self, host: str, seconds: float) -> None:
        """No worker sends `host` a request in the next `seconds` (Retry-After)."""
        self._hold(keys=self._keys(host)[:1], args=[self._now(), seconds, self.ttl_s])

    def remaining(self, host: str) -> float:
        return float(self._remaining(keys=self._keys(host)[:1], args=[self._now()]))

    def spacing_left(self, host: str, delay: float, now: float) -> float:
        """The shared spacing is checked by `take`, atomically; nothing to wait for here."""
        return 0.0
