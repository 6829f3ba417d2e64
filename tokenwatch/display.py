"""Progress and summary for `tokenwatch ingest` on the terminal (stderr), like `crawl`'s."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawlers.types import WriteResult


@contextlib.contextmanager
def ingest_progress(
    console: Console, enabled: bool = True
) -> Iterator[Callable[[int, int], None] | None]:
    """A `progress(done, total)` callback drawing a bar (None when disabled)."""
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("documents"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    task = bar.add_task("ingest", total=None)

    def update(done: int, total: int) -> None:
        if not bar.live.is_started:  # drawn once there is work: an early error stays one line
            bar.start()
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        bar.stop()


def ingest_summary(result: WriteResult, bad_lines: int, elapsed_s: float) -> Table:
    table = Table(title="ingest summary")
    for column in ("new", "unchanged", "duplicates", "errors", "bad lines", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(str(result.new), str(result.unchanged), str(result.duplicates),
                  str(result.errors), str(bad_lines), f"{elapsed_s:.1f}")
    return table
