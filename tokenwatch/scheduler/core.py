"""The APScheduler 3 wrapper: one leader per job store, declared crawl jobs kept in sync,
misfires caught up once, skips recorded; registered kinds' jobs beside the crawls."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.interval import IntervalTrigger

from api.scheduling import RunTrigger, Schedule, ScheduledRun
from crawlers.registry import SourceConfig
from tokenwatch.scheduler.adaptive import next_interval
from tokenwatch.scheduler.errors import AlreadyRunning, NotLeader, UnknownSchedule
from tokenwatch.scheduler.jobs import (
    _RUNTIMES,
    CATCHUP_PREFIX,
    CRAWL_PREFIX,
    MANUAL_PREFIX,
    JobSpec,
    describe_trigger,
    run_crawl_job,
    run_registered_job,
    spec_from_source,
)
from tokenwatch.scheduler.kinds import ScheduledJob
from tokenwatch.scheduler.lease import Lease
from tokenwatch.scheduler.observations import ObservationLog
from tokenwatch.scheduler.runlog import RunLog
from tokenwatch.scheduler.settings import (
    SchedulerSettings,
    get_scheduler_settings,
    store_url_for,
)
from tokenwatch.scheduler.store import open_engine
from tokenwatch.scheduler.supervise import CrawlOutcome, CrawlRuntime, crawl_command

log = logging.getLogger(__name__)
_ONE_OFF = (CRAWL_PREFIX, CATCHUP_PREFIX, MANUAL_PREFIX)
RETUNE_FRACTION = 0.05  # a smaller change of an adaptive interval keeps the job's trigger


class _Scheduler(BackgroundScheduler):
    """APScheduler 3 runs one more `_process_jobs` after `shutdown()` woke its thread: due jobs
    would then be advanced in the store without running (and without a misfire record).
    Only a running scheduler processes jobs."""

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


class CrawlScheduler:
    """One leader per job store; see the module docstring."""

    def __init__(
        self,
        store_url: str,
        specs: Sequence[JobSpec],
        runtime: CrawlRuntime,
        settings: SchedulerSettings,
        jobs: Sequence[ScheduledJob] = (),
        holder: str | None = None,
    ) -> None:
        """The run log's clock is the scheduler's clock: lease expiry, run times and one-off
        jobs all read it (tests pass an alerts.clock.ManualClock)."""
        self.store_url = store_url
        self.specs = list(specs)
        self.runtime = runtime
        self.settings = settings
        self.jobs = list(jobs)
        runtime.jobs.update({j.job_id: j.run for j in self.jobs})
        self.engine = runtime.runlog.engine
        self.holder = holder or f"{os.uname().nodename}:{os.getpid()}:{id(self):x}"
        self.clock = runtime.runlog.clock
        if runtime.observations is None:
            runtime.observations = ObservationLog(self.engine, self.clock)
        self.observations = runtime.observations
        runtime.on_finished.append(self._adapt)
        self.lease = Lease(
            self.engine, self.holder, settings.lease_ttl_s, clock=lambda: self.clock().timestamp()
        )
        self._sched: BackgroundScheduler | None = None
        self._leader = False
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self._state_lock = threading.RLock()

    # --- leadership -----------------------------------------------------------------------

    @property
    def is_leader(self) -> bool:
        return self._leader

    def leased_by(self) -> str | None:
        return self.lease.holder_now()

    @property
    def running_crawls(self) -> int:
        return len(self.runtime.running)

    def start(self) -> CrawlScheduler:
        self._tick()
        self._heartbeat = threading.Thread(target=self._beat, name="scheduler-lease", daemon=True)
        self._heartbeat.start()
        if not self._leader:
            log.warning(
                "scheduler in standby: the job store is leased by %s", self.lease.holder_now()
            )
        return self

    def _beat(self) -> None:
        while not self._stop.wait(self.settings.lease_ttl_s / 3.0):
            try:
                self._tick()
            except Exception:
                log.exception("scheduler lease heartbeat failed")

    def _tick(self) -> None:
        with self._state_lock:
            if self._stop.is_set():
                return
            held = self.lease.acquire()
            if held and not self._leader:
                self._become_leader()
            elif not held and self._leader:
                log.error("scheduler lease lost to %s: pausing", self.lease.holder_now())
                self._step_down()

    def _become_leader(self) -> None:
        _RUNTIMES[self.store_url] = self.runtime
        sched = _Scheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine)},
            executors={"default": ThreadPoolExecutor(self.settings.max_parallel_crawls + 1)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(max(1, self.settings.misfire_grace_s)),
            },
            timezone=UTC,
        )
        sched.add_listener(self._on_missed, EVENT_JOB_MISSED)
        sched.add_listener(self._on_max_instances, EVENT_JOB_MAX_INSTANCES)
        sched.start(paused=True)
        self._sched = sched
        self._sync_jobs()
        sched.resume()
        self._leader = True
        log.info("scheduler is leader with %d jobs", len(sched.get_jobs()))

    def _step_down(self) -> None:
        was_running = self._sched is not None
        self._leader = False
        if self._sched is not None:
            self._sched.shutdown(wait=False)
            self._sched = None
        if was_running:
            self.runtime.terminate_all()
            self.runtime.stopping = self._stop.is_set()  # a demoted one may lead again

    def shutdown(self) -> None:
        self._stop.set()
        with self._state_lock:
            was_leader = self._leader
            self._step_down()
            if was_leader:
                self.lease.release()
        if self._heartbeat is not None:
            self._heartbeat.join(2)

    # --- jobs -------------------------------------------------------------------------

    def _run_once(self, sched: Any, source_id: str, trigger: RunTrigger) -> None:
        """A one-off crawl now (catch-up or manual), replacing a pending one of the same kind."""
        prefix = CATCHUP_PREFIX if trigger == "catchup" else MANUAL_PREFIX
        sched.add_job(
            run_crawl_job,
            "date",
            run_date=self.clock(),
            id=prefix + source_id,
            name=f"{'catch-up' if trigger == 'catchup' else 'manual'} {source_id}",
            kwargs=self._kwargs(source_id, trigger),
            replace_existing=True,
            misfire_grace_time=None,
        )

    def _kwargs(self, source_id: str, trigger: RunTrigger,
                declared: str | None = None) -> dict[str, Any]:
        kw = {"source_id": source_id, "runtime": self.store_url, "trigger": trigger}
        if declared is not None:
            kw["declared"] = declared
        return kw

    def update_specs(self, specs: Sequence[JobSpec]) -> None:
        """New job specs (the registry changed): jobs are added, removed or rescheduled now
        when leading, else when this scheduler becomes the leader."""
        with self._state_lock:
            self.specs = list(specs)
            if self._leader and self._sched is not None:
                self._sync_jobs()

    def _sync_jobs(self) -> None:
        sched = self._require()
        wanted = {CRAWL_PREFIX + s.source_id: s for s in self.specs}
        registered = {j.job_id for j in self.jobs}
        for job in sched.get_jobs():
            stale_crawl = job.id.startswith(CRAWL_PREFIX) and job.id not in wanted
            stale_kind = not job.id.startswith(_ONE_OFF) and job.id not in registered
            if stale_crawl or stale_kind:
                sched.remove_job(job.id)
        for job_id, spec in wanted.items():
            existing = sched.get_job(job_id)
            kwargs = self._kwargs(spec.source_id, "schedule", spec.signature())
            if existing is None:
                sched.add_job(
                    run_crawl_job,
                    spec.trigger(),
                    id=job_id,
                    name=f"crawl {spec.source_id}",
                    kwargs=kwargs,
                    replace_existing=True,
                )
            elif existing.kwargs.get("declared") != spec.signature():
                sched.modify_job(job_id, kwargs=kwargs)
                if existing.next_run_time is None:  # paused stays paused
                    sched.modify_job(job_id, trigger=spec.trigger())
                else:
                    sched.reschedule_job(job_id, trigger=spec.trigger())
            else:  # keep trigger, pause state and next fire time: misfires stay visible
                sched.modify_job(job_id, kwargs=kwargs)
        for job in self.jobs:
            sched.add_job(
                run_registered_job,
                job.trigger,
                id=job.job_id,
                name=job.name,
                kwargs={"runtime": self.store_url, "job_id": job.job_id},
                replace_existing=True,
            )

    def _adapt(self, outcome: CrawlOutcome) -> None:
        """After a poll of an adaptive source: the next one comes when its publishing rate
        says (a paused job stays paused; a failed poll changes nothing)."""
        spec = next((s for s in self.specs if s.source_id == outcome.source_id), None)
        if spec is None or spec.adaptive is None or outcome.status != "ok":
            return
        now = self.clock()
        seconds = next_interval(self.observations.recent(spec.source_id, now), spec.adaptive, now)
        with self._state_lock:
            if not self._leader or self._sched is None:
                return
            job = self._sched.get_job(CRAWL_PREFIX + spec.source_id)
            if job is None or job.next_run_time is None:
                return
            self._retune(job, seconds, now)

    def _retune(self, job: Job, seconds: float, now: datetime) -> None:
        current = describe_trigger(job.trigger).interval_minutes
        due = now + timedelta(seconds=seconds)
        same = current is not None and abs(current * 60.0 - seconds) <= RETUNE_FRACTION * seconds
        if same and job.next_run_time is not None and job.next_run_time <= due:
            return  # already on this rhythm, and its next poll is not later than wanted
        assert self._sched is not None
        self._sched.reschedule_job(
            job.id, trigger=IntervalTrigger(seconds=seconds, start_date=due, timezone=UTC)
        )
        log.info("crawl of %s: next poll in %.0f min", job.id, seconds / 60.0)

    def _on_missed(self, event: JobEvent) -> None:
        if not event.job_id.startswith(CRAWL_PREFIX):
            return
        source_id = event.job_id[len(CRAWL_PREFIX) :]
        scheduled = event.scheduled_run_time
        self.runtime.runlog.add(
            source_id,
            "schedule",
            "missed",
            scheduled,
            f"fire time {scheduled.isoformat()} missed by more than the "
            f"grace time; one catch-up run scheduled",
        )
        log.warning("crawl of %s missed its %s run: catching up once", source_id, scheduled)
        if self._sched is not None:
            self._run_once(self._sched, source_id, "catchup")

    def _on_max_instances(self, event: JobEvent) -> None:
        source_id = event.job_id.split(":", 1)[-1]
        scheduled = (
            (event.scheduled_run_times or [None])[-1]
            if hasattr(event, "scheduled_run_times")
            else None
        )
        self.runtime.runlog.add(
            source_id,
            "schedule",
            "skipped",
            scheduled,
            "the previous crawl of this source is still running",
        )

    def _require(self) -> BackgroundScheduler:
        if not self._leader and self._sched is None:
            raise NotLeader(f"standby: the job store is leased by {self.leased_by()}")
        assert self._sched is not None
        return self._sched

    def _job(self, source_id: str) -> Job:
        job = self._require().get_job(CRAWL_PREFIX + source_id)
        if job is None:
            raise UnknownSchedule(f"no schedule for source {source_id!r}")
        return job

    def describe(self, job: Job) -> Schedule:
        source_id = job.id[len(CRAWL_PREFIX) :]
        trigger = describe_trigger(job.trigger)
        return Schedule(
            source_id=source_id,
            job_id=job.id,
            paused=job.next_run_time is None,
            next_run_at=job.next_run_time,
            running=source_id in self.runtime.running,
            interval_minutes=trigger.interval_minutes,
            cron=trigger.cron,
        )

    def schedules(self) -> list[Schedule]:
        jobs = [j for j in self._require().get_jobs() if j.id.startswith(CRAWL_PREFIX)]
        return [self.describe(j) for j in sorted(jobs, key=lambda j: j.id)]

    def get(self, source_id: str) -> Schedule:
        return self.describe(self._job(source_id))

    def reschedule(
        self, source_id: str, interval_minutes: float | None = None, cron: str | None = None
    ) -> Schedule:
        job = self._job(source_id)
        spec = JobSpec(
            source_id, interval_s=interval_minutes * 60.0 if interval_minutes else None, cron=cron
        )
        trigger = spec.trigger()  # raises ValueError on a bad cron expression
        sched = self._require()
        if job.next_run_time is None:
            sched.modify_job(job.id, trigger=trigger)
        else:
            sched.reschedule_job(job.id, trigger=trigger)
        return self.get(source_id)

    def pause(self, source_id: str) -> Schedule:
        self._require().pause_job(self._job(source_id).id)
        return self.get(source_id)

    def resume(self, source_id: str) -> Schedule:
        self._require().resume_job(self._job(source_id).id)
        return self.get(source_id)

    def trigger_now(self, source_id: str) -> None:
        self._job(source_id)
        if source_id in self.runtime.running:
            raise AlreadyRunning(f"the crawl of {source_id!r} is running now")
        self._run_once(self._require(), source_id, "manual")

    def runs(self, source_id: str, limit: int = 50) -> list[ScheduledRun]:
        return self.runtime.runlog.list(source_id, limit)


def listing_cache_env(data_dir: Path) -> dict[str, str]:
    """Scheduled crawls keep their listings' validators (idle polls answer 304) in the data
    directory, unless TOKENWATCH_CRAWL_LISTING_CACHE_DIR says where."""
    key = "TOKENWATCH_CRAWL_LISTING_CACHE_DIR"
    return {} if os.environ.get(key) else {key: str(data_dir / "listings")}


def build_crawl_scheduler(
    sources: Sequence[SourceConfig],
    sources_file: Path | None,
    neo4j_uri: str,
    timeout_s: float,
    data_dir: Path,
    settings: SchedulerSettings | None = None,
    jobs: Sequence[ScheduledJob] = (),
) -> CrawlScheduler:
    """The service's scheduler: one job per enabled source, crawls against `neo4j_uri`."""
    settings = settings or get_scheduler_settings()
    url = store_url_for(settings, data_dir)
    runtime = CrawlRuntime(
        runlog=RunLog(open_engine(url), settings.history_keep),
        timeout_s=timeout_s,
        command=lambda sid: crawl_command(sid, sources_file),
        env={"NEO4J_URI": neo4j_uri, **listing_cache_env(data_dir)},
    )
    specs = [spec_from_source(s) for s in sources if s.enabled]
    return CrawlScheduler(url, specs, runtime, settings, jobs)
