"""The leader lease: one row in the scheduler's database elects the scheduler that runs jobs."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from tokenwatch.scheduler.store import LEASE_T


class Lease:
    """A named lease row: held by one holder until `expires_at`; renewed by heartbeats.
    Acquisition is one conditional UPDATE (or INSERT), atomic in any SQL database."""

    def __init__(
        self,
        engine: Engine,
        holder: str,
        ttl_s: float,
        name: str = "crawl-scheduler",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine, self.holder, self.ttl_s = engine, holder, ttl_s
        self.name, self.clock = name, clock

    def acquire(self) -> bool:
        """Take or renew the lease; False while another holder's lease is unexpired."""
        now = self.clock()
        values = {"holder": self.holder, "expires_at": now + self.ttl_s, "heartbeat_at": now}
        with self.engine.begin() as conn:
            res = conn.execute(
                update(LEASE_T)
                .where(LEASE_T.c.name == self.name)
                .where((LEASE_T.c.holder == self.holder) | (LEASE_T.c.expires_at < now))
                .values(**values)
            )
            if res.rowcount == 1:
                return True
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(LEASE_T).values(name=self.name, **values))
            return True
        except IntegrityError:
            return False

    def release(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(LEASE_T)
                .where(LEASE_T.c.name == self.name)
                .where(LEASE_T.c.holder == self.holder)
                .values(expires_at=0.0)
            )

    def holder_now(self) -> str | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(LEASE_T.c.holder, LEASE_T.c.expires_at).where(LEASE_T.c.name == self.name)
            ).first()
        return row.holder if row is not None and row.expires_at >= self.clock() else None
