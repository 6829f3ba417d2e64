"""Issue 10 item 6: a policy page's printed issuer outside the KB is resolved to its parent
agency when it is a sub-unit (办公厅, 司, 局 of a ministry), and kept as an unseen Agency
otherwise: never dropped. Through the real writers into the real Neo4j."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from neo4j import Driver

from crawlers.types import Article, PolicyFields
from graph import writer
from graph.access import Graph
from graph.kb import write_kb
from graph.settings import Neo4jSettings
from nlp.kb import load_kb
from nlp.pagepolicy import issuer_id, with_page_policy
from nlp.types import Extraction


@pytest.mark.parametrize(("printed", "agency"), [
    ("工业和信息化部", "miit"),
    ("工业和信息化部办公厅", "miit"),
    ("中华人民共和国工业和信息化部办公厅", "miit"),
    ("工业和信息化部科技司", "miit"),
    ("工业和信息化部信息通信管理局", "miit"),
    ("公安部网络安全保卫局", "mps"),
    ("国家互联网信息办公室", "cac"),  # a KB agency whose own name ends in 办公室
])
def test_sub_units_resolve_to_their_agency(printed: str, agency: str) -> None:
    assert issuer_id(load_kb(), printed) == agency


@pytest.mark.parametrize("printed", ["某某省数据管理中心", "工业和信息化部研究中心附属实验工厂"])
def test_unknown_issuers_become_unseen_agencies(printed: str) -> None:
    assert issuer_id(load_kb(), printed) == f"new:agency:{printed}"


def page(aid: str, issuer: str, number: str) -> Article:
    return Article(id=aid, url=f"https://gov.example.test/{aid}",
                   canonical_url=f"https://gov.example.test/{aid}", source_id="gov-test",
                   title=f"关于推进算力标准化的通知（{number}）", text="各有关单位：现印发通知。",
                   lang="zh", published_at=datetime(2026, 3, 2, tzinfo=UTC),
                   fetched_at=datetime(2026, 3, 3, tzinfo=UTC), content_hash=f"h-{aid}",
                   policy=PolicyFields(doc_number=number, issuer=issuer))


@pytest.mark.neo4j
def test_issued_by_links_are_written(empty_graph: Driver, neo4j_settings: Neo4jSettings) -> None:
    kb = load_kb()
    write_kb(Graph(empty_graph, neo4j_settings.database), kb)
    articles = [page("p-office", "工业和信息化部办公厅", "工信厅科〔2026〕7号"),
                page("p-unseen", "某某省数据管理中心", "某数〔2026〕3号")]
    items = [(a, with_page_policy(a, Extraction(id=a.id, lang="zh"), kb)) for a in articles]
    writer.write_batch(empty_graph, writer.build_batch(items), neo4j_settings.database)
    records, _, _ = empty_graph.execute_query(
        "MATCH (p:Policy)-[:ISSUED_BY]->(g:Agency) RETURN p.doc_number AS doc, g.id AS id, "
        "g.kb AS kb, g.name AS name ORDER BY doc", database_=neo4j_settings.database)
    got = {r["doc"]: (r["id"], r["kb"], r["name"]) for r in records}
    assert got["工信厅科〔2026〕7号"][0] == "miit" and got["工信厅科〔2026〕7号"][1] is True
    assert got["某数〔2026〕3号"] == ("new:agency:某某省数据管理中心", False, "某某省数据管理中心")
