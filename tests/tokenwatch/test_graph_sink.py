"""The production sink against the real Neo4j and the real extractor: edits replace an
article's facts, policy pages become Policy nodes, ingest keeps the caller's ids."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime

import orjson
import pytest
from neo4j import Driver

from crawlers.types import Article, PolicyFields
from graph.access import Graph
from graph.kb import write_kb
from graph.settings import Neo4jSettings
from nlp import Extractor
from nlp.kb import load_kb
from tokenwatch.ingest import GraphSink

pytestmark = pytest.mark.neo4j

T0 = datetime(2025, 7, 1, 8, tzinfo=UTC)


def article(aid: str, title: str, text: str, policy: PolicyFields | None = None) -> Article:
    return Article(id=aid, url=f"https://news.example.test/{aid}.html",
                   canonical_url=f"https://news.example.test/{aid}.html", source_id="src",
                   title=title, text=text, lang="zh", published_at=T0, fetched_at=T0,
                   content_hash=str(hash(text)), simhash=None, policy=policy)


def rows(driver: Driver, query: str, **params: object) -> list[dict[str, object]]:
    return [r.data() for r in driver.execute_query(query, params).records]


@pytest.fixture
def sink(empty_graph: Driver, neo4j_settings: Neo4jSettings) -> GraphSink:
    write_kb(Graph(empty_graph, neo4j_settings.database), load_kb())
    return GraphSink(empty_graph, Extractor.get(), neo4j_settings.database)


def test_an_edited_article_replaces_its_facts(sink: GraphSink, empty_graph: Driver) -> None:
    before = article("d2", "豆包用量", "火山引擎表示，豆包大模型日均Tokens使用量超16.4万亿。"
                     "分析师警告，AI应用落地不及预期。")
    sink.write([before])
    after = before.model_copy(update={
        "text": "据报道，" + "火山引擎表示，豆包大模型日均Tokens使用量超16.4万亿。",
        "content_hash": "edited",
    })
    sink.write([after])
    obs = rows(empty_graph, "MATCH (:Article {id: 'd2'})-[:REPORTS]->(o) RETURN o.value AS v")
    assert obs == [{"v": 1.64e13}]  # one figure, not the old copy beside the new one
    risks = rows(empty_graph, "MATCH (:Article {id: 'd2'})-[:SIGNALS]->(s) RETURN s.quote AS q")
    assert risks == []  # the risk sentence was edited out
    assert rows(empty_graph, "MATCH (o:Observation) RETURN count(o) AS n") == [{"n": 1}]


def test_a_policy_page_becomes_a_policy_issued_by_its_agency(
    sink: GraphSink, empty_graph: Driver
) -> None:
    page = article(
        "p1", "国务院办公厅关于加快发展词元经济的通知",
        "各省、自治区、直辖市人民政府：现就加快发展词元经济有关事项通知如下。",
        PolicyFields(doc_number="国办发〔2025〕99号", issuer="国务院办公厅",
                     issued_at=date(2025, 7, 1), effective_at=date(2025, 8, 1)),
    )
    sink.write([page])
    found = rows(
        empty_graph,
        "MATCH (a:Article {id: 'p1'})-[:MENTIONS]->(p:Policy {doc_number: '国办发〔2025〕99号'}) "
        "OPTIONAL MATCH (p)-[:ISSUED_BY]->(g:Agency) "
        "RETURN p.title AS title, p.kb AS kb, g.id AS issuer, p.issued_at AS issued, "
        "p.search_terms AS terms",
    )
    assert len(found) == 1
    assert found[0]["title"] == "国务院办公厅关于加快发展词元经济的通知"
    assert found[0]["issuer"] == "state-council-office" and found[0]["kb"] is False
    assert "国办发〔2025〕99号" in str(found[0]["terms"])
    assert str(found[0]["issued"]) == "2025-07-01"


def test_a_page_of_a_known_policy_links_to_the_kb_entry(
    sink: GraphSink, empty_graph: Driver
) -> None:
    known = next(e for e in load_kb().of_kind("policy") if e.doc_number)
    page = article("p2", "政策原文", "正文。", PolicyFields(doc_number=known.doc_number))
    sink.write([page])
    linked = rows(empty_graph, "MATCH (:Article {id: 'p2'})-[:MENTIONS]->(p:Policy) "
                               "RETURN p.id AS id")
    assert linked == [{"id": known.id}]
    assert rows(empty_graph, "MATCH (p:Policy {doc_number: $d}) RETURN count(p) AS n",
                d=known.doc_number) == [{"n": 1}]


def test_ingest_keeps_ids_reads_loose_dates_and_leaves_sources_alone(
    empty_graph: Driver, neo4j_settings: Neo4jSettings
) -> None:
    empty_graph.execute_query(
        "CREATE (:Source {id: 'gov', name: '国务院', kind: 'policy', lang: 'zh', url: 'https://gov'})"
    )
    lines = [
        orjson.dumps({"id": "d1", "text": "国家数据局表示，我国日均Token消耗量突破30万亿。",
                      "published_at": "2025/07/01 08:00", "url": "https://x.test/a?utm_source=z"}),
        b'{"id": 7, "text": "wrong id type"}',
        orjson.dumps({"id": "d3", "text": "DeepSeek cut prices by 75%.", "lang": "en"}),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "tokenwatch", "ingest", "-", "--source", "gov"],
        input=b"\n".join(lines) + b"\n", capture_output=True, timeout=300, check=False,
        env={**os.environ, "NEO4J_URI": str(neo4j_settings.uri)},
    )
    assert proc.returncode == 1  # one bad line
    assert b"line 2" in proc.stderr and b"id" in proc.stderr
    got = rows(empty_graph, "MATCH (a:Article) RETURN a.id AS id, a.published_at AS p "
                            "ORDER BY id")
    assert [g["id"] for g in got] == ["d1", "d3"]
    assert str(got[0]["p"]).startswith("2025-07-01T08:00")
    src = rows(empty_graph, "MATCH (s:Source {id: 'gov'}) RETURN s.kind AS k, s.name AS n")
    assert src == [{"k": "policy", "n": "国务院"}]
