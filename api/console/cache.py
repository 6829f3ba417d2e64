"""A small time-to-live cache for the owner-independent part of Today: the page every analyst
opens first each morning reads the same graph aggregates, which change only when a crawl
ingests. Monotonic time bounds an entry's age (as api.auth.KeyCache does); 0 turns it off."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


class TtlCache:
    def __init__(self, ttl_s: float, size: int = 64) -> None:
        self.ttl = ttl_s
        self.size = size
        self._items: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self.ttl <= 0:
            return compute()
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = compute()
        with self._lock:
            if len(self._items) >= self.size:
                self._items = {k: v for k, v in self._items.items() if v[0] > now}
            self._items[key] = (now + self.ttl, value)
        return value
