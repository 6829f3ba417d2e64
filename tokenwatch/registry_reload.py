"""Live registry changes for `tokenwatch up`: when the local overlay file changes, the merged
registry is validated again, new sources are written to the graph and the scheduler's jobs
follow (added, removed, rescheduled), without a restart. A bad overlay is logged with its
entry and path and the running registry is kept."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from crawlers.errors import RegistryError
from crawlers.overlay import load_registry, mtime
from crawlers.registry import SourceConfig

log = logging.getLogger(__name__)


class RegistryWatcher:
    """Polls the overlay's mtime every `interval_s`; `check()` does one poll (tests)."""

    def __init__(self, base: Path | None, overlay: Path, interval_s: float,
                 on_change: Callable[[Sequence[SourceConfig]], None]) -> None:
        self.base = base
        self.overlay = overlay
        self.interval_s = interval_s
        self.on_change = on_change
        self._seen = mtime(overlay)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> bool:
        """Reload when the overlay changed since the last look; True when it was applied."""
        now = mtime(self.overlay)
        if now == self._seen:
            return False
        self._seen = now
        try:
            sources = load_registry(self.base, self.overlay)
        except RegistryError as exc:
            log.error("registry overlay not applied, keeping the running registry: %s", exc)
            return False
        self.on_change(sources)
        log.info("registry reloaded from %s: %d enabled sources", self.overlay,
                 sum(s.enabled for s in sources))
        return True

    def start(self) -> RegistryWatcher:
        self._thread = threading.Thread(target=self._loop, name="registry-watch", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.check()
            except Exception:
                log.exception("registry reload failed")

    def stop(self) -> None:
        self._stop.set()
