"""Run a crawl in a fresh process (the Twisted reactor cannot restart inside pytest).

    result = run_crawl(registry_path, base_url=site.base, out=tmp_path / "a.jsonl")
    result.articles      # {article id: Article} in the JSONL store after the run
    result.runs          # [CrawlRunStats] of this run
    result.by_url(url)   # the Article whose canonical URL ends with `url`
Environment overrides (TOKENWATCH_CRAWL_*) go in `env`; the child's stderr is kept in
`result.log` for assertions about logged skips."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crawlers.sink import MemorySink
from crawlers.types import Article, CrawlRunStats, WriteResult

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CrawlResult:
    articles: dict[str, Article]
    runs: list[CrawlRunStats]
    log: str
    returncode: int

    def by_url(self, suffix: str) -> Article:
        hits = [a for a in self.articles.values() if a.canonical_url.endswith(suffix)]
        assert len(hits) == 1, f"{suffix}: {len(hits)} articles match"
        return hits[0]

    def run(self, source_id: str) -> CrawlRunStats:
        return next(r for r in self.runs if r.source_id == source_id)


def _run(cmd: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a child; if it is still running after `timeout`, SIGABRT it so faulthandler prints
    every thread's stack, and fail with that output."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          cwd=ROOT, env=env) as child:  # fmt: skip
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGABRT)
            out, err = child.communicate()
            raise AssertionError(f"crawl did not finish in {timeout}s:\n{err[-8000:]}") from None
    return subprocess.CompletedProcess(cmd, child.returncode, out, err)


def run_crawl(
    registry: Path,
    *,
    base_url: str,
    out: Path,
    ids: list[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    progress_file: Path | None = None,
) -> CrawlResult:
    child_env = {
        **os.environ,
        "TOKENWATCH_CRAWL_DELAY_SCALE": "0",
        "PYTHONFAULTHANDLER": "1",
        **(env or {}),
    }
    cmd = [
        sys.executable,
        "-m",
        "crawlers",
        *(ids or []),
        "--sources",
        str(registry),
        "--base-url",
        base_url,
        "--out",
        str(out),
        "--log-level",
        "INFO",
    ]
    if progress_file is not None:
        cmd += ["--progress-file", str(progress_file)]
    proc = _run(cmd, child_env, timeout)
    if proc.returncode not in (0, 1):
        raise AssertionError(f"crawl failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    runs = [
        CrawlRunStats.model_validate(r) for r in json.loads(proc.stdout.strip().splitlines()[-1])
    ]
    articles: dict[str, Article] = {}
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            art = Article.model_validate_json(line)
            articles[art.id] = art
    return CrawlResult(articles, runs, proc.stderr, proc.returncode)


def run_probe(registry: Path, base_url: str, batch_size: int, fail_batches: list[int],
              timeout: float = 120) -> dict:  # fmt: skip
    """Run `probe_crawl` in a fresh interpreter (a crawl needs its own process) and return
    what it reports (a stuck child's stacks end up in the assertion message)."""
    args = json.dumps([str(registry), base_url, batch_size, fail_batches])
    code = (
        "import json, sys; from tests.crawlers.crawlrun import probe_crawl;"
        " print(json.dumps(probe_crawl(*json.loads(sys.argv[1]))))"
    )
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    proc = _run([sys.executable, "-c", code, args], env, timeout)
    if proc.returncode != 0:
        raise AssertionError(f"probe crawl failed ({proc.returncode}):\n{proc.stderr[-6000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


class ProbeSink(MemorySink):
    """Records batch sizes and whether write() ran off the main (reactor) thread; fails the
    batch numbers in `fail_batches`."""

    def __init__(self, fail_batches: set[int]) -> None:
        super().__init__()
        self.batches: list[int] = []
        self.on_main_thread: list[bool] = []
        self.fail_batches = fail_batches

    def write(self, articles: Sequence[Article]) -> WriteResult:
        self.batches.append(len(articles))
        self.on_main_thread.append(threading.current_thread() is threading.main_thread())
        if len(self.batches) in self.fail_batches:
            raise RuntimeError("database unavailable")
        return super().write(articles)


def probe_crawl(registry: str, base_url: str, batch_size: int, fail_batches: list[int]) -> dict:
    """Child side of the sink tests: crawl into a ProbeSink, report what it saw."""
    from crawlers.registry import load_sources
    from crawlers.runner import CrawlSettings, crawl

    sink = ProbeSink(set(fail_batches))
    settings = CrawlSettings(batch_size=batch_size, delay_scale=0, log_level="WARNING")
    runs = crawl(load_sources(Path(registry), base_url=base_url), sink, settings)
    return {
        "batches": sink.batches,
        "on_main_thread": sink.on_main_thread,
        "stored": len(sink.articles),
        "runs": [json.loads(r.model_dump_json()) for r in runs],
        "recorded": [r.source_id for r in sink.runs],
    }
