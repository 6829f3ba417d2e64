"""Read helpers used by ingest and the API. All Cypher comes from graph.cypher.

Every API read runs in one managed read transaction (`execute_read`, routed to readers in a
cluster) with a server-side timeout, and every list query has a LIMIT parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction, Query, unit_of_work

from graph import cypher

Row = dict[str, Any]
T = TypeVar("T")


def _run(driver: Driver, query: str, database: str | None, timeout: float | None = None,
         **params: Any) -> list[Row]:
    q = Query(query, timeout=timeout) if timeout else query
    records, _, _ = driver.execute_query(q, params, database_=database, routing_="r")
    return [r.data() for r in records]


@dataclass(frozen=True)
class Reads:
    """Where and how long reads may run: a driver, a database and a per-transaction timeout."""

    driver: Driver
    database: str | None = None
    timeout: float | None = 10.0

    def tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run `work` in one read transaction with the server-side timeout."""
        timed = unit_of_work(timeout=self.timeout)(work) if self.timeout else work
        with self.driver.session(database=self.database, default_access_mode="READ") as s:
            return s.execute_read(timed)

    def rows(self, query: str, **params: Any) -> list[Row]:
        return self.tx(lambda tx: tx.run(query, params).data())


def data(tx: ManagedTransaction, query: str, **params: Any) -> list[Row]:
    return tx.run(query, params).data()


# --- ingest-side reads ------------------------------------------------------------------


def known_pages(driver: Driver, source_id: str, database: str | None = None) -> list[Row]:
    return _run(driver, cypher.KNOWN_PAGES, database, source_id=source_id)


def existing_hashes(driver: Driver, ids: Sequence[str],
                    database: str | None = None) -> dict[str, str]:
    rows = _run(driver, cypher.EXISTING_HASHES, database, ids=list(ids))
    return {r["id"]: r["content_hash"] for r in rows}


def simhash_candidates(driver: Driver, rows: list[Row], database: str | None = None) -> list[Row]:
    return _run(driver, cypher.SIMHASH_CANDIDATES, database, rows=rows)


def counts(driver: Driver, database: str | None = None) -> tuple[int, int]:
    rows = _run(driver, cypher.COUNTS, database)
    return int(rows[0]["nodes"]), int(rows[0]["rels"])


# --- entities -------------------------------------------------------------------------------


def resolve_entity(r: Reads, entity_id: str) -> str | None:
    """The id of the live entity: itself, or the survivor it was merged into."""

    def work(tx: ManagedTransaction) -> str | None:
        if data(tx, cypher.ENTITY_EXISTS, id=entity_id):
            return entity_id
        into = data(tx, cypher.MERGED_INTO, id=entity_id)
        return into[0]["into"] if into else None

    return r.tx(work)


def search_entities(r: Reads, q: str, lucene: str | None, labels: list[str] | None,
                    skip: int, limit: int, cap: int = 500) -> list[Row]:
    return r.rows(cypher.entity_search(lucene is not None), q=q, lucene=lucene,
                  ticker=q.strip().upper(), labels=labels, skip=skip, limit=limit, cap=cap)


def entity_profile(r: Reads, entity_id: str, limit: int = 20,
                   months: int = 36) -> Row | None:
    def work(tx: ManagedTransaction) -> Row | None:
        core = data(tx, cypher.ENTITY_CORE, id=entity_id)
        if not core:
            return None
        p = core[0]
        p["relations"] = data(tx, cypher.ENTITY_RELATIONS, id=entity_id, limit=200)
        p["mentions_by_month"] = data(tx, cypher.ENTITY_MENTIONS_BY_MONTH, id=entity_id,
                                      limit=months)
        p["latest_observations"] = data(tx, cypher.OBSERVATIONS_LATEST, subject=entity_id,
                                        as_of=None, kind=None, limit=limit)
        p["recent_articles"] = data(tx, cypher.ENTITY_RECENT_ARTICLES, id=entity_id, limit=limit)
        p["policies"] = data(tx, cypher.ENTITY_POLICIES, id=entity_id, limit=limit)
        p["risks"] = data(tx, cypher.ENTITY_RISKS, id=entity_id, limit=limit)
        p["risk_counts"] = data(tx, cypher.ENTITY_RISK_COUNTS, id=entity_id)
        return p

    return r.tx(work)


# --- observations ---------------------------------------------------------------------------


def latest_observations(r: Reads, subject: str, kind: str | None, as_of: date | None,
                        limit: int) -> list[Row]:
    return r.rows(cypher.OBSERVATIONS_LATEST, subject=subject, kind=kind, as_of=as_of,
                  limit=limit)


def observation_series(r: Reads, subject: str, kind: str, *, period: str | None = None,
                       side: str | None = None, currency: str | None = None,
                       since: date | None = None, until: date | None = None,
                       after: tuple[date, str] | None = None, limit: int = 100) -> list[Row]:
    return r.rows(cypher.OBSERVATION_SERIES, subject=subject, kind=kind, period=period,
                  side=side, currency=currency, since=since, until=until,
                  after_date=after[0] if after else None, after_id=after[1] if after else None,
                  limit=limit)


def price_comparison(r: Reads, side: str | None, as_of: date | None,
                     subjects: list[str] | None, limit: int) -> list[Row]:
    return r.rows(cypher.PRICE_COMPARISON, side=side, as_of=as_of, subjects=subjects,
                  limit=limit)


# --- policies -------------------------------------------------------------------------------


def list_policies(r: Reads, *, issuer: str | None, status: str | None, since: date | None,
                  until: date | None, q: str | None, after: tuple[date, str] | None,
                  limit: int) -> list[Row]:
    return r.rows(cypher.POLICY_LIST, issuer=issuer, status=status, since=since, until=until,
                  q=q, after_key=after[0] if after else None,
                  after_id=after[1] if after else None, limit=limit)


def policy_detail(r: Reads, policy_id: str, limit: int = 50) -> Row | None:
    def work(tx: ManagedTransaction) -> Row | None:
        rows = data(tx, cypher.POLICY_DETAIL, id=policy_id)
        if not rows:
            return None
        p = rows[0]
        p["articles"] = data(tx, cypher.POLICY_ARTICLES, id=policy_id, limit=limit)
        p["companies"] = data(tx, cypher.POLICY_COMPANIES, id=policy_id, limit=limit)
        return p

    return r.tx(work)


# --- articles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleFilter:
    source: str | None = None
    entity: str | None = None
    lang: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def params(self) -> Row:
        return {"source": self.source, "entity": self.entity, "lang": self.lang,
                "since": self.since, "until": self.until}


def list_articles(r: Reads, flt: ArticleFilter, limit: int,
                  cursor: tuple[datetime, str] | None) -> list[Row]:
    published, aid = cursor if cursor else (None, None)
    return r.rows(cypher.ARTICLE_LIST, **flt.params(), limit=limit, cursor_published=published,
                  cursor_id=aid)


def search_articles(r: Reads, lucene: str, flt: ArticleFilter, skip: int, limit: int,
                    cap: int = 2000) -> list[Row]:
    return r.rows(cypher.ARTICLE_SEARCH, lucene=lucene, **flt.params(), skip=skip, limit=limit,
                  cap=cap)


def article_detail(r: Reads, article_id: str, limit: int = 200) -> Row | None:
    def work(tx: ManagedTransaction) -> Row | None:
        rows = data(tx, cypher.ARTICLE_DETAIL, id=article_id)
        if not rows:
            return None
        a = rows[0]
        a["mentions"] = data(tx, cypher.ARTICLE_MENTIONS, id=article_id, limit=limit)
        a["observations"] = data(tx, cypher.ARTICLE_OBSERVATIONS, id=article_id, limit=limit)
        a["risks"] = data(tx, cypher.ARTICLE_RISKS, id=article_id, limit=limit)
        return a

    return r.tx(work)


# --- risks, sources, crawl runs ---------------------------------------------------------------


def list_risks(r: Reads, *, category: str | None, entity: str | None, since: datetime | None,
               until: datetime | None, cursor: tuple[datetime, str] | None,
               limit: int) -> list[Row]:
    published, rid = cursor if cursor else (None, None)
    return r.rows(cypher.RISK_LIST, category=category, entity=entity, since=since, until=until,
                  cursor_published=published, cursor_id=rid, limit=limit)


def list_sources(r: Reads, after_id: str | None, limit: int, window: int = 10) -> list[Row]:
    return r.rows(cypher.SOURCE_LIST, after_id=after_id, limit=limit, window=window)


def source_detail(r: Reads, source_id: str, window: int = 10) -> Row | None:
    rows = r.rows(cypher.SOURCE_DETAIL, id=source_id, window=window)
    return rows[0] if rows else None


def crawl_runs(r: Reads, *, source: str | None, status: str | None,
               cursor: tuple[datetime, str] | None, limit: int) -> list[Row]:
    started, cid = cursor if cursor else (None, None)
    return r.rows(cypher.CRAWL_RUNS, source=source, status=status, cursor_started=started,
                  cursor_id=cid, limit=limit)
