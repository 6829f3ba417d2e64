"""`tokenwatch up`: embedded Neo4j (unless NEO4J_URI), the API, the crawl scheduler and the
webhook delivery worker; Ctrl-C stops all (in-flight webhook attempts finish first)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import uvicorn
from neo4j import Driver

from alerts.delivery import DeliveryWorker
from alerts.evaluate import AlertEvaluator
from alerts.settings import get_alert_settings
from api.app import create_app
from api.settings import ApiSettings
from crawlers.overlay import load_registry
from crawlers.registry import SourceConfig
from crawlers.types import CrawlRunStats
from graph import outbox, writer
from graph.settings import Neo4jSettings
from tokenwatch.registry_reload import RegistryWatcher
from tokenwatch.scheduler import (
    CrawlOutcome,
    CrawlScheduler,
    build_crawl_scheduler,
    spec_from_source,
)
from tokenwatch.settings import AppSettings
from tokenwatch.workflow import graph_session, prepare_graph, source_rows

log = logging.getLogger(__name__)


def after_crawl(
    driver: Driver, evaluator: AlertEvaluator, database: str | None
) -> Callable[[CrawlOutcome], None]:
    """Record crawls that died without recording themselves (time limit, crash by signal) as
    failed CrawlRuns, then evaluate source-health rules for the source."""

    def hook(outcome: CrawlOutcome) -> None:
        if (outcome.detail or "").startswith("interrupted"):
            return  # stopped by our own shutdown: not the source's fault
        died = outcome.status == "timeout" or (outcome.exit_code or 0) < 0
        if died:
            kind = "timeout" if outcome.status == "timeout" else "crashed"
            writer.write_crawl_run(
                driver,
                CrawlRunStats(
                    id=f"sched-{uuid.uuid4().hex[:16]}",
                    source_id=outcome.source_id,
                    started_at=outcome.started_at,
                    ended_at=outcome.ended_at,
                    errors={kind: 1},
                    status="failed",
                    detail=outcome.detail,
                ),
                database,
            )
        evaluator.check_source_health([outcome.source_id])

    return hook


def registry_watcher(settings: AppSettings, sched: CrawlScheduler, driver: Driver,
                     database: str | None) -> RegistryWatcher:
    """Overlay edits reach the graph (new sources) and the scheduler (jobs) while running."""

    def apply(sources: Sequence[SourceConfig]) -> None:
        writer.write_sources(driver, source_rows(sources), database)
        sched.update_specs([spec_from_source(s) for s in sources if s.enabled])

    return RegistryWatcher(settings.sources_file, settings.overlay_path,
                           settings.registry_reload_s, apply)


def serve(
    settings: AppSettings,
    neo4j: Neo4jSettings,
    host: str | None = None,
    port: int | None = None,
    scheduler: bool = True,
) -> None:
    api = ApiSettings()
    alert_settings = get_alert_settings()
    sources = load_registry(settings.sources_file, settings.overlay_path)
    with graph_session(neo4j) as (driver, uri):
        prepare_graph(driver, sources, neo4j.database)
        outbox.apply_alert_schema(driver, neo4j.database)
        worker = DeliveryWorker(driver, alert_settings, neo4j.database).start()
        evaluator = AlertEvaluator(driver, alert_settings, neo4j.database, listeners=[worker.wake])
        sched = None
        if scheduler and settings.scheduler_enabled:
            sched = build_crawl_scheduler(
                sources,
                settings.sources_file,
                uri,
                settings.crawl_timeout_s,
                settings.data_dir,
                spike_interval_s=alert_settings.spike_interval_s,
            )
            sched.runtime.on_finished.append(after_crawl(driver, evaluator, neo4j.database))
            sched.runtime.spike_check = evaluator.run_spikes
            sched.start()
            watcher = registry_watcher(settings, sched, driver, neo4j.database).start()
            log.info(
                "scheduler %s (store %s)",
                "leading" if sched.is_leader else "in standby",
                sched.store_url,
            )
        app = create_app(neo4j, uri=uri, api_settings=api)
        app.state.crawl_scheduler = sched
        app.state.delivery_worker = worker
        app.state.alert_settings = alert_settings
        config = uvicorn.Config(
            app, host=host or api.host, port=port or api.port, log_level=settings.log_level.lower()
        )
        try:
            uvicorn.Server(config).run()  # returns on SIGINT/SIGTERM
        finally:
            log.info("stopping at %s", datetime.now(UTC).isoformat())
            if sched is not None:
                watcher.stop()
                sched.shutdown()
            worker.stop(timeout=alert_settings.attempt_timeout_s + 5)
