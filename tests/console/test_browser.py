"""The console in headless chromium over the fixture crawl (see conftest)."""

from __future__ import annotations

import json
from typing import Any

from tests.console.conftest import Console, shot
from tests.crawlers.site import FixtureSite  # noqa: F401  (the crawl's site, see conftest)


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
