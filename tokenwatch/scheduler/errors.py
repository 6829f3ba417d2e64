"""The scheduler's errors: tokenwatch errors that are also the API port's (api/scheduling.py),
so the schedules routes map them without importing tokenwatch/."""

from __future__ import annotations

from api import scheduling
from tokenwatch.errors import TokenwatchError


class SchedulerError(TokenwatchError, scheduling.SchedulingError):
    """Base of the scheduler's errors."""


class NotLeader(SchedulerError, scheduling.NotLeader):
    """This scheduler is in standby: another process holds the lease on the job store."""


class UnknownSchedule(SchedulerError, scheduling.UnknownSchedule):
    """No job for that source."""


class AlreadyRunning(SchedulerError, scheduling.AlreadyRunning):
    """The source's crawl is running now."""
