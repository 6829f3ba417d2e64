"""`/docs` without the internet: Swagger UI's assets come from the `swagger-ui-bundle` PyPI
package and are served by this app under `/docs/assets` (FastAPI's default pulls them from a
CDN, so the page was blank offline)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"


PROBLEM_TYPES: dict[str, str] = {
    "bad-request": "The request is malformed (e.g. an invalid cursor).",
    "unauthorized": "No API key, or an unknown or revoked one: send `Authorization: Bearer "
                    "tw_…` or `X-API-Key`.",
    "forbidden": "The key's role does not allow this operation.",
    "not-found": "Nothing with that id is visible to the caller.",
    "conflict": "The request conflicts with the current state.",
    "validation-failed": "Invalid parameters; `errors` lists them.",
    "too-many-requests": "The key's rate limit is used up; retry after `Retry-After` seconds.",
    "query-timed-out": "The graph query exceeded its server-side timeout "
                       "(TOKENWATCH_API_QUERY_TIMEOUT_S); narrow it (dates, limit, depth).",
    "graph-unavailable": "Neo4j is unreachable; see `/ready`.",
    "graph-error": "The graph query failed.",
    "internal-error": "An unexpected error; the server log has the details.",
}


def install(app: FastAPI) -> None:
    @app.get("/problems/{slug}", include_in_schema=False)
    def problem_type(slug: str) -> JSONResponse:
        text = PROBLEM_TYPES.get(slug)
        if text is None:
            return JSONResponse({"type": f"/problems/{slug}", "description": "an error of "
                                 "this API; its title says what happened"}, status_code=200)
        return JSONResponse({"type": f"/problems/{slug}", "description": text})

    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — docs",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
            swagger_ui_parameters={"defaultModelsExpandDepth": 0},
        )
