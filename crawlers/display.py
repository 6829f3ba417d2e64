"""A rich progress display for `tokenwatch crawl` (pass the object as `progress=`).

with CrawlDisplay(sources) as display:
    runs = crawl(sources, sink, progress=display)
display.console.print(summary_table(runs))
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawlers.registry import SourceConfig
from crawlers.types import CrawlProgress, CrawlRunStats


class CrawlDisplay:
    """One live row per source: pages fetched, articles, errors; the row completes on 'done'."""

    def __init__(self, sources: Sequence[SourceConfig], console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn(
                "{task.fields[pages]} pages · {task.fields[articles]} new · "
                "{task.fields[errors]} errors"
            ),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {
            s.id: self.progress.add_task(s.id, total=None, pages=0, articles=0, errors=0)
            for s in sources
        }

    def __enter__(self) -> CrawlDisplay:
        self.progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def __call__(self, event: CrawlProgress) -> None:
        task = self.tasks.get(event.source_id)
        if task is None:
            return
        done = event.phase == "done"
        self.progress.update(
            task,
            total=1 if done else None,
            completed=1 if done else 0,
            pages=event.pages_fetched,
            articles=event.articles,
            errors=event.errors,
        )


def summary_table(runs: Sequence[CrawlRunStats]) -> Table:
    """The end-of-crawl summary: one row per source run."""
    table = Table(title="crawl summary")
    for column in (
        "source",
        "status",
        "pages",
        "new",
        "unchanged",
        "duplicates",
        "errors",
        "seconds",
    ):
        table.add_column(
            column, justify="left" if column in {"source", "status", "errors"} else "right"
        )
    conditions = any(run.health != "ok" for run in runs)
    if conditions:  # degraded / blocked_by_robots runs say why (only then: keep it narrow)
        table.add_column("health", justify="left")
    for run in runs:
        seconds = (run.ended_at - run.started_at).total_seconds() if run.ended_at else 0.0
        errors = ", ".join(f"{k}={v}" for k, v in sorted(run.errors.items())) or "-"
        style = {"ok": "green", "partial": "yellow", "failed": "red"}[run.status]
        table.add_row(
            run.source_id,
            f"[{style}]{run.status}[/]",
            str(run.pages_fetched),
            str(run.new_articles),
            str(run.unchanged),
            str(run.duplicates),
            errors,
            f"{seconds:.1f}",
            *([_health(run)] if conditions else []),
        )
    return table


def _health(run: CrawlRunStats) -> str:
    if run.health == "ok":
        return "ok"
    return f"[yellow]{run.health}[/]: {run.health_reason or ''}"
