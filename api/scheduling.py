"""What the API needs of a crawl scheduler: a protocol, its typed read models and its errors.

The API depends on this interface only; the composition root (`tokenwatch/`) hands in the
implementation (`tokenwatch.scheduler.CrawlScheduler`), so the API never imports the scheduler."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

ScheduledRunState = Literal["running", "ok", "failed", "timeout", "skipped", "missed"]
RunTrigger = Literal["schedule", "catchup", "manual"]


class SchedulingError(Exception):
    """Base of what a scheduler raises to its callers."""


class UnknownSchedule(SchedulingError):
    """No job for that source."""


class AlreadyRunning(SchedulingError):
    """The source's crawl is running now."""


class NotLeader(SchedulingError):
    """This scheduler is in standby: another process holds the lease on the job store."""


@dataclass(frozen=True)
class Schedule:
    """One crawl job as the scheduler sees it now."""

    source_id: str
    job_id: str
    paused: bool
    running: bool
    next_run_at: datetime | None = None
    interval_minutes: float | None = None
    cron: str | None = None


@dataclass(frozen=True)
class ScheduledRun:
    """One row of the scheduler's run history (times are aware UTC datetimes)."""

    id: int
    source_id: str
    trigger: RunTrigger
    status: ScheduledRunState
    scheduled_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    exit_code: int | None = None
    detail: str | None = None


class CrawlSchedules(Protocol):
    """The scheduler operations the schedules routes call."""

    @property
    def is_leader(self) -> bool: ...

    def leased_by(self) -> str | None: ...

    @property
    def running_crawls(self) -> int: ...

    def schedules(self) -> Sequence[Schedule]: ...

    def get(self, source_id: str) -> Schedule: ...

    def reschedule(self, source_id: str, interval_minutes: float | None = None,
                   cron: str | None = None) -> Schedule: ...

    def pause(self, source_id: str) -> Schedule: ...

    def resume(self, source_id: str) -> Schedule: ...

    def trigger_now(self, source_id: str) -> None: ...

    def runs(self, source_id: str, limit: int = 50) -> Sequence[ScheduledRun]: ...
