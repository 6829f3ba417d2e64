from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import DriverDep, Neo4jSettingsDep
from api.schemas import Health
from graph.db import ping

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(driver: DriverDep, neo4j: Neo4jSettingsDep) -> JSONResponse:
    """Liveness plus Neo4j reachability: 200 when the graph answers, 503 otherwise."""
    ok = ping(driver, neo4j.database)
    body = Health(status="ok" if ok else "degraded", neo4j=ok, neo4j_uri=neo4j.uri)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
