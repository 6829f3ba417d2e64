from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import DeliveryWorkerDep, GraphDep, Neo4jSettingsDep
from api.schemas import Health, Ready
from graph.db import ping
from graph.ops import readiness

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(g: GraphDep, neo4j: Neo4jSettingsDep) -> JSONResponse:
    """Liveness plus Neo4j reachability: 200 when the graph answers, 503 otherwise."""
    ok = ping(g)
    body = Health(status="ok" if ok else "degraded", neo4j=ok, neo4j_uri=neo4j.uri)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/ready", response_model=Ready, responses={503: {"model": Ready}})
def ready(g: GraphDep, worker: DeliveryWorkerDep) -> JSONResponse:
    """Readiness, for load balancers and orchestrators: 200 when the graph answers with its
    schema applied and the knowledge base loaded, and the delivery worker (if this process
    runs one) is alive; 503 with the reasons otherwise. `/health` is liveness."""
    problems: list[str] = []
    if not ping(g):
        problems.append("Neo4j does not answer")
    else:
        problems += readiness(g)
    if worker is not None and worker.died:
        problems.append("the webhook delivery worker stopped")
    body = Ready(ready=not problems, problems=problems)
    return JSONResponse(body.model_dump(), status_code=200 if not problems else 503)
