"""Pure pieces of the issue-11 engine: the CLS signer, JSON dates, embedded JSON, two_step
takes, TRS paging, the HTML5 repair, parse-failure checks and run health."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from crawlers import listings
from crawlers.articles import from_listing, parse_page
from crawlers.errors import PageError
from crawlers.fetchplan import endpoint_urls, listing_request
from crawlers.health import RunObservations, run_health
from crawlers.html5 import has_stray_end, repair
from crawlers.listings import Link
from crawlers.registry import SourceConfig, Take, TwoStepListing, parse_sources
from crawlers.signers import sign_cls

# Vectors computed outside Python with coreutils from the algorithm as documented (sorted
# query, sign = md5_hex(sha1_hex(query))):
#   printf '%s' "$QS" | sha1sum → S;  printf '%s' "$S" | md5sum
T0 = datetime(2025, 7, 1, 12, tzinfo=UTC)  # fetch time (a fixed input)
CLS_QS = "app=CailianpressWeb&category=&lastTime=1751328000&os=web&rn=20&sv=8.4.6"
CLS_SIGN = "99bde6a5b1e2bf7bc2258f745f93f1b8"
CLS_QS_ZH = "app=CailianpressWeb&keyword=%E8%B1%86%E5%8C%85+AI&os=web&sv=8.4.6"
CLS_SIGN_ZH = "8eafa6dd7ee6c5bb5ad7a36d25f7ec1e"


def test_cls_signer_matches_the_independent_vector() -> None:
    unsorted = "https://www.cls.cn/nodeapi/telegraphList?sv=8.4.6&rn=20&os=web&lastTime=1751328000&category=&app=CailianpressWeb"
    signed = urlsplit(sign_cls(unsorted))
    assert signed.query == f"{CLS_QS}&sign={CLS_SIGN}"
    assert signed.path == "/nodeapi/telegraphList"
    # an old signature is replaced, and non-ASCII values are form-encoded before hashing
    again = sign_cls(
        "https://x.cn/api?keyword=豆包 AI&sv=8.4.6&os=web&app=CailianpressWeb&sign=old"
    )
    assert dict(parse_qsl(urlsplit(again).query))["sign"] == CLS_SIGN_ZH
    assert urlsplit(again).query.startswith(CLS_QS_ZH + "&sign=")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, None),
        ("0", None),
        ("", None),
        (None, None),
        (-5, None),
        (1751328000, datetime(2025, 7, 1, tzinfo=UTC)),
        ("1751328000000", datetime(2025, 7, 1, tzinfo=UTC)),
    ],
)
def test_json_timestamps_zero_or_empty_are_unknown(value: Any, expected: datetime | None) -> None:
    data = {"items": [{"u": "/a", "t": value}]}
    (link,) = listings.item_links(
        data, "https://x.cn/", "zh", listings.ItemPaths("items", "u", date_path="t")
    )
    assert link.published_at == expected


@pytest.mark.parametrize(
    "script",
    [
        'window._ROUTER_DATA = {"a": {"list": [1]}};var x = 1;',
        'window["_ROUTER_DATA"]={"a": {"list": [1]}}',
        'var _ROUTER_DATA = {"a": {"list": [1]}}\n',
    ],
)
def test_embedded_json_from_assignments(script: str) -> None:
    html = f"<html><head><script>var other = 2;</script><script>{script}</script></head></html>"
    assert listings.embedded_json(html, None, "window._ROUTER_DATA") == {"a": {"list": [1]}}


def test_embedded_json_misses_name_what_was_looked_for() -> None:
    with pytest.raises(PageError, match=r"script_var 'window\._DATA'"):
        listings.embedded_json("<script>window._ROUTER_DATA = {}</script>", None, "window._DATA")
    with pytest.raises(PageError, match="matched nothing"):
        listings.embedded_json("<p>x</p>", "script#__NEXT_DATA__", None)
    with pytest.raises(PageError, match="bad_json"):
        listings.embedded_json(
            "<script id=__NEXT_DATA__>{oops</script>", "script#__NEXT_DATA__", None
        )


def test_two_step_takes_and_endpoint() -> None:
    html = "<script parseType='buildstatic' url='/api/unit' queryData=\"a=1&b=2\"></script>"
    rules = {
        "url": Take(css="script[parseType=buildstatic]::attr(url)"),
        "params": Take(regex='queryData="([^"]+)"'),
        "sid": Take(cookie="JSESSIONID"),
    }
    cookies = listings.set_cookies([b"JSESSIONID=abc; Path=/; HttpOnly", b"x=1"])
    values = listings.take_values(rules, html, cookies)
    assert values == {"url": "/api/unit", "params": "a=1&b=2", "sid": "abc"}
    listing = TwoStepListing(
        type="two_step", page_url="https://m.cn/p/index.html", take=rules,
        endpoint="{base_of_page}{url}?{params}&s={sid}&pageNo={page}", items_path="d",
        url_path="u", max_pages=2,
    )  # fmt: skip
    assert endpoint_urls(listing, values, "https://m.cn/p/index.html") == [
        ("https://m.cn/api/unit?a=1&b=2&s=abc&pageNo=1", 1),
        ("https://m.cn/api/unit?a=1&b=2&s=abc&pageNo=2", 2),
    ]
    with pytest.raises(PageError, match="take 'sid' \\(cookie 'JSESSIONID'\\) found nothing"):
        listings.take_values(rules, html, {})


def _source(**kw: Any) -> SourceConfig:
    entry = {"id": "s-one", "name": "n", "kind": "policy", "lang": "zh", "url": "https://x.cn/"}
    entry["listing"] = {"type": "feed", "feed_urls": ["https://x.cn/rss"]}
    (source,) = parse_sources({"sources": [{**entry, **kw}]})
    return source


def test_post_json_body_and_signer_in_the_listing_request() -> None:
    source = _source(
        request={"method": "POST", "json_body": {"page": "{page}", "tag": "p{page}"},
                 "headers": {"Referer": "https://x.cn/"}, "signer": "cls"},
        listing={"type": "json", "endpoint": "https://x.cn/api?b=2&a=1", "items_path": "d", "url_path": "u"},
        user_agent="Bot/1",
    )  # fmt: skip
    spec = listing_request(source, "https://x.cn/api?b=2&a=1", page=3)
    assert spec.method == "POST" and spec.body == b'{"page": 3, "tag": "p3"}'
    assert spec.headers == {
        "Referer": "https://x.cn/",
        "User-Agent": "Bot/1",
        "Content-Type": "application/json",
    }
    assert spec.url.startswith("https://x.cn/api?a=1&b=2&sign=")


def test_trs_page_urls() -> None:
    assert listings.trs_page_count('createPageHTML(7, 0, "index", "htm");') == 7
    assert listings.trs_page_count("no pager") is None
    root = "https://www.cac.gov.cn/wxzw/A0937index_1.htm"
    assert (
        listings.trs_next(root, "A0937index_{n}.htm", 2, 1)
        == "https://www.cac.gov.cn/wxzw/A0937index_2.htm"
    )
    assert (
        listings.trs_next("https://x.gov.cn/a/index.htm", "index_{n}.htm", 1, 2)
        == "https://x.gov.cn/a/index_2.htm"
    )


GOV = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>通知</title></head><body>"
    "<div class='crumb'>首页 > 政策</div></body></html>\n<!-- -->"
    "<div id='UCAP-CONTENT'><p>"
    + "第一条 为促进词元经济健康发展，制定本办法。" * 4
    + "</p></div></body></html>"
)


def test_html5_repair_only_touches_pages_with_a_stray_end() -> None:
    assert has_stray_end(GOV)
    assert "UCAP-CONTENT" in repair(GOV) and repair(GOV).count("</html>") == 1
    fine = "<html><body><p>x</p></body></html>\n<!-- trailing comment -->\n"
    assert not has_stray_end(fine) and repair(fine) == fine


def test_body_container_missing_or_text_too_short_is_a_parse_failure() -> None:
    generic = {
        "type": "generic",
        "list_url": "https://x.cn/",
        "link_selector": "a",
        "body_selector": "#UCAP-CONTENT",
    }
    source = _source(listing=generic)
    art = parse_page(source, "https://x.cn/a.html", GOV.encode(), "text/html", fetched_at=T0)
    assert "第一条" in art.text
    with pytest.raises(PageError, match="no_body: body container '#UCAP-CONTENT' not found"):
        parse_page(
            source,
            "https://x.cn/b.html",
            GOV.replace("UCAP-CONTENT", "other").encode(),
            fetched_at=T0,
        )
    long_nav = (
        "<ul>"
        + "".join(f"<li><a href='/{i}'>导航链接第{i}项内容</a></li>" for i in range(300))
        + "</ul>"
    )
    short = f"<html><head><title>t</title></head><body>{long_nav}<div id=main><p>只有三十个字的正文。只有三十个字的正文。</p></div></body></html>"
    with pytest.raises(PageError, match="short_text"):
        parse_page(
            _source(listing={**generic, "body_selector": "#main"}),
            "https://x.cn/c.html",
            short.encode(),
            fetched_at=T0,
        )


def test_listing_items_become_articles() -> None:
    source = _source()
    link = Link(
        "https://x.cn/t/1",
        None,
        None,
        None,
        "【标题在这里】正文内容足够长，超过二十个字符，是一条完整的快讯。",
    )
    art = from_listing(source, link, fetched_at=T0)
    assert art.title == "标题在这里" and art.raw_meta == {"from_listing": "true"}
    refused = from_listing(
        source, Link("https://x.cn/p", "标题", None, "摘要" * 20), summary_only=True, fetched_at=T0
    )
    assert refused.raw_meta["summary_only"] == "true" and refused.text == "摘要" * 20
    with pytest.raises(PageError, match="no_content"):
        from_listing(source, Link("https://x.cn/q", "t", None, "短"), fetched_at=T0)


def test_run_health() -> None:
    agent = "TokenwatchBot"
    assert run_health(RunObservations(had_history=True, listings_tried=1, links=3), agent) == (
        "ok",
        None,
    )
    fresh = RunObservations(
        listings_tried=1, listing_misses=["u: link_selector 'a' matched nothing"]
    )
    assert run_health(fresh, agent) == ("ok", None)  # never yielded: not a regression
    broke = RunObservations(had_history=True, listings_tried=1, listing_misses=fresh.listing_misses)
    assert run_health(broke, agent) == (
        "degraded",
        "listings yielded no links: u: link_selector 'a' matched nothing",
    )
    fields = RunObservations(had_history=True, listings_tried=1, links=2, articles_tried=2,
                             parse_failures=["p: no_body: body container '#Zoom' not found"])  # fmt: skip
    condition, reason = run_health(fields, agent)
    assert condition == "degraded" and "#Zoom" in (reason or "")
    blocked = RunObservations(listings_blocked=["https://x.cn/list"])
    assert run_health(blocked, agent)[0] == "blocked_by_robots"
    articles = RunObservations(links=2, articles_tried=2, articles_blocked=["a", "b"])
    assert run_health(articles, agent)[0] == "blocked_by_robots"
