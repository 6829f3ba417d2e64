"""`tokenwatch up --role ROLE`: one role of the scaled-out deployment per process (README
"Scaling out"). Each stands on a shared engine instead of the embedded one:

- `api`: the HTTP API alone; rate limits and the key cache in Redis (TOKENWATCH_REDIS_URL),
  so any number of replicas behave as one;
- `delivery`: a webhook delivery worker; workers claim outbox entries with a lease in Neo4j
  (graph/outbox.py), so any number of them run side by side;
- `ingest-worker`: consumes crawled articles from the job queue (tokenwatch/queue.py) and
  writes them through the idempotent graph writer;
- `crawl-worker`: a Scrapy process on the shared scrapy-redis frontier (crawlers/frontier.py)
  on TOKENWATCH_REDIS_URL; per-host politeness in Redis; parsed articles go on the ingest
  queue for the ingest workers; runs start from seeds (`tokenwatch.roles.seed_crawl`);
- `scheduler`: the crawl scheduler; the leader lease on TOKENWATCH_SCHEDULER_STORE_URL
  (a SQL store every scheduler shares, e.g. PostgreSQL) lets one of them lead.

Every role needs a Neo4j server (`NEO4J_URI`): an embedded database belongs to one process.
`tokenwatch up` with no role is the all-in-one service (tokenwatch/service.py), unchanged.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from neo4j import Driver
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.settings import Neo4jSettings
from tokenwatch.errors import TokenwatchError
from tokenwatch.settings import AppSettings

log = logging.getLogger(__name__)

ROLES: Final = ("api", "crawl-worker", "ingest-worker", "delivery", "scheduler")


class RoleError(TokenwatchError):
    """A role cannot start as configured (what to set is in the message)."""


def check_role(role: str, neo4j: Neo4jSettings, settings: AppSettings) -> None:
    """Pure: refuse a role that cannot work as configured, saying what to set."""
    if role not in ROLES:
        raise RoleError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if neo4j.embedded:
        raise RoleError(f"--role {role} needs a Neo4j server every process shares: set NEO4J_URI "
                        "(the embedded database belongs to the all-in-one `tokenwatch up`)")
    if role in ("crawl-worker", "ingest-worker") and not settings.redis_url:
        what = "frontier and ingest queue" if role == "crawl-worker" else "queue"
        raise RoleError(f"--role {role} needs the shared {what}: set TOKENWATCH_REDIS_URL")


@contextlib.contextmanager
def _driver(neo4j: Neo4jSettings) -> Iterator[Driver]:
    from tokenwatch.workflow import graph_session

    with graph_session(neo4j, start=False) as (driver, _uri):
        yield driver


def wait_for_signal() -> None:
    """Block until SIGTERM or SIGINT (a role's main thread has nothing else to do)."""
    stopped = threading.Event()

    def handler(_sig: int, _frame: object) -> None:
        stopped.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)
    while not stopped.wait(1.0):
        pass


def run_api(settings: AppSettings, neo4j: Neo4jSettings, host: str | None,
            port: int | None) -> None:
    """The API alone: no scheduler, no delivery worker (those are their own roles)."""
    import uvicorn

    from alerts.settings import get_alert_settings
    from api.app import create_app
    from api.deps import Services
    from api.settings import ApiSettings

    api = ApiSettings()
    if not api.redis_url:
        log.warning("TOKENWATCH_REDIS_URL is not set: this replica's rate limits and key cache "
                    "are its own")

    @contextlib.contextmanager
    def services(_driver: Driver) -> Iterator[Services]:
        yield Services(alert_settings=get_alert_settings())

    with _driver(neo4j) as driver:
        app = create_app(neo4j, api_settings=api, driver=driver, services=services)
        uvicorn.run(app, host=host or api.host, port=port or api.port,
                    log_level=settings.log_level.lower())


def run_delivery(settings: AppSettings, neo4j: Neo4jSettings) -> None:
    """A delivery worker until SIGTERM: in-flight attempts finish and are recorded."""
    from alerts.delivery import DeliveryWorker
    from alerts.settings import get_alert_settings
    from graph import outbox

    alert_settings = get_alert_settings()
    with _driver(neo4j) as driver:
        outbox.apply_alert_schema(driver, neo4j.database)
        worker = DeliveryWorker(driver, alert_settings, neo4j.database).start()
        log.info("delivery worker %s running", worker.token)
        try:
            wait_for_signal()
        finally:
            worker.stop(timeout=alert_settings.attempt_timeout_s + 5)
            log.info("delivery worker %s stopped", worker.token)


def run_ingest_worker(settings: AppSettings, neo4j: Neo4jSettings) -> None:
    """Consume the ingest queue until SIGTERM: extract and write each batch (tokenwatch/
    queue.py); the batch in hand is finished, unstarted ones stay queued for the others."""
    from alerts.evaluate import batch_hooks
    from nlp import Extractor
    from tokenwatch.ingest import GraphSink
    from tokenwatch.queue import IngestQueue, QueueSettings

    extractor = Extractor.get()
    for lang in ("zh", "en"):  # built before the first batch, not inside its time limit
        extractor.pipeline(lang)
    with _driver(neo4j) as driver:
        sink = GraphSink(driver, extractor, neo4j.database,
                         on_batch=batch_hooks(driver, neo4j.database))
        queue = IngestQueue(QueueSettings(), handler=sink.write)
        worker = queue.worker()
        worker.start()
        log.info("ingest worker consuming %s", queue.settings.redis_url)
        try:
            wait_for_signal()
        finally:
            worker.stop()
            queue.close()
            log.info("ingest worker stopped")


def run_crawl_worker(settings: AppSettings, neo4j: Neo4jSettings) -> None:
    """Crawl from the shared frontier until SIGTERM (Scrapy's own handler: the spiders close,
    batches in hand are queued and each source's share of the run is recorded)."""
    from crawlers.frontier import serve
    from crawlers.overlay import load_registry
    from crawlers.runner import CrawlSettings
    from tokenwatch.queue import IngestQueue, QueueSettings, QueueSink

    assert settings.redis_url  # check_role
    sources = load_registry(settings.sources_file, settings.overlay_path)
    with _driver(neo4j) as driver:
        queue = IngestQueue(QueueSettings())
        sink = QueueSink(queue, driver, neo4j.database)
        try:
            serve(sources, sink, settings.redis_url, CrawlSettings(),
                  on_ready=lambda ids: log.info("crawl worker serving %d sources on %s: %s",
                                                len(ids), settings.redis_url, ", ".join(ids)))
        finally:
            queue.close()
            log.info("crawl worker stopped")


def seed_crawl(settings: AppSettings, source_ids: Sequence[str] = (),
               now: datetime | None = None) -> dict[str, str]:
    """Start a run of each source (all enabled ones by default) on the shared frontier;
    returns source id → run id. What the scheduler does for a due source in scaled mode."""
    import redis

    from crawlers.frontier import new_run_id, push_seeds
    from crawlers.overlay import load_registry

    if not settings.redis_url:
        raise RoleError("seeding crawl workers needs the shared frontier: set "
                        "TOKENWATCH_REDIS_URL")
    sources = load_registry(settings.sources_file, settings.overlay_path)
    by_id = {s.id: s for s in sources}
    unknown = [sid for sid in source_ids if sid not in by_id]
    if unknown:
        raise RoleError(f"unknown source(s): {', '.join(unknown)}")
    chosen = [by_id[sid] for sid in source_ids] or [s for s in sources if s.enabled]
    at = now or datetime.now(UTC)  # the edge: a caller may pass the time
    client = redis.Redis.from_url(settings.redis_url)
    try:
        runs = {}
        for source in chosen:
            runs[source.id] = run = new_run_id(at)
            push_seeds(client, source, run)
        return runs
    finally:
        client.close()


class FrontierSettings(BaseSettings):
    """TOKENWATCH_CRAWL_WORKERS: the scheduler role starts a due crawl by seeding the shared
    frontier (crawl-worker processes do the crawl) instead of running it in a subprocess."""

    model_config = SettingsConfigDict(env_prefix="TOKENWATCH_", extra="ignore",
                                      env_file=".env", env_file_encoding="utf-8")

    crawl_workers: bool = False


def seed_command(source_id: str, sources_file: Path | None) -> list[str]:
    """What the scheduler runs for a due source when crawl workers crawl: seed, then exit."""
    cmd = [sys.executable, "-m", "tokenwatch.roles", "seed", source_id]
    return cmd + (["--sources", str(sources_file)] if sources_file is not None else [])


def run_scheduler(settings: AppSettings, neo4j: Neo4jSettings) -> None:
    """The crawl scheduler and scheduled alert jobs until SIGTERM, without the API. Several
    may run: the lease in TOKENWATCH_SCHEDULER_STORE_URL (shared SQL, e.g. PostgreSQL) lets
    one lead and the others stand by. Alerts it raises are delivered by the delivery role."""
    from alerts.evaluate import AlertEvaluator
    from alerts.settings import get_alert_settings
    from crawlers.overlay import load_registry
    from graph import outbox
    from tokenwatch.scheduler import build_crawl_scheduler, scheduled_jobs
    from tokenwatch.service import after_crawl, registry_watcher
    from tokenwatch.workflow import prepare_graph

    alert_settings = get_alert_settings()
    sources = load_registry(settings.sources_file, settings.overlay_path)
    with _driver(neo4j) as driver:
        prepare_graph(driver, sources, neo4j.database)
        outbox.apply_alert_schema(driver, neo4j.database)
        evaluator = AlertEvaluator(driver, alert_settings, neo4j.database)
        sched = build_crawl_scheduler(sources, settings.sources_file, str(neo4j.uri),
                                      settings.crawl_timeout_s, settings.data_dir,
                                      jobs=scheduled_jobs(evaluator, alert_settings))
        if FrontierSettings().crawl_workers:
            if not settings.redis_url:
                raise RoleError("TOKENWATCH_CRAWL_WORKERS needs the shared frontier: set "
                                "TOKENWATCH_REDIS_URL")
            sched.runtime.command = lambda sid: seed_command(sid, settings.sources_file)
            # a seed is not a poll: it reports nothing, so adaptive sources keep their
            # registry interval (the workers' polls are not reported back)
            sched.runtime.observations = None
            log.info("due crawls are seeded on %s for the crawl workers", settings.redis_url)
        sched.runtime.on_finished.append(after_crawl(driver, evaluator, neo4j.database))
        sched.start()
        watcher = registry_watcher(settings, sched, driver, neo4j.database).start()
        log.info("scheduler %s (store %s)", "leading" if sched.is_leader else "in standby",
                 sched.store_url)
        try:
            wait_for_signal()
        finally:
            watcher.stop()
            sched.shutdown()
            log.info("scheduler stopped (lease released if held)")


def run_role(role: str, settings: AppSettings, neo4j: Neo4jSettings,
             host: str | None = None, port: int | None = None) -> None:
    check_role(role, neo4j, settings)
    runners: dict[str, Callable[[], None]] = {
        "api": lambda: run_api(settings, neo4j, host, port),
        "delivery": lambda: run_delivery(settings, neo4j),
        "ingest-worker": lambda: run_ingest_worker(settings, neo4j),
        "scheduler": lambda: run_scheduler(settings, neo4j),
        "crawl-worker": lambda: run_crawl_worker(settings, neo4j),
    }
    runners[role]()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m tokenwatch.roles seed [SOURCE_ID...] [--sources FILE]`: start a run of the
    sources on the shared frontier (TOKENWATCH_REDIS_URL) and print `source run` lines."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m tokenwatch.roles")
    sub = ap.add_subparsers(dest="command", required=True)
    seed = sub.add_parser("seed", help="start crawl runs on the shared frontier")
    seed.add_argument("source_ids", nargs="*")
    seed.add_argument("--sources", type=Path)
    args = ap.parse_args(argv)
    settings = AppSettings()
    if args.sources is not None:
        settings = settings.model_copy(update={"sources_file": args.sources})
    import redis

    from crawlers.errors import CrawlError

    try:
        runs = seed_crawl(settings, args.source_ids)
    except (TokenwatchError, CrawlError) as exc:
        print(f"tokenwatch: {exc}", file=sys.stderr)
        return 2
    except redis.RedisError as exc:
        print(f"tokenwatch: the frontier at {settings.redis_url} did not answer: {exc}",
              file=sys.stderr)
        return 2
    for source_id, run in runs.items():
        print(source_id, run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
