"""One exception root for the API; every error leaves as application/problem+json (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, Neo4jError, TransientError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"


class ApiError(Exception):
    """Base of errors raised by routes; carries an HTTP status and a problem type."""

    status = 500
    title = "Internal error"

    def __init__(self, detail: str, *, status: int | None = None, title: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.headers = headers or {}


class NotFound(ApiError):
    status = 404
    title = "Not found"


class BadRequest(ApiError):
    status = 400
    title = "Bad request"


class Unprocessable(ApiError):
    status = 422
    title = "Validation failed"


class Conflict(ApiError):
    status = 409
    title = "Conflict"


class QueryTimeout(ApiError):
    status = 504
    title = "Query timed out"


_DESCRIPTIONS: dict[int, str] = {
    400: "bad request (e.g. an invalid cursor)",
    401: "no API key, or an unknown or revoked one",
    403: "the key's role does not allow this operation",
    404: "not found",
    409: "conflict",
    413: "the request body is larger than this route's limit",
    422: "invalid parameters (the `errors` member lists them)",
    429: "rate limit exceeded; retry after `Retry-After` seconds",
    504: "the query exceeded its server-side timeout",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for problem+json errors (RFC 9457)."""
    from api.schemas import Problem

    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        example = problem(code, _DESCRIPTIONS[code].split(" (")[0].split(";")[0].capitalize(),
                          _DESCRIPTIONS[code], "/v1/…")
        entry: dict[str, Any] = {
            "model": Problem,
            "description": _DESCRIPTIONS[code],
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"},
                                  "example": example}},
        }
        if code == 429:
            entry["headers"] = {"Retry-After": {"description": "seconds to wait",
                                                "schema": {"type": "integer"}}}
        out[code] = entry
    return out


PROBLEM_BASE = "/problems/"  # relative to the API; GET it for a description of the error


def problem_slug(title: str) -> str:
    """'Query timed out' -> 'query-timed-out': the problem type names the error."""
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


def problem(status: int, title: str, detail: str, instance: str, **extra: Any) -> dict[str, Any]:
    return {"type": PROBLEM_BASE + problem_slug(title), "title": title, "status": status,
            "detail": detail, "instance": instance, **extra}


def _response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _response(problem(exc.status, exc.title, exc.detail, request.url.path), exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _response(
            problem(exc.status_code, str(exc.detail), str(exc.detail), request.url.path),
            dict(exc.headers or {}),
        )

    @app.exception_handler(Neo4jError)
    async def _neo4j_error(request: Request, exc: Neo4jError) -> JSONResponse:
        code = exc.code or ""
        if "TransactionTimedOut" in code or "Timeout" in code:
            return _response(problem(504, "Query timed out",
                                     "the graph query exceeded its server-side timeout",
                                     request.url.path))
        log.error("graph error on %s: %s", request.url.path, exc)
        return _response(problem(503 if isinstance(exc, TransientError) else 500, "Graph error",
                                 "the graph query failed", request.url.path))

    @app.exception_handler(DriverError)
    async def _driver_error(request: Request, exc: DriverError) -> JSONResponse:
        log.error("graph unavailable on %s: %s", request.url.path, exc)
        return _response(problem(503, "Graph unavailable", "the graph database is unavailable",
                                 request.url.path))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return _response(problem(500, "Internal error", "an unexpected error occurred",
                                 request.url.path))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")}
            for e in exc.errors()
        ]
        return _response(
            problem(422, "Validation failed", "the request parameters are invalid",
                    request.url.path, errors=errors)
        )
