"""The glue: prepare the graph, crawl into it, ingest JSONL into it."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import orjson
from neo4j import Driver
from pydantic import ValidationError

from alerts.evaluate import batch_hooks
from crawlers.dates import parse_datetime
from crawlers.dedupe import simhash64
from crawlers.overlay import load_registry
from crawlers.registry import SourceConfig, select
from crawlers.types import Article, CrawlRunStats, WriteResult
from crawlers.urls import canonicalize
from graph import db, writer
from graph.access import Graph
from graph.embedded import neo4j_server
from graph.kb import write_kb
from graph.settings import Neo4jSettings
from nlp import DocInput, Extractor
from nlp.jsonl import check_utf8
from nlp.text import did_you_mean
from tokenwatch.errors import TokenwatchError
from tokenwatch.ingest import GraphSink
from tokenwatch.settings import get_settings

log = logging.getLogger(__name__)


def source_rows(sources: Sequence[SourceConfig]) -> list[writer.SourceRow]:
    return [
        writer.SourceRow(id=s.id, name=s.name, kind=s.kind, lang=s.lang, url=str(s.url))
        for s in sources
    ]


def prepare_graph(driver: Driver, sources: Sequence[SourceConfig], database: str | None) -> None:
    """Schema, KB and sources: idempotent, run at every start."""
    from nlp.kb import load_kb

    db.wait_until_reachable(driver)
    db.apply_schema(driver, database)
    write_kb(Graph(driver, database, None), load_kb())
    if sources:
        writer.write_sources(driver, source_rows(sources), database)


@contextlib.contextmanager
def graph_session(neo4j: Neo4jSettings, start: bool = True) -> Iterator[tuple[Driver, str]]:
    """A driver on a reachable database: NEO4J_URI (checked within its connect timeout, so a
    wrong address fails in seconds, not a minute), or the embedded one (launched unless
    `start` is False)."""
    with neo4j_server(neo4j, start=start) as uri:
        driver = db.open_driver(neo4j, uri)
        try:
            db.wait_until_reachable(driver, neo4j.connect_timeout_s)
            yield driver, uri
        finally:
            driver.close()


def run_crawl(
    ids: Sequence[str], sources_file: Path | None, neo4j: Neo4jSettings, show_progress: bool = True,
    report: Path | None = None,
) -> list[CrawlRunStats]:
    """Crawl and ingest; with `report`, what each poll found (new items, their publication
    times) is written there for the scheduler's adaptive intervals."""
    from crawlers.display import CrawlDisplay
    from crawlers.runner import crawl
    from tokenwatch.scheduler.observations import ObservingSink, write_reports

    registry = load_registry(sources_file, get_settings().overlay_path)
    chosen = select(registry, list(ids))
    with graph_session(neo4j) as (driver, _uri):
        prepare_graph(driver, registry, neo4j.database)
        sink = ObservingSink(GraphSink(
            driver, Extractor.get(), neo4j.database, on_batch=batch_hooks(driver, neo4j.database)
        ))
        if not show_progress:
            runs = crawl(chosen, sink)
        else:
            with CrawlDisplay(chosen) as display:
                runs = crawl(chosen, sink, progress=display)
    if report is not None:
        write_reports(report, sink.reports())
    return runs


def _article_from_doc(doc: DocInput, source_id: str, fetched_at: datetime) -> Article:
    """An ingested document as an Article: the caller's id is kept as the article id.
    Relative dates ("昨天 10:00") resolve against the document's reference_time, else
    `fetched_at` (when the ingest ran)."""
    url = doc.url or f"urn:tokenwatch:{source_id}:{doc.id}"
    lang = doc.lang or ("zh" if any("\u4e00" <= c <= "\u9fff" for c in doc.text[:500]) else "en")
    return Article(
        id=doc.id,
        url=url,
        canonical_url=canonicalize(url) if doc.url else url,
        source_id=source_id,
        title=doc.title or "",
        text=doc.text,
        lang=lang,
        # lenient: "2025-07-01", "2025/07/01 08:00", "2025年7月1日", RFC 2822 …; None if unreadable
        published_at=parse_datetime(doc.published_at, lang, _reference(doc, lang, fetched_at))
        if doc.published_at
        else None,
        fetched_at=fetched_at,
        content_hash=hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        simhash=simhash64(doc.text),
    )


def _reference(doc: DocInput, lang: str, fetched_at: datetime) -> datetime:
    given = parse_datetime(doc.reference_time, lang) if doc.reference_time else None
    return given or fetched_at


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        return f"{where}: {first['msg']}"
    return str(exc).splitlines()[0]


def parse_doc_lines(inp: TextIO, err: TextIO) -> tuple[list[tuple[int, DocInput]], int]:
    """(line number, document) for every good line; a bad line is reported and skipped."""
    docs: list[tuple[int, DocInput]] = []
    bad = 0
    for lineno, line in enumerate(inp, start=1):
        if not line.strip():
            continue
        try:
            check_utf8(line)
            docs.append((lineno, DocInput.model_validate(orjson.loads(line))))
        except (orjson.JSONDecodeError, ValueError) as exc:
            bad += 1
            err.write(f"line {lineno}: skipped: {_first_error(exc)}\n")
    return docs, bad


class UnknownSource(TokenwatchError):
    """`ingest --source` names a source that is neither registered nor in the graph."""


DEFAULT_INGEST_SOURCE = "ingest"


def check_ingest_source(source_id: str, known: Sequence[str], create: bool) -> None:
    """A typo must not create a phantom source: only known ids (or `create`) are accepted."""
    if create or source_id == DEFAULT_INGEST_SOURCE or source_id in known:
        return
    raise UnknownSource(
        f"--source {source_id!r} is not a known source{did_you_mean(source_id, known)}; "
        "known: `GET /v1/sources`; add --create-source to file documents under a new source"
    )


def to_articles(
    docs: Sequence[tuple[int, DocInput]], source_id: str, now: datetime, err: TextIO
) -> tuple[list[Article], int]:
    """Articles from parsed lines; an unreadable `published_at` is warned about (the article
    is kept, undated) and a document that cannot become an Article is skipped."""
    articles: list[Article] = []
    bad = 0
    for lineno, doc in docs:
        try:
            article = _article_from_doc(doc, source_id, now)
        except ValueError as exc:
            bad += 1
            err.write(f"line {lineno}: skipped document {doc.id!r}: {_first_error(exc)}\n")
            continue
        if doc.published_at and article.published_at is None:
            err.write(
                f"line {lineno}: warning: published_at {doc.published_at!r} is not a date "
                "(expected e.g. 2025-07-01, 2025/07/01 08:00, 2025年7月1日); stored undated\n"
            )
        articles.append(article)
    return articles, bad


def ingest_jsonl(
    inp: TextIO,
    source_id: str,
    neo4j: Neo4jSettings,
    err: TextIO,
    create_source: bool = False,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> tuple[WriteResult, int]:
    """Extract and link JSONL documents; `now` is the ingest's fetch time (the CLI passes the
    clock's reading; tests a fixed one). `progress(done, total)` after each batch."""
    fetched_at = now or datetime.now(UTC)  # the CLI edge: the one place the clock is read
    registry_ids = [s.id for s in load_registry(None, get_settings().overlay_path)]
    docs, bad = parse_doc_lines(inp, err)
    total = WriteResult()
    size = get_settings().ingest_batch_size
    with graph_session(neo4j) as (driver, _uri):
        known = sorted({*db.source_ids(Graph(driver, neo4j.database, None)), *registry_ids})
        check_ingest_source(source_id, known, create_source)
        prepare_graph(driver, [], neo4j.database)
        writer.ensure_sources(
            driver, [writer.SourceRow(source_id, source_id, "industry", "zh", "")], neo4j.database
        )
        sink = GraphSink(
            driver, Extractor.get(), neo4j.database, on_batch=batch_hooks(driver, neo4j.database)
        )
        articles, skipped = to_articles(docs, source_id, fetched_at, err)
        bad += skipped
        if progress is not None:
            progress(0, len(articles))
        for i in range(0, len(articles), size):
            res = sink.write(articles[i : i + size])
            total.new += res.new
            total.unchanged += res.unchanged
            total.duplicates += res.duplicates
            total.errors += res.errors
            if progress is not None:
                progress(min(i + size, len(articles)), len(articles))
    return total, bad
