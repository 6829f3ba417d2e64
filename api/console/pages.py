"""The console's pages. Each handler reads through `graph.reader` / `graph.explore` /
`graph.console_reads` (the API's read models), builds its view with `api.console.views` and
renders a template; `?download=<table>&format=csv|xlsx` gives any table of a page as a file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from api.auth import hash_secret, parse_key
from api.console import session, views
from api.console.i18n import LANG_COOKIE, LANGS
from api.console.render import page
from api.console.security import KeysDep, Viewer, checked_form, need, secure
from api.console.tables import Table, csv_bytes, xlsx_bytes
from api.deps import ClockDep, DriverDep, GraphDep, Neo4jSettingsDep, ReadsDep, ServicesDep
from graph import apikeys, console_reads, explore, outbox, reader
from graph.console_reads import CORRECTION_KINDS, CorrectionError
from graph.fulltext import lucene_query
from graph.labels import ENTITY_LABELS, PUBLIC_LABELS
from graph.reads import metrics as metric_reads
from nlp.text import join_title

router = APIRouter()
Format = Annotated[str, Query(pattern="^(csv|xlsx)$")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SERIES_POINTS = 300  # the Entity and Metrics pages chart the newest points of each series


def download(tables: Sequence[Table], name: str | None, fmt: str) -> Response | None:
    table = next((t for t in tables if t.name == name), None)
    if name is None:
        return None
    if table is None:
        return Response(f"no table {name!r} on this page", status_code=404,
                        media_type="text/plain")
    if fmt == "xlsx":
        return Response(xlsx_bytes(table), media_type=XLSX, headers={
            "content-disposition": f'attachment; filename="{table.name}.xlsx"'})
    return Response(csv_bytes(table), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="{table.name}.csv"'})


def _safe_next(target: str | None) -> str:
    """Only a path of the console itself (never another site) is followed after sign-in."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/console"):
        return "/console/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- sign-in ------------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, keys: KeysDep, next: str | None = None) -> Response:
    nonce = request.cookies.get(session.PRE_COOKIE) or session.new_nonce()
    request.state.csrf = session.csrf_token(keys.secret, nonce)
    response = page(request, "login.html", next=_safe_next(next), error=None)
    response.set_cookie(session.PRE_COOKIE, nonce, httponly=True, samesite="strict",
                        secure=secure(request, keys.settings), path="/console")
    return response


@router.post("/login")
async def login(request: Request, keys: KeysDep, graph_: GraphDep, clock: ClockDep) -> Response:
    form = await checked_form(request, keys, request.cookies.get(session.PRE_COOKIE))
    key = str(form.get("api_key") or "").strip()
    target = _safe_next(str(form.get("next") or ""))
    key_id, secret = parse_key(key) if 0 < len(key) <= 400 else ("", "")
    record = None
    if key_id and request.app.state.rate_limiter.take(key_id) == 0:
        record = await run_in_threadpool(apikeys.get_key, graph_, key_id)
    if record is None or record.revoked or (record.hash or "") != hash_secret(secret):
        request.state.csrf = form.get(session.CSRF_FIELD)
        return page(request, "login.html", status=401, next=target,
                    error="unknown or revoked API key")
    cookie, _ = session.new_session(keys.secret, key_id, record.hash or "", clock(),
                                    timedelta(hours=keys.settings.session_hours))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(session.SESSION_COOKIE, cookie, httponly=True, samesite="lax",
                        secure=secure(request, keys.settings), path="/console",
                        max_age=int(keys.settings.session_hours * 3600))
    response.delete_cookie(session.PRE_COOKIE, path="/console")
    return response


@router.post("/logout")
async def logout(request: Request, keys: KeysDep, principal: Viewer) -> Response:
    await checked_form(request, keys, request.state.nonce)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(session.SESSION_COOKIE, path="/console")
    return response


@router.get("/lang/{lang}")
def choose_language(request: Request, lang: str, keys: KeysDep,
                    next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if lang in LANGS:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", path="/console",
                            max_age=365 * 86400, secure=secure(request, keys.settings))
    return response


# --- Today ----------------------------------------------------------------------------------------


def _as_of(value: date | None, clock: ClockDep) -> date:
    return value or clock().astimezone(UTC).date()


def _today_graph(reads: ReadsDep, keys: KeysDep, day: date) -> tuple[Any, ...]:
    """What Today shows that is the same for every owner (cached for a few seconds)."""
    series = metric_reads.recent_series(reads, "cn", "token_volume", 1000, until=day,
                                        period="day")
    models = console_reads.model_volumes(reads, day)
    quotes = reader.price_comparison(reads, None, day, None, 600)
    changes = console_reads.latest_price_changes(reads, sorted({q.subject for q in quotes}),
                                                 day)
    board = views.price_board(quotes, changes, keys.settings.currency, keys.settings.usd_cny)
    policies = reader.list_policies(reads, issuer=None, status=None, since=None, until=day,
                                    q=None, after=None, limit=30)
    starts = views.week_starts(day, 26)
    weeks = console_reads.risk_weeks(reads, datetime.combine(starts[0], time(), UTC),
                                     datetime.combine(day + timedelta(days=1), time(), UTC))
    return series, models, board, policies, weeks, starts


@router.get("/")
def today(request: Request, principal: Viewer, reads: ReadsDep, clock: ClockDep, keys: KeysDep,
          as_of: Annotated[date | None, Query()] = None,
          fmt: Format = "csv") -> Response:
    day = _as_of(as_of, clock)
    graph = keys.today.get_or_compute(day, lambda: _today_graph(reads, keys, day))
    series, models, board, policies, weeks, starts = graph
    alerts = [views.alert_view(a) for a in outbox.list_alerts(
        reads, principal.owner, limit=10)]
    tables = [views.series_table("national-volume", series), views.leaderboard(models),
              views.price_table(board, keys.settings.currency), views.policy_table(policies),
              views.risk_week_table(weeks), views.alert_table(alerts)]
    if (file := download(tables, request.query_params.get("download"), fmt)) is not None:
        return file
    return page(request, "today.html", as_of=day, tables={t.name: t for t in tables},
                volume={"points": views.volume_points(series)},
                heat=views.heat_strip(weeks, starts), board=board, board_sides=views.SIDES,
                currency=keys.settings.currency, leaderboard=tables[1],
                policy_groups=views.policies_by_issuer(policies), alerts=alerts)


# --- Entity ---------------------------------------------------------------------------------------


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: str, principal: Viewer, reads: ReadsDep,
           fmt: Format = "csv") -> Response:
    live = reader.resolve_entity(reads, entity_id)
    if live is None:
        return page(request, "missing.html", status=404, what=entity_id)
    if live != entity_id:
        return RedirectResponse(f"/console/entities/{live}", status_code=303)
    profile = reader.entity_profile(reads, entity_id)
    if profile is None:
        return page(request, "missing.html", status=404, what=entity_id)
    # the newest points of each series (the API's /v1/metrics series page through the rest)
    volumes = metric_reads.recent_series(reads, entity_id, "token_volume", SERIES_POINTS)
    prices = metric_reads.recent_series(reads, entity_id, "token_price", SERIES_POINTS)
    hood = explore.neighbours(reads, explore.NeighbourQuery(entity_id, depth=1, limit=60))
    tables = [views.series_table("volumes", volumes), views.series_table("prices", prices),
              views.mentions_table(profile.mentions_by_month),
              views.articles_table(profile.recent_articles), views.risks_table(profile.risks)]
    if (file := download(tables, request.query_params.get("download"), fmt)) is not None:
        return file
    series = {"kind": "series", "volumes": views.volume_points(volumes),
              "prices": [{**p, "side": o.side, "currency": o.currency}
                         for p, o in zip(views.volume_points(prices), prices, strict=False)],
              "mentions": [{"month": x.month.isoformat(), "mentions": x.mentions}
                           for x in profile.mentions_by_month]}
    graph = views.graph_data(profile.entity, entity_id, hood) if hood else {"nodes": [],
                                                                          "edges": []}
    return page(request, "entity.html", profile=profile, e=profile.entity, series=series,
                graph=graph, tables={t.name: t for t in tables},
                labels=[lbl for lbl in PUBLIC_LABELS])


@router.get("/entities/{entity_id}/graph.json")
def entity_graph(entity_id: str, principal: Viewer, reads: ReadsDep,
                 label: Annotated[list[str] | None, Query()] = None,
                 since: Annotated[date | None, Query()] = None) -> Response:
    """One hop around an entity, for the graph view's expand-on-click (and its filters)."""
    labels = frozenset(lbl for lbl in label or () if lbl in PUBLIC_LABELS) or None
    try:
        q = explore.NeighbourQuery(entity_id, depth=1, limit=60, labels=labels,
                                   since=datetime.combine(since, time(), UTC) if since else None)
    except ValueError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    hood = explore.neighbours(reads, q)
    if hood is None:
        return JSONResponse({"detail": f"no entity {entity_id!r}"}, status_code=404)
    return JSONResponse(views.graph_data(None, entity_id, hood))


# --- Article and corrections ------------------------------------------------------------------


def _article_context(reads: ReadsDep, article_id: str) -> dict[str, Any] | None:
    detail = reader.article_detail(reads, article_id)
    if detail is None:
        return None
    joined = join_title(detail.title or None, detail.text or "")
    spans = views.article_spans(detail, len(joined))
    return {"a": detail, "joined": joined, "pieces": views.layout(joined, spans),
            "spans": spans, "corrections": console_reads.list_corrections(reads, article_id),
            "kinds": CORRECTION_KINDS, "entity_kinds": list(ENTITY_LABELS), "error": None}


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str, principal: Viewer, reads: ReadsDep) -> Response:
    ctx = _article_context(reads, article_id)
    if ctx is None:
        return page(request, "missing.html", status=404, what=article_id)
    return page(request, "article.html", **ctx)


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.lstrip("-").isdigit() else None


def correction_fields(form: FormData, joined: str) -> dict[str, Any]:
    """The correction a form describes, checked against the article's text (ValueError)."""
    kind = str(form.get("kind") or "")
    if kind not in CORRECTION_KINDS:
        raise ValueError(f"kind must be one of {', '.join(CORRECTION_KINDS)}")
    fields: dict[str, Any] = {"kind": kind, "note": str(form.get("note") or "")[:2000],
                              "target": str(form.get("target") or "")[:200] or None}
    start, end = _int(form.get("start")), _int(form.get("end"))
    text = str(form.get("text") or "").strip()[:500]
    if kind == "missed_entity":
        if not text:
            raise ValueError("a missed entity needs its text")
        if start is None or end is None:
            start = joined.find(text)
            end = start + len(text)
        if start < 0:
            raise ValueError(f"{text!r} is not in the article's text")
        etype = str(form.get("entity_type") or "")
        if etype not in ENTITY_LABELS:
            raise ValueError(f"entity type must be one of {', '.join(ENTITY_LABELS)}")
        fields |= {"entity_type": etype, "entity_id": str(form.get("entity_id") or "")[:200]}
    elif not fields["target"]:
        raise ValueError("say which extracted item is wrong")
    if start is not None and end is not None:
        if not 0 <= start < end <= len(joined):
            raise ValueError(f"span {start}..{end} is outside the text (0..{len(joined)})")
        fields |= {"start": start, "end": end, "text": joined[start:end]}
    if kind == "wrong_value":
        try:
            fields["value"] = float(str(form.get("value") or "").strip())
        except ValueError:
            raise ValueError("the right value must be a number (tokens, or currency per "
                             "1M tokens, or a fraction for a price change)") from None
    if kind == "wrong_subject":
        fields["subject"] = str(form.get("subject") or "").strip()[:200]
        if not fields["subject"]:
            raise ValueError("name the right subject (a KB id such as deepseek-v3, or cn)")
    return fields


@router.post("/articles/{article_id}/corrections")
async def correct(request: Request, article_id: str, principal: Viewer, keys: KeysDep,
                  reads: ReadsDep, driver: DriverDep, neo4j: Neo4jSettingsDep,
                  clock: ClockDep) -> Response:
    form = await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    ctx = await run_in_threadpool(_article_context, reads, article_id)
    if ctx is None:
        return page(request, "missing.html", status=404, what=article_id)
    try:
        fields = correction_fields(form, ctx["joined"]) | {"article_id": article_id}
        await run_in_threadpool(console_reads.record_correction, driver, fields,
                                principal.owner, principal.key_id, clock(), neo4j.database)
    except (ValueError, CorrectionError) as exc:
        ctx["error"] = str(exc)
        return page(request, "_corrections.html", status=422, **ctx)
    if request.headers.get("hx-request"):
        ctx["corrections"] = console_reads.list_corrections(reads, article_id)
        return page(request, "_corrections.html", **ctx)
    return RedirectResponse(f"/console/articles/{article_id}", status_code=303)


@router.get("/corrections")
def corrections(request: Request, principal: Viewer, reads: ReadsDep,
                fmt: Format = "csv") -> Response:
    items = console_reads.list_corrections(reads)
    table = Table("corrections", ("id", "article_id", "kind", "target", "text", "value",
                                  "subject", "entity_type", "entity_id", "note", "created_by",
                                  "created_at"),
                  [(c.id, c.article_id, c.kind, c.target, c.text, c.value, c.subject,
                    c.entity_type, c.entity_id, c.note, c.created_by, c.created_at)
                   for c in items])
    if (file := download([table], request.query_params.get("download"), fmt)) is not None:
        return file
    return page(request, "corrections.html", items=items, table=table)


@router.get("/corrections.jsonl")
def corrections_export(principal: Viewer, reads: ReadsDep) -> Response:
    """The corrected articles as dev-set lines in the `extract` contract (see views)."""
    lines = []
    for aid in console_reads.corrected_articles(reads):
        detail = reader.article_detail(reads, aid)
        if detail is None:
            continue
        joined = join_title(detail.title or None, detail.text or "")
        case = views.correction_case(detail, joined, console_reads.list_corrections(reads, aid))
        lines.append(orjson.dumps(case))
    return Response(b"".join(line + b"\n" for line in lines),
                    media_type="application/x-ndjson", headers={
                        "content-disposition": 'attachment; filename="corrections.jsonl"'})


# --- Sources --------------------------------------------------------------------------------------


@router.get("/sources")
def sources(request: Request, principal: Viewer, reads: ReadsDep, services: ServicesDep,
            fmt: Format = "csv") -> Response:
    items = reader.list_sources(reads, None, 500)
    sched = services.scheduler
    planned = {s.source_id: s for s in sched.schedules()} if sched and sched.is_leader else {}
    table = Table("sources", ("id", "name", "kind", "lang", "articles", "health", "reason",
                              "last_run", "last_status", "next_run"), [
        (s.id, s.name, s.kind, s.lang, s.articles, s.runs[0].health if s.runs else None,
         s.runs[0].health_reason if s.runs else None,
         s.runs[0].started_at if s.runs else None, s.runs[0].status if s.runs else None,
         planned[s.id].next_run_at if s.id in planned else None) for s in items])
    if (file := download([table], request.query_params.get("download"), fmt)) is not None:
        return file
    return page(request, "sources.html", items=items, planned=planned, table=table,
                scheduler=bool(planned), message=None)


@router.post("/sources/{source_id}/run")
async def run_now(request: Request, source_id: str, principal: Viewer, keys: KeysDep,
                  services: ServicesDep) -> Response:
    await checked_form(request, keys, request.state.nonce)
    need(principal, "admin")
    sched = services.scheduler
    if sched is None or not sched.is_leader:
        message = "no crawl scheduler runs in this process"
    else:
        try:
            await run_in_threadpool(sched.trigger_now, source_id)
            message = f"crawl of {source_id} started"
        except Exception as exc:  # the scheduler's own errors (unknown, already running)
            message = f"{source_id}: {type(exc).__name__}: {exc}"
    return page(request, "_message.html", message=message)


# --- Metrics compare ------------------------------------------------------------------------------

METRIC_KINDS = ("token_volume", "token_price", "price_change")


def _subjects(text: str) -> list[str]:
    return list(dict.fromkeys(s.strip() for s in text.replace("，", ",").split(",")
                              if s.strip()))[:8]


@router.get("/metrics")
def metrics(request: Request, principal: Viewer, reads: ReadsDep, keys: KeysDep,
            clock: ClockDep, subjects: Annotated[str, Query(max_length=500)] = "cn",
            kind: Annotated[str, Query(pattern="^(token_volume|token_price|price_change)$")]
            = "token_volume",
            side: Annotated[str | None, Query(pattern="^(input|output|cached_input)?$")] = None,
            as_of: Annotated[date | None, Query()] = None, fmt: Format = "csv") -> Response:
    """Chosen subjects (models, providers, countries) on one chart, as of a date; figures for
    the same subject and period that disagree, side by side with their sources."""
    day = _as_of(as_of, clock)
    chosen = _subjects(subjects)
    series = {s: metric_reads.recent_series(reads, s, kind, SERIES_POINTS, until=day,
                                            side=side or None) for s in chosen}
    table = views.series_table("compare", [o for obs in series.values() for o in obs])
    if (file := download([table], request.query_params.get("download"), fmt)) is not None:
        return file
    cur = keys.settings.currency
    return page(request, "metrics.html", subjects=", ".join(chosen), kind=kind,
                side=side or "", as_of=day, kinds=METRIC_KINDS, sides=views.SIDES,
                chart={"kind": kind, "currency": cur,
                       "series": views.compare_series(series, cur, keys.settings.usd_cny)},
                conflicts=views.conflicts(series), table=table, currency=cur)


# --- Search ---------------------------------------------------------------------------------------


@router.get("/search")
def search(request: Request, principal: Viewer, reads: ReadsDep,
           q: Annotated[str, Query(max_length=200)] = "",
           source: Annotated[str | None, Query(max_length=100)] = None,
           lang: Annotated[str | None, Query(pattern="^(zh|en)$")] = None,
           fmt: Format = "csv") -> Response:
    entities, articles, policies = [], [], []
    lucene = lucene_query(q) if q.strip() else None
    if q.strip():
        entities = reader.search_entities(reads, q, lucene, None, 0, 20)
        policies = reader.list_policies(reads, issuer=None, status=None, since=None,
                                        until=None, q=q, after=None, limit=20)
    if lucene:
        articles = reader.search_articles(reads, lucene, reader.ArticleFilter(
            source=source or None, lang=lang or None), 0, 50)
    table = Table("articles", ("id", "title", "published_at", "source", "lang", "score"),
                  [(a.id, a.title, a.published_at, a.source_name or a.source_id, a.lang,
                    a.score) for a in articles])
    if (file := download([table], request.query_params.get("download"), fmt)) is not None:
        return file
    return page(request, "search.html", q=q, entities=entities, articles=articles,
                policies=policies, table=table, source=source or "", lang_filter=lang or "")
