"""Human-readable summaries for the CLI."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from crawlers.types import CrawlRunStats


def crawl_summary(runs: Sequence[CrawlRunStats]) -> Table:
    table = Table(title="crawl summary")
    for col in ("source", "status", "pages", "new", "unchanged", "duplicates", "errors", "seconds"):
        table.add_column(col, justify="left" if col in ("source", "status") else "right")
    for run in runs:
        secs = (run.ended_at - run.started_at).total_seconds() if run.ended_at else 0.0
        errors = ", ".join(f"{k}={v}" for k, v in sorted(run.errors.items())) or "0"
        table.add_row(run.source_id, run.status, str(run.pages_fetched), str(run.new_articles),
                      str(run.unchanged), str(run.duplicates), errors, f"{secs:.1f}")
    return table
