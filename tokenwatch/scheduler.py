"""Scheduled crawls: one APScheduler job per enabled source, each crawl a subprocess with a
time limit, so a hung site or a crash cannot take the service down."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from crawlers.registry import SourceConfig

log = logging.getLogger(__name__)


def job_id(source_id: str) -> str:
    return f"crawl:{source_id}"


def interval_minutes(source: SourceConfig) -> float:
    schedule = getattr(source, "schedule", None)
    minutes = getattr(schedule, "interval_minutes", None) if schedule is not None else None
    return float(minutes or 60)


def crawl_command(source_id: str, sources_file: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "tokenwatch", "crawl", source_id, "--quiet"]
    if sources_file is not None:
        cmd += ["--sources", str(sources_file)]
    return cmd


def run_crawl_subprocess(source_id: str, sources_file: Path | None, neo4j_uri: str,
                         timeout_s: float) -> int:
    env = {**os.environ, "NEO4J_URI": neo4j_uri}
    try:
        proc = subprocess.run(  # noqa: S603 - fixed argv
            crawl_command(source_id, sources_file), env=env, timeout=timeout_s, check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        log.error("crawl of %s killed after %.0fs", source_id, timeout_s)
        return -1
    if proc.returncode != 0:
        log.error("crawl of %s exited with %s", source_id, proc.returncode)
    return proc.returncode


def build_scheduler(sources: Sequence[SourceConfig], sources_file: Path | None, neo4j_uri: str,
                    timeout_s: float) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    for source in sources:
        if not source.enabled:
            continue
        scheduler.add_job(
            run_crawl_subprocess,
            "interval",
            minutes=interval_minutes(source),
            id=job_id(source.id),
            name=f"crawl {source.id}",
            args=[source.id, sources_file, neo4j_uri, timeout_s],
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=300,
        )
    return scheduler
