"""Crawl schedules (operators): list, change, pause/resume, run now, scheduler run history.
Reading needs any key; changing needs `admin`. 503 when this process runs no scheduler or is
the standby of another one. The scheduler is whatever implements
`api.scheduling.CrawlSchedules`, handed in by the composition root (api/ never imports it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.auth import Admin, Principal
from api.deps import ServicesDep
from api.errors import ApiError, Conflict, NotFound, Unprocessable, problems
from api.scheduling import (
    AlreadyRunning,
    CrawlSchedules,
    NotLeader,
    RunTrigger,
    Schedule,
    ScheduledRun,
    ScheduledRunState,
    UnknownSchedule,
)
from api.schemas import Page
from crawlers.registry import check_cron

T = TypeVar("T")

UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: {
    "description": "no crawl scheduler in this process, or it is the standby of another",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}}
router = APIRouter(tags=["schedules"], responses=UNAVAILABLE)
legacy = APIRouter(include_in_schema=False)  # the one unversioned route kept (README)
SourcePath = Annotated[str, Path(max_length=100)]


class SchedulerUnavailable(ApiError):
    status = 503
    title = "Scheduler unavailable"


def crawl_scheduler(services: ServicesDep) -> CrawlSchedules:
    sched = services.scheduler
    if sched is None:
        raise SchedulerUnavailable("this process runs no crawl scheduler")
    if not sched.is_leader:
        raise SchedulerUnavailable(f"standby: the job store is leased by {sched.leased_by()}")
    return sched


SchedulerDep = Annotated[CrawlSchedules, Depends(crawl_scheduler)]


class ScheduleOut(BaseModel):
    source_id: str
    job_id: str
    paused: bool
    running: bool
    next_run_at: datetime | None = None
    interval_minutes: float | None = None
    cron: str | None = None

    @classmethod
    def of(cls, schedule: Schedule) -> ScheduleOut:
        return cls(**asdict(schedule))


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interval_minutes: float | None = Field(default=None, ge=1, le=60 * 24 * 31)
    cron: str | None = Field(default=None, max_length=100, examples=["*/30 * * * *"])

    @model_validator(mode="after")
    def _exactly_one(self) -> ScheduleIn:
        if (self.interval_minutes is None) == (self.cron is None):
            raise ValueError("give exactly one of interval_minutes or cron")
        if self.cron is not None and len(self.cron.split()) != 5:
            raise ValueError("cron must have 5 fields: minute hour day month weekday")
        if self.cron is not None:
            check_cron(self.cron)  # `99 99 * * *` has 5 fields and is still no schedule
        return self


class RunOut(BaseModel):
    id: int
    source_id: str
    trigger: RunTrigger
    status: ScheduledRunState
    scheduled_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    exit_code: int | None = None
    detail: str | None = None

    @classmethod
    def of(cls, run: ScheduledRun) -> RunOut:
        return cls(**asdict(run))


class Accepted(BaseModel):
    source_id: str
    status: str = "queued"


def _call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return fn(*args, **kwargs)
    except UnknownSchedule as exc:
        raise NotFound(str(exc)) from exc
    except AlreadyRunning as exc:
        raise Conflict(str(exc)) from exc
    except NotLeader as exc:
        raise SchedulerUnavailable(str(exc)) from exc
    except ValueError as exc:
        raise Unprocessable(str(exc)) from exc


@router.get("/schedules", response_model=Page[ScheduleOut], responses=problems(404))
def list_schedules(_: Principal, sched: SchedulerDep) -> Page[ScheduleOut]:
    """Every crawl job, in the list envelope of every other list (`items`, `next_cursor`,
    always null: one page). Changed from a bare JSON array; the unversioned `/schedules`
    of early clients still answers the bare array."""
    return Page[ScheduleOut](items=_items(sched), next_cursor=None)


@legacy.get("/schedules", response_model=list[ScheduleOut])
def list_schedules_bare(_: Principal, sched: SchedulerDep) -> list[ScheduleOut]:
    """The bare array early clients read (every other unversioned path redirects to /v1)."""
    return _items(sched)


def _items(sched: CrawlSchedules) -> list[ScheduleOut]:
    return [ScheduleOut.of(s) for s in _call(sched.schedules)]


@router.get("/schedules/{source_id}", response_model=ScheduleOut, responses=problems(404))
def get_schedule(source_id: SourcePath, _: Principal, sched: SchedulerDep) -> ScheduleOut:
    return ScheduleOut.of(_call(sched.get, source_id))


@router.patch("/schedules/{source_id}", response_model=ScheduleOut,
              responses=problems(403, 404, 422))
def change_schedule(source_id: SourcePath, body: ScheduleIn, _: Admin,
                    sched: SchedulerDep) -> ScheduleOut:
    """Replace the trigger (kept across restarts until sources.yaml changes it)."""
    return ScheduleOut.of(_call(sched.reschedule, source_id, body.interval_minutes, body.cron))


@router.post("/schedules/{source_id}/pause", response_model=ScheduleOut,
             responses=problems(403, 404))
def pause(source_id: SourcePath, _: Admin, sched: SchedulerDep) -> ScheduleOut:
    return ScheduleOut.of(_call(sched.pause, source_id))


@router.post("/schedules/{source_id}/resume", response_model=ScheduleOut,
             responses=problems(403, 404))
def resume(source_id: SourcePath, _: Admin, sched: SchedulerDep) -> ScheduleOut:
    return ScheduleOut.of(_call(sched.resume, source_id))


@router.post("/schedules/{source_id}/run", response_model=Accepted, status_code=202,
             responses=problems(403, 404, 409))
def run_now(source_id: SourcePath, _: Admin, sched: SchedulerDep) -> Accepted:
    """Crawl now (a subprocess with the time limit); 409 while the source is crawling."""
    _call(sched.trigger_now, source_id)
    return Accepted(source_id=source_id)


@router.get("/schedules/{source_id}/runs", response_model=list[RunOut], responses=problems(404))
def runs(source_id: SourcePath, _: Principal, sched: SchedulerDep,
         limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[RunOut]:
    """Scheduler history, newest first: runs and their outcome, skips, misses, catch-ups.
    (Per-run crawl statistics are under /v1/sources/{id}/runs.)"""
    _call(sched.get, source_id)
    return [RunOut.of(r) for r in sched.runs(source_id, limit)]
