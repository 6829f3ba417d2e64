"""A loopback site for the issue-11 engine capabilities, and its registry.

Each source exercises one capability; endpoints that need a signature, a cookie, a header or
a POST body check it (FixtureSite Route.respond) and refuse otherwise, so a crawl only gets
the articles if the engine sent the request the real site needs. Shapes follow what the
issue-11 brief records about the real sites (the sources helper's golden files carry the
real structures): Volcano Engine keeps its list in ``window._ROUTER_DATA``; Next.js pages in
``script#__NEXT_DATA__``; MIIT names its JSON build endpoint in a
``script[parseType=buildstatic]`` tag and wants the first response's cookie; CLS signs
its roll API query (DIYgod/RSSHub lib/routes/cls/utils.ts: sorted params, md5(sha1(qs)));
TRS government sites page with createPageHTML(count, current, "index", "htm") over
index_1.htm, index_2.htm; gov.cn content pages close </html> early.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qsl

from tests.crawlers.site import FixtureSite, RequestLog, Route

JSON = {"Content-Type": "application/json; charset=utf-8"}
BODY = (
    "国家数据局表示，截至6月底，我国日均Token消耗量突破30万亿，"
    "较去年初增长300多倍。火山引擎、阿里云和DeepSeek等厂商的模型调用量持续攀升，"
    "分析师认为词元经济正在成为衡量人工智能应用落地的重要指标。"
)


def article(title: str, extra: str = "", date: str | None = None) -> bytes:
    meta = f'<meta name="publishdate" content="{date}">' if date else ""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title>{meta}</head><body><nav>首页 | 新闻 | 政策</nav>"
        f"<article><h1>{title}</h1><p>{BODY}</p><p>{extra or BODY}</p></article>"
        "<footer>版权所有</footer></body></html>"
    ).encode()


def _page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def cls_expected_sign(query: list[tuple[str, str]]) -> str:
    """The server's own check of a CLS signature (sorted by name, already URL-safe values)."""
    pairs = sorted((k, v) for k, v in query if k != "sign")
    qs = "&".join(f"{k}={v}" for k, v in pairs)
    return hashlib.md5(hashlib.sha1(qs.encode()).hexdigest().encode()).hexdigest()


def _cls_roll(log: RequestLog) -> tuple[int, dict[str, str], bytes]:
    query = parse_qsl(log.query, keep_blank_values=True)
    sign = dict(query).get("sign")
    if sign != cls_expected_sign(query) or "cls.example" not in log.headers.get("Referer", ""):
        return 401, JSON, b'{"errno": 401, "msg": "sign error"}'
    roll = [
        {"id": 1, "title": "", "ctime": 1751331600, "shareurl": "/cls/detail/1",
         "content": "【豆包大模型日均tokens使用量超16.4万亿】财联社7月1日电，" + BODY},
        {"id": 2, "title": "DeepSeek降价", "ctime": 0, "shareurl": "/cls/detail/2",
         "content": "财联社7月1日电，DeepSeek宣布夜间时段API调用价格下调50%。" + BODY},
    ]  # fmt: skip
    return 200, JSON, json.dumps({"errno": 0, "data": {"roll_data": roll}}).encode()


def _post_api(log: RequestLog) -> tuple[int, dict[str, str], bytes]:
    try:
        body = json.loads(log.body or b"null")
    except ValueError:
        body = None
    ok = (
        log.method == "POST"
        and isinstance(body, dict)
        and body.get("page") == 1
        and log.headers.get("X-Requested-With") == "XMLHttpRequest"
    )
    if not ok:
        return 400, JSON, b'{"code": 400}'
    items = [{"link": "/post/a1.html", "name": "POST 列表文章", "time": "2025-07-01 10:00"}]
    return 200, JSON, json.dumps({"rows": items}).encode()


def _two_step_api(log: RequestLog) -> tuple[int, dict[str, str], bytes]:
    query = dict(parse_qsl(log.query))
    if "JSESSIONID=s3cr3t" not in log.headers.get("Cookie", "") or query.get("webId") != "8d8":
        return 403, JSON, b'{"success": false}'
    html = (
        '<ul class="page-content"><li><a href="/two/art1.html">工信部关于算力的通知</a>'
        "<span>2025-07-01</span></li></ul>"
    )
    return 200, JSON, json.dumps({"success": True, "data": {"html": html}}).encode()


def _boot_list(log: RequestLog) -> tuple[int, dict[str, str], bytes]:
    if "acw_tc=ok1" not in log.headers.get("Cookie", ""):
        return 403, {"Content-Type": "text/html"}, b"<html><body>forbidden</body></html>"
    return (
        200,
        {"Content-Type": "text/html"},
        _page('<ul><li><a href="/boot/a1.html">Cookie 之后的文章</a></li></ul>'),
    )


def _trs_list(n: int, count: int) -> bytes:
    links = "".join(f'<li><a href="./t{n}_{i}.htm">TRS 文章 {n}-{i}</a></li>' for i in (1, 2))
    pager = f'<script>createPageHTML({count}, {n}, "index", "htm");</script>'
    return _page(f'<ul class="list">{links}</ul>{pager}')


STRAY = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>国务院关于词元经济的通知</title>"
    "</head><body><div class='crumb'>首页 > 政策 > 最新</div></body></html>\n"
    "<div class='pages_content' id='UCAP-CONTENT'><p>" + BODY + "</p><p>" + BODY + "</p></div>"
    "</body></html>"
).encode()


def engine_routes() -> dict[str, Route]:
    feed = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>f</title>"
        "<item><title>OpenAI 发布新模型</title><link>/f403/a1.html</link>"
        "<description>&lt;p&gt;" + BODY + "&lt;/p&gt;</description>"
        "<pubDate>Tue, 01 Jul 2025 02:00:00 GMT</pubDate></item></channel></rss>"
    )
    emb_items = [
        {"title": "火山引擎文档更新", "url": "/emb/a1.html", "publishTime": 0},
        {"title": "火山引擎价格调整", "url": "/emb/a2.html", "publishTime": "1751331600"},
    ]
    router = {"loaderData": {"page": {"list": emb_items}}}
    emb = _page(
        "<div id='root'></div>",
        "<script>window.foo = 1;</script>"
        f"<script>window._ROUTER_DATA = {json.dumps(router, ensure_ascii=False)};</script>",
    )
    nxt = {
        "props": {"pageProps": {"articles": [{"id": "n1", "title": "百度智能云发布", "ctime": ""}]}}
    }
    nxt_page = _page(
        "<div id='__next'></div><script id='__NEXT_DATA__' type='application/json'>"
        + json.dumps(nxt, ensure_ascii=False)
        + "</script>"
    )
    two = _page(
        "<div id='list'></div><script parseType='buildstatic' "
        "url='/api-gateway/build/unit' queryData=\"webId=8d8&tplSetId=15\"></script>"
    )
    routes = {
        "/robots.txt": Route(body=b"User-agent: TokenwatchBot\nDisallow: /blocked/\n"),
        "/emb/docs.html": Route(body=emb),
        "/emb/a1.html": Route(body=article("火山引擎文档更新")),
        "/emb/a2.html": Route(body=article("火山引擎价格调整")),
        "/next/list.html": Route(body=nxt_page),
        "/next/detail/n1": Route(
            body=article("百度智能云发布"), headers={"Content-Type": "text/html"}
        ),
        "/two/index.html": Route(body=two, headers={"Set-Cookie": "JSESSIONID=s3cr3t; Path=/"}),
        "/api-gateway/build/unit": Route(respond=_two_step_api),
        "/two/art1.html": Route(body=article("工信部关于算力的通知")),
        "/v1/roll/get_roll_list": Route(respond=_cls_roll),
        "/post/api": Route(respond=_post_api),
        "/post/a1.html": Route(body=article("POST 列表文章")),
        "/boot/home.html": Route(body=_page("home"), headers={"Set-Cookie": "acw_tc=ok1; Path=/"}),
        "/boot/list.html": Route(respond=_boot_list),
        "/boot/a1.html": Route(body=article("Cookie 之后的文章")),
        "/f403/feed.xml": Route(
            body=feed.encode(), headers={"Content-Type": "application/rss+xml"}
        ),
        "/f403/a1.html": Route(status=403, body=b"Forbidden"),
        "/trs/index.htm": Route(body=_trs_list(0, 3)),
        "/trs/index_1.htm": Route(body=_trs_list(1, 3)),
        "/trs/index_2.htm": Route(body=_trs_list(2, 3)),
        "/trs/index_3.htm": Route(body=_trs_list(3, 3)),
        "/stray/list.html": Route(
            body=_page(
                '<ul><li><a href="/stray/p1.html">国务院关于词元经济的通知</a></li><li><a href="/stray/p2.html">没有正文容器的页面</a></li></ul>'
            )
        ),
        "/stray/p1.html": Route(body=STRAY),
        "/stray/p2.html": Route(body=article("没有正文容器的页面")),
        "/blocked/list.html": Route(
            body=_page('<ul><li><a href="/blocked/a1.html">x</a></li></ul>')
        ),
        "/deg/list.html": Route(
            body=_page('<ul class="news"><li><a href="/deg/a1.html">改版前的文章</a></li></ul>')
        ),
        "/deg/a1.html": Route(body=article("改版前的文章")),
        "/ua/list.html": Route(
            body=_page('<ul><li><a href="/ua/a1.html">自定义 UA 的文章</a></li></ul>')
        ),
        "/ua/a1.html": Route(body=article("自定义 UA 的文章")),
    }
    for n in range(4):
        for i in (1, 2):
            routes[f"/trs/t{n}_{i}.htm"] = Route(body=article(f"TRS 文章 {n}-{i}"))
    return routes


def start() -> FixtureSite:
    site = FixtureSite(routes=engine_routes())
    site.start()
    return site


REGISTRY = """
defaults:
  politeness: {download_delay: 0, concurrency: 2}
sources:
  - id: emb-var
    name: embedded window var
    kind: company
    lang: zh
    url: "{base}/emb/"
    listing:
      type: embedded_json
      urls: ["{base}/emb/docs.html"]
      script_var: window._ROUTER_DATA
      items_path: loaderData.page.list
      url_path: url
      title_path: title
      date_path: publishTime
  - id: emb-next
    name: embedded next data
    kind: company
    lang: zh
    url: "{base}/next/"
    listing:
      type: embedded_json
      urls: ["{base}/next/list.html"]
      script_selector: "script#__NEXT_DATA__"
      items_path: props.pageProps.articles
      url_path: id
      url_template: "{base}/next/detail/{value}"
      title_path: title
      date_path: ctime
  - id: two-step
    name: two step with cookie
    kind: policy
    lang: zh
    url: "{base}/two/"
    listing:
      type: two_step
      page_url: "{base}/two/index.html"
      take:
        url: {css: "script[parseType=buildstatic]::attr(url)"}
        params: {regex: "queryData=\\"([^\\"]+)\\""}
      endpoint: "{base_of_page}{url}?{params}&pageNo={page}"
      html_path: data.html
      link_selector: "li a"
      max_pages: 1
  - id: cls-roll
    name: signed roll api
    kind: industry
    lang: zh
    url: "{base}/cls/"
    request:
      headers: {Referer: "https://www.cls.example/telegraph"}
      signer: cls
    listing:
      type: json
      endpoint: "{base}/v1/roll/get_roll_list?app=CailianpressWeb&os=web&sv=8.4.6&rn=20"
      items_path: data.roll_data
      url_path: shareurl
      title_path: title
      date_path: ctime
      text_path: content
      listing_text: store
  - id: post-api
    name: post api
    kind: industry
    lang: zh
    url: "{base}/post/"
    request:
      method: POST
      headers: {X-Requested-With: XMLHttpRequest}
      json_body: {page: "{page}", size: 20}
    listing:
      type: json
      endpoint: "{base}/post/api"
      items_path: rows
      url_path: link
      title_path: name
      date_path: time
      max_pages: 1
  - id: boot
    name: cookie bootstrap
    kind: policy
    lang: zh
    url: "{base}/boot/"
    request: {cookie_bootstrap: "{base}/boot/home.html"}
    listing: {type: list, urls: ["{base}/boot/list.html"], link_selector: "li a"}
  - id: feed-403
    name: feed whose pages answer 403
    kind: intl
    lang: zh
    url: "{base}/f403/"
    listing: {type: feed, feed_urls: ["{base}/f403/feed.xml"], listing_text: fallback}
  - id: trs
    name: trs pagination
    kind: policy
    lang: zh
    url: "{base}/trs/"
    listing:
      type: list
      urls: ["{base}/trs/index.htm"]
      link_selector: "ul.list li a"
      pagination: {style: trs, template: "index_{n}.htm", first: 1}
      max_pages: 10
  - id: stray
    name: stray html end
    kind: policy
    lang: zh
    url: "{base}/stray/"
    listing:
      type: generic
      list_url: "{base}/stray/list.html"
      link_selector: "li a"
      body_selector: "#UCAP-CONTENT"
  - id: blocked
    name: robots disallowed
    kind: industry
    lang: zh
    url: "{base}/blocked/"
    listing: {type: list, urls: ["{base}/blocked/list.html"], link_selector: "li a"}
  - id: deg-list
    name: list that changes layout
    kind: industry
    lang: zh
    url: "{base}/deg/"
    listing: {type: list, urls: ["{base}/deg/list.html"], link_selector: "ul.news li a"}
  - id: ua-src
    name: user agent override
    kind: industry
    lang: zh
    url: "{base}/ua/"
    user_agent: "TokenwatchBot-Test/9 (+https://ops.example.test/ua)"
    listing: {type: list, urls: ["{base}/ua/list.html"], link_selector: "li a"}
"""
