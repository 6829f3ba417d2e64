"""The real registry entries (crawlers/sources.yaml, unchanged but for their hosts) crawled on
loopback against their golden pages with the real spider: gov.cn's JSON list and its stray
</html> content pages, MIIT's two-step shell whose API needs the first response's cookie,
CLS's signed telegraph API stored as articles, and OpenAI's feed whose article pages answer
403 (summary-only fallback)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import yaml

from crawlers.registry import DEFAULT_PATH
from crawlers.signers import sign_cls
from tests.crawlers.crawlrun import CrawlResult, run_crawl
from tests.crawlers.site import FixtureSite, RequestLog, Route

pytestmark = pytest.mark.http
GOLDEN = Path(__file__).parent / "golden"
HOSTS = {  # source id → the real hosts its entry and golden pages name
    "gov-zhengce": ("https://www.gov.cn",),
    "miit-wjfb": ("https://www.miit.gov.cn",),
    "cls-telegraph": ("https://www.cls.cn",),
    "openai-news": ("https://openai.com",),
}
MIIT_API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
MIIT_COOKIE = "JSESSIONID=4F2A9C0D1E"


def _local(data: bytes, hosts: tuple[str, ...]) -> bytes:
    for host in hosts:
        data = data.replace(host.encode(), b"{base}")
    return data


def _golden(source_id: str, name: str) -> bytes:
    return gzip.decompress((GOLDEN / source_id / name).read_bytes())


def _put(root: Path, url_path: str, data: bytes) -> None:
    target = root / url_path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _miit_api(req: RequestLog) -> tuple[int, dict[str, str], bytes]:
    """The build endpoint answers only a caller that kept the shell's cookie."""
    if MIIT_COOKIE not in req.headers.get("Cookie", ""):
        return 403, {"Content-Type": "application/json"}, b'{"success":false}'
    body = _local(_golden("miit-wjfb", "listing.json.gz"), HOSTS["miit-wjfb"])
    return 200, {"Content-Type": "application/json"}, body


def _cls_api(req: RequestLog) -> tuple[int, dict[str, str], bytes]:
    """The telegraph API answers only a correctly signed query."""
    pairs = parse_qsl(req.query, keep_blank_values=True)
    unsigned = "&".join(f"{k}={v}" for k, v in pairs if k != "sign")
    expected = dict(parse_qsl(sign_cls(f"https://x/api/cache?{unsigned}").split("?", 1)[1]))
    if dict(pairs).get("sign") != expected["sign"]:
        return 401, {}, b'{"errno":401}'
    return 200, {"Content-Type": "application/json"}, _golden("cls-telegraph", "listing.json.gz")


def _build_site(root: Path) -> dict[str, Route]:
    gov = HOSTS["gov-zhengce"]
    _put(
        root,
        "/zhengce/zuixin/ZUIXINZHENGCE.json",
        _local(_golden("gov-zhengce", "listing.json.gz"), gov),
    )
    expected = json.loads((GOLDEN / "gov-zhengce" / "expected.json").read_text("utf-8"))
    _put(
        root,
        "/zhengce/content/202508/content_7037861.htm",
        _golden("gov-zhengce", "article.html.gz"),
    )
    decree = expected["extra_articles"][0]["url"].removeprefix(gov[0])
    _put(root, decree, _golden("gov-zhengce", "article-decree.html.gz"))
    miit = json.loads((GOLDEN / "miit-wjfb" / "expected.json").read_text("utf-8"))
    _put(root, "/zwgk/zcwj/wjfb/tz/index.html", _golden("miit-wjfb", "page.html.gz"))
    _put(
        root,
        miit["article"]["url"].removeprefix(HOSTS["miit-wjfb"][0]),
        _golden("miit-wjfb", "article.html.gz"),
    )
    _put(
        root,
        "/news/rss.xml",
        _local(_golden("openai-news", "listing.xml.gz"), HOSTS["openai-news"]),
    )
    return {
        "/zwgk/zcwj/wjfb/tz/index.html": Route(headers={"Set-Cookie": f"{MIIT_COOKIE}; Path=/"}),
        MIIT_API: Route(respond=_miit_api),
        "/api/cache": Route(respond=_cls_api),
        "/index/api-pricing-update/": Route(
            status=403, body=_golden("openai-news", "article.html.gz")
        ),
    }


def _registry(dest: Path, base: str) -> Path:
    doc = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    entries = [e for e in doc["sources"] if e["id"] in HOSTS]
    text = yaml.safe_dump({"defaults": doc["defaults"], "sources": entries}, allow_unicode=True)
    for hosts in HOSTS.values():
        for host in hosts:
            text = text.replace(host, base)
    dest.write_text(text, encoding="utf-8")
    return dest


@dataclass
class Crawled:
    site: FixtureSite
    result: CrawlResult


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp("real")
    root = tmp / "site"
    routes = _build_site(root)
    with FixtureSite(root, routes=routes) as site:
        registry = _registry(tmp / "sources.yaml", site.base)
        result = run_crawl(registry, base_url=site.base, out=tmp / "out.jsonl")
        yield Crawled(site, result)


def test_gov_cn_json_list_and_content_pages_with_a_stray_html_end(crawled: Crawled) -> None:
    run = crawled.result.run("gov-zhengce")
    assert run.status == "ok", run
    main = crawled.result.by_url("/zhengce/content/202508/content_7037861.htm")
    assert main.title == "国务院关于深入实施“人工智能+”行动的意见"
    assert "日均Token消耗量突破30万亿" in main.text and "首页" not in main.text
    assert main.policy is not None and main.policy.doc_number == "国发〔2025〕11号"
    decree = crawled.result.by_url("/zhengce/content/202506/content_7029999.htm")
    assert decree.policy is not None and decree.policy.doc_number == "国令第777号"


def test_miit_two_step_sends_the_shell_cookie_to_the_build_api(crawled: Crawled) -> None:
    run = crawled.result.run("miit-wjfb")
    # both listed items were followed; only the first has a page on this site (the other 404s)
    assert run.health == "ok" and run.new_articles == 1 and run.errors == {"http_404": 1}, run
    (api,) = [r for r in crawled.site.requests if r.path == MIIT_API]
    query = dict(parse_qsl(api.query))
    assert query["webId"] == "8d828e408d90447786ddbe128d495e9e" and query["tagId"] == "右侧内容"
    art = crawled.result.by_url("/art/2025/art_5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f.html")
    assert art.policy is not None and art.policy.doc_number == "工信部联通信〔2025〕98号"


def test_cls_telegraphs_come_from_the_signed_api_and_are_stored(crawled: Crawled) -> None:
    run = crawled.result.run("cls-telegraph")
    assert run.status == "ok", run
    art = crawled.result.by_url("/detail/2071234")
    assert art.raw_meta.get("from_listing") == "true"
    assert art.text.startswith("【国家数据局：我国日均Token消耗量突破30万亿】")
    untitled = crawled.result.by_url("/detail/2071230")
    assert untitled.title.startswith("财联社7月1日电") and untitled.published_at is None
    assert crawled.site.hits("/detail/2071234") == 0


def test_openai_pages_refused_with_403_keep_the_feed_text(crawled: Crawled) -> None:
    art = crawled.result.by_url("/index/api-pricing-update/")
    assert art.raw_meta.get("summary_only") == "true"
    assert art.text.startswith("Today we are lowering API prices")
    assert crawled.site.hits("/index/api-pricing-update/") == 1
