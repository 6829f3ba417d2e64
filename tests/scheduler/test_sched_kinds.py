"""Scheduled rule kinds: registered once, they become jobs of the leading scheduler."""

from __future__ import annotations

import threading
from datetime import UTC

from apscheduler.triggers.interval import IntervalTrigger

from alerts.settings import AlertSettings
from tests.scheduler.conftest import fake_crawl
from tokenwatch.scheduler import (
    SCHEDULED_KINDS,
    CrawlRuntime,
    CrawlScheduler,
    JobSpec,
    RunLog,
    ScheduledJob,
    ScheduledKind,
    SchedulerSettings,
    open_engine,
    scheduled_jobs,
)


class Evaluator:
    """Stands in for AlertEvaluator: a kind only needs its bound method."""

    def __init__(self) -> None:
        self.spikes = threading.Event()

    def run_spikes(self) -> None:
        self.spikes.set()


def test_the_spike_rules_are_the_first_registered_kind() -> None:
    ev = Evaluator()
    [job] = scheduled_jobs(ev, AlertSettings(spike_interval_s=60))  # type: ignore[arg-type]
    assert job.job_id == "alerts:spikes" and job.run == ev.run_spikes
    assert "alerts:spikes" in {k.job_id for k in SCHEDULED_KINDS}


def test_a_kind_without_a_trigger_is_not_scheduled() -> None:
    off = ScheduledKind("alerts:never", "never", lambda s: None, lambda ev: ev.run_spikes)
    assert scheduled_jobs(Evaluator(), AlertSettings(), [off]) == []  # type: ignore[arg-type]


def scheduler(store_url: str, jobs: list[ScheduledJob]) -> CrawlScheduler:
    runtime = CrawlRuntime(runlog=RunLog(open_engine(store_url)), timeout_s=30,
                           command=fake_crawl())
    return CrawlScheduler(store_url, [JobSpec("gov-cn", interval_s=3600)], runtime,
                          SchedulerSettings(lease_ttl_s=5), jobs).start()


def test_a_registered_job_runs_and_a_dropped_kind_leaves_the_store(store_url: str) -> None:
    fired = threading.Event()
    job = ScheduledJob("alerts:test", "test kind", IntervalTrigger(seconds=0.2, timezone=UTC),
                       fired.set)
    first = scheduler(store_url, [job])
    try:
        assert fired.wait(20), "the registered job never ran"
        assert first._require().get_job("alerts:test") is not None
    finally:
        first.shutdown()
    second = scheduler(store_url, [])  # the kind is gone from the registry
    try:
        ids = {j.id for j in second._require().get_jobs()}
        assert ids == {"crawl:gov-cn"}
    finally:
        second.shutdown()
