"""The boundary between crawling and everything after it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from crawlers.types import Article, CrawlRunStats, PageState, WriteResult


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
