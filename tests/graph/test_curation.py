"""Entity curation: merge (relationships, aliases, history move to the survivor), aliases,
KB reload — all idempotent, all without APOC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from neo4j import Driver

from crawlers.types import Article
from graph import curation, writer
from graph.access import Graph
from graph.kb import write_kb
from graph.settings import Neo4jSettings
from nlp.kb import load_kb
from nlp.types import Entity, Extraction, Metric, Risk

pytestmark = pytest.mark.neo4j
NEW = "new:company:阿里云计算"


def _q(driver: Driver, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(query, params)
    return [r.data() for r in records]


def _new_entity_article(aid: str) -> tuple[Article, Extraction]:
    text = "阿里云计算发布新价格，每百万tokens 0.5元。风险：需求不足。"
    art = Article(id=aid, url=f"https://t.test/{aid}", canonical_url=f"https://t.test/{aid}",
                  source_id="src-zh", title="", text=text, lang="zh",
                  published_at=datetime(2025, 6, 9, tzinfo=UTC),
                  fetched_at=datetime(2025, 6, 9, tzinfo=UTC), content_hash=aid)
    ext = Extraction(id=aid, lang="zh", entities=(
        Entity(type="company", text="阿里云计算", start=0, end=5, id=NEW, name="阿里云计算"),
        Entity(type="company", text="阿里云", start=0, end=3, id="alibaba-cloud", kb=True)),
        metrics=(Metric(kind="token_price", value=0.5, currency="CNY", subject=NEW,
                        as_of="2025-06-09", start=20, end=24, quote=text[:22]),),
        risks=(Risk(category="adoption_shortfall", text="风险：需求不足。", start=24, end=32,
                    entities=(NEW,)),))
    return art, ext


def _rels(driver: Driver, eid: str) -> list[tuple[str, str]]:
    rows = _q(driver, "MATCH (e {id: $id})-[r]-(o) RETURN type(r) AS t, o.id AS o", id=eid)
    return sorted((r["t"], r["o"]) for r in rows)


def test_merge_moves_everything_and_is_idempotent(sample_graph: Driver,
                                                  neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    writer.write_batch(sample_graph, writer.build_batch([_new_entity_article("cur-1")]), db)
    before = _q(sample_graph, "MATCH (e:Company {id: 'alibaba-cloud'})<-[m:MENTIONS]-"
                              "(a {id: 'cur-1'}) RETURN m.count AS c")[0]["c"]
    assert len(_rels(sample_graph, NEW)) == 3  # MENTIONS, ABOUT, CONCERNS

    res = curation.merge_entities(Graph(sample_graph, db), NEW, "alibaba-cloud")
    assert not res.already_merged and res.moved == 3
    assert res.survivor is not None
    assert "阿里云计算" in res.survivor.aliases and NEW in res.survivor.merged_ids
    assert _q(sample_graph, "MATCH (e:Company {id: $id}) RETURN e", id=NEW) == []
    # the two mentions in cur-1 are folded into one relationship with both counts
    m = _q(sample_graph, "MATCH (e:Company {id: 'alibaba-cloud'})<-[m:MENTIONS]-(a {id: 'cur-1'}) "
                         "RETURN count(m) AS n, m.count AS c")
    assert m == [{"n": 1, "c": before + 1}]
    about = _q(sample_graph, "MATCH (o:Observation {subject_id: 'alibaba-cloud'})-[:ABOUT]->"
                             "(e:Company {id: 'alibaba-cloud'}) RETURN o.value AS v")
    assert [r["v"] for r in about] == [0.5]
    assert _q(sample_graph, "MATCH (:RiskSignal {category: 'adoption_shortfall'})-[:CONCERNS]->"
                            "(e) RETURN e.id AS id") == [{"id": "alibaba-cloud"}]

    snapshot = _rels(sample_graph, "alibaba-cloud")
    again = curation.merge_entities(Graph(sample_graph, db), NEW, "alibaba-cloud")
    assert again.already_merged and again.moved == 0
    assert _rels(sample_graph, "alibaba-cloud") == snapshot

    # a later ingest naming the merged id lands on the survivor
    writer.write_batch(sample_graph, writer.build_batch([_new_entity_article("cur-2")]), db)
    assert _q(sample_graph, "MATCH (e:Company {id: $id}) RETURN e", id=NEW) == []
    assert ("MENTIONS", "cur-2") in _rels(sample_graph, "alibaba-cloud")


def test_kb_reload_keeps_a_merge(sample_graph: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    curation.merge_entities(Graph(sample_graph, db), "tencent-cloud", "tencent")
    assert ("PART_OF", "tencent") not in _rels(sample_graph, "tencent")  # no self-loop
    write_kb(Graph(sample_graph, db), load_kb())
    assert _q(sample_graph, "MATCH (e:Company {id: 'tencent-cloud'}) RETURN e") == []
    tencent = _q(sample_graph, "MATCH (e:Company {id: 'tencent'}) RETURN e.aliases AS a")[0]["a"]
    assert "腾讯云" in tencent and "Tencent Cloud" in tencent


def test_merge_refusals(sample_graph: Driver) -> None:
    with pytest.raises(curation.CurationError) as exc:
        curation.merge_entities(Graph(sample_graph), "nope", "alibaba")
    assert exc.value.not_found
    with pytest.raises(curation.CurationError) as exc:
        curation.merge_entities(Graph(sample_graph), "qwen", "alibaba")  # a model into a company
    assert not exc.value.not_found
    with pytest.raises(curation.CurationError):
        curation.merge_entities(Graph(sample_graph), "alibaba", "alibaba")


def test_add_alias_is_idempotent(sample_graph: Driver) -> None:
    first = curation.add_alias(Graph(sample_graph), "deepseek", "深度求索公司")
    assert first is not None and first.added and "深度求索公司" in first.entity.aliases
    again = curation.add_alias(Graph(sample_graph), "deepseek", "深度求索公司")
    assert again is not None and not again.added and again.entity.aliases == first.entity.aliases
    assert curation.add_alias(Graph(sample_graph), "no-such", "x") is None
