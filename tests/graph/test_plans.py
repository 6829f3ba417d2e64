"""Hot reads cost what the answer needs, not what the entity's history holds: every hot query,
PROFILEd for the hottest entity and for a cold one of a small generated graph, uses index
seeks only (no label or all-node scan), and the hot entity's db hits stay within a small
constant factor of the cold one's although it is in ten times as many articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from neo4j import Driver

from crawlers.types import Article
from graph import cypher, reader, writer
from graph.cypher import metrics as metric_queries
from nlp.types import Entity, Extraction, Metric, Risk

pytestmark = pytest.mark.neo4j

ARTICLES = 240  # the hot entity is in all of them, the cold one in one in ten
SCANS = {"NodeByLabelScan", "AllNodesScan", "DirectedAllRelationshipsScan",
         "UndirectedAllRelationshipsScan", "DirectedRelationshipTypeScan",
         "UndirectedRelationshipTypeScan"}
Queries = dict[str, tuple[str, dict[str, Any]]]


def _article(i: int) -> tuple[Article, Extraction]:
    names = ["co-hot", "mo-hot", "po-1"] + (["co-cold", "mo-cold"] if i % 10 == 0 else [])
    kinds = {"co": "company", "mo": "model", "po": "policy"}
    text = "。".join(names) + "。"
    spans, pos = [], 0
    for name in names:
        spans.append(Entity(type=kinds[name[:2]], text=name, start=pos, end=pos + len(name),  # type: ignore[arg-type]
                            id=name, name=name, kb=True))
        pos += len(name) + 1
    at = datetime(2023, 1, 1, 8, tzinfo=UTC) + timedelta(days=3 * i)
    day = at.date().isoformat()
    metrics = tuple(Metric(kind="token_volume", value=1e9 * (i + 1), period="day", subject=m,  # type: ignore[arg-type]
                           as_of=day, start=k, end=k + 2, quote=text[:8])
                    for k, m in enumerate(n for n in names if n.startswith("mo-")))
    risks = (Risk(category="market_sentiment", text=text[:6], start=0, end=6,
                  entities=tuple(n for n in names if n.startswith("co-"))),)
    aid = f"plan-{i:04d}"
    art = Article(id=aid, url=f"https://plan.test/{aid}", canonical_url=f"https://plan.test/{aid}",
                  source_id="src-plan", title="", text=text, lang="zh", published_at=at,
                  fetched_at=at, content_hash=aid)
    return art, Extraction(id=aid, lang="zh", entities=tuple(spans), metrics=metrics,
                           risks=risks)


@pytest.fixture(scope="module")
def skewed_graph(driver: Driver, neo4j_settings: Any) -> Driver:
    """The shared database, emptied, with the skewed articles (module scope: written once)."""
    with driver.session(database=neo4j_settings.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    items = [_article(i) for i in range(ARTICLES)]
    for lo in range(0, ARTICLES, 80):
        writer.write_batch(driver, writer.build_batch(items[lo:lo + 80]), neo4j_settings.database)
    return driver


LIMIT = 20  # every answer as long for the cold entity as for the hot one


def _hot_queries(entity: str, model: str) -> Queries:
    """The statements the API's hot reads run (entity profile, series, latest, 1-hop), with
    lists of LIMIT rows (the policies' window too), for `entity` and its model `model`."""
    hop = cypher.neighbour_hop(cypher.TRAVERSAL_RELS)
    out = {f"profile {k}": (q, {**p, "window": LIMIT} if "window" in p else p)
           for k, (q, p) in reader.profile_queries(entity, limit=LIMIT).items()}
    out["series"] = reader.series_query(model, "token_volume", limit=LIMIT)
    out["newest points"] = (metric_queries.OBSERVATIONS_RECENT,
                            {"subject": model, "kind": "token_volume", "limit": LIMIT,
                             "until": None, "side": None, "period": "day"})
    for name, as_of in (("latest", None), ("latest as of", datetime(2024, 6, 1).date())):
        out[name] = (cypher.OBSERVATIONS_LATEST, {
            "subject": model, "kind": None, "as_of": as_of, "limit": LIMIT})
    out["1-hop"] = (hop, {"frontier": [entity], "seen": [entity], "since": None,
                          "until": None, "labels": None, "limit": LIMIT})
    return out


def _profile(driver: Driver, query: str, params: dict[str, Any]) -> tuple[int, set[str]]:
    with driver.session(default_access_mode="READ") as session:
        plan = session.run("PROFILE " + query, params).consume().profile
    assert plan is not None

    def walk(p: dict[str, Any]) -> tuple[int, set[str]]:
        hits, ops = int(p.get("dbHits", 0)), {str(p["operatorType"]).split("@")[0]}
        for child in p.get("children", []):
            h, o = walk(child)
            hits, ops = hits + h, ops | o
        return hits, ops

    return walk(plan)


def test_the_hot_entity_is_in_ten_times_the_articles(skewed_graph: Driver) -> None:
    p = reader.entity_profile(reader.Reads(skewed_graph), "co-hot")
    q = reader.entity_profile(reader.Reads(skewed_graph), "co-cold")
    assert p is not None and q is not None
    assert (p.article_count, q.article_count) == (ARTICLES, ARTICLES // 10)


def test_hot_queries_seek_and_cost_the_same_for_hot_and_cold(skewed_graph: Driver) -> None:
    hot = _hot_queries("co-hot", "mo-hot")
    cold = _hot_queries("co-cold", "mo-cold")
    for name, (query, params) in hot.items():
        hot_hits, hot_ops = _profile(skewed_graph, query, params)
        cold_hits, cold_ops = _profile(skewed_graph, *cold[name])
        assert not (hot_ops | cold_ops) & SCANS, (name, (hot_ops | cold_ops) & SCANS)
        # a popularity-bound plan would cost ~10× here; the answer's size costs ≤ 2×
        assert hot_hits <= 2 * cold_hits + 20, (name, hot_hits, cold_hits)


def test_price_comparison_reads_the_aggregates_only(skewed_graph: Driver) -> None:
    _, ops = _profile(skewed_graph, cypher.PRICE_COMPARISON,
                      {"side": None, "as_of": None, "subjects": None, "limit": 100})
    assert not ops & SCANS
