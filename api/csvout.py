"""`Accept: text/csv` on list and series endpoints: the same rows as the JSON, as CSV.

One query layer, two renderings: the route answers JSON as always and this middleware turns
the row list of the answer (`items` of a page, `points` of a series) into CSV; any other
answer is 406. Nested objects become dotted columns (`source.id`), lists
are joined with `;`. The cursor of the next page goes in the `Link` header (rel="next")."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import FastAPI, Request, Response

from api.errors import PROBLEM, problem

CSV = "text/csv"
ROW_KEYS = ("items", "points")  # a page of a list, the points of a series


def wants_csv(accept: str | None) -> bool:
    """True when text/csv is asked for and preferred over JSON (q-values respected)."""
    best: dict[str, float] = {}
    for part in (accept or "").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        best[media.lower()] = max(q, best.get(media.lower(), 0.0))
    csv_q = best.get(CSV, 0.0)
    json_q = max(best.get("application/json", 0.0), best.get("*/*", 0.0) * 0.99)
    return csv_q > 0 and csv_q >= json_q


def rows_of(data: Any) -> list[dict[str, Any]] | None:
    """The row list of a JSON answer, or None when it has none."""
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)]
    if not isinstance(data, dict):
        return None
    for key in ROW_KEYS:
        if isinstance(data.get(key), list):
            return [r for r in data[key] if isinstance(r, dict)]
    return None


def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{name}."))
        elif isinstance(value, list):
            out[name] = ";".join(orjson.dumps(v).decode() if isinstance(v, dict | list)
                                 else str(v) for v in value)
        else:
            out[name] = "" if value is None else str(value)
    return out


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    flat = [_flat(r) for r in rows]
    columns = list(dict.fromkeys(k for r in flat for k in r))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(flat)
    return buf.getvalue()


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def _csv(request: Request,
                   call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if not wants_csv(request.headers.get("accept")):
            return await call_next(request)
        response = await call_next(request)
        if response.status_code != 200 or not response.headers.get(
                "content-type", "").startswith("application/json"):
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        data = orjson.loads(body)
        rows = rows_of(data)
        if rows is None:
            doc = problem(406, "Not acceptable", "this answer has no rows to give as CSV; "
                          "ask for application/json", request.url.path)
            return Response(orjson.dumps(doc), status_code=406, media_type=PROBLEM)
        headers = {}
        cursor = data.get("next_cursor") if isinstance(data, dict) else None
        if cursor:
            query = dict(request.query_params) | {"cursor": cursor}
            headers["link"] = f'<{request.url.path}?{urlencode(query)}>; rel="next"'
        return Response(to_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)
