"""The crawl → extract → link glue: an `ArticleSink` backed by the extractor and Neo4j."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from neo4j import Driver

from crawlers.dedupe import NEAR_DUPLICATE_DISTANCE, hamming
from crawlers.types import Article, CrawlRunStats, PageState, WriteResult
from graph import reader, writer
from graph.writer import Duplicate
from nlp import DocInput, Extractor
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
    )


def find_duplicates(
    articles: Sequence[Article], candidates: Sequence[dict[str, object]]
) -> list[Duplicate]:
    """Pure: the nearest earlier copy (by simhash) of each article, within the threshold.
    Within the batch itself the first article seen is the original."""
    dups: list[Duplicate] = []
    by_id: dict[str, list[tuple[int, str]]] = {}
    for cand in candidates:
        sim = cand.get("simhash")
        if isinstance(sim, int):
            by_id.setdefault(str(cand["id"]), []).append((sim, str(cand["other_id"])))
    earlier: list[Article] = []
    for art in articles:
        if art.simhash is None:
            continue
        options = [
            (hamming(art.simhash, sim), other) for sim, other in by_id.get(art.id, [])
        ] + [(hamming(art.simhash, e.simhash), e.id) for e in earlier if e.simhash is not None]
        close = [o for o in options if o[0] <= NEAR_DUPLICATE_DISTANCE and o[1] != art.id]
        if close:
            dist, first = min(close)
            dups.append(Duplicate(id=art.id, first_id=first, distance=dist))
        else:
            earlier.append(art)
    return dups


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
        extractions = list(self.extractor.pipe(doc_input(a) for a in changed))
        cand_rows = [
            {"id": a.id, **dict(zip(("sh0", "sh1", "sh2", "sh3"), writer.simhash_bands(a.simhash), strict=True))}
            for a in changed
            if a.simhash is not None
        ]
        candidates = reader.simhash_candidates(self.driver, cand_rows, self.database) if cand_rows else []
        dups = find_duplicates(changed, candidates)
        items = list(zip(changed, extractions, strict=True))
        writer.write_batch(self.driver, writer.build_batch(items, dups), self.database)
        result.new = len(changed) - len(dups)
        result.duplicates = len(dups)
        result.errors = sum(1 for e in extractions if e.error)
        for hook in self.on_batch:
            hook(items)
        return result

    def record_run(self, run: CrawlRunStats) -> None:
        writer.write_crawl_run(self.driver, run, self.database)
