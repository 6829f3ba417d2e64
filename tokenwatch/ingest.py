"""The crawl → extract → link glue: an `ArticleSink` backed by the extractor and Neo4j.
It only wires: dedupe is `graph.dedupe`, a page's policy fields `nlp.pagepolicy`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from neo4j import Driver

from crawlers.types import Article, CrawlRunStats, PageState, WriteResult
from graph import reader, writer
from graph.dedupe import duplicates_for
from nlp import DocInput, Extractor
from nlp.kb import load_kb
from nlp.pagepolicy import with_page_policy
from nlp.types import Extraction

log = logging.getLogger(__name__)

BatchHook = Callable[[Sequence[tuple[Article, Extraction]]], None]


def doc_input(article: Article) -> DocInput:
    return DocInput(
        id=article.id,
        text=article.text,
        title=article.title or None,
        lang=article.lang,
        published_at=article.published_at.isoformat() if article.published_at else None,
        url=article.url,
        reference_time=article.fetched_at.isoformat(),
    )


@dataclass
class GraphSink:
    """Extracts changed articles in one batched `pipe`, writes them in one transaction."""

    driver: Driver
    extractor: Extractor
    database: str | None = None
    on_batch: list[BatchHook] = field(default_factory=list)

    def known_pages(self, source_id: str) -> Mapping[str, PageState]:
        return {
            r["url"]: PageState(
                etag=r["etag"], last_modified=r["last_modified"], content_hash=r["content_hash"]
            )
            for r in reader.known_pages(self.driver, source_id, self.database)
        }

    def write(self, articles: Sequence[Article]) -> WriteResult:
        unique = list({a.id: a for a in articles}.values())
        stored = reader.existing_hashes(self.driver, [a.id for a in unique], self.database)
        changed = [a for a in unique if stored.get(a.id) != a.content_hash]
        result = WriteResult(unchanged=len(unique) - len(changed))
        if not changed:
            return result
        kb = load_kb()
        extractions = [
            with_page_policy(a, e, kb)
            for a, e in zip(
                changed, self.extractor.pipe(doc_input(a) for a in changed), strict=True
            )
        ]
        dups = duplicates_for(self.driver, changed, self.database)
        items = list(zip(changed, extractions, strict=True))
        writer.write_batch(self.driver, writer.build_batch(items, dups), self.database)
        copies_in_batch = {d.id for d in dups} & {a.id for a in changed}
        result.new = len(changed) - len(copies_in_batch)
        result.duplicates = len(dups)  # links made, including stored copies found later
        result.errors = sum(1 for e in extractions if e.error)
        for hook in self.on_batch:
            hook(items)
        return result

    def record_run(self, run: CrawlRunStats) -> None:
        writer.write_crawl_run(self.driver, run, self.database)
