"""`tokenwatch up`: embedded Neo4j (unless NEO4J_URI), the API, the scheduler; Ctrl-C stops all."""

from __future__ import annotations

import logging

import uvicorn

from api.app import create_app
from api.settings import ApiSettings
from crawlers.registry import load_sources
from graph.settings import Neo4jSettings
from tokenwatch.scheduler import build_scheduler
from tokenwatch.settings import AppSettings
from tokenwatch.workflow import graph_session, prepare_graph

log = logging.getLogger(__name__)


def serve(settings: AppSettings, neo4j: Neo4jSettings, host: str | None = None,
          port: int | None = None, scheduler: bool = True) -> None:
    api = ApiSettings()
    sources = load_sources(settings.sources_file) if settings.sources_file else load_sources()
    with graph_session(neo4j) as (driver, uri):
        prepare_graph(driver, sources, neo4j.database)
        sched = None
        if scheduler and settings.scheduler_enabled:
            sched = build_scheduler(sources, settings.sources_file, uri, settings.crawl_timeout_s)
            sched.start()
            log.info("scheduler started with %d crawl jobs", len(sched.get_jobs()))
        app = create_app(neo4j, uri=uri)
        config = uvicorn.Config(app, host=host or api.host, port=port or api.port,
                                log_level=settings.log_level.lower())
        try:
            uvicorn.Server(config).run()  # returns on SIGINT/SIGTERM
        finally:
            if sched is not None:
                sched.shutdown(wait=False)
            log.info("stopping")
