"""The crawl scheduler: persistent store, one leader per store, misfires, skips, limits."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from alerts.clock import ManualClock
from tests.scheduler.conftest import fake_crawl
from tokenwatch.scheduler import (
    CATCHUP_PREFIX,
    AlreadyRunning,
    CrawlRuntime,
    CrawlScheduler,
    JobSpec,
    Lease,
    NotLeader,
    RunLog,
    SchedulerSettings,
    UnknownSchedule,
    open_engine,
    run_subprocess,
)

HOUR = JobSpec("gov-cn", interval_s=3600)


def wait_until(pred: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return False


def statuses(s: CrawlScheduler, source: str = "gov-cn") -> list[tuple[str, str]]:
    return [(r.trigger, r.status) for r in reversed(s.runs(source))]


def test_jobs_persist_with_explicit_ids_and_are_replaced_on_restart(make_scheduler) -> None:
    a = make_scheduler([HOUR, JobSpec("miit", cron="*/30 * * * *")])
    assert [j.source_id for j in a.schedules()] == ["gov-cn", "miit"]
    a.pause("miit")
    a.reschedule("gov-cn", interval_minutes=15)
    a.shutdown()
    b = make_scheduler([HOUR, JobSpec("miit", cron="*/30 * * * *"), JobSpec("cac", interval_s=60)])
    jobs = {j.source_id: j for j in b.schedules()}
    assert sorted(jobs) == ["cac", "gov-cn", "miit"]  # no duplicates, new source added
    assert jobs["gov-cn"].interval_minutes == 15  # the API change survived the restart
    assert jobs["miit"].paused and jobs["miit"].cron == "*/30 * * * *"
    b.shutdown()
    c = make_scheduler([JobSpec("gov-cn", interval_s=7200)])  # declared schedule changed
    [job] = c.schedules()
    assert job.source_id == "gov-cn" and job.interval_minutes == 120


def test_a_second_scheduler_on_the_same_store_refuses_to_run(make_scheduler) -> None:
    a = make_scheduler([HOUR], command=fake_crawl(0.0))
    b = make_scheduler([HOUR], command=fake_crawl(0.0))
    assert a.is_leader and not b.is_leader
    with pytest.raises(NotLeader):
        b.schedules()
    with pytest.raises(NotLeader):
        b.trigger_now("gov-cn")
    time.sleep(0.5)  # several heartbeats: b stays in standby while a renews
    assert not b.is_leader
    a.shutdown()  # releases the lease: b takes over at its next heartbeat
    assert wait_until(lambda: b.is_leader, 5)
    b.trigger_now("gov-cn")
    assert wait_until(lambda: ("manual", "ok") in statuses(b))


def test_an_expired_lease_is_taken_over(store_url: str) -> None:
    engine = open_engine(store_url)
    clock = [1000.0]
    crashed = Lease(engine, "crashed", ttl_s=30, clock=lambda: clock[0])
    other = Lease(engine, "other", ttl_s=30, clock=lambda: clock[0])
    assert crashed.acquire() and not other.acquire()
    assert crashed.acquire()  # renewal
    clock[0] += 31  # no heartbeat for longer than the ttl
    assert other.acquire() and not crashed.acquire()


def test_after_an_outage_each_job_runs_exactly_once_and_the_miss_is_recorded(
        make_scheduler) -> None:
    specs = [HOUR, JobSpec("miit", interval_s=3600)]
    a = make_scheduler(specs)
    a._sched.pause()  # simulate the outage: fire times pass while nobody runs
    for spec in specs:
        a._sched.modify_job("crawl:" + spec.source_id,
                            next_run_time=datetime.now(UTC) - timedelta(hours=5, minutes=30))
    a.shutdown()
    b = make_scheduler(specs)
    for source in ("gov-cn", "miit"):
        assert wait_until(lambda s=source: ("catchup", "ok") in statuses(b, s))
    time.sleep(0.3)
    for source in ("gov-cn", "miit"):
        assert statuses(b, source) == [("schedule", "missed"), ("catchup", "ok")]
    assert all(j.next_run_at > datetime.now(UTC) for j in b.schedules())
    assert b._sched.get_job(CATCHUP_PREFIX + "gov-cn") is None  # one-off, gone


def test_a_crawl_still_running_is_not_started_twice(make_scheduler) -> None:
    s = make_scheduler([JobSpec("gov-cn", interval_s=0.3)], command=fake_crawl(1.2))
    assert wait_until(lambda: ("schedule", "skipped") in statuses(s), 10)
    with pytest.raises(AlreadyRunning):
        if "gov-cn" not in s.runtime.running:
            assert wait_until(lambda: "gov-cn" in s.runtime.running, 5)
        s.trigger_now("gov-cn")
    s.pause("gov-cn")
    assert wait_until(lambda: not s.runtime.running, 5)
    runs = [r for r in s.runs("gov-cn") if r.status != "skipped" and r.started_at]
    spans = sorted((r.started_at, r.ended_at) for r in runs)
    for (_, end1), (start2, _) in itertools.pairwise(spans):
        assert start2 >= end1  # never two crawls of one source at once


def test_crawls_are_subprocesses_with_a_time_limit(make_scheduler) -> None:
    s = make_scheduler([HOUR], command=fake_crawl(30), timeout_s=0.5)
    s.trigger_now("gov-cn")
    assert wait_until(lambda: ("manual", "timeout") in statuses(s), 10)
    assert "killed after 0.5s" in s.runs("gov-cn")[0].detail
    crash = make_scheduler([JobSpec("miit", interval_s=3600)], command=fake_crawl(0, 3),
                           start=False)
    assert crash.runtime.run("miit", "manual") == "failed"
    [run] = crash.runs("miit")
    assert run.exit_code == 3 and "crawl miit" in run.detail


def test_run_subprocess_kills_the_whole_process_group() -> None:
    import sys

    prog = ("import subprocess, sys, time; "
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
            "time.sleep(60)")
    status, code, detail = run_subprocess([sys.executable, "-c", prog], 0.5, {})
    assert status == "timeout" and code is None and "0.5" in (detail or "")


def test_unknown_sources_and_bad_crons_are_rejected(make_scheduler) -> None:
    s = make_scheduler([HOUR])
    with pytest.raises(UnknownSchedule):
        s.pause("nope")
    with pytest.raises(ValueError):
        s.reschedule("gov-cn", cron="every tuesday")
    assert s.reschedule("gov-cn", cron="0 8 * * 1-5").cron == "0 8 * * 1-5"


def test_run_history_is_bounded_per_source(store_url: str) -> None:
    from tokenwatch.scheduler import RunLog

    log = RunLog(open_engine(store_url), keep=10)
    for _ in range(25):
        log.add("gov-cn", "schedule", "skipped")
    log.add("miit", "schedule", "missed")
    assert len(log.list("gov-cn", 100)) == 10 and len(log.list("miit")) == 1


def test_shutdown_stops_running_crawls_and_records_them(make_scheduler) -> None:
    s = make_scheduler([HOUR], command=fake_crawl(60), timeout_s=120)
    s.trigger_now("gov-cn")
    assert wait_until(lambda: "gov-cn" in s.runtime.procs, 10)
    proc = s.runtime.procs["gov-cn"]
    s.shutdown()
    assert wait_until(lambda: proc.poll() is not None, 10)
    assert wait_until(lambda: s.runs("gov-cn")[0].status == "failed", 10)
    assert "interrupted" in s.runs("gov-cn")[0].detail


def test_run_times_come_from_the_schedulers_clock(store_url: str) -> None:
    clock = ManualClock(datetime(2031, 1, 2, 9, 0, tzinfo=UTC))
    runtime = CrawlRuntime(runlog=RunLog(open_engine(store_url), clock=clock), timeout_s=30,
                           command=fake_crawl())
    assert runtime.run("gov-cn", "manual") == "ok"
    clock.advance(hours=6)
    assert runtime.run("gov-cn", "manual") == "ok"
    started = [r.started_at for r in runtime.runlog.list("gov-cn")]
    assert started == [datetime(2031, 1, 2, 15, 0, tzinfo=UTC),
                       datetime(2031, 1, 2, 9, 0, tzinfo=UTC)]


def test_a_crashed_leader_is_replaced_when_the_clock_passes_its_lease(store_url: str) -> None:
    clock = ManualClock(datetime(2027, 6, 15, 12, 0, tzinfo=UTC))
    conf = SchedulerSettings(lease_ttl_s=30.0)  # heartbeats every 10 s: none in this test

    def scheduler() -> CrawlScheduler:
        runtime = CrawlRuntime(runlog=RunLog(open_engine(store_url), clock=clock),
                               timeout_s=30, command=fake_crawl())
        return CrawlScheduler(store_url, [HOUR], runtime, conf)

    a, b = scheduler().start(), scheduler().start()
    try:
        assert a.is_leader and not b.is_leader
        a._stop.set()  # a "crashes": no more heartbeats, the lease is not released
        clock.advance(seconds=29)
        b._tick()
        assert not b.is_leader  # the lease is still a's
        clock.advance(seconds=2)
        b._tick()
        assert b.is_leader
    finally:
        b.shutdown()
        a._stop.clear()
        a.shutdown()
