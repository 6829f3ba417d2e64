"""Scheduler fixtures: a SQLite store in a temp dir and crawl commands that are real
subprocesses (a tiny Python program standing in for `tokenwatch crawl`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tokenwatch.scheduler import (
    CrawlRuntime,
    CrawlScheduler,
    JobSpec,
    RunLog,
    SchedulerSettings,
    open_engine,
)


def fake_crawl(seconds: float = 0.0, exit_code: int = 0) -> Callable[[str], list[str]]:
    prog = (f"import sys, time; time.sleep({seconds}); "
            f"print('crawl', sys.argv[1], file=sys.stderr); sys.exit({exit_code})")
    return lambda source_id: [sys.executable, "-c", prog, source_id]


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'scheduler.sqlite'}"


@pytest.fixture
def make_scheduler(store_url: str) -> Iterator[Callable[..., CrawlScheduler]]:
    made: list[CrawlScheduler] = []

    def make(specs: list[JobSpec], command: Callable[[str], list[str]] | None = None,
             timeout_s: float = 30.0, start: bool = True, **settings: object) -> CrawlScheduler:
        conf = SchedulerSettings(**{"misfire_grace_s": 1.0, "lease_ttl_s": 0.6, **settings})  # type: ignore[arg-type]
        runtime = CrawlRuntime(runlog=RunLog(open_engine(store_url)), timeout_s=timeout_s,
                               command=command or fake_crawl())
        sched = CrawlScheduler(store_url, specs, runtime, conf)
        made.append(sched)
        return sched.start() if start else sched

    yield make
    for s in made:
        s.shutdown()
