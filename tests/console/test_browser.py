"""The console in headless chromium over the fixture crawl (see conftest)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.console.conftest import SCRIPT_ARTICLE, SCRIPT_TITLE, Console, shot


def _chart_points(page: Any, selector: str) -> int:
    page.wait_for_selector(f"{selector}[data-ready='1']")
    return int(page.get_attribute(selector, "data-points") or 0)


def test_sign_in_and_today_renders_its_charts(signed_in: Any, console: Console) -> None:
    page = signed_in
    assert _chart_points(page, "[data-chart=volume]") >= 1
    assert _chart_points(page, "[data-chart=heat]") >= 1
    # every point is hoverable to its quote and article
    volume = json.loads(page.text_content("#volume-data") or "{}")["points"]
    first = volume[0]
    box = page.locator("[data-chart=volume] canvas").first
    page.wait_for_timeout(300)
    # hover the point: echarts tells us where it drew it
    x, y = page.evaluate(
        """() => { const el = document.querySelector('[data-chart=volume]');
                   const c = echarts.getInstanceByDom(el);
                   const p = c.getOption().series[0].data[0];
                   return c.convertToPixel({seriesIndex: 0}, p); }""")
    bb = box.bounding_box()
    page.mouse.move(bb["x"] + x, bb["y"] + y)
    tip = page.locator(".tip").first
    tip.wait_for(state="visible")
    assert first["quote"][:8] in (tip.text_content() or "")
    assert tip.locator("a").get_attribute("href") == f"/console/articles/{first['article_id']}"
    # the leaderboard and the price board come from the graph
    assert "Doubao" in page.text_content("#leaderboard") or "豆包" in page.text_content("#leaderboard")
    assert page.locator("#price-board tbody tr").count() >= 2
    assert page.locator("#policies li").count() >= 1
    assert page.locator("#newest-alerts li.sev-info").count() >= 1
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
    shot(page, "today")


def _node_pixel(page: Any, node_id: str) -> tuple[float, float]:
    """Where the graph view drew a node, in viewport pixels (the view scrolled to it)."""
    page.locator("[data-chart=graph]").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """(id) => { const el = document.querySelector('[data-chart=graph]');
                     const c = echarts.getInstanceByDom(el);
                     const i = c.getOption().series[0].data.findIndex(n => n.id === id);
                     const xy = c.getModel().getSeriesByIndex(0).getData().getItemLayout(i);
                     return c.convertToPixel({seriesIndex: 0}, xy); }""", node_id)
    box = page.locator("[data-chart=graph] canvas").first.bounding_box()
    return box["x"] + x, box["y"] + y


def test_entity_graph_expands_a_node(signed_in: Any, console: Console) -> None:
    page = signed_in
    page.goto(f"{console.base}/console/entities/alibaba-cloud")
    page.wait_for_selector("[data-chart=graph][data-ready='1']")
    before = int(page.get_attribute("[data-chart=graph]", "data-nodes") or 0)
    graph = json.loads(page.text_content("#graph-data") or "{}")
    ids = {n["id"] for n in graph["nodes"]}
    assert "qwen" in ids  # its model, one hop away (MADE_BY)
    page.mouse.click(*_node_pixel(page, "qwen"))
    page.wait_for_function(
        "() => (document.querySelector('[data-chart=graph]').dataset.expanded || '')"
        ".split(' ').includes('qwen')")
    after = int(page.get_attribute("[data-chart=graph]", "data-nodes") or 0)
    assert after > before  # qwen's own neighbours (its price observation…) joined the view
    assert page.locator("#series[data-chart], [data-chart=series][data-ready='1']").count() == 1
    assert "阿里云" in (page.text_content("#names") or "")
    shot(page, "entity")


def _expected_spans() -> set[tuple[str, int, int]]:
    from tests.conftest import _sample_items

    _, ext = next((a, e) for a, e in _sample_items() if a.id == "art-zh-qwen")
    spans = {(e.type, e.start, e.end) for e in ext.entities}
    spans |= {("metric", m.start, m.end) for m in ext.metrics}
    spans |= {("risk", r.start, r.end) for r in ext.risks}
    return spans


def test_article_highlights_match_the_extraction(signed_in: Any, console: Console) -> None:
    page = signed_in
    page.goto(f"{console.base}/console/articles/art-zh-qwen")
    marks = page.eval_on_selector_all(
        "#article-text mark", "ms => ms.map(m => [m.dataset.kind, +m.dataset.start, "
        "+m.dataset.end, m.textContent, m.title])")
    shown = {(k, s, e) for k, s, e, _, _ in marks}
    assert shown == _expected_spans()
    text = "阿里云通义千问降价\n\n" + (page.text_content("#article-text") or "")[11:]
    for _kind, start, end, surface, _title in marks:
        assert surface == text[start:end]
    metric = next(m for m in marks if m[0] == "metric")
    assert "0.8" in metric[4] and "CNY" in metric[4] and "input" in metric[4]  # normalised
    shot(page, "article")


def test_a_correction_is_recorded_and_exported(signed_in: Any, console: Console) -> None:
    page = signed_in
    page.goto(f"{console.base}/console/articles/art-zh-qwen")
    page.click("#extracted tr.item-metric button.wrong")
    page.select_option("#correction-form select[name=kind]", "wrong_value")
    page.fill("#correction-form input[name=value]", "0.5")
    page.fill("#correction-form input[name=note]", "the cut was to 0.5元")
    page.click("#correction-form button[type=submit]")
    page.wait_for_selector("#corrections li[data-correction]")
    assert "0.5" in (page.text_content("#corrections") or "")
    export = page.request.get(f"{console.base}/console/corrections.jsonl")
    assert export.ok
    lines = [json.loads(x) for x in export.text().splitlines()]
    case = next(x for x in lines if x["id"] == "art-zh-qwen")
    assert [m["value"] for m in case["metrics"]] == [0.5]  # the analyst's value
    assert case["corrections"][0]["kind"] == "wrong_value"
    assert case["text"].startswith("阿里云通义千问降价\n\n")
    metric = case["metrics"][0]
    assert case["text"][metric["start"]:metric["end"]] == "每百万tokens 0.8元"
    page.goto(f"{console.base}/console/corrections")
    assert page.locator("#corrections-table tbody tr").count() >= 1
    shot(page, "corrections")


def test_an_alert_is_acknowledged(signed_in: Any, console: Console) -> None:
    page = signed_in
    page.goto(f"{console.base}/console/alerts?status=open")
    row = page.locator("#alerts-table tr.status-open").first
    alert_id = row.get_attribute("id")
    row.locator("button.ack").click()
    page.wait_for_selector(f"tr[id='{alert_id}'].status-acknowledged")
    api = httpx.get(f"{console.base}/v1/alerts/{alert_id}",
                    headers={"Authorization": f"Bearer {console.admin_key}"})
    assert api.json()["status"] == "acknowledged"
    shot(page, "alerts")


def test_csv_and_xlsx_downloads_hold_the_rows(signed_in: Any, console: Console) -> None:
    page = signed_in
    page.wait_for_selector("#leaderboard")
    with page.expect_download() as got:
        page.click("#leaderboard a[data-download='model-volumes.csv']")
    rows = list(csv.DictReader(Path(got.value.path()).read_text("utf-8-sig").splitlines()))
    shown = page.eval_on_selector_all("#leaderboard tbody tr td:nth-child(2) a",
                                      "as => as.map(a => a.getAttribute('href'))")
    assert [f"/console/entities/{r['subject']}" for r in rows] == shown
    assert rows[0]["subject"] == "doubao" and float(rows[0]["tokens_per_day"]) == 16.4e12
    with page.expect_download() as got:
        page.click("#price-board a[data-download='prices.xlsx']")
    sheet = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("subject", "name", "kind")
    assert {v[0] for v in values[1:]} >= {"deepseek-v3", "qwen"}
    assert len(values) - 1 == page.locator("#price-board tbody tr").count()


def test_markup_in_a_crawled_title_stays_text(signed_in: Any, console: Console) -> None:
    page = signed_in
    page.goto(f"{console.base}/console/articles/{SCRIPT_ARTICLE}")
    assert page.text_content("h1.article-title") == SCRIPT_TITLE
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("main script:not([type='application/json']), main img").count() == 0
    shot(page, "script-title")


def test_a_form_without_its_csrf_token_is_refused(signed_in: Any, console: Console) -> None:
    page = signed_in
    alerts = httpx.get(f"{console.base}/v1/alerts", params={"status": "open"},
                       headers={"Authorization": f"Bearer {console.admin_key}"}).json()
    target = f"{console.base}/console/alerts/{alerts['items'][0]['id']}/acknowledge"
    bare = page.request.post(target, form={"x": "1"})
    assert bare.status == 403
    wrong = page.request.post(target, form={"csrf_token": "0" * 64})
    assert wrong.status == 403
    still = httpx.get(f"{console.base}/v1/alerts/{alerts['items'][0]['id']}",
                      headers={"Authorization": f"Bearer {console.admin_key}"}).json()
    assert still["status"] == "open"  # nothing changed
    headers = page.request.get(f"{console.base}/console/").headers
    assert "script-src 'self'" in headers["content-security-policy"]


def test_sign_in_cookie_roles_and_language(browser: Any, console: Console) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{console.base}/console/")
    assert "/console/login" in page.url  # not signed in: to the sign-in page
    page.fill("input[name=api_key]", "tw_nosuchkey1_" + "x" * 20)
    page.click("#login button[type=submit]")
    assert page.locator(".error").count() == 1
    page.fill("input[name=api_key]", console.reader_key)
    page.click("#login button[type=submit]")
    page.wait_for_url(f"{console.base}/console/")
    cookie = next(c for c in context.cookies() if c["name"] == "tw_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert "今日" in (page.text_content("header nav") or "")  # Accept-Language zh-CN
    assert "万亿" in (page.text_content("#leaderboard") or "")
    page.click("header .langs a:text('English')")
    assert "Today" in (page.text_content("header nav") or "")
    # a reader may look, not acknowledge
    csrf = page.get_attribute("input[name=csrf_token]", "value")
    alerts = httpx.get(f"{console.base}/v1/alerts",
                       headers={"Authorization": f"Bearer {console.admin_key}"}).json()
    refused = page.request.post(
        f"{console.base}/console/alerts/{alerts['items'][0]['id']}/acknowledge",
        form={"csrf_token": csrf or ""})
    assert refused.status == 403
    page.goto(f"{console.base}/console/sources")
    assert page.locator("#sources-table tbody tr").count() >= 3
    shot(page, "sources")
    context.close()


def test_metrics_compare_shows_conflicting_figures_side_by_side(signed_in: Any,
                                                               console: Console) -> None:
    page = signed_in
    page.goto(f"{console.base}/console/metrics?subjects=doubao,cn&kind=token_volume")
    assert _chart_points(page, "[data-chart=compare]") >= 3  # both subjects on one chart
    row = page.locator("#conflicts tbody tr").first
    assert "doubao" in (row.text_content() or "") and "2025-05-31" in (row.text_content() or "")
    figures = row.locator("ul.side-by-side li strong").all_text_contents()
    assert {"16.4T/day", "16T/day"} <= set(figures)  # the zh and the en report disagree
    shot(page, "metrics")
