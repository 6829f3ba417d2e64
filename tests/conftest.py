"""Shared fixtures: one real embedded Neo4j per test session (or NEO4J_URI when set)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph import db
from graph.access import Graph
from graph.embedded import embedded_neo4j, free_port
from graph.settings import Neo4jSettings


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jSettings]:
    """Settings pointing at a live database: NEO4J_URI if set, else a fresh embedded one."""
    base = Neo4jSettings()
    if base.uri:
        yield base
        return
    home: Path = tmp_path_factory.mktemp("neo4j-home")
    settings = base.model_copy(update={"home": home, "heap_mb": 1024})
    port = free_port()
    with embedded_neo4j(settings, port=port) as uri:
        yield settings.model_copy(update={"uri": uri, "port": port})


@pytest.fixture(scope="session")
def driver(neo4j_settings: Neo4jSettings) -> Iterator[Driver]:
    drv = db.open_driver(neo4j_settings)
    db.wait_until_reachable(drv)
    db.apply_schema(drv, neo4j_settings.database)
    yield drv
    drv.close()


@pytest.fixture
def empty_graph(driver: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    """The shared database, emptied (schema kept) before the test."""
    # CALL … IN TRANSACTIONS needs an auto-commit transaction (session.run, not execute_query)
    with driver.session(database=neo4j_settings.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    return driver


# --- API fixtures (graph/API owner): a live app over the session database ----------------

TEST_ADMIN_KEY = "tw_testadmin01_" + "s3cret-admin-key-for-tests-only"


@pytest.fixture(scope="session")
def admin_key() -> str:
    """An admin API key valid for `api_client` (the app's bootstrap TOKENWATCH_ADMIN_KEY; it
    is re-ensured automatically if a test wiped the graph)."""
    return TEST_ADMIN_KEY


@pytest.fixture(scope="session")
def api_client(driver: Driver, neo4j_settings: Neo4jSettings, admin_key: str) -> Iterator[Any]:
    """`TestClient(create_app(neo4j_settings))` with the lifespan run; rate limits off.
    Send `headers={"Authorization": f"Bearer {admin_key}"}` (or a `make_key(...)` key)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import ApiSettings

    api = ApiSettings(admin_key=admin_key, rate_per_min=0, key_cache_s=0)
    with TestClient(create_app(neo4j_settings, api_settings=api)) as client:
        yield client


@pytest.fixture
def make_key(driver: Driver, neo4j_settings: Neo4jSettings) -> Any:
    """`make_key(role="reader", owner="alice") -> "tw_<id>_<secret>"`: a fresh key in the graph
    (call it after `empty_graph`, which deletes keys too)."""
    from api.auth import issue_key

    def make(role: str = "reader", owner: str = "tester", name: str = "test") -> str:
        key, _ = issue_key(Graph(driver, neo4j_settings.database), role, owner, name)  # type: ignore[arg-type]
        return key

    return make


def auth_headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- a small, hand-checked graph (graph/API owner) ----------------------------------------

def _sample_items() -> list[Any]:
    """Five articles with extractions written out by hand (offsets found in the text)."""
    from datetime import UTC, datetime

    from crawlers.types import Article
    from nlp.types import Entity, Extraction, Metric, PolicyInfo, Risk

    def art(aid: str, src: str, lang: str, day: str, title: str, text: str) -> Article:
        return Article(id=aid, url=f"https://example.test/{aid}", canonical_url=f"https://example.test/{aid}",
                       source_id=src, title=title, text=text, lang=lang,  # type: ignore[arg-type]
                       published_at=datetime.fromisoformat(day + "T08:00:00+00:00"),
                       fetched_at=datetime(2025, 7, 1, tzinfo=UTC), content_hash=f"h-{aid}")

    def ent(joined: str, kind: str, surface: str, eid: str) -> Entity:
        start = joined.index(surface)
        return Entity(type=kind, text=surface, start=start, end=start + len(surface), id=eid,  # type: ignore[arg-type]
                      name=surface, kb=not eid.startswith("new:"))

    def span(joined: str, s: str) -> tuple[int, int]:
        i = joined.index(s)
        return i, i + len(s)

    items = []
    a1 = art("art-zh-qwen", "src-zh", "zh", "2025-05-01", "阿里云通义千问降价",
             "阿里云宣布通义千问输入价格降至每百万tokens 0.8元。分析师担心价格战影响盈利。"
             "《生成式人工智能服务管理暂行办法》要求备案。")
    j1 = f"{a1.title}\n\n{a1.text}"
    s, e = span(j1, "每百万tokens 0.8元")
    r0, r1 = span(j1, "分析师担心价格战影响盈利。")
    items.append((a1, Extraction(id=a1.id, lang="zh", entities=(
        ent(j1, "company", "阿里云", "alibaba-cloud"), ent(j1, "model", "通义千问", "qwen"),
        ent(j1, "policy", "生成式人工智能服务管理暂行办法", "genai-interim-measures")),
        metrics=(Metric(kind="token_price", value=0.8, currency="CNY", side="input",
                        subject="qwen", subject_text="通义千问", as_of="2025-05-01", start=s,
                        end=e, quote="阿里云宣布通义千问输入价格降至每百万tokens 0.8元。"),),
        risks=(Risk(category="market_sentiment", text="分析师担心价格战影响盈利。", start=r0,
                    end=r1, entities=("alibaba-cloud",)),))))
    a2 = art("art-en-deepseek", "src-en", "en", "2025-05-02", "DeepSeek cuts prices",
             "DeepSeek said DeepSeek-V3 input costs $0.27 per million tokens. "
             "Alibaba Cloud's Qwen price is 0.8 yuan.")
    j2 = f"{a2.title}\n\n{a2.text}"
    s, e = span(j2, "$0.27 per million tokens")
    items.append((a2, Extraction(id=a2.id, lang="en", entities=(
        ent(j2, "company", "DeepSeek", "deepseek"), ent(j2, "model", "DeepSeek-V3", "deepseek-v3"),
        ent(j2, "company", "Alibaba Cloud", "alibaba-cloud")),
        metrics=(Metric(kind="token_price", value=0.27, currency="USD", side="input",
                        subject="deepseek-v3", as_of="2025-05-01", start=s, end=e,
                        quote="DeepSeek said DeepSeek-V3 input costs $0.27 per million "
                              "tokens."),))))
    for aid, src, lang, day, value, text in (
        ("art-zh-doubao", "src-zh", "zh", "2025-06-01", 16.4e12,
         "字节跳动豆包大模型日均tokens调用量达16.4万亿。国家互联网信息办公室发布标识办法。"),
        ("art-en-doubao", "src-en", "en", "2025-06-02", 16.0e12,
         "ByteDance said Doubao processes 16 trillion tokens per day."),
    ):
        a = art(aid, src, lang, day, "", text)
        j = a.text
        fig = "16.4万亿" if lang == "zh" else "16 trillion tokens per day"
        s, e = span(j, fig)
        ents = [ent(j, "company", "字节跳动" if lang == "zh" else "ByteDance", "bytedance"),
                ent(j, "model", "豆包" if lang == "zh" else "Doubao", "doubao")]
        if lang == "zh":
            ents += [ent(j, "agency", "国家互联网信息办公室", "cac"),
                     ent(j, "policy", "标识办法", "ai-content-labeling-measures")]
        items.append((a, Extraction(id=a.id, lang=lang, entities=tuple(ents), metrics=(  # type: ignore[arg-type]
            Metric(kind="token_volume", value=value, period="day", subject="doubao",
                   as_of="2025-05-31", start=s, end=e, quote=j.split("。")[0]),))))
    a5 = art("art-zh-policy", "src-zh", "zh", "2025-08-27",
             "国务院关于深入实施“人工智能+”行动的意见",
             "国务院印发意见（国发〔2025〕11号）。字节跳动和阿里云表示将响应。监管趋严或带来合规成本。")
    j5 = f"{a5.title}\n\n{a5.text}"
    p0, p1 = span(j5, "关于深入实施“人工智能+”行动的意见")
    r0, r1 = span(j5, "监管趋严或带来合规成本。")
    items.append((a5, Extraction(id=a5.id, lang="zh", entities=(
        ent(j5, "agency", "国务院", "state-council"), ent(j5, "company", "字节跳动", "bytedance"),
        ent(j5, "company", "阿里云", "alibaba-cloud"),
        Entity(type="policy", text="关于深入实施“人工智能+”行动的意见", start=p0, end=p1,
               id="ai-plus-opinions", name="关于深入实施“人工智能+”行动的意见", kb=True)),
        policies=(PolicyInfo(id="ai-plus-opinions", title="关于深入实施“人工智能+”行动的意见",
                             doc_number="国发〔2025〕11号", issuer="state-council", start=p0,
                             end=p1),),
        risks=(Risk(category="policy_regulatory", text="监管趋严或带来合规成本。", start=r0, end=r1,
                    entities=("bytedance", "alibaba-cloud")),))))
    return items


def load_sample_graph(driver: Driver, database: str | None = None) -> None:
    """KB + two sources + five articles + three crawl runs, through the real writers."""
    from datetime import UTC, datetime

    from crawlers.types import CrawlRunStats
    from graph import writer
    from graph.kb import write_kb
    from nlp.kb import load_kb

    write_kb(Graph(driver, database), load_kb())
    writer.write_sources(driver, [
        writer.SourceRow("src-zh", "新华科技", "industry", "zh", "https://zh.example.test"),
        writer.SourceRow("src-en", "Tech Wire", "intl", "en", "https://en.example.test"),
    ], database)
    writer.write_batch(driver, writer.build_batch(_sample_items()), database)
    for rid, src, day, status in (("run-1", "src-zh", 1, "ok"), ("run-2", "src-zh", 2, "failed"),
                                  ("run-3", "src-en", 1, "ok")):
        writer.write_crawl_run(driver, CrawlRunStats(
            id=rid, source_id=src, started_at=datetime(2025, 7, day, tzinfo=UTC),
            ended_at=datetime(2025, 7, day, 0, 5, tzinfo=UTC), pages_fetched=10,
            new_articles=3 if status == "ok" else 0,
            errors={"http_5xx": 10} if status == "failed" else {}, status=status), database)


@pytest.fixture
def sample_graph(empty_graph: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    """`empty_graph` loaded with the KB and a small hand-checked corpus (see load_sample_graph)."""
    load_sample_graph(empty_graph, neo4j_settings.database)
    return empty_graph


@pytest.fixture
def sample_items() -> list[Any]:
    """The (Article, Extraction) pairs `sample_graph` writes."""
    return _sample_items()


@pytest.fixture(scope="module")
def shared_sample_graph(driver: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    """Like `sample_graph`, loaded once per test module: for modules that only read."""
    with driver.session(database=neo4j_settings.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    load_sample_graph(driver, neo4j_settings.database)
    return driver
