"""Running one crawl: `python -m tokenwatch crawl SOURCE --quiet` in its own process group,
killed after the time limit, its outcome recorded in the run log."""

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
from datetime import datetime
from pathlib import Path

from api.scheduling import RunTrigger, ScheduledRunState
from tokenwatch.scheduler.observations import ObservationLog, observation, read_reports
from tokenwatch.scheduler.runlog import RunLog

log = logging.getLogger(__name__)


def crawl_command(source_id: str, sources_file: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "tokenwatch", "crawl", source_id, "--quiet"]
    if sources_file is not None:
        cmd += ["--sources", str(sources_file)]
    return cmd


@dataclass(frozen=True)
class CrawlOutcome:
    source_id: str
    status: ScheduledRunState
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
) -> tuple[ScheduledRunState, int | None, str | None]:
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
    # our own reasons ("error: crawl of x failed: robots.txt disallows …") come first: a
    # looser match would pick Scrapy's stats dump ('downloader/exception_type_count/…': 1)
    ours = [ln for ln in lines if ln.startswith("error: ")]
    marked = [
        ln
        for ln in lines
        if any(w in ln.lower() for w in ("error", "exception", "traceback", "killed"))
        and not ln.startswith(("'", "{"))  # lines of the stats dict
    ]
    picked = ours or marked or lines
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
    jobs: dict[str, Callable[[], object]] = field(default_factory=dict)  # registered kinds
    running: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    stopping: bool = False
    # set: each crawl is asked for a poll report (`--report FILE`), kept for adaptive intervals
    observations: ObservationLog | None = None

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

    def run(self, source_id: str, trigger: RunTrigger, scheduled_at: datetime | None = None
            ) -> ScheduledRunState:
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

    def _run(self, source_id: str, trigger: RunTrigger,
             scheduled_at: datetime | None) -> ScheduledRunState:
        run_id = self.runlog.add(source_id, trigger, "running", scheduled_at)
        started = self.runlog.clock()

        def register(proc: subprocess.Popen[bytes]) -> None:
            with self.lock:
                self.procs[source_id] = proc

        with tempfile.TemporaryDirectory(prefix="tw-poll-") as tmp:
            report = Path(tmp) / "report.json"
            cmd = self.command(source_id)
            if self.observations is not None:
                cmd = [*cmd, "--report", str(report)]
            try:
                status, code, detail = run_subprocess(
                    cmd, self.timeout_s, {**os.environ, **self.env}, register
                )
            except OSError as exc:
                status, code, detail = "failed", None, f"could not start: {exc}"
            finally:
                with self.lock:
                    self.procs.pop(source_id, None)
            if self.observations is not None and status == "ok":
                self._observe(source_id, report)
        if self.stopping and status != "ok":
            detail = f"interrupted: the scheduler stopped ({detail})"
        self.runlog.finish(run_id, status, code, detail)
        if status != "ok":
            log.error("crawl of %s %s: %s", source_id, status, detail)
        ended = self.runlog.clock()
        outcome = CrawlOutcome(source_id, status, code, started, ended, detail)
        for hook in self.on_finished:
            try:
                hook(outcome)
            except Exception:
                log.exception("after-crawl hook failed for %s", source_id)
        return status

    def _observe(self, source_id: str, report: Path) -> None:
        """Keep what the poll found (a failed poll says nothing about publishing)."""
        assert self.observations is not None
        now = self.runlog.clock()
        for rep in read_reports(report):
            if rep.source_id == source_id and rep.status != "failed":
                self.observations.add(source_id, observation(rep, now))

