"""End to end: a crawled article reporting a 97% price cut for a watched model goes through
the REAL extractor (nlp.Extractor), GraphSink and Neo4j, and produces exactly one signed
delivery carrying the evidence sentence and the article URL."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

import pytest
from neo4j import Driver

from alerts.delivery import DeliveryWorker
from alerts.evaluate import AlertEvaluator
from alerts.settings import AlertSettings
from crawlers.types import Article
from graph import outbox, writer
from graph.access import Graph
from graph.settings import Neo4jSettings
from tests.alerts.conftest import make_rule, make_webhook
from tests.alerts.receiver import Receiver
from tokenwatch.ingest import GraphSink

pytestmark = [pytest.mark.neo4j, pytest.mark.http, pytest.mark.slow]

URL = "https://tech.example.cn/2026/12/01/deepseek-price-cut.html"
SENTENCE = "12月1日，深度求索宣布DeepSeek-V3 API价格下调97%，输入价格降至每百万tokens 0.1元。"


def article(url: str = URL, text: str | None = None) -> Article:
    body = text or (SENTENCE + "业内人士认为此举将加剧大模型价格战，云厂商或将跟进。")
    return Article(id=hashlib.sha1(url.encode()).hexdigest()[:16], url=url, canonical_url=url,
                   source_id="tech-news", title="DeepSeek宣布API大幅降价", text=body, lang="zh",
                   published_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
                   fetched_at=datetime.now(UTC),
                   content_hash=hashlib.sha256(body.encode()).hexdigest())


def test_price_cut_article_produces_exactly_one_signed_delivery(
        graph: Driver, neo4j_settings: Neo4jSettings, alert_settings: AlertSettings,
        receiver: Receiver, secret: str) -> None:
    nlp = pytest.importorskip("nlp")
    extractor = nlp.Extractor.get()
    db = neo4j_settings.database
    writer.write_sources(graph, [writer.SourceRow("tech-news", "Tech", "industry", "zh",
                                                  "https://tech.example.cn")], db)
    make_webhook(graph, "desk-a", receiver.url, secret)
    make_rule(graph, "desk-a", {"type": "metric", "condition": "price_cut", "threshold": 0.9,
                                "subjects": ["deepseek-v3"]}, severity="critical")
    make_rule(graph, "desk-b", {"type": "metric", "condition": "price_cut", "threshold": 0.99})
    worker = DeliveryWorker(graph, alert_settings, db).start()
    evaluator = AlertEvaluator(graph, alert_settings, db, listeners=[worker.wake])
    sink = GraphSink(graph, extractor, db, on_batch=[evaluator.on_batch])
    try:
        result = sink.write([article()])
        assert result.new == 1
        assert receiver.wait_for(lambda r: len(r.requests) >= 1)
        sink.write([article()])  # unchanged: nothing new to evaluate
        # the same news from another outlet within the cooldown joins the alert
        sink.write([article("https://other.example.cn/news/1",
                            SENTENCE + "多家媒体转载了这一消息。")])
        time.sleep(0.5)
    finally:
        worker.stop(5)
    assert len(receiver.requests) == 1
    req = receiver.requests[0]
    assert req.verified and req.webhook_id.startswith("msg_")
    payload = receiver.processed[req.webhook_id]
    assert payload["type"] == "alert.created"
    data = payload["data"]
    assert data["severity"] == "critical" and data["entities"] == ["deepseek-v3"]
    assert "97%" in data["title"]
    [evidence] = data["evidence"]
    assert evidence["url"] == URL and evidence["sentence"] == SENTENCE
    [alert] = outbox.list_alerts(Graph(graph), "desk-a")
    assert alert.occurrences == 2  # the second outlet was grouped, not re-sent
    assert outbox.list_alerts(Graph(graph), "desk-b") == []  # 97% < that owner's 99% threshold
