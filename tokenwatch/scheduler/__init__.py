"""Scheduled crawls (APScheduler 3) that survive restarts and never run twice.

Modules: settings, store (the SQL tables), lease, runlog, supervise (one crawl subprocess),
jobs (what the job store holds), kinds (scheduled rule kinds: the one registry), core (the
APScheduler wrapper). Read models and errors are those of the API port, api/scheduling.py.

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
- Scheduled rule kinds (the spike rules first) register a job in `kinds.SCHEDULED_KINDS`.
"""

from __future__ import annotations

from api.scheduling import (
    Schedule,
    ScheduledRun,
    ScheduledRunState,
)
from tokenwatch.scheduler.core import (
    CrawlScheduler,
    build_crawl_scheduler,
)
from tokenwatch.scheduler.errors import (
    AlreadyRunning,
    NotLeader,
    SchedulerError,
    UnknownSchedule,
)
from tokenwatch.scheduler.jobs import (
    CATCHUP_PREFIX,
    CRAWL_PREFIX,
    MANUAL_PREFIX,
    JobSpec,
    describe_trigger,
    run_crawl_job,
    run_registered_job,
    run_spike_job,
    spec_from_source,
)
from tokenwatch.scheduler.kinds import (
    SCHEDULED_KINDS,
    ScheduledJob,
    ScheduledKind,
    scheduled_jobs,
)
from tokenwatch.scheduler.lease import (
    Lease,
)
from tokenwatch.scheduler.runlog import (
    RunLog,
)
from tokenwatch.scheduler.settings import (
    SchedulerSettings,
    get_scheduler_settings,
    store_url_for,
)
from tokenwatch.scheduler.store import (
    LEASE_T,
    RUNS_T,
    open_engine,
)
from tokenwatch.scheduler.supervise import (
    STDERR_TAIL,
    CrawlOutcome,
    CrawlRuntime,
    crawl_command,
    run_subprocess,
)

__all__ = [
    "CATCHUP_PREFIX",
    "CRAWL_PREFIX",
    "LEASE_T",
    "MANUAL_PREFIX",
    "RUNS_T",
    "SCHEDULED_KINDS",
    "STDERR_TAIL",
    "AlreadyRunning",
    "CrawlOutcome",
    "CrawlRuntime",
    "CrawlScheduler",
    "JobSpec",
    "Lease",
    "NotLeader",
    "RunLog",
    "Schedule",
    "ScheduledJob",
    "ScheduledKind",
    "ScheduledRun",
    "ScheduledRunState",
    "SchedulerError",
    "SchedulerSettings",
    "UnknownSchedule",
    "build_crawl_scheduler",
    "crawl_command",
    "describe_trigger",
    "get_scheduler_settings",
    "open_engine",
    "run_crawl_job",
    "run_registered_job",
    "run_spike_job",
    "run_subprocess",
    "scheduled_jobs",
    "spec_from_source",
    "store_url_for",
]
