"""The Alerts pages: the inbox (acknowledge), the rule editor (all five kinds) and the
webhooks (create, test-send, delivery log, replay).

Every state change calls the same function as its API route (api/routes/rules.py,
webhooks.py, alerts.py) with the signed-in principal, so owner isolation, the id checks and
the validation messages are the API's own; the console only turns the form into the
route's request body and shows what the route raised next to the form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from api.auth import ApiPrincipal
from api.console import rule_form, views
from api.console.pages import Format, download
from api.console.render import page
from api.console.security import KeysDep, Viewer, checked_form, need
from api.deps import ClockDep, GraphDep, ServicesDep, get_alert_settings_dep
from api.errors import ApiError
from api.routes import rules as rule_routes
from api.routes import webhooks as hook_routes
from graph import outbox
from graph.access import Graph

router = APIRouter()
FORMATS = ("generic", "slack", "feishu", "dingtalk", "wecom")


def _is_htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


# --- inbox ----------------------------------------------------------------------------------------


def _rules_context(principal: ApiPrincipal, g: Graph,
                   values: dict[str, Any] | None = None,
                   problems: Sequence[rule_form.Problem] = (),
                   message: str | None = None) -> dict[str, Any]:
    return {"rules": rule_routes.list_rules(principal, g),
            "webhooks": hook_routes.list_webhooks(principal, g),
            "values": values or rule_form.blank_values(), "problems": list(problems),
            "message": message, "fields": rule_form.all_fields(),
            "rule_types": rule_form.RULE_TYPES, "severities": rule_form.SEVERITIES,
            "form_action": "/console/alerts/rules", "editing": None}


@router.get("/alerts")
def alerts(request: Request, principal: Viewer, graph_: GraphDep,
           status: Annotated[str | None, Query(pattern="^(open|acknowledged)$")] = None,
           fmt: Format = "csv") -> Response:
    items = [views.alert_view(a) for a in outbox.list_alerts(
        graph_, principal.owner, status=status, limit=200)]
    table = views.alert_table(items)
    if (file := download([table], request.query_params.get("download"), fmt)) is not None:
        return file
    return page(request, "alerts.html", items=items, filter_status=status, table=table,
                **_rules_context(principal, graph_))


@router.post("/alerts/{alert_id}/acknowledge")
async def acknowledge(request: Request, alert_id: str, principal: Viewer, keys: KeysDep,
                      graph_: GraphDep, clock: ClockDep) -> Response:
    await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    row = await run_in_threadpool(outbox.ack_alert, graph_, principal.owner, alert_id,
                                  principal.key_id, clock())
    if row is None:
        return page(request, "missing.html", status=404, what=alert_id)
    if _is_htmx(request):
        return page(request, "_alert_row.html", a=views.alert_view(row))
    return RedirectResponse("/console/alerts", status_code=303)


# --- rule editor ----------------------------------------------------------------------------------


def _save_rule(principal: ApiPrincipal, g: Graph, clock: ClockDep, values: dict[str, Any],
               rule_id: str | None) -> list[rule_form.Problem]:
    """Create (or replace the definition of) a rule through the API's route function; the
    problems it raised, each next to its input, or none."""
    try:
        body = rule_form.rule_body(values)
        if rule_id is None:
            rule_routes.create_rule(rule_routes.RuleIn.model_validate(body), principal, g, clock)
        else:
            rule_routes.update_rule(rule_id, rule_routes.RulePatch.model_validate(body),
                                    principal, g, clock)
    except ValidationError as exc:
        return rule_form.problems(exc, str(values.get("type")))
    except rule_form.FormProblem as exc:
        return [rule_form.Problem("type", str(exc))]
    except ApiError as exc:
        return [rule_form.Problem(None, exc.detail)]
    return []


@router.post("/alerts/rules")
async def create_rule(request: Request, principal: Viewer, keys: KeysDep, graph_: GraphDep,
                      clock: ClockDep) -> Response:
    form = await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    values = rule_form.submitted_values(form)
    problems = await run_in_threadpool(_save_rule, principal, graph_, clock, values, None)
    if not problems and not _is_htmx(request):
        return RedirectResponse("/console/alerts#rules", status_code=303)
    ctx = await run_in_threadpool(
        _rules_context, principal, graph_, values if problems else None, problems,
        None if problems else f"rule {values['name']!r} created")
    status = 422 if problems else 200
    if _is_htmx(request):
        return page(request, "_rules.html", status=status, **ctx)
    items = [views.alert_view(a) for a in outbox.list_alerts(graph_, principal.owner, limit=200)]
    return page(request, "alerts.html", status=status, items=items, filter_status=None,
                table=views.alert_table(items), **ctx)


def _edit_page(request: Request, principal: ApiPrincipal, g: Graph, rule_id: str,
               values: dict[str, Any] | None, problems: Sequence[rule_form.Problem],
               status: int = 200) -> Response:
    try:
        rule = rule_routes.get_rule(rule_id, principal, g)
    except ApiError:
        return page(request, "missing.html", status=404, what=rule_id)
    ctx = _rules_context(principal, g, values or rule_form.stored_values(rule), problems)
    ctx |= {"form_action": f"/console/alerts/rules/{rule_id}", "editing": rule}
    return page(request, "rule_edit.html", status=status, **ctx)


@router.get("/alerts/rules/{rule_id}")
def edit_rule(request: Request, rule_id: str, principal: Viewer, graph_: GraphDep) -> Response:
    return _edit_page(request, principal, graph_, rule_id, None, ())


@router.post("/alerts/rules/{rule_id}")
async def update_rule(request: Request, rule_id: str, principal: Viewer, keys: KeysDep,
                      graph_: GraphDep, clock: ClockDep) -> Response:
    form = await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    values = rule_form.submitted_values(form)
    problems = await run_in_threadpool(_save_rule, principal, graph_, clock, values, rule_id)
    if problems:
        return await run_in_threadpool(_edit_page, request, principal, graph_, rule_id, values,
                                       problems, 422)
    return RedirectResponse("/console/alerts#rules", status_code=303)


def _rule_row(request: Request, principal: ApiPrincipal, g: Graph, rule_id: str,
              message: str | None = None) -> Response:
    ctx = _rules_context(principal, g)
    rule = next((r for r in ctx["rules"] if r.id == rule_id), None)
    if rule is None:
        return page(request, "missing.html", status=404, what=rule_id)
    return page(request, "_rule_row.html", r=rule, webhooks=ctx["webhooks"], row_message=message)


@router.post("/alerts/rules/{rule_id}/enabled")
async def enable_rule(request: Request, rule_id: str, principal: Viewer, keys: KeysDep,
                      graph_: GraphDep, clock: ClockDep) -> Response:
    """Enable or disable (form field `enabled`: true|false) through PATCH's function."""
    form = await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    patch = rule_routes.RulePatch(enabled=str(form.get("enabled")) == "true")
    try:
        await run_in_threadpool(rule_routes.update_rule, rule_id, patch, principal, graph_, clock)
    except ApiError as exc:
        return page(request, "_message.html", status=exc.status, message=exc.detail)
    if _is_htmx(request):
        return await run_in_threadpool(_rule_row, request, principal, graph_, rule_id)
    return RedirectResponse("/console/alerts#rules", status_code=303)


@router.post("/alerts/rules/{rule_id}/delete")
async def delete_rule(request: Request, rule_id: str, principal: Viewer, keys: KeysDep,
                      graph_: GraphDep) -> Response:
    await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    try:
        await run_in_threadpool(rule_routes.delete_rule, rule_id, principal, graph_)
    except ApiError as exc:
        return page(request, "_message.html", status=exc.status, message=exc.detail)
    if _is_htmx(request):
        return Response("", media_type="text/html")  # the row is swapped out
    return RedirectResponse("/console/alerts#rules", status_code=303)


# --- webhooks -------------------------------------------------------------------------------------


def _hooks_context(principal: ApiPrincipal, g: Graph, **extra: Any) -> dict[str, Any]:
    return {"webhooks": hook_routes.list_webhooks(principal, g), "formats": FORMATS,
            "created": None, "error": None, "values": {}, **extra}


@router.get("/webhooks")
def webhooks(request: Request, principal: Viewer, graph_: GraphDep) -> Response:
    return page(request, "webhooks.html", **_hooks_context(principal, graph_))


@router.post("/webhooks")
async def create_webhook(request: Request, principal: Viewer, keys: KeysDep, graph_: GraphDep,
                         services: ServicesDep, clock: ClockDep) -> Response:
    form = await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    values = {k: str(form.get(k) or "").strip() for k in ("url", "format", "description",
                                                          "bot_secret")}
    body: dict[str, Any] = {"url": values["url"], "format": values["format"] or "generic",
                            "description": values["description"]}
    if values["bot_secret"]:
        body["bot_secret"] = values["bot_secret"]
    settings = get_alert_settings_dep(services)
    created, error = None, None
    try:
        created = await run_in_threadpool(hook_routes.create_webhook,
                                          hook_routes.WebhookIn.model_validate(body), principal,
                                          graph_, settings, clock)
    except ValidationError as exc:
        error = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                          for e in exc.errors())
    except ApiError as exc:
        error = exc.detail
    ctx = await run_in_threadpool(_hooks_context, principal, graph_)
    ctx |= {"created": created, "error": error, "values": values if error else {}}
    return page(request, "webhooks.html", status=422 if error else 200, **ctx)


def _deliveries(principal: ApiPrincipal, g: Graph, webhook_id: str) -> list[Any]:
    return hook_routes.list_deliveries(webhook_id, principal, g, status=None, limit=50)


def _hook_page(request: Request, principal: ApiPrincipal, g: Graph, webhook_id: str,
               result: Any = None, message: str | None = None, status: int = 200,
               fragment: bool = False) -> Response:
    try:
        hook = hook_routes.get_webhook(webhook_id, principal, g)
    except ApiError:
        return page(request, "missing.html", status=404, what=webhook_id)
    ctx = {"w": hook, "deliveries": _deliveries(principal, g, webhook_id), "result": result,
           "message": message}
    return page(request, "_deliveries.html" if fragment else "webhook.html", status=status,
                **ctx)


@router.get("/webhooks/{webhook_id}")
def webhook(request: Request, webhook_id: str, principal: Viewer, graph_: GraphDep) -> Response:
    return _hook_page(request, principal, graph_, webhook_id, fragment=_is_htmx(request))


@router.post("/webhooks/{webhook_id}/test")
async def test_send(request: Request, webhook_id: str, principal: Viewer, keys: KeysDep,
                    graph_: GraphDep, services: ServicesDep, clock: ClockDep) -> Response:
    """A real, signed `webhook.test` delivery to the URL (alerts.delivery.test_send)."""
    await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    settings = get_alert_settings_dep(services)
    result, message = None, None
    try:
        result = await run_in_threadpool(hook_routes.send_test, webhook_id, principal, graph_,
                                         settings, clock)
    except ApiError as exc:
        message = exc.detail
    return await run_in_threadpool(_hook_page, request, principal, graph_, webhook_id, result,
                                   message, 200, _is_htmx(request))


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/replay")
async def replay(request: Request, webhook_id: str, delivery_id: str, principal: Viewer,
                 keys: KeysDep, graph_: GraphDep, services: ServicesDep,
                 clock: ClockDep) -> Response:
    """Queue the delivery again (same webhook-id and body); the delivery worker sends it."""
    await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    try:
        await run_in_threadpool(hook_routes.replay, webhook_id, delivery_id, principal, graph_,
                                services.delivery_worker, clock)
        message = (f"delivery {delivery_id} queued again" if services.delivery_worker
                   else f"delivery {delivery_id} queued again; no delivery worker runs in "
                        "this process, another one will send it")
    except ApiError as exc:
        message = exc.detail
    return await run_in_threadpool(_hook_page, request, principal, graph_, webhook_id, None,
                                   message, 200, _is_htmx(request))


@router.post("/webhooks/{webhook_id}/enabled")
async def enable_webhook(request: Request, webhook_id: str, principal: Viewer, keys: KeysDep,
                         graph_: GraphDep, services: ServicesDep, clock: ClockDep) -> Response:
    form = await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    patch = hook_routes.WebhookPatch(enabled=str(form.get("enabled")) == "true")
    message = None
    try:
        await run_in_threadpool(hook_routes.update_webhook, webhook_id, patch, principal,
                                graph_, get_alert_settings_dep(services), clock)
    except ApiError as exc:
        message = exc.detail
    if message is None and not _is_htmx(request):
        return RedirectResponse(f"/console/webhooks/{webhook_id}", status_code=303)
    return await run_in_threadpool(_hook_page, request, principal, graph_, webhook_id, None,
                                   message, 200, False)


@router.post("/webhooks/{webhook_id}/delete")
async def delete_webhook(request: Request, webhook_id: str, principal: Viewer, keys: KeysDep,
                         graph_: GraphDep) -> Response:
    await checked_form(request, keys, request.state.nonce)
    need(principal, "analyst")
    try:
        await run_in_threadpool(hook_routes.delete_webhook, webhook_id, principal, graph_)
    except ApiError as exc:
        return page(request, "missing.html", status=exc.status, what=exc.detail)
    return RedirectResponse("/console/webhooks", status_code=303)
