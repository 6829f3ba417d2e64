"""The run history: every start, skip, miss and outcome of a scheduled crawl, as typed rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Engine, delete, insert, select, update

from alerts.clock import Clock, utcnow
from api.scheduling import RunTrigger, ScheduledRun, ScheduledRunState
from tokenwatch.scheduler.store import RUNS_T


class RunLog:
    def __init__(self, engine: Engine, keep: int = 200, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.keep = keep
        self.clock = clock

    def add(
        self,
        source_id: str,
        trigger: RunTrigger,
        status: ScheduledRunState,
        scheduled_at: datetime | None = None,
        detail: str | None = None,
    ) -> int:
        now = self.clock()
        with self.engine.begin() as conn:
            res = conn.execute(
                insert(RUNS_T).values(
                    source_id=source_id,
                    trigger=trigger,
                    status=status,
                    scheduled_at=scheduled_at,
                    started_at=now if status == "running" else None,
                    ended_at=None if status == "running" else now,
                    detail=detail,
                )
            )
            run_id = int(res.inserted_primary_key[0])  # type: ignore[index]
            oldest_kept = conn.execute(
                select(RUNS_T.c.id)
                .where(RUNS_T.c.source_id == source_id)
                .order_by(RUNS_T.c.id.desc())
                .offset(self.keep - 1)
                .limit(1)
            ).scalar()
            if oldest_kept is not None:
                conn.execute(
                    delete(RUNS_T)
                    .where(RUNS_T.c.source_id == source_id)
                    .where(RUNS_T.c.id < oldest_kept)
                )
        return run_id

    def finish(
        self, run_id: int, status: ScheduledRunState, exit_code: int | None, detail: str | None
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(RUNS_T)
                .where(RUNS_T.c.id == run_id)
                .values(
                    status=status,
                    exit_code=exit_code,
                    detail=(detail or "")[:500] or None,
                    ended_at=self.clock(),
                )
            )

    def list(self, source_id: str | None = None, limit: int = 50) -> list[ScheduledRun]:
        """Newest first."""
        q = select(RUNS_T).order_by(RUNS_T.c.id.desc()).limit(limit)
        if source_id is not None:
            q = q.where(RUNS_T.c.source_id == source_id)
        with self.engine.connect() as conn:
            return [_run(dict(r._mapping)) for r in conn.execute(q)]


def _aware(value: datetime | None) -> datetime | None:
    """SQLite drops the zone of a stored time; every stored time is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _run(row: dict[str, Any]) -> ScheduledRun:
    return ScheduledRun(
        id=int(row["id"]),
        source_id=row["source_id"],
        trigger=cast(RunTrigger, row["trigger"]),
        status=cast(ScheduledRunState, row["status"]),
        scheduled_at=_aware(row["scheduled_at"]),
        started_at=_aware(row["started_at"]),
        ended_at=_aware(row["ended_at"]),
        exit_code=row["exit_code"],
        detail=row["detail"],
    )
