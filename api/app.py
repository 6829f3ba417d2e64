"""The FastAPI app factory. The lifespan opens the Neo4j driver once and closes it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from api import errors
from api.routes import articles, entities, health
from graph.db import open_driver
from graph.settings import Neo4jSettings


def _v1() -> APIRouter:
    router = APIRouter()
    router.include_router(articles.router)
    router.include_router(entities.router)
    return router


def create_app(neo4j_settings: Neo4jSettings | None = None, uri: str | None = None) -> FastAPI:
    """Build the app. `uri` overrides the settings' URI (the embedded database's address)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings = neo4j_settings or Neo4jSettings()
        if uri:
            settings = settings.model_copy(update={"uri": uri})
        driver = open_driver(settings)
        app.state.driver = driver
        app.state.neo4j_settings = settings
        try:
            yield
        finally:
            driver.close()

    app = FastAPI(
        title="Tokenwatch API",
        version="0.1.0",
        description="Policies, companies, models, token metrics and risk signals of the AI "
        "token economy, with provenance back to every article.",
        lifespan=lifespan,
    )
    errors.install(app)
    app.include_router(health.router)
    app.include_router(_v1(), prefix="/v1")
    # unversioned aliases of the first routes, kept for early clients; not in the schema
    app.include_router(_v1(), include_in_schema=False)
    return app
