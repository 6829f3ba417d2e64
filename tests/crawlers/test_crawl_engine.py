"""The issue-11 engine capabilities crawled on loopback with the real spiders: embedded JSON,
two-step with a cookie, CLS signing, POST bodies and headers, cookie bootstrap, listing text
stored and the 403 summary-only fallback, TRS pagination, the stray </html>, robots.txt
blocking, degraded detection and the identifying user agent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.crawlers import engine_site
from tests.crawlers.crawlrun import CrawlResult, run_crawl
from tests.crawlers.site import FixtureSite, Route

pytestmark = pytest.mark.http
CONTACT = "https://ops.example.test/contact"


@dataclass
class Crawled:
    site: FixtureSite
    first: CrawlResult
    second: CrawlResult


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp("engine")
    site = engine_site.start()
    try:
        registry = tmp / "sources.yaml"
        registry.write_text(engine_site.REGISTRY.replace("{base}", site.base), "utf-8")
        out = tmp / "out.jsonl"
        env = {"TOKENWATCH_CRAWL_CONTACT_URL": CONTACT}
        first = run_crawl(registry, base_url=site.base, out=out, env=env)
        # the sites change layout: the embedded data and the list's container are gone
        site.route("/emb/docs.html", Route(body=b"<html><body><div id=root></div></body></html>"))
        site.route(
            "/deg/list.html", Route(body=b'<div class="list"><a href="/deg/a1.html">x</a></div>')
        )
        second = run_crawl(
            registry, base_url=site.base, out=out, ids=["emb-var", "deg-list"], env=env
        )
        yield Crawled(site, first, second)
    finally:
        site.stop()


def _titles(result: CrawlResult, source_id: str) -> set[str]:
    return {a.title for a in result.articles.values() if a.source_id == source_id}


def test_embedded_json_from_a_window_assignment_and_a_script_element(crawled: Crawled) -> None:
    first = crawled.first
    assert _titles(first, "emb-var") == {"火山引擎文档更新", "火山引擎价格调整"}
    assert first.by_url("/emb/a1.html").published_at is None  # publishTime 0 is unknown
    assert first.by_url("/emb/a2.html").published_at == datetime(2025, 7, 1, 1, tzinfo=UTC)
    assert _titles(first, "emb-next") == {"百度智能云发布"}
    assert first.by_url("/next/detail/n1").published_at is None  # ctime ""


def test_two_step_takes_the_api_from_the_page_and_sends_its_cookie(crawled: Crawled) -> None:
    assert _titles(crawled.first, "two-step") == {"工信部关于算力的通知"}
    api = [r for r in crawled.site.requests if r.path == "/api-gateway/build/unit"]
    assert api and api[0].query == "webId=8d8&tplSetId=15&pageNo=1"
    assert "JSESSIONID=s3cr3t" in api[0].headers.get("Cookie", "")


def test_signed_roll_api_items_are_stored_as_articles(crawled: Crawled) -> None:
    first = crawled.first
    assert first.run("cls-roll").status == "ok", first.run("cls-roll")
    one, two = first.by_url("/cls/detail/1"), first.by_url("/cls/detail/2")
    assert one.title == "豆包大模型日均tokens使用量超16.4万亿"  # the 【…】 headline
    assert one.text.startswith("【豆包大模型日均tokens使用量超16.4万亿】")
    assert one.raw_meta.get("from_listing") == "true" and "summary_only" not in one.raw_meta
    assert one.published_at == datetime(2025, 7, 1, 1, tzinfo=UTC)
    assert two.title == "DeepSeek降价" and two.published_at is None  # ctime 0
    assert crawled.site.hits("/cls/detail/1") == 0  # store: the page is never fetched


def test_post_body_and_headers_reach_the_endpoint(crawled: Crawled) -> None:
    assert _titles(crawled.first, "post-api") == {"POST 列表文章"}
    (call,) = [r for r in crawled.site.requests if r.path == "/post/api"]
    assert call.method == "POST" and call.headers["Content-Type"] == "application/json"


def test_cookie_bootstrap_opens_a_cookie_walled_list(crawled: Crawled) -> None:
    assert _titles(crawled.first, "boot") == {"Cookie 之后的文章"}
    paths = crawled.site.paths()
    assert paths.index("/boot/home.html") < paths.index("/boot/list.html")


def test_a_refused_article_page_falls_back_to_the_feed_summary(crawled: Crawled) -> None:
    art = crawled.first.by_url("/f403/a1.html")
    assert art.title == "OpenAI 发布新模型" and art.raw_meta["summary_only"] == "true"
    assert art.text.startswith("国家数据局表示") and "<p>" not in art.text
    assert crawled.site.hits("/f403/a1.html") == 1  # tried first


def test_trs_pagination_follows_index_n_up_to_the_stated_count(crawled: Crawled) -> None:
    assert len(_titles(crawled.first, "trs")) == 6  # index.htm, index_1.htm, index_2.htm
    assert crawled.site.hits("/trs/index_2.htm") == 1
    assert crawled.site.hits("/trs/index_3.htm") == 0  # createPageHTML(3, …): 3 pages


def test_stray_html_end_is_parsed_and_a_missing_body_is_a_parse_failure(crawled: Crawled) -> None:
    page = crawled.first.by_url("/stray/p1.html")
    assert page.title == "国务院关于词元经济的通知"
    assert page.text.count("国家数据局表示") == 2 and "首页" not in page.text
    run = crawled.first.run("stray")
    assert run.errors == {"no_body": 1} and run.status == "partial"
    assert "/stray/p2.html" not in {a.canonical_url[-14:] for a in crawled.first.articles.values()}
    assert "body container '#UCAP-CONTENT' not found" in crawled.first.log


def test_robots_disallow_shows_as_blocked_with_the_reason(crawled: Crawled) -> None:
    run = crawled.first.run("blocked")
    assert run.health == "blocked_by_robots"
    assert run.health_reason is not None and "/blocked/list.html" in run.health_reason
    assert "TokenwatchBot" in run.health_reason
    assert crawled.site.hits("/blocked/list.html") == 0


def test_a_source_that_stops_yielding_is_degraded_with_the_selector(crawled: Crawled) -> None:
    first, second = crawled.first, crawled.second
    assert first.run("deg-list").health == "ok" and first.run("emb-var").health == "ok"
    deg, emb = second.run("deg-list"), second.run("emb-var")
    assert deg.health == "degraded" and "link_selector 'ul.news li a' matched nothing" in (
        deg.health_reason or ""
    )
    assert emb.health == "degraded" and "window._ROUTER_DATA" in (emb.health_reason or "")


def test_identifying_user_agent_with_contact_and_per_source_override(crawled: Crawled) -> None:
    agents = {r.path: r.headers.get("User-Agent", "") for r in crawled.site.requests}
    assert (
        agents["/trs/index.htm"].startswith("TokenwatchBot/")
        and CONTACT in agents["/trs/index.htm"]
    )
    assert agents["/ua/list.html"] == "TokenwatchBot-Test/9 (+https://ops.example.test/ua)"
    assert agents["/ua/a1.html"] == agents["/ua/list.html"]
    assert _titles(crawled.first, "ua-src") == {"自定义 UA 的文章"}


def test_an_unsigned_call_is_refused_by_the_fixture(tmp_path: Path) -> None:
    """The fixture really checks the signature (so the signed crawl above proves signing)."""
    import httpx

    site = engine_site.start()
    try:
        plain = httpx.get(
            site.url("/v1/roll/get_roll_list?app=x&sign=0"),
            headers={"Referer": "https://www.cls.example/"},
        )
        assert plain.status_code == 401
    finally:
        site.stop()
