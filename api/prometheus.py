"""`/metrics` in the Prometheus text format (prometheus-client), and request latencies.

Per app a registry of its own (tests build many apps). Counts that live in the graph (crawl
runs, articles, extraction errors, deliveries, the delivery queue) are read at scrape time by
a collector; request latencies and the crawl queue are measured in this process."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from graph.ops import ops_counts

log = logging.getLogger(__name__)
EXTRACTION_KINDS = ("sink",)  # CrawlRun error kind of articles the extractor/writer failed on


class GraphCollector(Collector):
    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterator[Any]:
        state = self.app.state
        if not hasattr(state, "driver"):  # scraped before the lifespan opened the driver
            return
        try:
            counts = ops_counts(state.driver, state.neo4j_settings.database)
        except Exception as exc:  # the graph being down must not break the scrape
            log.warning("metrics: graph counts unavailable: %s", exc)
            up = GaugeMetricFamily("tokenwatch_graph_up", "the graph answered the scrape")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("tokenwatch_graph_up", "the graph answered the scrape")
        up.add_metric([], 1)
        yield up
        runs = CounterMetricFamily("tokenwatch_crawl_runs", "recorded crawl runs by status",
                                   labels=["status"])
        for status, n in sorted(counts.crawl_runs.items()):
            runs.add_metric([status], n)
        yield runs
        errors = CounterMetricFamily("tokenwatch_crawl_errors", "crawl errors by kind "
                                     "(robots_disallowed, http_404, timeout, …)", labels=["kind"])
        for kind, n in sorted(counts.crawl_errors.items()):
            errors.add_metric([kind], n)
        yield errors
        extraction = CounterMetricFamily("tokenwatch_extraction_errors",
                                         "articles the extractor or the graph writer failed on")
        extraction.add_metric([], sum(counts.crawl_errors.get(k, 0) for k in EXTRACTION_KINDS))
        yield extraction
        articles = GaugeMetricFamily("tokenwatch_articles", "articles in the graph")
        articles.add_metric([], counts.articles)
        yield articles
        deliveries = GaugeMetricFamily("tokenwatch_deliveries", "webhook deliveries by status",
                                       labels=["status"])
        for status, n in sorted(counts.deliveries.items()):
            deliveries.add_metric([status], n)
        yield deliveries
        queue = GaugeMetricFamily("tokenwatch_delivery_queue_depth",
                                  "deliveries waiting to be sent (pending or in flight)")
        queue.add_metric([], counts.deliveries.get("pending", 0) +
                         counts.deliveries.get("sending", 0))
        yield queue
        sched = state.services.scheduler
        crawls = GaugeMetricFamily("tokenwatch_crawls_running", "crawl subprocesses running")
        crawls.add_metric([], sched.running_crawls if sched is not None else 0)
        yield crawls


def install(app: FastAPI) -> None:
    registry = CollectorRegistry(auto_describe=False)
    latency = Histogram("tokenwatch_http_request_duration_seconds",
                        "API request latency by route template, method and status",
                        ["method", "route", "status"], registry=registry,
                        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
    registry.register(GraphCollector(app))
    app.state.metrics_registry = registry

    @app.middleware("http")
    async def _timed(request: Request,
                     call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", None) or "unmatched"  # ids never become labels
        if request.url.path.startswith("/v1/") and not template.startswith("/v1/"):
            template = "/v1" + template  # the versioned and alias routers share route objects
        latency.labels(request.method, template, str(response.status_code)).observe(
            time.perf_counter() - started)
        return response

    @app.get("/metrics", tags=["operations"], include_in_schema=True,
             response_class=Response,
             responses={200: {"content": {CONTENT_TYPE_LATEST: {}},
                              "description": "Prometheus text exposition format"}})
    def metrics() -> Response:
        """Prometheus metrics: crawl runs by status, crawl errors by kind, extraction errors,
        articles, deliveries by status, the delivery queue depth, running crawls and request
        latencies (`tokenwatch_http_request_duration_seconds`). Open like `/health`: counts
        only, no content."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
