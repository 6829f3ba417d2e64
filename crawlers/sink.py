"""The boundary between crawling and everything after it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from crawlers.types import Article, CrawlRunStats, PageState, WriteResult

log = logging.getLogger(__name__)


class ArticleSink(Protocol):
    """Receives parsed articles in batches. Implemented by tokenwatch.ingest (extract + graph
    write) and by in-memory sinks in tests. Called from a worker thread, never the reactor."""

    def known_pages(self, source_id: str) -> Mapping[str, PageState]:
        """canonical_url -> state of pages already stored for this source."""
        ...

    def write(self, articles: Sequence[Article]) -> WriteResult: ...

    def record_run(self, run: CrawlRunStats) -> None: ...


class MemorySink:
    """An in-memory sink: keeps everything it is given (tests, `--dry-run`)."""

    def __init__(self) -> None:
        self.articles: dict[str, Article] = {}
        self.runs: list[CrawlRunStats] = []

    def known_pages(self, source_id: str) -> Mapping[str, PageState]:
        return {
            a.canonical_url: PageState(
                etag=a.etag, last_modified=a.last_modified, content_hash=a.content_hash
            )
            for a in self.articles.values()
            if a.source_id == source_id
        }

    def write(self, articles: Sequence[Article]) -> WriteResult:
        result = WriteResult()
        for art in articles:
            old = self.articles.get(art.id)
            if old is not None and old.content_hash == art.content_hash:
                result.unchanged += 1
            else:
                result.new += 1
            self.articles[art.id] = art
        return result

    def record_run(self, run: CrawlRunStats) -> None:
        self.runs.append(run)


class JsonlSink(MemorySink):
    """A MemorySink persisted as JSON lines: articles in `path` (one Article per line, the
    latest copy per id) and runs appended to `runs_path`. Reloading it gives `known_pages`
    for conditional GET, so `python -m crawlers --out FILE` re-crawls incrementally."""

    def __init__(self, path: Path, runs_path: Path | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.runs_path = Path(runs_path) if runs_path else self.path.with_suffix(".runs.jsonl")
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    art = Article.model_validate_json(line)
                    self.articles[art.id] = art

    def write(self, articles: Sequence[Article]) -> WriteResult:
        result = super().write(articles)
        self._save()
        return result

    def record_run(self, run: CrawlRunStats) -> None:
        super().record_run(run)
        with self.runs_path.open("a", encoding="utf-8") as fh:
            fh.write(run.model_dump_json() + "\n")

    def _save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            "".join(a.model_dump_json() + "\n" for a in self.articles.values()), encoding="utf-8"
        )
        tmp.replace(self.path)


class SinkWriter:
    """Serialises calls into one sink from the crawl's worker threads (sinks need not be
    thread-safe) and never lets a sink exception escape into the reactor."""

    def __init__(self, sink: ArticleSink) -> None:
        self.sink = sink
        self._lock = threading.Lock()

    def write(self, batch: Sequence[Article]) -> WriteResult:
        with self._lock:
            try:
                return self.sink.write(batch)
            except Exception:
                log.exception(
                    "sink.write failed for %d articles: %s", len(batch), [a.url for a in batch]
                )
                return WriteResult(errors=len(batch))

    def known_pages(self, source_id: str) -> Mapping[str, PageState]:
        with self._lock:
            return self.sink.known_pages(source_id)

    def record_run(self, run: Any) -> None:
        with self._lock:
            try:
                self.sink.record_run(run)
            except Exception:
                log.exception("sink.record_run failed for %s", run.source_id)
