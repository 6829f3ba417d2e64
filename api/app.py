"""The FastAPI app factory. The lifespan owns the shared resources: the Neo4j driver (opened
here, or handed in by the composition root, which then closes it) and the services beside the
API (scheduler, delivery worker, alert settings), opened from a factory and closed in order."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext

from fastapi import APIRouter, Depends, FastAPI
from neo4j import Driver

from alerts.clock import Clock, utcnow
from api import console, csvout, docs, errors, openapi, prometheus
from api.auth import authenticate, ensure_admin_key
from api.deps import Services
from api.keystrength import weak_key_warning
from api.limits import BodyGuard
from api.routes import (
    admin,
    articles,
    entities,
    health,
    keys,
    metrics,
    policies,
    risks,
    rules,
    schedules,
    sources,
    webhooks,
)
from api.routes import alerts as alert_routes
from api.settings import ApiSettings
from api.shared import shared_state
from api.versioning import VersionRedirect
from graph.db import open_driver
from graph.settings import Neo4jSettings

log = logging.getLogger(__name__)

DESCRIPTION = """Policies, companies, models, token metrics and risk signals of the AI token
economy, with provenance back to every article.

Every `/v1` route needs an API key (`Authorization: Bearer tw_<id>_<secret>` or
`X-API-Key`), with a role `reader` < `analyst` < `admin` < `operator` (an admin manages its own
owner's keys, the operator every owner's). Errors are
`application/problem+json` (RFC 9457). Lists use cursor pagination (`next_cursor`).
Each key is rate limited (token bucket; 429 with `Retry-After`)."""


def _v1() -> APIRouter:
    router = APIRouter()
    for module in (entities, policies, metrics, articles, risks, sources, admin, keys,
                   alert_routes, rules, webhooks, schedules):
        router.include_router(module.router)
    return router


ServicesFactory = Callable[[Driver], AbstractContextManager[Services]]


def create_app(neo4j_settings: Neo4jSettings | None = None, uri: str | None = None,
               api_settings: ApiSettings | None = None, clock: Clock = utcnow,
               driver: Driver | None = None,
               services: ServicesFactory | None = None) -> FastAPI:
    """Build the app. `uri` overrides the settings' URI (the embedded database's address);
    `clock` is what the routes read as "now" (tests pass a ManualClock). `driver`: use this
    one (its owner closes it) instead of opening one. `services`: entered with the driver at
    start, left at shutdown (after the API stopped serving, before the driver closes)."""
    api = api_settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings = neo4j_settings or Neo4jSettings()
        if uri:
            settings = settings.model_copy(update={"uri": uri})
        own = driver is None
        graph = open_driver(settings) if driver is None else driver
        app.state.driver = graph
        app.state.neo4j_settings = settings
        try:
            if api.admin_key:
                if (weak := weak_key_warning(api.admin_key)) is not None:
                    log.warning(weak)
                key_id = ensure_admin_key(graph, api.admin_key, settings.database)
                log.info("bootstrap admin key %s ensured", key_id)
            with services(graph) if services else nullcontext(app.state.services) as running:
                app.state.services = running
                yield
        finally:
            if own:
                graph.close()
            if shared is not None:
                shared.close()

    app = FastAPI(
        title="Tokenwatch API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by api/docs.py from local assets (no CDN)
        redoc_url=None,
        openapi_tags=openapi.TAGS,
    )
    app.state.api_settings = api
    app.state.clock = clock
    app.state.services = Services()  # what a bare app runs beside the API: nothing
    # in Redis when TOKENWATCH_REDIS_URL is set (replicas share them), else in this process
    app.state.key_cache, app.state.rate_limiter, shared = shared_state(api)
    errors.install(app)
    # the body guard sits inside the operators' HTTP middlewares (CSV, latency): it answers
    # 401/413 itself, so what they wrap is a plain response
    # an unversioned path of a /v1 route: 308 to it (README "Versions"); inside the body
    # guard, so a body sent to the old path meets the same key check and cap first
    app.add_middleware(VersionRedirect)
    app.add_middleware(BodyGuard, default_max_bytes=api.max_body_bytes)
    csvout.install(app)
    prometheus.install(app)
    docs.install(app)
    openapi.install(app)
    console.install(app)  # outermost: the console's forms meet its own session and CSRF checks
    app.include_router(health.router)
    secured = {"dependencies": [Depends(authenticate)],
               "responses": errors.problems(401, 413, 429, 504)}
    app.include_router(_v1(), prefix="/v1", **secured)  # type: ignore[arg-type]
    app.include_router(schedules.legacy, **secured)  # type: ignore[arg-type]
    return app
