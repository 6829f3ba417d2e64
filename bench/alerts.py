"""Alerts benchmark against a local receiver (real Neo4j, real extractor, real HTTP):

1. latency: one triggering article at a time (a price cut of a watched model) is ingested
   through GraphSink (extract → write → evaluate → outbox) until its signed webhook arrives at
   a loopback receiver; p50/p99 over `--articles`. Two paths: the in-process wake-up (alerts
   raised in the service process) and the poll path (alerts raised by a crawl subprocess; the
   worker finds them at its next poll, `--poll` seconds).
2. throughput: `--backlog` alerts are written to the outbox, then one delivery worker drains
   them to the receiver (deliveries/s, end to end: claim, sign, POST, record).

Uses NEO4J_URI when set, else starts an embedded Neo4j in a temporary directory.
Run: .venv/bin/python bench/alerts.py [--articles 100] [--backlog 2000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)

import orjson  # noqa: E402

from alerts import payloads, signing  # noqa: E402
from alerts.delivery import DeliveryWorker  # noqa: E402
from alerts.evaluate import AlertEvaluator  # noqa: E402
from alerts.settings import AlertSettings  # noqa: E402
from alerts.types import AlertDraft, Evidence  # noqa: E402
from crawlers.types import Article  # noqa: E402
from graph import db, outbox, writer  # noqa: E402
from graph.access import Graph  # noqa: E402
from graph.embedded import embedded_neo4j, free_port  # noqa: E402
from graph.settings import Neo4jSettings  # noqa: E402
from nlp import Extractor  # noqa: E402
from tokenwatch.ingest import GraphSink  # noqa: E402


class Sink:
    """The receiver: records arrival time per webhook-id (first arrival only)."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.alert_of: dict[str, str] = {}
        self.event = threading.Event()
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                at = time.perf_counter()
                msg = self.headers.get("webhook-id", "")
                data = orjson.loads(body)["data"]
                with sink.lock:
                    if msg not in sink.arrived:
                        sink.arrived[msg] = at
                        sink.alert_of[data["title"]] = msg
                sink.event.set()
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self) -> int:
        with self.lock:
            return len(self.arrived)


@contextlib.contextmanager
def neo4j() -> Iterator[tuple[Neo4jSettings, str]]:
    base = Neo4jSettings()
    if base.uri:
        yield base, base.uri
        return
    with tempfile.TemporaryDirectory() as home:
        settings = base.model_copy(update={"home": Path(home), "heap_mb": 1024})
        with embedded_neo4j(settings, port=free_port()) as uri:
            yield settings.model_copy(update={"uri": uri}), uri


def wipe(driver: Any, database: str | None) -> None:
    with driver.session(database=database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def article(i: int) -> Article:
    text = (f"12月{i % 28 + 1}日，深度求索宣布DeepSeek-V3 API价格下调{90 + i % 9}%，"
            f"输入价格降至每百万tokens 0.{i % 9 + 1}元。第{i}篇报道。")
    url = f"https://bench.example.cn/{i}"
    return Article(id=hashlib.sha1(url.encode()).hexdigest()[:16], url=url, canonical_url=url,
                   source_id="bench", title=f"降价新闻{i}", text=text, lang="zh",
                   published_at=datetime.now(UTC), fetched_at=datetime.now(UTC),
                   content_hash=hashlib.sha256(text.encode()).hexdigest())


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def latency(driver: Any, database: str | None, settings: AlertSettings, n: int,
            wake: bool) -> dict[str, float]:
    wipe(driver, database)
    outbox.apply_alert_schema(driver, database)
    sink_http = Sink()
    secret = signing.new_secret()
    now = datetime.now(UTC)
    writer.write_sources(driver, [writer.SourceRow("bench", "Bench", "industry", "zh", "")],
                         database)
    g = Graph(driver, database, None)
    outbox.save_webhook(g, {"id": "whk_bench", "owner": "bench", "url": sink_http.url,
                            "format": "generic", "secret": secret, "enabled": True,
                            "created_at": now})
    spec = {"type": "metric", "condition": "price_cut", "threshold": 0.5,
            "subjects": ["deepseek-v3"], "kind": None, "period": None, "currency": None,
            "direction": "any"}
    outbox.save_rule(g, {"id": "rul_bench", "owner": "bench", "name": "bench",
                         "type": "metric", "severity": "critical", "cooldown_s": 0.0,
                         "enabled": True, "webhook_ids": [], "spec": json.dumps(spec),
                         "created_at": now})
    worker = DeliveryWorker(driver, settings, database).start()
    evaluator = AlertEvaluator(driver, settings, database, listeners=[worker.wake] if wake else [])
    gsink = GraphSink(driver, Extractor.get(), database, on_batch=[evaluator.on_batch])
    gsink.write([article(10_000)])  # warm-up (pipeline, queries, connections)
    time.sleep(settings.poll_interval_s + 0.2)
    got: list[float] = []
    try:
        for i in range(n):
            before = sink_http.count()
            sink_http.event.clear()
            started = time.perf_counter()
            gsink.write([article(i)])
            while sink_http.count() == before:
                sink_http.event.wait(5)
                sink_http.event.clear()
            with sink_http.lock:
                arrived = max(sink_http.arrived.values())
            got.append((arrived - started) * 1000)
    finally:
        worker.stop(5)
        sink_http.server.shutdown()
    return {"p50_ms": round(pct(got, 50), 1), "p99_ms": round(pct(got, 99), 1),
            "mean_ms": round(statistics.fmean(got), 1), "n": n}


def throughput(driver: Any, database: str | None, settings: AlertSettings,
               backlog: int) -> dict[str, float]:
    wipe(driver, database)
    outbox.apply_alert_schema(driver, database)
    sink_http = Sink()
    now = datetime.now(UTC)
    g = Graph(driver, database, None)
    outbox.save_webhook(g, {"id": "whk_bench", "owner": "bench", "url": sink_http.url,
                            "format": "generic", "secret": signing.new_secret(),
                            "enabled": True, "created_at": now})
    drafts = [AlertDraft(rule_id=None, rule_type="bench", owner="bench", severity="info",
                         title=f"alert {i}", summary="bench", dedupe_key=f"k{i}",
                         evidence=(Evidence(url=f"https://b.example.cn/{i}", sentence="s"),))
              for i in range(backlog)]
    t0 = time.perf_counter()
    outbox.record_alerts(g, drafts, payloads.render, now)
    write_s = time.perf_counter() - t0
    worker = DeliveryWorker(driver, settings, database)
    t1 = time.perf_counter()
    worker.start()
    try:
        while sink_http.count() < backlog:
            sink_http.event.wait(1)
            sink_http.event.clear()
        drained = time.perf_counter() - t1
    finally:
        worker.stop(5)
        sink_http.server.shutdown()
    return {"backlog": backlog, "outbox_write_per_s": round(backlog / write_s, 1),
            "deliveries_per_s": round(backlog / drained, 1), "drain_s": round(drained, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--backlog", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--poll", type=float, default=1.0, help="worker poll interval (s)")
    args = ap.parse_args()
    settings = AlertSettings(allow_list=["127.0.0.1/32"], concurrency=args.concurrency,
                             poll_interval_s=args.poll, claim_batch=args.concurrency)
    with neo4j() as (neo, uri):
        driver = db.open_driver(neo, uri)
        try:
            db.wait_until_reachable(driver)
            db.apply_schema(driver, neo.database)
            results = {
                "latency_wake": latency(driver, neo.database, settings, args.articles, True),
                "latency_poll": latency(driver, neo.database, settings,
                                        max(10, args.articles // 4), False),
                "throughput": throughput(driver, neo.database, settings, args.backlog),
            }
        finally:
            driver.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
