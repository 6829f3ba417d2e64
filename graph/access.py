"""Where and how long queries may run: one handle for every read and write above the driver.

A `Graph` is a driver, a database and a per-transaction server-side timeout. The API builds
one per request (api/deps.py `GraphDep`, with its query timeout); workers and commands build
one without a timeout. Functions of graph/ that callers above it use take a `Graph`, so
whoever holds one cannot run a query that escapes its timeout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction, Session, unit_of_work

Row = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Graph:
    driver: Driver
    database: str | None = None
    timeout: float | None = None  # seconds per transaction; None: the server's own limit

    def _timed(self, work: Callable[[ManagedTransaction], T]) -> Callable[..., T]:
        return unit_of_work(timeout=self.timeout)(work) if self.timeout else work

    def allowing(self, factor: float) -> Graph:
        """The same handle with `factor` times the timeout (for a known long write)."""
        return replace(self, timeout=self.timeout * factor if self.timeout else None)

    def _session(self, mode: str) -> Session:
        # the driver's own bookmarks: a read sees every write this process made before it,
        # also on a cluster's follower
        return self.driver.session(database=self.database, default_access_mode=mode,
                                   bookmark_manager=self.driver.execute_query_bookmark_manager)

    def tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run `work` in one read transaction (routed to readers in a cluster)."""
        with self._session("READ") as s:
            return s.execute_read(self._timed(work))

    def write(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run `work` in one write transaction."""
        with self._session("WRITE") as s:
            return s.execute_write(self._timed(work))

    def rows(self, query: str, **params: Any) -> list[Row]:
        """A read query's records as rows (for the graph package's own read models)."""
        return self.tx(lambda tx: tx.run(query, params).data())

    def write_rows(self, query: str, **params: Any) -> list[Row]:
        return self.write(lambda tx: tx.run(query, params).data())
