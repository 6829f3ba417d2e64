"""Scheduled crawls (APScheduler 3) that survive restarts and never run twice.

- Jobs live in a persistent SQLAlchemy job store (SQLite file by default,
  TOKENWATCH_SCHEDULER_STORE_URL for any SQLAlchemy URL) under explicit ids `crawl:<source>`.
  At start the declared schedules (sources.yaml) are synced: new sources are added, removed
  ones dropped, existing jobs keep their trigger, pause state and next fire time (so an API
  change survives a restart and an outage is seen as a misfire) unless the declared schedule
  itself changed.
- APScheduler 3 cannot share a job store, so a lease row in the same database elects one
  leader (`Lease`, heartbeat every ttl/3). A second scheduler on the same store stays in
  standby and refuses to run or change jobs; it takes over when the lease expires.
- Misfires: jobs coalesce; a run later than the grace time is recorded as `missed` and
  replaced by exactly one `catchup:<source>` run. A crawl still running when it fires again
  (or is triggered) is not started twice: the skip is recorded.
- Each crawl is `python -m tokenwatch crawl SOURCE --quiet` in its own process group, killed
  after the time limit, so a hung site or a crash cannot take the service down.
- Every start, skip, miss and outcome is a row of `crawl_schedule_runs` (run history).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from alerts.clock import Clock, utcnow
from crawlers.registry import SourceConfig
from tokenwatch.errors import TokenwatchError

log = logging.getLogger(__name__)

RunStatus = Literal["running", "ok", "failed", "timeout", "skipped", "missed"]
CRAWL_PREFIX = "crawl:"
CATCHUP_PREFIX = "catchup:"
MANUAL_PREFIX = "manual:"
SPIKE_JOB = "alerts:spikes"


class SchedulerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOKENWATCH_SCHEDULER_", extra="ignore")

    store_url: str | None = None  # default: sqlite:///<TOKENWATCH_DATA_DIR>/scheduler.sqlite
    misfire_grace_s: float = Field(default=300.0, gt=0)
    lease_ttl_s: float = Field(default=30.0, gt=0)
    max_parallel_crawls: int = Field(default=2, ge=1, le=32)
    history_keep: int = Field(default=200, ge=10, description="runs kept per source")


@lru_cache
def get_scheduler_settings() -> SchedulerSettings:
    return SchedulerSettings()


def store_url_for(settings: SchedulerSettings, data_dir: Path) -> str:
    if settings.store_url:
        return settings.store_url
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / 'scheduler.sqlite').resolve()}"


class NotLeader(TokenwatchError):
    """This scheduler is in standby: another process holds the lease on the job store."""


class UnknownSchedule(TokenwatchError):
    """No job for that source."""


class AlreadyRunning(TokenwatchError):
    """The source's crawl is running now."""


# --- the database: lease and run history --------------------------------------------------

_meta = MetaData()
LEASE_T = Table(
    "tokenwatch_scheduler_lease",
    _meta,
    Column("name", String(64), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("expires_at", Float, nullable=False),  # epoch seconds
    Column("heartbeat_at", Float, nullable=False),
)
RUNS_T = Table(
    "crawl_schedule_runs",
    _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(100), nullable=False, index=True),
    Column("trigger", String(16), nullable=False),  # schedule | catchup | manual
    Column("status", String(16), nullable=False),
    Column("scheduled_at", DateTime(timezone=True)),
    Column("started_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("exit_code", Integer),
    Column("detail", String(500)),
)


def open_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    engine = create_engine(url, **kwargs)
    _meta.create_all(engine)
    return engine


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


class RunLog:
    def __init__(self, engine: Engine, keep: int = 200, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.keep = keep
        self.clock = clock

    def add(
        self,
        source_id: str,
        trigger: str,
        status: RunStatus,
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
        self, run_id: int, status: RunStatus, exit_code: int | None, detail: str | None
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

    def list(self, source_id: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        q = select(RUNS_T).order_by(RUNS_T.c.id.desc()).limit(limit)
        if source_id is not None:
            q = q.where(RUNS_T.c.source_id == source_id)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
        for r in rows:
            for k in ("scheduled_at", "started_at", "ended_at"):
                if r[k] is not None and r[k].tzinfo is None:
                    r[k] = r[k].replace(tzinfo=UTC)  # SQLite drops the zone
        return rows


# --- running one crawl ------------------------------------------------------------------


def crawl_command(source_id: str, sources_file: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "tokenwatch", "crawl", source_id, "--quiet"]
    if sources_file is not None:
        cmd += ["--sources", str(sources_file)]
    return cmd


@dataclass(frozen=True)
class CrawlOutcome:
    source_id: str
    status: RunStatus
    exit_code: int | None
    started_at: datetime
    ended_at: datetime
    detail: str | None = None


STDERR_TAIL = 64 * 1024


def run_subprocess(
    cmd: Sequence[str],
    timeout_s: float,
    env: dict[str, str],
    on_start: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> tuple[str, int | None, str | None]:
    """(status, exit code, detail). The child gets its own process group, killed on timeout;
    its stderr goes to a temporary file of which only the tail is read."""
    with tempfile.TemporaryFile() as errf:
        proc = subprocess.Popen(
            list(cmd),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errf,
            start_new_session=True,
        )
        if on_start is not None:
            on_start(proc)
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return "timeout", None, f"killed after {timeout_s:g}s"
        if proc.returncode == 0:
            return "ok", 0, None
        errf.seek(max(0, errf.tell() - STDERR_TAIL))
        return (
            "failed",
            proc.returncode,
            _error_line(errf.read()) or (f"exit code {proc.returncode}"),
        )


def _error_line(stderr: bytes | None) -> str | None:
    """The last stderr line that looks like an error (else the last line), for the history."""
    lines = [
        ln.strip() for ln in (stderr or b"").decode("utf-8", "replace").splitlines() if ln.strip()
    ]
    marked = [
        ln
        for ln in lines
        if any(w in ln.lower() for w in ("error", "exception", "traceback", "killed"))
    ]
    picked = marked or lines
    return picked[-1][:500] if picked else None


def _kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    if sig == signal.SIGKILL:
        proc.wait()


@dataclass
class CrawlRuntime:
    """What the jobs of one scheduler need at run time (not pickled into the store)."""

    runlog: RunLog
    timeout_s: float
    command: Callable[[str], list[str]]
    env: dict[str, str] = field(default_factory=dict)
    on_finished: list[Callable[[CrawlOutcome], None]] = field(default_factory=list)
    spike_check: Callable[[], object] | None = None
    running: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    stopping: bool = False

    def terminate_all(self, grace_s: float = 5.0) -> None:
        """Stop running crawls (SIGTERM to their process groups, SIGKILL after `grace_s`):
        a stopping or demoted scheduler must not leave crawls behind."""
        self.stopping = True
        with self.lock:
            procs = list(self.procs.values())
        for proc in procs:
            _kill_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        for proc in procs:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(proc)

    def run(self, source_id: str, trigger: str, scheduled_at: datetime | None = None) -> RunStatus:
        if self.stopping:
            return "skipped"
        with self.lock:
            if source_id in self.running:
                self.runlog.add(
                    source_id,
                    trigger,
                    "skipped",
                    scheduled_at,
                    "the previous crawl of this source is still running",
                )
                log.warning("crawl of %s skipped: still running", source_id)
                return "skipped"
            self.running.add(source_id)
        try:
            return self._run(source_id, trigger, scheduled_at)
        finally:
            with self.lock:
                self.running.discard(source_id)

    def _run(self, source_id: str, trigger: str, scheduled_at: datetime | None) -> RunStatus:
        run_id = self.runlog.add(source_id, trigger, "running", scheduled_at)
        started = self.runlog.clock()

        def register(proc: subprocess.Popen[bytes]) -> None:
            with self.lock:
                self.procs[source_id] = proc

        try:
            status, code, detail = run_subprocess(
                self.command(source_id), self.timeout_s, {**os.environ, **self.env}, register
            )
        except OSError as exc:
            status, code, detail = "failed", None, f"could not start: {exc}"
        finally:
            with self.lock:
                self.procs.pop(source_id, None)
        if self.stopping and status != "ok":
            detail = f"interrupted: the scheduler stopped ({detail})"
        self.runlog.finish(run_id, status, code, detail)  # type: ignore[arg-type]
        if status != "ok":
            log.error("crawl of %s %s: %s", source_id, status, detail)
        ended = self.runlog.clock()
        outcome = CrawlOutcome(source_id, status, code, started, ended, detail)  # type: ignore[arg-type]
        for hook in self.on_finished:
            try:
                hook(outcome)
            except Exception:
                log.exception("after-crawl hook failed for %s", source_id)
        return status  # type: ignore[return-value]


_RUNTIMES: dict[str, CrawlRuntime] = {}


def run_crawl_job(source_id: str, runtime: str, trigger: str = "schedule", **_: Any) -> None:
    """The job function (referenced by name in the store; live objects are looked up)."""
    rt = _RUNTIMES.get(runtime)
    if rt is None:
        log.error("no runtime %r for the crawl of %s", runtime, source_id)
        return
    rt.run(source_id, trigger)


def run_spike_job(runtime: str) -> None:
    rt = _RUNTIMES.get(runtime)
    if rt is not None and rt.spike_check is not None:
        rt.spike_check()


# --- declared schedules -----------------------------------------------------------------


@dataclass(frozen=True)
class JobSpec:
    source_id: str
    interval_s: float | None = None
    cron: str | None = None

    def trigger(self) -> BaseTrigger:
        if self.cron:
            return CronTrigger.from_crontab(self.cron, timezone=UTC)
        return IntervalTrigger(seconds=self.interval_s or 3600.0, timezone=UTC)

    def signature(self) -> str:
        return f"cron={self.cron}" if self.cron else f"interval={self.interval_s or 3600.0:g}"


def spec_from_source(source: SourceConfig) -> JobSpec:
    sched = source.schedule
    if sched.cron:
        return JobSpec(source.id, cron=sched.cron)
    return JobSpec(source.id, interval_s=float(sched.interval_minutes or 60) * 60.0)


def describe_trigger(trigger: BaseTrigger) -> dict[str, Any]:
    if isinstance(trigger, IntervalTrigger):
        return {"interval_minutes": trigger.interval.total_seconds() / 60.0, "cron": None}
    if isinstance(trigger, CronTrigger):
        fields = {f.name: str(f) for f in trigger.fields}
        cron = " ".join(fields[k] for k in ("minute", "hour", "day", "month", "day_of_week"))
        return {"interval_minutes": None, "cron": cron}
    return {"interval_minutes": None, "cron": None}


# --- the scheduler ----------------------------------------------------------------------


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
        spike_interval_s: float | None = None,
        holder: str | None = None,
    ) -> None:
        """The run log's clock is the scheduler's clock: lease expiry, run times and one-off
        jobs all read it (tests pass an alerts.clock.ManualClock)."""
        self.store_url = store_url
        self.specs = list(specs)
        self.runtime = runtime
        self.settings = settings
        self.spike_interval_s = spike_interval_s
        self.engine = runtime.runlog.engine
        self.holder = holder or f"{os.uname().nodename}:{os.getpid()}:{id(self):x}"
        self.clock = runtime.runlog.clock
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

    def _run_once(self, sched: Any, source_id: str, trigger: str) -> None:
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

    def _kwargs(self, source_id: str, trigger: str, declared: str | None = None) -> dict[str, Any]:
        kw = {"source_id": source_id, "runtime": self.store_url, "trigger": trigger}
        if declared is not None:
            kw["declared"] = declared
        return kw

    def _sync_jobs(self) -> None:
        sched = self._require()
        wanted = {CRAWL_PREFIX + s.source_id: s for s in self.specs}
        for job in sched.get_jobs():
            if job.id.startswith(CRAWL_PREFIX) and job.id not in wanted:
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
        if self.spike_interval_s:
            sched.add_job(
                run_spike_job,
                IntervalTrigger(seconds=self.spike_interval_s, timezone=UTC),
                id=SPIKE_JOB,
                name="alerts: spike rules",
                kwargs={"runtime": self.store_url},
                replace_existing=True,
            )

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
            raise NotLeader(f"standby: the job store is leased by {self.lease.holder_now()}")
        assert self._sched is not None
        return self._sched

    def _job(self, source_id: str) -> Job:
        job = self._require().get_job(CRAWL_PREFIX + source_id)
        if job is None:
            raise UnknownSchedule(f"no schedule for source {source_id!r}")
        return job

    def describe(self, job: Job) -> dict[str, Any]:
        source_id = job.id[len(CRAWL_PREFIX) :]
        return {
            "source_id": source_id,
            "job_id": job.id,
            "paused": job.next_run_time is None,
            "next_run_at": job.next_run_time,
            "running": source_id in self.runtime.running,
            **describe_trigger(job.trigger),
        }

    def schedules(self) -> list[dict[str, Any]]:
        jobs = [j for j in self._require().get_jobs() if j.id.startswith(CRAWL_PREFIX)]
        return [self.describe(j) for j in sorted(jobs, key=lambda j: j.id)]

    def get(self, source_id: str) -> dict[str, Any]:
        return self.describe(self._job(source_id))

    def reschedule(
        self, source_id: str, interval_minutes: float | None = None, cron: str | None = None
    ) -> dict[str, Any]:
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

    def pause(self, source_id: str) -> dict[str, Any]:
        self._require().pause_job(self._job(source_id).id)
        return self.get(source_id)

    def resume(self, source_id: str) -> dict[str, Any]:
        self._require().resume_job(self._job(source_id).id)
        return self.get(source_id)

    def trigger_now(self, source_id: str) -> None:
        self._job(source_id)
        if source_id in self.runtime.running:
            raise AlreadyRunning(f"the crawl of {source_id!r} is running now")
        self._run_once(self._require(), source_id, "manual")

    def runs(self, source_id: str, limit: int = 50) -> list[dict[str, Any]]:
        return self.runtime.runlog.list(source_id, limit)


def build_crawl_scheduler(
    sources: Sequence[SourceConfig],
    sources_file: Path | None,
    neo4j_uri: str,
    timeout_s: float,
    data_dir: Path,
    settings: SchedulerSettings | None = None,
    spike_interval_s: float | None = None,
) -> CrawlScheduler:
    """The service's scheduler: one job per enabled source, crawls against `neo4j_uri`."""
    settings = settings or get_scheduler_settings()
    url = store_url_for(settings, data_dir)
    runtime = CrawlRuntime(
        runlog=RunLog(open_engine(url), settings.history_keep),
        timeout_s=timeout_s,
        command=lambda sid: crawl_command(sid, sources_file),
        env={"NEO4J_URI": neo4j_uri},
    )
    specs = [spec_from_source(s) for s in sources if s.enabled]
    return CrawlScheduler(url, specs, runtime, settings, spike_interval_s)
