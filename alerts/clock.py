"""The clock seam: rules (cooldown, spike windows), the outbox, delivery retries and the
scheduler take a `Clock` instead of reading the wall clock, so tests set time instead of
sleeping. `utcnow` is the one place the wall clock is read; the edges pass it in."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]  # returns an aware datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to (tests, simulations, back-fills)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        """Move forward by timedelta keyword arguments (seconds=…, hours=…, days=…)."""
        with self._lock:
            self._now += timedelta(**delta)
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when

    def timestamp(self) -> float:
        """Epoch seconds of the current reading (for float-clock consumers such as leases)."""
        return self().timestamp()
