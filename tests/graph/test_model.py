"""The data model: idempotent batched writes, provenance, KB relations, observations kept as
reported, concurrent writers without duplicates."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
from neo4j import Driver

from crawlers.types import Article
from graph import reader, writer
from graph.access import Graph
from graph.kb import write_kb
from graph.reader import Reads
from graph.settings import Neo4jSettings
from nlp.kb import load_kb
from nlp.types import Entity, Extraction, Metric

pytestmark = pytest.mark.neo4j


def _q(driver: Driver, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(query, params)
    return [r.data() for r in records]


def _snapshot(driver: Driver) -> tuple[int, int, list[Any], list[Any]]:
    nodes, rels = reader.counts(driver)
    props = _q(driver, "MATCH (n) WITH n ORDER BY n.id, elementId(n) "
                       "RETURN collect([labels(n), properties(n)]) AS p")[0]["p"]
    rprops = _q(driver, "MATCH (a)-[r]->(b) WITH a, r, b ORDER BY a.id, type(r), b.id "
                        "RETURN collect([a.id, type(r), b.id, properties(r)]) AS p")[0]["p"]
    return nodes, rels, props, rprops


def test_ingesting_and_reloading_twice_changes_nothing(
    sample_graph: Driver, neo4j_settings: Neo4jSettings, sample_items: list[Any]
) -> None:
    before = _snapshot(sample_graph)
    writer.write_batch(sample_graph, writer.build_batch(sample_items), neo4j_settings.database)
    write_kb(Graph(sample_graph, neo4j_settings.database), load_kb())
    assert _snapshot(sample_graph) == before


def test_every_relationship_carries_provenance(sample_graph: Driver) -> None:
    rows = _q(sample_graph, """
        MATCH (x)-[r]->(y)
        RETURN type(r) AS t, labels(x)[0] AS src, properties(r) AS p""")
    assert rows
    for row in rows:
        t, p = row["t"], row["p"]
        if t == "MENTIONS":
            assert p["offsets"] and p["sentences"] and p["count"] >= 1, row
        elif t in ("REPORTS", "SIGNALS"):
            assert p["start"] < p["end"] and p["sentence"], row
        elif t in ("ABOUT", "CONCERNS"):
            assert p["article_id"] and p["start"] < p["end"] and p["sentence"], row
        elif t in ("MADE_BY", "PART_OF", "ISSUED_BY"):
            assert p.get("source") == "kb" or p.get("article_id"), row
        else:
            assert t == "FROM", row  # (Article|CrawlRun)-[:FROM]->(Source): the node is the source


def test_kb_relations(sample_graph: Driver) -> None:
    rels = {(r["a"], r["t"], r["b"]) for r in _q(sample_graph, """
        MATCH (a)-[r:MADE_BY|PART_OF|ISSUED_BY]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b""")}
    assert ("qwen", "MADE_BY", "alibaba-cloud") in rels
    assert ("alibaba-cloud", "PART_OF", "alibaba") in rels
    assert ("genai-interim-measures", "ISSUED_BY", "cac") in rels
    assert ("state-council-office", "PART_OF", "state-council") in rels  # agencies too
    kb = load_kb()
    assert _q(sample_graph, "MATCH (e {kb: true}) RETURN count(e) AS n")[0]["n"] == len(kb)
    policy = _q(sample_graph,
                "MATCH (p:Policy {id: 'genai-interim-measures'}) RETURN p.issued_at AS d")
    assert policy[0]["d"].to_native() == date(2023, 7, 10)


def test_conflicting_reports_are_both_kept(sample_graph: Driver) -> None:
    rows = reader.latest_observations(Reads(sample_graph), "doubao", "token_volume", None, 10)
    assert sorted((r.value, r.provenance.source_id) for r in rows) == [
        (16.0e12, "src-en"), (16.4e12, "src-zh")]
    assert {r.as_of for r in rows} == {date(2025, 5, 31)}


def _article(aid: str, day: str) -> Article:
    return Article(id=aid, url=f"https://t.test/{aid}", canonical_url=f"https://t.test/{aid}",
                   source_id="src-zh", title="", text="Qwen price 1.0 yuan.", lang="en",
                   published_at=datetime.fromisoformat(day + "T00:00:00+00:00"),
                   fetched_at=datetime(2025, 1, 1, tzinfo=UTC), content_hash=aid)


def _price(aid: str, value: float, as_of: str | None) -> tuple[Article, Extraction]:
    return _article(aid, "2025-03-05"), Extraction(id=aid, lang="en", entities=(
        Entity(type="model", text="Qwen", start=0, end=4, id="qwen", kb=True),), metrics=(
        Metric(kind="token_price", value=value, currency="CNY", side="input", subject="qwen",
               as_of=as_of, start=11, end=19, quote="Qwen price 1.0 yuan."),))


def test_latest_and_as_of_are_queries(sample_graph: Driver, neo4j_settings: Neo4jSettings) -> None:
    writer.write_batch(sample_graph, writer.build_batch([
        _price("p-feb", 2.0, "2025-02-01"), _price("p-mar", 1.0, None)]), neo4j_settings.database)
    reads = Reads(sample_graph)

    def latest(as_of: date | None) -> list[float]:
        rows = reader.latest_observations(reads, "qwen", "token_price", as_of, 10)
        return sorted(r.value for r in rows)

    # no as_of reported: the article's day (2025-03-05) dates the figure
    assert latest(None) == [0.8]  # 2025-05-01 from the sample
    assert latest(date(2025, 4, 1)) == [1.0]
    assert latest(date(2025, 2, 28)) == [2.0]
    assert latest(date(2024, 12, 31)) == []
    count = _q(sample_graph, "MATCH (o:Observation {subject_id: 'qwen'}) RETURN count(o) AS n")
    assert count[0]["n"] == 3


def test_concurrent_writers_never_duplicate(empty_graph: Driver, neo4j_settings: Neo4jSettings,
                                            sample_items: list[Any]) -> None:
    """Eight threads write overlapping batches (same articles, same entities) at once."""
    extra = [_price(f"c-{i}", float(i), "2025-01-01") for i in range(12)]
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(k: int) -> None:
        try:
            start.wait()
            items = sample_items[k % 5:] + sample_items[: k % 5] + extra[k % 3::2]
            writer.write_batch(empty_graph, writer.build_batch(items), neo4j_settings.database)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    dup_nodes = _q(empty_graph, """
        MATCH (n) WITH labels(n) AS l, n.id AS id, count(*) AS c WHERE c > 1 RETURN l, id, c""")
    dup_rels = _q(empty_graph, """
        MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(r) AS c WHERE c > 1
        RETURN a.id AS a, t, b.id AS b, c""")
    assert dup_nodes == [] and dup_rels == []
    assert _q(empty_graph, "MATCH (a:Article) RETURN count(a) AS n")[0]["n"] == 5 + len(extra)
    assert _q(empty_graph, "MATCH (e:Model {id: 'qwen'}) RETURN count(e) AS n")[0]["n"] == 1
