"""Read helpers used by ingest and the API. All Cypher comes from graph.cypher.

Every API read runs in one managed read transaction (`execute_read`, routed to readers in a
cluster) with a server-side timeout, and every list query has a LIMIT parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction, Query

from graph import cypher
from graph import read_models as m
from graph.access import Graph
from graph.temporal import native

Row = dict[str, Any]


def _run(driver: Driver, query: str, database: str | None, timeout: float | None = None,
         **params: Any) -> list[Row]:
    q = Query(query, timeout=timeout) if timeout else query
    records, _, _ = driver.execute_query(q, params, database_=database, routing_="r")
    return [r.data() for r in records]


Reads = Graph
"""The name the read functions (and their callers) use for `graph.access.Graph`."""


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
                    skip: int, limit: int, cap: int = 500) -> list[m.EntityHit]:
    rows = r.rows(cypher.entity_search(lucene is not None), q=q, lucene=lucene,
                  ticker=q.strip().upper(), labels=labels, skip=skip, limit=limit, cap=cap)
    return [m.EntityHit.of(row) for row in rows]


POLICY_WINDOW = 200  # latest mentioning articles / risk signals a profile's policies come from


def profile_queries(entity_id: str, limit: int = 20,
                    months: int = 36) -> dict[str, tuple[str, Row]]:
    """The statements an entity profile runs, with their parameters, by part (the plan test
    and the benchmark profile exactly these)."""
    q = {"id": entity_id, "limit": limit}
    return {
        "core": (cypher.ENTITY_CORE, {"id": entity_id}),
        "relations": (cypher.ENTITY_RELATIONS, {"id": entity_id, "limit": 200}),
        "mentions_by_month": (cypher.ENTITY_MENTIONS_BY_MONTH,
                              {"id": entity_id, "limit": months}),
        "latest_observations": (cypher.OBSERVATIONS_LATEST,
                                {"subject": entity_id, "as_of": None, "kind": None,
                                 "limit": limit}),
        "recent_articles": (cypher.ENTITY_RECENT_ARTICLES, q),
        "policies": (cypher.ENTITY_POLICIES, {**q, "window": POLICY_WINDOW}),
        "risks": (cypher.ENTITY_RISKS, q),
        "risk_counts": (cypher.ENTITY_RISK_COUNTS, {"id": entity_id}),
    }


def entity_profile(r: Reads, entity_id: str, limit: int = 20,
                   months: int = 36) -> m.EntityProfile | None:
    queries = profile_queries(entity_id, limit, months)

    def work(tx: ManagedTransaction) -> m.EntityProfile | None:
        def part(name: str) -> list[Row]:
            query, params = queries[name]
            return data(tx, query, **params)

        core = part("core")
        if not core:
            return None
        p = core[0]
        return m.EntityProfile(
            entity=m.Entity.node(p["entity"], p["labels"]),
            mention_count=p["mentions"], article_count=p["articles"],
            relations=[m.Relation.of(x) for x in part("relations")],
            mentions_by_month=[m.MonthCount.of(x) for x in part("mentions_by_month")],
            latest_observations=[m.Observation.of(x) for x in part("latest_observations")],
            recent_articles=[m.MentioningArticle.of(x) for x in part("recent_articles")],
            policies=[m.PolicyLink.of(x) for x in part("policies")],
            risks=[m.Risk.of(x) for x in part("risks")],
            risk_counts={x["category"]: x["signals"] for x in part("risk_counts")},
        )

    return r.tx(work)


# --- observations ---------------------------------------------------------------------------


def latest_observations(r: Reads, subject: str, kind: str | None, as_of: date | None,
                        limit: int) -> list[m.Observation]:
    rows = r.rows(cypher.OBSERVATIONS_LATEST, subject=subject, kind=kind, as_of=as_of,
                  limit=limit)
    return [m.Observation.of(row) for row in rows]


def series_query(subject: str, kind: str, *, period: str | None = None,
                 side: str | None = None, currency: str | None = None,
                 since: date | None = None, until: date | None = None,
                 after: tuple[date, str] | None = None, limit: int = 100) -> tuple[str, Row]:
    lower = max(d for d in (since, after[0] if after else None, date.min) if d is not None)
    return cypher.OBSERVATION_SERIES, {
        "lower": lower, "subject": subject, "kind": kind, "period": period, "side": side,
        "currency": currency, "since": since, "until": until,
        "after_date": after[0] if after else None, "after_id": after[1] if after else None,
        "limit": limit}


def observation_series(r: Reads, subject: str, kind: str, *, period: str | None = None,
                       side: str | None = None, currency: str | None = None,
                       since: date | None = None, until: date | None = None,
                       after: tuple[date, str] | None = None,
                       limit: int = 100) -> list[m.Observation]:
    query, params = series_query(subject, kind, period=period, side=side, currency=currency,
                                 since=since, until=until, after=after, limit=limit)
    return [m.Observation.of(row) for row in r.rows(query, **params)]


def price_comparison(r: Reads, side: str | None, as_of: date | None,
                     subjects: list[str] | None, limit: int) -> list[m.ProviderQuote]:
    rows = r.rows(cypher.PRICE_COMPARISON, side=side, as_of=as_of, subjects=subjects,
                  limit=limit)
    return [m.ProviderQuote.of(row) for row in rows]


# --- policies -------------------------------------------------------------------------------


def list_policies(r: Reads, *, issuer: str | None, status: str | None, since: date | None,
                  until: date | None, q: str | None, after: tuple[date, str] | None,
                  limit: int) -> list[m.PolicySummary]:
    rows = r.rows(cypher.POLICY_LIST, issuer=issuer, status=status, since=since, until=until,
                  q=q, after_key=after[0] if after else None,
                  after_id=after[1] if after else None, limit=limit)
    return [m.PolicySummary.of(row) for row in rows]


def policy_detail(r: Reads, policy_id: str, limit: int = 50) -> m.PolicyDetail | None:
    def work(tx: ManagedTransaction) -> m.PolicyDetail | None:
        rows = data(tx, cypher.POLICY_DETAIL, id=policy_id)
        if not rows:
            return None
        p = rows[0]
        return m.PolicyDetail.model_validate({
            **native(p["policy"]),
            "issuers": [m.Issuer.of(i) for i in p["issuers"] if i.get("id")],
            "articles": [m.MentioningArticle.of(a) for a in data(
                tx, cypher.POLICY_ARTICLES, id=policy_id, limit=limit)],
            "companies": [m.CompanyCount.of(c) for c in data(
                tx, cypher.POLICY_COMPANIES, id=policy_id, limit=limit)],
        })

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
                  cursor: tuple[datetime, str] | None) -> list[m.ArticleHit]:
    published, aid = cursor if cursor else (None, None)
    rows = r.rows(cypher.ARTICLE_LIST, **flt.params(), limit=limit, cursor_published=published,
                  cursor_id=aid)
    return [m.ArticleHit.of(row) for row in rows]


def search_articles(r: Reads, lucene: str, flt: ArticleFilter, skip: int, limit: int,
                    cap: int = 2000) -> list[m.ArticleHit]:
    rows = r.rows(cypher.ARTICLE_SEARCH, lucene=lucene, **flt.params(), skip=skip, limit=limit,
                  cap=cap)
    return [m.ArticleHit.of(row) for row in rows]


def article_detail(r: Reads, article_id: str, limit: int = 200) -> m.ArticleDetail | None:
    def work(tx: ManagedTransaction) -> m.ArticleDetail | None:
        rows = data(tx, cypher.ARTICLE_DETAIL, id=article_id)
        if not rows:
            return None
        a, art = rows[0], native(rows[0]["article"])
        q = {"id": article_id, "limit": limit}
        return m.ArticleDetail.model_validate({
            **art, "source": a["source"], "duplicate_of": a["duplicate_of"],
            "duplicates": a["duplicates"],
            "policy_fields": {k: art[k] for k in m.POLICY_FIELDS
                              if art.get(k) not in (None, [])},
            "mentions": [m.Mention.of(x) for x in data(tx, cypher.ARTICLE_MENTIONS, **q)],
            "observations": [m.ArticleObservation.of(x)
                             for x in data(tx, cypher.ARTICLE_OBSERVATIONS, **q)],
            "risks": [m.ArticleRisk.of(x) for x in data(tx, cypher.ARTICLE_RISKS, **q)],
        })

    return r.tx(work)


# --- risks, sources, crawl runs ---------------------------------------------------------------


def list_risks(r: Reads, *, category: str | None, entity: str | None, since: datetime | None,
               until: datetime | None, cursor: tuple[datetime, str] | None,
               limit: int) -> list[m.Risk]:
    published, rid = cursor if cursor else (None, None)
    rows = r.rows(cypher.RISK_LIST, category=category, entity=entity, since=since, until=until,
                  cursor_published=published, cursor_id=rid, limit=limit)
    return [m.Risk.of(row) for row in rows]


def _source(row: Row) -> Row:
    """A SOURCE_* row's fields; runs without an id (no run yet) are left out."""
    return {**row["source"], **{k: v for k, v in row.items() if k != "source"},
            "runs": [m.CrawlRun.of(c) for c in row["runs"] if c.get("id")]}


def list_sources(r: Reads, after_id: str | None, limit: int,
                 window: int = 10) -> list[m.SourceSummary]:
    rows = r.rows(cypher.SOURCE_LIST, after_id=after_id, limit=limit, window=window)
    return [m.SourceSummary.of(_source(row)) for row in rows]


def source_detail(r: Reads, source_id: str, window: int = 10) -> m.SourceDetail | None:
    rows = r.rows(cypher.SOURCE_DETAIL, id=source_id, window=window)
    return m.SourceDetail.of(_source(rows[0])) if rows else None


def crawl_runs(r: Reads, *, source: str | None, status: str | None,
               cursor: tuple[datetime, str] | None, limit: int) -> list[m.CrawlRun]:
    started, cid = cursor if cursor else (None, None)
    rows = r.rows(cypher.CRAWL_RUNS, source=source, status=status, cursor_started=started,
                  cursor_id=cid, limit=limit)
    return [m.CrawlRun.of(row["run"]) for row in rows]
