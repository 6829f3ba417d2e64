"""`tokenwatch up`: embedded Neo4j (unless NEO4J_URI), the API, the crawl scheduler and the
webhook delivery worker; Ctrl-C stops all (in-flight webhook attempts finish first)."""

from __future__ import annotations

import contextlib
import functools
import logging
import signal
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from types import FrameType

import uvicorn
from fastapi import FastAPI
from neo4j import Driver
from uvicorn.server import HANDLED_SIGNALS

from alerts.delivery import DeliveryWorker
from alerts.evaluate import AlertEvaluator
from alerts.settings import get_alert_settings
from api.app import create_app
from api.deps import Services
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
    scheduled_jobs,
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


class _Server(uvicorn.Server):
    """uvicorn re-raises a captured SIGTERM once its own shutdown is done, and the default
    action of SIGTERM ends the process there, before the scheduler, the delivery worker and the
    embedded Neo4j are stopped. Here a signal only ends `run()`; `serve` owns the rest."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in HANDLED_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def _already_stopping(sig: int, _frame: FrameType | None) -> None:
    log.warning("signal %d during shutdown: already stopping", sig)


@contextlib.contextmanager
def running_services(settings: AppSettings, neo4j: Neo4jSettings, uri: str,
                     sources: Sequence[SourceConfig], scheduler: bool,
                     driver: Driver) -> Iterator[Services]:
    """The delivery worker, the alert evaluator and the crawl scheduler (with the registry
    watcher) on the service's one driver; stopped in order when the API's lifespan ends."""
    alert_settings = get_alert_settings()
    outbox.apply_alert_schema(driver, neo4j.database)
    worker = DeliveryWorker(driver, alert_settings, neo4j.database).start()
    with contextlib.ExitStack() as stack:
        stack.callback(_stop_worker, worker, alert_settings.attempt_timeout_s + 5)
        evaluator = AlertEvaluator(driver, alert_settings, neo4j.database, listeners=[worker.wake])
        sched = None
        if scheduler and settings.scheduler_enabled:
            sched = build_crawl_scheduler(
                sources, settings.sources_file, uri, settings.crawl_timeout_s, settings.data_dir,
                jobs=scheduled_jobs(evaluator, alert_settings),
            )
            sched.runtime.on_finished.append(after_crawl(driver, evaluator, neo4j.database))
            sched.start()
            stack.callback(_stop_scheduler, sched)
            watcher = registry_watcher(settings, sched, driver, neo4j.database).start()
            stack.callback(watcher.stop)
            log.info("scheduler %s (store %s)",
                     "leading" if sched.is_leader else "in standby", sched.store_url)
        yield Services(scheduler=sched, delivery_worker=worker, alert_settings=alert_settings)
        # a repeated SIGTERM (a supervisor's) must not cut the ordered shutdown short; the
        # handler stays until the process ends, past the embedded Neo4j's stop
        _ignore_repeated_sigterm()
        log.info("stopping at %s", datetime.now(UTC).isoformat())


def _ignore_repeated_sigterm() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _already_stopping)


def _stop_scheduler(sched: CrawlScheduler) -> None:
    sched.shutdown()
    log.info("scheduler stopped (lease released if held)")


def _stop_worker(worker: DeliveryWorker, timeout: float) -> None:
    worker.stop(timeout=timeout)
    log.info("delivery worker stopped")


Run = Callable[[FastAPI, uvicorn.Config], None]


def _uvicorn(app: FastAPI, config: uvicorn.Config) -> None:
    _Server(config).run()  # returns on SIGINT/SIGTERM, after the lifespan has ended


def serve(
    settings: AppSettings,
    neo4j: Neo4jSettings,
    host: str | None = None,
    port: int | None = None,
    scheduler: bool = True,
    run: Run = _uvicorn,
) -> None:
    """One driver for everything: opened here, lent to the app; the services beside the API
    are entered and left by the app's lifespan; the embedded Neo4j stops last. `run` serves
    the app until stopped (uvicorn; tests enter the lifespan themselves)."""
    api = ApiSettings()
    sources = load_registry(settings.sources_file, settings.overlay_path)
    with graph_session(neo4j) as (driver, uri):
        prepare_graph(driver, sources, neo4j.database)
        app = create_app(
            neo4j, uri=uri, api_settings=api, driver=driver,
            services=functools.partial(running_services, settings, neo4j, uri, sources,
                                       scheduler),
        )
        config = uvicorn.Config(
            app, host=host or api.host, port=port or api.port, log_level=settings.log_level.lower()
        )
        try:
            run(app, config)
        finally:
            _ignore_repeated_sigterm()
    # leaving graph_session closed the driver and stopped an embedded Neo4j
