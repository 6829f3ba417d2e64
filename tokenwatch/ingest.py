"""The crawl → extract → link glue: an `ArticleSink` backed by the extractor and Neo4j."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from neo4j import Driver

from crawlers.dedupe import NEAR_DUPLICATE_DISTANCE, MinHash, hamming, minhash, same_story
from crawlers.types import Article, CrawlRunStats, PageState, WriteResult
from graph import reader, writer
from graph.temporal import to_datetime
from graph.writer import Duplicate
from nlp import DocInput, Extractor
from nlp.kb import KnowledgeBase, load_kb, unseen_agency_id
from nlp.types import Extraction, PolicyInfo

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


_NEVER = datetime.max.replace(tzinfo=UTC)


def _when(value: object) -> datetime:
    """Publication time for ordering copies; unknown sorts last (never the original)."""
    try:
        when = to_datetime(value)
    except TypeError:
        return _NEVER
    return when or _NEVER


@dataclass(frozen=True)
class _Copy:
    id: str
    simhash: int
    published: datetime
    minhash: MinHash | None = None


def _stored_minhash(cand: Mapping[str, object]) -> MinHash | None:
    sig, n = cand.get("minhash"), cand.get("mh_n")
    if isinstance(sig, list) and isinstance(n, int) and n > 0:
        return MinHash(tuple(int(v) for v in sig), n)
    return None


def _close(a: _Copy, b: _Copy) -> bool:
    """Same story: simhash within the threshold (long bodies), or MinHash Jaccard and
    containment high enough (short bodies, where a disclaimer moves many simhash bits)."""
    if hamming(a.simhash, b.simhash) <= NEAR_DUPLICATE_DISTANCE:
        return True
    return a.minhash is not None and b.minhash is not None and same_story(a.minhash, b.minhash)


def find_duplicates(
    articles: Sequence[Article], candidates: Sequence[dict[str, object]]
) -> list[Duplicate]:
    """Pure: near-duplicate links (simhash within NEAR_DUPLICATE_DISTANCE bits, or MinHash
    `same_story` for short bodies; `distance` stays the simhash distance). The earliest
    published copy is the original, whichever was crawled first: a stored article found to be
    a later copy of an incoming one is linked to it (the link then points at the older one)."""
    stored: dict[str, list[_Copy]] = {}
    for cand in candidates:
        sim = cand.get("simhash")
        if isinstance(sim, int):
            stored.setdefault(str(cand["id"]), []).append(
                _Copy(str(cand["other_id"]), sim, _when(cand.get("published_at")),
                      _stored_minhash(cand))
            )
    dups: list[Duplicate] = []
    originals: list[_Copy] = []  # this batch's originals so far, oldest first
    linked: set[str] = set()
    for art in sorted(articles, key=lambda a: (_when(a.published_at), a.id)):
        if art.simhash is None:
            continue
        me = _Copy(art.id, art.simhash, _when(art.published_at), minhash(art.text))
        close = [
            (hamming(me.simhash, c.simhash), c)
            for c in [*stored.get(art.id, []), *originals]
            if c.id != art.id and c.id not in linked and _close(me, c)
        ]
        if not close:
            originals.append(me)
            continue
        dist, other = min(close, key=lambda dc: (dc[1].published, dc[0], dc[1].id))
        if other.published <= me.published:
            dups.append(Duplicate(id=me.id, first_id=other.id, distance=dist))
        else:  # the stored copy is the later one
            dups.append(Duplicate(id=other.id, first_id=me.id, distance=dist))
            linked.add(other.id)
            originals.append(me)
    return dups


def issuer_id(kb: KnowledgeBase, printed: str | None) -> str | None:
    """Pure: the agency id for a page's printed issuer: a KB agency, the parent agency of a
    sub-unit (办公厅, 司, 局), or else an unseen agency of that name, never nothing."""
    if not printed or not printed.strip():
        return None
    return kb.resolve_agency(printed) or unseen_agency_id(printed)


def with_page_policy(article: Article, extraction: Extraction, kb: KnowledgeBase) -> Extraction:
    """Pure: a policy page's own fields (document number, issuer, dates) become a policy of
    the extraction, linked to the KB policy with the same document number and to the issuing
    agency, unless the text already yielded that policy."""
    page = article.policy
    if page is None or not (page.doc_number or article.title):
        return extraction
    if page.doc_number and any(p.doc_number == page.doc_number for p in extraction.policies):
        return extraction
    known = next(
        (e.id for e in kb.of_kind("policy") if page.doc_number and e.doc_number == page.doc_number),
        None,
    )
    policy = PolicyInfo(
        id=known,
        title=article.title or str(page.doc_number),
        doc_number=page.doc_number,
        issuer=issuer_id(kb, page.issuer),
        issued_at=page.issued_at.isoformat() if page.issued_at else None,
        effective_at=page.effective_at.isoformat() if page.effective_at else None,
        start=0,
        end=len(article.title),  # offsets index into title + "\n\n" + text
    )
    return extraction.model_copy(update={"policies": (*extraction.policies, policy)})


def duplicates_for(driver: Driver, articles: Sequence[Article],
                   database: str | None = None) -> list[Duplicate]:
    """Near-duplicate links for incoming articles: stored candidates that share a simhash
    band or a MinHash band with one of them, judged by `find_duplicates`."""
    cand_rows = [
        {
            "id": a.id,
            **dict(zip(("sh0", "sh1", "sh2", "sh3"), writer.simhash_bands(a.simhash), strict=True)),
            **{k: v for k, v in writer.minhash_props(a.text).items() if k.startswith("mb")},
        }
        for a in articles
        if a.simhash is not None
    ]
    candidates = reader.simhash_candidates(driver, cand_rows, database) if cand_rows else []
    return find_duplicates(articles, candidates)


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
