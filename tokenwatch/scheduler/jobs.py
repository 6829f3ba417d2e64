"""What the job store holds: crawl jobs declared by sources, and jobs of scheduled rule kinds.

Stored jobs name their function by reference (`tokenwatch.scheduler.jobs:run_crawl_job`) and
carry only plain arguments; the live objects (`CrawlRuntime`) are looked up by store URL."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from api.scheduling import RunTrigger
from crawlers.registry import SourceConfig
from tokenwatch.scheduler.adaptive import AdaptiveBounds
from tokenwatch.scheduler.supervise import CrawlRuntime

log = logging.getLogger(__name__)

CRAWL_PREFIX = "crawl:"
CATCHUP_PREFIX = "catchup:"
MANUAL_PREFIX = "manual:"
_RUNTIMES: dict[str, CrawlRuntime] = {}


def run_crawl_job(source_id: str, runtime: str, trigger: RunTrigger = "schedule",
                  **_: Any) -> None:
    """The crawl job function (referenced by name in the store; live objects are looked up)."""
    rt = _RUNTIMES.get(runtime)
    if rt is None:
        log.error("no runtime %r for the crawl of %s", runtime, source_id)
        return
    rt.run(source_id, trigger)


def run_registered_job(runtime: str, job_id: str) -> None:
    """The job function of every registered kind (tokenwatch/scheduler/kinds.py)."""
    rt = _RUNTIMES.get(runtime)
    job = rt.jobs.get(job_id) if rt is not None else None
    if job is None:
        log.error("no registered job %r in runtime %r", job_id, runtime)
        return
    job()


def run_spike_job(runtime: str) -> None:
    """Kept for job stores written before the registry: the spike job's old reference."""
    run_registered_job(runtime, "alerts:spikes")


@dataclass(frozen=True)
class JobSpec:
    """A source's declared crawl schedule; `adaptive` set: the interval follows the source's
    publishing rate after each poll (tokenwatch/scheduler/adaptive.py)."""

    source_id: str
    interval_s: float | None = None
    cron: str | None = None
    adaptive: AdaptiveBounds | None = None

    def trigger(self) -> BaseTrigger:
        if self.cron:
            return CronTrigger.from_crontab(self.cron, timezone=UTC)
        start = self.interval_s or 3600.0
        if self.adaptive is not None:
            start = self.adaptive.clamp(start)
        return IntervalTrigger(seconds=start, timezone=UTC)

    def signature(self) -> str:
        if self.cron:
            return f"cron={self.cron}"
        fixed = f"interval={self.interval_s or 3600.0:g}"
        if self.adaptive is None:
            return fixed
        a = self.adaptive
        return f"{fixed} adaptive={a.floor_s:g}..{a.ceiling_s:g} cost={a.poll_cost_s:g}"


def adaptive_bounds(source: SourceConfig) -> AdaptiveBounds | None:
    """The registry's limits for an adaptive interval source: the floor is the larger of
    `adaptive.min_minutes` and the site's `politeness.min_poll_minutes`."""
    sched, adaptive = source.schedule, source.schedule.adaptive
    if adaptive is None or sched.cron:
        return None
    polite = source.politeness.min_poll_minutes or 0.0
    floor = max(adaptive.min_minutes, polite) * 60.0
    return AdaptiveBounds(
        start_s=float(sched.interval_minutes or 60) * 60.0,
        floor_s=floor,
        ceiling_s=max(adaptive.max_minutes * 60.0, floor),
        poll_cost_s=adaptive.poll_cost_minutes * 60.0,
    )


def spec_from_source(source: SourceConfig) -> JobSpec:
    sched = source.schedule
    if sched.cron:
        return JobSpec(source.id, cron=sched.cron)
    interval = float(sched.interval_minutes or 60) * 60.0
    polite = (source.politeness.min_poll_minutes or 0.0) * 60.0
    return JobSpec(source.id, interval_s=max(interval, polite), adaptive=adaptive_bounds(source))


@dataclass(frozen=True)
class TriggerView:
    interval_minutes: float | None = None
    cron: str | None = None


def describe_trigger(trigger: BaseTrigger) -> TriggerView:
    if isinstance(trigger, IntervalTrigger):
        return TriggerView(interval_minutes=trigger.interval.total_seconds() / 60.0)
    if isinstance(trigger, CronTrigger):
        fields = {f.name: str(f) for f in trigger.fields}
        return TriggerView(
            cron=" ".join(fields[k] for k in ("minute", "hour", "day", "month", "day_of_week"))
        )
    return TriggerView()
