"""The retry schedule and how a receiver's answer is judged (pure)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from crawlers.retry_after import retry_after_seconds

# Standard Webhooks: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h
SCHEDULE_S: Final = (0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 50400.0, 72000.0,
                     86400.0)


def next_delay(attempts_done: int, scale: float = 1.0, jitter: float = 0.2,
               rng: random.Random | None = None) -> float | None:
    """Seconds to wait before the next attempt after `attempts_done` attempts, or None when
    the schedule is exhausted. Jitter spreads retries of a burst over ±`jitter`."""
    if attempts_done >= len(SCHEDULE_S):
        return None
    base = SCHEDULE_S[attempts_done] * scale
    if base == 0 or jitter == 0:
        return base
    factor = (rng or random).uniform(1.0 - jitter, 1.0 + jitter)
    return base * factor


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent/invalid.
    `now` defaults to the current time (judge() has no reference time of its own)."""
    return retry_after_seconds(value, now or datetime.now(UTC))


@dataclass(frozen=True)
class Outcome:
    """One attempt's result."""

    ok: bool
    status_code: int | None = None
    error: str | None = None
    retry_after_s: float | None = None
    gone: bool = False  # 410: the receiver asked us to stop; the endpoint is disabled
    permanent: bool = False  # retrying cannot help (e.g. refused by the SSRF guard): fail now
    duration_ms: float = 0.0


def judge(status_code: int, retry_after: str | None = None,
          duration_ms: float = 0.0) -> Outcome:
    """Only 2xx is success; 3xx is a failure (redirects are not followed); 410 disables."""
    if 200 <= status_code < 300:
        return Outcome(ok=True, status_code=status_code, duration_ms=duration_ms)
    if status_code == 410:
        return Outcome(ok=False, status_code=410, error="410 Gone: endpoint disabled",
                       gone=True, duration_ms=duration_ms)
    error = (f"redirect {status_code} not followed" if 300 <= status_code < 400
             else f"HTTP {status_code}")
    return Outcome(ok=False, status_code=status_code, error=error,
                   retry_after_s=parse_retry_after(retry_after), duration_ms=duration_ms)


def retry_delay(outcome: Outcome, attempts_done: int, scale: float, jitter: float,
                max_retry_after_s: float, rng: random.Random | None = None) -> float | None:
    """Delay before the next attempt, honouring Retry-After (capped), or None to give up."""
    if outcome.ok or outcome.gone or outcome.permanent:
        return None
    delay = next_delay(attempts_done, scale, jitter, rng)
    if delay is None:
        return None
    if outcome.retry_after_s is not None:
        delay = max(delay, min(outcome.retry_after_s, max_retry_after_s))
    return delay
