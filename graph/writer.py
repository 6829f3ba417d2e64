"""Batched, idempotent writes. Rows are built by pure functions; each batch is written in one
managed transaction (retried by the driver on transient errors) as `UNWIND $rows` statements.
Writers receive the driver; they never create it."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from neo4j import Driver, ManagedTransaction

from crawlers.dedupe import minhash, minhash_bands
from crawlers.types import Article, CrawlRunStats
from graph import cypher
from nlp.text import Sentences, join_title
from nlp.types import Entity, Extraction

Row = dict[str, Any]


@dataclass(frozen=True)
class Duplicate:
    id: str
    first_id: str
    distance: int


@dataclass(frozen=True)
class SourceRow:
    id: str
    name: str
    kind: str
    lang: str
    url: str


@dataclass
class Batch:
    """Everything one ingest batch writes, as rows grouped by statement."""

    articles: list[Row] = field(default_factory=list)
    entities: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    observations: list[Row] = field(default_factory=list)
    risks: list[Row] = field(default_factory=list)
    policies: list[Row] = field(default_factory=list)
    duplicates: list[Row] = field(default_factory=list)

    def entity_ids(self) -> set[str]:
        ids = {r["id"] for rows in self.entities.values() for r in rows}
        ids |= {o["subject_id"] for o in self.observations if o.get("subject_id")}
        ids |= {e for r in self.risks for e in r["entities"]}
        return ids | {p["id"] for p in self.policies}

    def redirect(self, moved: dict[str, str]) -> None:
        """Point rows at the survivors of curated entity merges (old id -> survivor id)."""
        if not moved:
            return
        for kind, rows in self.entities.items():
            self.entities[kind] = [r for r in rows if r["id"] not in moved]
        for rows in self.mentions.values():
            for r in rows:
                r["entity_id"] = moved.get(r["entity_id"], r["entity_id"])
        for o in self.observations:
            o["subject_id"] = moved.get(o["subject_id"], o["subject_id"])
        for r in self.risks:
            r["entities"] = sorted({moved.get(e, e) for e in r["entities"]})
        for p in self.policies:
            p["id"] = moved.get(p["id"], p["id"])


def stable_id(*parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:20]


def simhash_bands(value: int | None) -> list[int | None]:
    """Four 16-bit bands: two hashes within Hamming distance 3 share at least one band."""
    if value is None:
        return [None, None, None, None]
    unsigned = value & 0xFFFFFFFFFFFFFFFF
    return [(unsigned >> (16 * i)) & 0xFFFF for i in range(4)]


def parse_as_of(value: str | None) -> date | None:
    """'2025-06-30' → that day; '2025-06' → the first of the month (precision kept apart)."""
    if not value:
        return None
    try:
        if len(value) == 7:
            return date.fromisoformat(value + "-01")
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def minhash_props(text: str) -> Row:
    """The MinHash signature, its shingle count and its LSH band keys (mb0…) of a body."""
    mh = minhash(text)
    return {
        "minhash": list(mh.signature) if mh else None,
        "mh_n": mh.shingles if mh else None,
        **{f"mb{i}": band for i, band in enumerate(minhash_bands(mh))},
    }


def article_row(article: Article) -> Row:
    bands = simhash_bands(article.simhash)
    pol = article.policy
    return {
        "id": article.id,
        "source_id": article.source_id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "text": article.text,
        "lang": article.lang,
        "published_at": article.published_at,
        "fetched_at": article.fetched_at,
        "content_hash": article.content_hash,
        "simhash": article.simhash,
        **{f"sh{i}": band for i, band in enumerate(bands)},
        **minhash_props(article.text),
        "etag": article.etag,
        "last_modified": article.last_modified,
        "doc_number": pol.doc_number if pol else None,
        "issuer": pol.issuer if pol else None,
        "issued_at": pol.issued_at if pol else None,
        "effective_at": pol.effective_at if pol else None,
        "attachments": list(pol.attachments) if pol else [],
    }


def _entity_id(ent: Entity) -> str:
    return ent.id or f"new:{ent.type}:{ent.text.strip().lower()}"


def mention_rows(article_id: str, joined: str, entities: Iterable[Entity]) -> dict[str, list[Row]]:
    grouped: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for ent in entities:
        grouped[(ent.type, _entity_id(ent))].append(ent)
    rows: dict[str, list[Row]] = defaultdict(list)
    sentences = Sentences(joined)
    for (kind, eid), ents in grouped.items():
        rows[kind].append(
            {
                "article_id": article_id,
                "entity_id": eid,
                "count": len(ents),
                "offsets": [x for e in ents for x in (e.start, e.end)],
                "surfaces": sorted({e.text for e in ents}),
                "sentences": [sentences.around(e.start, e.end) for e in ents[:5]],
            }
        )
    return rows


def entity_rows(entities: Iterable[Entity]) -> dict[str, list[Row]]:
    rows: dict[str, dict[str, Row]] = defaultdict(dict)
    for ent in entities:
        eid = _entity_id(ent)
        name = ent.name or ent.text
        rows[ent.type].setdefault(
            eid,
            {
                "id": eid,
                "name": name,
                "kb": ent.kb,
                "aliases": sorted({ent.text} - {name}),
                "search_terms": " ".join(sorted({name, ent.text})),
            },
        )
    return {kind: list(by_id.values()) for kind, by_id in rows.items()}


def observation_rows(article_id: str, extraction: Extraction) -> list[Row]:
    return [
        {
            "id": stable_id(article_id, m.kind, m.start, m.end),
            "article_id": article_id,
            "kind": m.kind,
            "value": m.value,
            "period": m.period,
            "currency": m.currency,
            "side": m.side,
            "as_of": parse_as_of(m.as_of),
            "quote": m.quote,
            "subject_id": m.subject,
            "subject_text": m.subject_text,
            "start": m.start,
            "end": m.end,
        }
        for m in extraction.metrics
    ]


def risk_rows(article_id: str, extraction: Extraction) -> list[Row]:
    return [
        {
            "id": stable_id(article_id, r.category, r.start, r.end),
            "article_id": article_id,
            "category": r.category,
            "score": r.score,
            "quote": r.text,
            "start": r.start,
            "end": r.end,
            "entities": list(r.entities),
        }
        for r in extraction.risks
    ]


def _unseen_name(agency_id: str | None) -> str | None:
    """The name an unseen agency (`new:agency:<name>`) is created with; None for KB ids."""
    prefix = "new:agency:"
    return agency_id[len(prefix):] if agency_id and agency_id.startswith(prefix) else None


def policy_rows(article_id: str, joined: str, extraction: Extraction) -> list[Row]:
    rows = []
    sentences = Sentences(joined)
    for p in getattr(extraction, "policies", ()):
        pid = p.id or "new:policy:" + stable_id(p.doc_number or p.title.strip())
        rows.append(
            {
                "id": pid,
                "article_id": article_id,
                "title": p.title,
                "doc_number": p.doc_number,
                "issuer": p.issuer,
                "issuer_name": _unseen_name(p.issuer),
                "issued_at": parse_as_of(p.issued_at),
                "effective_at": parse_as_of(p.effective_at),
                "start": p.start,
                "end": p.end,
                "sentence": sentences.around(p.start, p.end),
            }
        )
    return rows


def joined_text(article: Article) -> str:
    """The string extraction offsets index into (`nlp.text.join_title`)."""
    return join_title(article.title or None, article.text)


def build_batch(
    items: Sequence[tuple[Article, Extraction]], duplicates: Sequence[Duplicate] = ()
) -> Batch:
    batch = Batch()
    for article, extraction in items:
        batch.articles.append(article_row(article))
        for kind, rows in entity_rows(extraction.entities).items():
            batch.entities[kind].extend(rows)
        joined = joined_text(article)
        for kind, rows in mention_rows(article.id, joined, extraction.entities).items():
            batch.mentions[kind].extend(rows)
        batch.observations.extend(observation_rows(article.id, extraction))
        batch.risks.extend(risk_rows(article.id, extraction))
        batch.policies.extend(policy_rows(article.id, joined, extraction))
    batch.duplicates = [
        {"id": d.id, "first_id": d.first_id, "distance": d.distance} for d in duplicates
    ]
    return batch


def _by_id(rows: list[Row], key: str = "id") -> list[Row]:
    # a fixed lock order across concurrent writers makes deadlocks (and retries) rarer
    return sorted(rows, key=lambda r: str(r[key]))


def _write_batch(tx: ManagedTransaction, batch: Batch) -> None:
    ids = sorted(batch.entity_ids())
    if ids:
        moved = {r["id"]: r["into"] for r in tx.run(cypher.MERGED_REDIRECTS, ids=ids)}
        batch.redirect(moved)
    groups: set[str] = set()  # observation groups whose latest observation may have changed
    if batch.articles:
        article_ids = sorted(r["id"] for r in batch.articles)
        for rec in tx.run(cypher.CLEAR_ARTICLE_FACTS, ids=article_ids):
            groups.update(g for g in rec["groups"] if g)
        tx.run(cypher.MERGE_ARTICLES, rows=_by_id(batch.articles)).consume()
    for kind, rows in sorted(batch.entities.items()):
        if rows:
            tx.run(cypher.merge_entities(kind), rows=_by_id(rows)).consume()
    for kind, rows in sorted(batch.mentions.items()):
        tx.run(cypher.merge_mentions(kind), rows=_by_id(rows, "entity_id")).consume()
    if batch.observations:
        for rec in tx.run(cypher.MERGE_OBSERVATIONS, rows=_by_id(batch.observations)):
            groups.update(g for g in rec["groups"] if g)
    if groups:
        tx.run(cypher.REFRESH_LATEST, groups=sorted(groups)).consume()
    if batch.risks:
        tx.run(cypher.MERGE_RISKS, rows=_by_id(batch.risks)).consume()
    if batch.policies:
        tx.run(cypher.MERGE_POLICIES, rows=_by_id(batch.policies)).consume()
    if batch.duplicates:
        tx.run(cypher.MERGE_DUPLICATES, rows=batch.duplicates).consume()


def write_batch(driver: Driver, batch: Batch, database: str | None = None) -> None:
    """One managed write transaction per batch; MERGE keeps retries and replays idempotent."""
    with driver.session(database=database) as session:
        session.execute_write(_write_batch, batch)


def write_sources(driver: Driver, sources: Sequence[SourceRow],
                  database: str | None = None) -> None:
    rows = [s.__dict__ for s in sources]
    driver.execute_query(cypher.MERGE_SOURCES, rows=rows, database_=database)


def ensure_sources(driver: Driver, sources: Sequence[SourceRow],
                   database: str | None = None) -> None:
    """Create sources that do not exist yet; an existing source is left as it is."""
    rows = [s.__dict__ for s in sources]
    driver.execute_query(cypher.MERGE_SOURCES_IF_ABSENT, rows=rows, database_=database)


def write_crawl_run(driver: Driver, run: CrawlRunStats, database: str | None = None) -> None:
    props: Row = {
        "started_at": run.started_at,
        "ended_at": run.ended_at,
        "pages_fetched": run.pages_fetched,
        "new_articles": run.new_articles,
        "unchanged": run.unchanged,
        "duplicates": run.duplicates,
        "errors_total": sum(run.errors.values()),
        "error_kinds": sorted(run.errors),
        "error_counts": [run.errors[k] for k in sorted(run.errors)],
        "status": run.status,
        "health": run.health,
        "health_reason": run.health_reason,
        "detail": run.detail,
    }
    driver.execute_query(
        cypher.MERGE_CRAWL_RUN,
        row={"id": run.id, "source_id": run.source_id, "props": props},
        database_=database,
    )
