"""The writer-kept aggregates (mention counts, month buckets, latest observations) equal what
the facts say after ingest, re-ingest, an edit that drops mentions and figures, a curated merge,
and after the migration backfills a database written before them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from neo4j import Driver

from crawlers.types import Article
from graph import aggregates, curation, db, reader, writer
from graph.reader import Reads
from graph.reads import metrics as metric_reads
from nlp.types import Entity, Extraction, Metric, Risk

pytestmark = pytest.mark.neo4j


def _q(driver: Driver, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(query, params)
    return [r.data() for r in records]


def _item(aid: str, day: date, ents: list[tuple[str, str, int]],
          metrics: tuple[Metric, ...] = (), risks: tuple[str, ...] = ()
          ) -> tuple[Article, Extraction]:
    """An article mentioning each (kind, id, times) entity; its text is just the names."""
    text, spans = "", []
    for kind, eid, times in ents:
        for _ in range(times):
            spans.append(Entity(type=kind, text=eid, start=len(text), end=len(text) + len(eid),  # type: ignore[arg-type]
                                id=eid, name=eid, kb=True))
            text += eid + "。"
    at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    art = Article(id=aid, url=f"https://agg.test/{aid}", canonical_url=f"https://agg.test/{aid}",
                  source_id="src-agg", title="", text=text, lang="zh", published_at=at,
                  fetched_at=at, content_hash=aid + text)
    about = tuple(sorted({eid for _, eid, _ in ents}))
    return art, Extraction(id=aid, lang="zh", entities=tuple(spans), metrics=metrics,
                           risks=tuple(Risk(category=c, text=text[:4], start=0, end=4,  # type: ignore[arg-type]
                                            entities=about) for c in risks))


def _price(value: float, as_of: str, side: str = "input", start: int = 0) -> Metric:
    return Metric(kind="token_price", value=value, currency="CNY", side=side, subject="mo-x",  # type: ignore[arg-type]
                  as_of=as_of, start=start, end=start + 4, quote="price")


def _write(driver: Driver, *items: tuple[Article, Extraction]) -> None:
    writer.write_batch(driver, writer.build_batch(list(items)))


def _truth(driver: Driver, eid: str) -> dict[str, Any]:
    """Counted from the facts, the way reads counted before the aggregates."""
    core = _q(driver, "MATCH (:Article)-[m:MENTIONS]->({id: $id}) "
                      "RETURN sum(coalesce(m.count, 1)) AS n, count(m) AS k", id=eid)[0]
    months = _q(driver, """
        MATCH (:Article)-[m:MENTIONS]->({id: $id}) WHERE m.published_at IS NOT NULL
        WITH date.truncate('month', m.published_at) AS month, sum(m.count) AS n, count(*) AS k
        RETURN month, n, k ORDER BY month DESC""", id=eid)
    latest = _q(driver, """
        MATCH (o:Observation {subject_id: $id}) WHERE o.date IS NOT NULL
        WITH o.kind AS kind, coalesce(o.side, '') AS side, max(o.date) AS d
        RETURN kind, side, d ORDER BY kind, side""", id=eid)
    risks = _q(driver, "MATCH (s:RiskSignal)-[:CONCERNS]->({id: $id}) "
                       "RETURN s.category AS c, count(*) AS n", id=eid)
    return {"mentions": core["n"], "articles": core["k"],
            "months": [(r["month"].to_native(), r["n"], r["k"]) for r in months],
            "latest": [(r["kind"], r["side"], r["d"].to_native()) for r in latest],
            "risks": {r["c"]: r["n"] for r in risks}}


def _kept(driver: Driver, eid: str) -> dict[str, Any]:
    """What the aggregates say (read through the reader's own statements)."""
    p = reader.entity_profile(Reads(driver), eid)
    assert p is not None
    latest = _q(driver, "MATCH (l:LatestObservation {subject_id: $id}) "
                        "RETURN l.kind AS kind, coalesce(l.side, '') AS side, l.date AS d "
                        "ORDER BY kind, side", id=eid)
    return {"mentions": p.mention_count, "articles": p.article_count,
            "months": [(m.month, m.mentions, m.articles) for m in p.mentions_by_month],
            "latest": [(r["kind"], r["side"], r["d"].to_native()) for r in latest],
            "risks": p.risk_counts}


def _assert_exact(driver: Driver, *ids: str) -> None:
    for eid in ids:
        assert _kept(driver, eid) == _truth(driver, eid), eid


def test_counts_stay_exact_through_ingest_reingest_and_edits(empty_graph: Driver) -> None:
    a1 = _item("agg-1", date(2025, 3, 4), [("company", "co-a", 2), ("model", "mo-x", 1)],
               (_price(2.0, "2025-03-04"),), ("market_sentiment",))
    a2 = _item("agg-2", date(2025, 3, 20), [("company", "co-a", 1)],
               risks=("market_sentiment", "policy_regulatory"))
    a3 = _item("agg-3", date(2025, 5, 1), [("company", "co-a", 3), ("model", "mo-x", 1)],
               (_price(1.5, "2025-05-01"), _price(6.0, "2025-05-01", "output", 5)))
    _write(empty_graph, a1, a2)
    _write(empty_graph, a3)
    _assert_exact(empty_graph, "co-a", "mo-x")
    assert _kept(empty_graph, "co-a")["mentions"] == 6
    assert _kept(empty_graph, "co-a")["months"] == [(date(2025, 5, 1), 3, 1),
                                                    (date(2025, 3, 1), 3, 2)]

    _write(empty_graph, a1, a3)  # re-ingest: nothing counted twice
    _write(empty_graph, a3)
    _assert_exact(empty_graph, "co-a", "mo-x")
    assert _kept(empty_graph, "co-a")["mentions"] == 6

    # edits: a3 no longer names co-a nor reports prices; a2 moves to another month
    _write(empty_graph, _item("agg-3", date(2025, 5, 1), [("model", "mo-x", 1)]),
           _item("agg-2", date(2025, 4, 2), [("company", "co-a", 1)],
                 risks=("market_sentiment", "policy_regulatory")))
    _assert_exact(empty_graph, "co-a", "mo-x")
    kept = _kept(empty_graph, "co-a")
    assert (kept["mentions"], kept["articles"]) == (3, 2)
    assert kept["months"] == [(date(2025, 4, 1), 1, 1), (date(2025, 3, 1), 2, 1)]
    assert kept["risks"] == {"market_sentiment": 2, "policy_regulatory": 1}
    _write(empty_graph, _item("agg-2", date(2025, 4, 2), [("company", "co-a", 1)]))
    assert _kept(empty_graph, "co-a")["risks"] == {"market_sentiment": 1}
    # the latest price falls back to the one the edit left
    assert _kept(empty_graph, "mo-x")["latest"] == [("token_price", "input", date(2025, 3, 4))]
    latest = reader.latest_observations(Reads(empty_graph), "mo-x", None, None, 10)
    assert [o.value for o in latest] == [2.0]


def test_a_merge_rebuilds_the_survivors_aggregates(empty_graph: Driver) -> None:
    _write(empty_graph,
           _item("mg-1", date(2025, 1, 5), [("company", "co-a", 1), ("company", "co-b", 2)],
                 risks=("adoption_shortfall",)),
           _item("mg-2", date(2025, 2, 5), [("company", "co-b", 1)], risks=("market_sentiment",)))
    _write(empty_graph, _item("mg-3", date(2025, 2, 6), [("company", "co-a", 1)]))
    curation.merge_entities(Reads(empty_graph), "co-b", "co-a")
    _assert_exact(empty_graph, "co-a")
    kept = _kept(empty_graph, "co-a")
    assert (kept["mentions"], kept["articles"]) == (5, 3)
    assert kept["risks"] == {"adoption_shortfall": 1, "market_sentiment": 1}
    left = _q(empty_graph, "MATCH (n:MentionMonth|LatestObservation|RiskCount) WHERE n.id STARTS WITH "
                           "'co-b|' RETURN count(n) AS n")
    assert left[0]["n"] == 0
    # a later ingest naming the merged id lands on the survivor, counted once
    _write(empty_graph, _item("mg-4", date(2025, 2, 9), [("company", "co-b", 1)]))
    _assert_exact(empty_graph, "co-a")
    assert _kept(empty_graph, "co-a")["mentions"] == 6


def test_the_migration_backfills_a_database_written_before_the_aggregates(
    empty_graph: Driver,
) -> None:
    _write(empty_graph,
           _item("mi-1", date(2025, 6, 1), [("company", "co-a", 2), ("model", "mo-x", 1)],
                 (_price(3.0, "2025-06-01"),), ("technology_shortfall",)),
           _item("mi-2", date(2025, 7, 1), [("company", "co-a", 1)]))
    expected = {eid: _truth(empty_graph, eid) for eid in ("co-a", "mo-x")}
    # what an older version left: no counters, buckets, latest nodes, keys or marker
    _q(empty_graph, "MATCH (n:MentionMonth|LatestObservation|RiskCount|Migration) "
                    "DETACH DELETE n")
    _q(empty_graph, "MATCH (e:Company|Model) REMOVE e.mention_count, e.article_count")
    _q(empty_graph, "MATCH ()-[m:MENTIONS]->() REMOVE m.entity_id")
    _q(empty_graph, "MATCH ()-[c:CONCERNS]->() REMOVE c.entity_id, c.category")
    _q(empty_graph, "MATCH (o:Observation) REMOVE o.group")
    assert reader.entity_profile(Reads(empty_graph), "co-a").mention_count == 0  # type: ignore[union-attr]

    db.apply_schema(empty_graph)
    for eid, truth in expected.items():
        assert _kept(empty_graph, eid) == truth
    profile = reader.entity_profile(Reads(empty_graph), "co-a")
    assert profile is not None and len(profile.recent_articles) == 2
    assert not aggregates.migrate(empty_graph)  # once per database


def test_an_entity_page_charts_the_newest_points_of_a_long_series(empty_graph: Driver) -> None:
    # twelve monthly prices: a page of five shows the last five, oldest first, with sources
    _write(empty_graph, *(_item(f"rs-{m}", date(2025, m, 3), [("model", "mo-x", 1)],
                                (_price(float(m), f"2025-{m:02d}-03"),)) for m in range(1, 13)))
    recent = metric_reads.recent_series(Reads(empty_graph), "mo-x", "token_price", 5)
    assert [o.value for o in recent] == [8.0, 9.0, 10.0, 11.0, 12.0]
    assert [o.provenance.article_id for o in recent] == [f"rs-{m}" for m in range(8, 13)]
    assert metric_reads.recent_series(Reads(empty_graph), "mo-x", "token_volume", 5) == []
    as_of = metric_reads.recent_series(Reads(empty_graph), "mo-x", "token_price", 2,
                                       until=date(2025, 6, 30))
    assert [o.value for o in as_of] == [5.0, 6.0]
    assert metric_reads.recent_series(Reads(empty_graph), "mo-x", "token_price", 2,
                                      side="output") == []
