"""Unit tests of the pure crawl helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawlers import dedupe, encoding, listings, policy
from crawlers.articles import parse_page
from crawlers.dates import parse_datetime
from crawlers.errors import PageError, RegistryError
from crawlers.parsers import BaseParser, SiteParser
from crawlers.registry import load_sources, parse_sources
from crawlers.retry_after import retry_after_seconds
from crawlers.urls import article_id, canonicalize

CST = timezone(timedelta(hours=8))
FETCHED = datetime(2025, 7, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (
            "https://www.ithome.com/0/1/2.htm?utm_source=rss&utm_medium=x#comments",
            "https://www.ithome.com/0/1/2.htm",
        ),
        ("https://m.ithome.com/html/2.htm", "https://www.ithome.com/html/2.htm"),
        (
            "https://wap.stcn.com/a.html?spm=1&id=7&from=timeline",
            "https://www.stcn.com/a.html?id=7",
        ),
        ("https://m.finance.sina.com.cn/a.shtml", "https://finance.sina.com.cn/a.shtml"),
        ("HTTP://WWW.Gov.CN:80/zhengce?b=2&a=1", "http://www.gov.cn/zhengce?a=1&b=2"),
        ("https://36kr.com", "https://36kr.com/"),
    ],
)
def test_canonicalize(raw: str, canonical: str) -> None:
    assert canonicalize(raw) == canonical


def test_article_id_is_stable_across_copies_of_one_url() -> None:
    a = article_id("https://www.ithome.com/0/1/2.htm")
    assert (
        a
        == article_id("http://m.ithome.com/0/1/2.htm?utm_source=x#top")
        == article_id("https://ithome.com/0/1/2.htm")
    )
    assert a != article_id("https://www.ithome.com/0/1/3.htm")
    assert len(a) == 20


def test_simhash_near_duplicates_and_distinct_stories() -> None:
    story = (
        "国家数据局局长表示，截至2025年6月底，我国日均Token消耗量突破30万亿。" * 2
        + "业内人士认为增长仍将持续，阿里云、火山引擎调整价格。" * 3
    )
    syndicated = "（来源：新华社）" + story + "责任编辑：张三"
    other = "工业和信息化部召开会议，部署算力基础设施高质量发展工作，要求提升算力供给能力。" * 4
    h1, h2, h3 = dedupe.simhash64(story), dedupe.simhash64(syndicated), dedupe.simhash64(other)
    assert dedupe.hamming(h1, h2) <= dedupe.NEAR_DUPLICATE_DISTANCE
    assert dedupe.hamming(h1, h3) > 10
    assert all(-(2**63) <= h < 2**63 for h in (h1, h2, h3))
    assert dedupe.simhash64("") == 0 and dedupe.hamming(-1, 0) == 64
    index = dedupe.SimhashIndex()
    index.add(h1, "first")
    assert index.find(h2) == "first" and index.find(h3) is None


@pytest.mark.parametrize(
    ("codec", "declared", "content_type"),
    [
        ("gbk", None, None),
        ("gbk", "gb2312", None),
        ("gb18030", "gbk", "text/html; charset=utf-8"),
        ("gbk", "utf-8", "text/html; charset=GB2312"),
        ("gb18030", None, "text/html; charset=ISO-8859-1"),
        ("utf-8", "gbk", None),
        ("utf-8", None, "text/html; charset=gbk"),
    ],
)
def test_decode_gbk_family(codec: str, declared: str | None, content_type: str | None) -> None:
    meta = f'<meta charset="{declared}">' if declared else ""
    text = f"<html><head>{meta}</head><body>朱镕基 王喆 国发〔2025〕11号 Token</body></html>"
    decoded, used = encoding.decode(text.encode(codec), content_type)
    assert decoded == text and "\ufffd" not in decoded
    assert used in {"utf-8", "gb18030"}


def test_decode_keeps_western_pages() -> None:
    assert encoding.decode("café".encode("latin-1"), "text/html; charset=iso-8859-1")[0] == "café"
    assert encoding.normalise_label("GB2312") == "gb18030"
    assert encoding.normalise_label("x-unknown") is None


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("2025年7月1日 10:30", "zh", datetime(2025, 7, 1, 10, 30, tzinfo=CST)),
        ("发布时间：2025-07-01 10:30:05", "zh", datetime(2025, 7, 1, 10, 30, 5, tzinfo=CST)),
        ("2025-07-01T02:30:00Z", "zh", datetime(2025, 7, 1, 2, 30, tzinfo=UTC)),
        ("Tue, 01 Jul 2025 08:00:00 GMT", "en", datetime(2025, 7, 1, 8, 0, tzinfo=UTC)),
        ("2025/07/01", "en", datetime(2025, 7, 1, tzinfo=UTC)),
        ("no date here", "zh", None),
    ],
)
def test_parse_datetime(raw: str, lang: str, expected: datetime | None) -> None:
    assert parse_datetime(raw, lang) == expected


def test_retry_after_values() -> None:
    now = datetime(2025, 7, 1, 0, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Tue, 01 Jul 2025 00:00:30 GMT", now) == 30
    assert retry_after_seconds("Mon, 30 Jun 2025 00:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None


def test_policy_helpers() -> None:
    assert (
        policy.find_doc_number("根据《意见》（工信部联通信〔2024〕123号）要求")
        == "工信部联通信〔2024〕123号"
    )
    assert policy.find_doc_number("国办发[2024] 5号") == "国办发[2024]5号"
    assert policy.find_effective_date("本办法自2025年9月1日起施行。") == date(2025, 9, 1)
    pairs = policy.label_pairs(
        ["发文机关：", "国务院", "成文日期：2025年08月21日", "索引号：", "000014349/2025-00011"]
    )
    fields = policy.from_table(
        pairs,
        "国发〔2025〕11号",
        "https://www.gov.cn/x/y.htm",
        ["a.pdf", "/b.DOC?x=1", "c.htm", "d.wps"],
    )
    assert fields.issuer == "国务院" and fields.issued_at == date(2025, 8, 21)
    assert fields.doc_number == "国发〔2025〕11号"  # 索引号 is not a document number
    assert fields.attachments == (
        "https://www.gov.cn/x/a.pdf",
        "https://www.gov.cn/b.DOC?x=1",
        "https://www.gov.cn/x/d.wps",
    )


def test_json_listing_paths_and_timestamps() -> None:
    body = (
        b'{"data": {"items": [{"id": 7, "t": "A", "ts": 1751335200}, {"id": null},'
        b' {"id": 8, "t": "B", "ts": "2025-07-01 10:00"}]}}'
    )
    links = listings.json_links(
        body,
        "https://x.cn/",
        "zh",
        items_path="data.items",
        url_path="id",
        title_path="t",
        date_path="ts",
        url_template="https://x.cn/p/{value}",
    )
    assert [(lk.url, lk.title) for lk in links] == [
        ("https://x.cn/p/7", "A"),
        ("https://x.cn/p/8", "B"),
    ]
    assert links[0].published_at == datetime(2025, 7, 1, 2, 0, tzinfo=UTC)
    with pytest.raises(PageError):
        listings.json_links(b"{", "https://x.cn/", "zh", items_path="a", url_path="b")
    gbk = '{"list": [{"u": "/a.html", "t": "王喆"}]}'.encode("gbk")
    (link,) = listings.json_links(
        gbk, "https://x.cn/", "zh", items_path="list", url_path="u", title_path="t"
    )
    assert link.title == "王喆" and link.url == "https://x.cn/a.html"


def test_sitemap_index_and_news_sitemap() -> None:
    index = b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.cn/s1.xml</loc></sitemap></sitemapindex>'
    assert listings.sitemap_links(index, "https://x.cn/", "zh") == ([], ["https://x.cn/s1.xml"])
    news = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x.cn/a.html</loc>'
        "<news:news><news:publication_date>2025-07-01T10:00:00+08:00</news:publication_date>"
        "<news:title>标题</news:title></news:news></url></urlset>"
    ).encode()
    links, children = listings.sitemap_links(news, "https://x.cn/", "zh")
    assert children == [] and links[0].title == "标题"
    assert links[0].published_at == datetime(2025, 7, 1, 10, tzinfo=CST)


def _entry(**kw: object) -> dict:
    base = {
        "id": "ok-source",
        "name": "n",
        "kind": "industry",
        "lang": "zh",
        "url": "https://x.cn/",
        "listing": {"type": "feed", "feed_urls": ["https://x.cn/rss"]},
    }
    return {**base, **kw}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(kind="blog"), "kind"),
        (_entry(listing={"type": "list", "urls": ["https://x.cn/"]}), "link_selector"),
        (_entry(listing={"type": "carrier-pigeon"}), "listing"),
        (_entry(parser="nope"), "unknown parser"),
        (_entry(encoding="klingon"), "unknown encoding"),
        (_entry(url="ftp://x"), "url"),
        (_entry(schedule={"cron": "* *"}), "cron"),
        (_entry(politeness={"concurrency": 0}), "concurrency"),
        (_entry(surprise=1), "surprise"),
    ],
)
def test_bad_registry_entry_names_entry_and_file(entry: dict, message: str) -> None:
    with pytest.raises(RegistryError) as err:
        parse_sources({"sources": [_entry(id="good"), {**entry, "id": "bad-one"}]}, "reg.yaml")
    assert (
        "bad-one" in str(err.value) and "reg.yaml" in str(err.value) and message in str(err.value)
    )


def test_registry_duplicates_and_files(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="duplicate"):
        parse_sources({"sources": [_entry(), _entry()]})
    bad = tmp_path / "s.yaml"
    bad.write_text("sources: [", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"s\.yaml"):
        load_sources(bad)
    with pytest.raises(RegistryError, match="cannot read"):
        load_sources(tmp_path / "missing.yaml")


def test_defaults_merge_and_base_substitution() -> None:
    doc = {
        "defaults": {"politeness": {"download_delay": 5}},
        "sources": [_entry(url="{base}/", politeness={"concurrency": 1})],
    }
    (src,) = parse_sources(doc, base_url="http://127.0.0.1:9/")
    assert src.url == "http://127.0.0.1:9/"
    assert src.politeness.download_delay == 5 and src.politeness.concurrency == 1


def test_parser_versions_pick_by_date() -> None:
    class V1(BaseParser):
        VALID_UNTIL = date(2024, 12, 31)

    class V1_1(BaseParser):
        pass

    site = SiteParser("x", [V1_1, V1])
    assert site.version_for(date(2024, 6, 1)) is V1
    assert site.version_for(date(2025, 1, 1)) is V1_1
    assert site.version_for(None) is V1_1


def test_parser_exception_becomes_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from crawlers import parsers

    class Exploding(BaseParser):
        def text(self) -> str:
            raise RuntimeError("layout changed")

    monkeypatch.setitem(parsers._REGISTRY, "exploding", [Exploding])
    (src,) = parse_sources({"sources": [_entry(parser="exploding")]})
    with pytest.raises(PageError) as err:
        parse_page(
            src,
            "https://x.cn/a.html",
            "<html><body><p>正文</p></body></html>".encode(),
            "text/html",
            fetched_at=FETCHED,
        )
    assert err.value.kind == "parse_error" and "layout changed" in err.value.reason


@pytest.mark.parametrize(
    ("body", "ctype", "kind"),
    [
        (b"", "text/html", "empty_body"),
        (b"   \n", None, "empty_body"),
        (b"%PDF-1.4", "text/html", "not_html"),
        (b"{}", "application/json", "not_html"),
        (b"<html><title>x</title></html>", "text/html", "no_content"),
    ],
)
def test_broken_bodies(body: bytes, ctype: str | None, kind: str) -> None:
    (src,) = parse_sources({"sources": [_entry()]})
    with pytest.raises(PageError) as err:
        parse_page(src, "https://x.cn/a.html", body, ctype, fetched_at=FETCHED)
    assert err.value.kind == kind


def test_unhealthy_after_consecutive_failures() -> None:
    from crawlers.health import failing_streak, is_unhealthy
    from crawlers.types import CrawlRunStats

    def run(day: int, status: str) -> CrawlRunStats:
        return CrawlRunStats(
            id=str(day), source_id="s", started_at=datetime(2025, 7, day, tzinfo=UTC), status=status
        )  # type: ignore[arg-type]

    history = [run(1, "failed"), run(2, "ok"), run(3, "failed"), run(4, "failed"), run(5, "failed")]
    assert failing_streak(history) == 3 and is_unhealthy(history)
    assert not is_unhealthy([*history, run(6, "partial")])


def test_display_and_summary() -> None:
    from rich.console import Console

    from crawlers.display import CrawlDisplay, summary_table
    from crawlers.types import CrawlProgress, CrawlRunStats

    (src,) = parse_sources({"sources": [_entry()]})
    console = Console(record=True, width=140)
    stats = CrawlRunStats(
        id="r1",
        source_id="ok-source",
        started_at=datetime(2025, 7, 1, tzinfo=UTC),
        ended_at=datetime(2025, 7, 1, 0, 0, 3, tzinfo=UTC),
        pages_fetched=7,
        new_articles=5,
        errors={"timeout": 2},
        status="partial",
    )
    with CrawlDisplay([src], console=console) as display:
        display(CrawlProgress(source_id="ok-source", phase="page", pages_fetched=3, articles=1))
        display(CrawlProgress(source_id="unknown", phase="page"))  # ignored
        display(
            CrawlProgress(
                source_id="ok-source",
                phase="done",
                pages_fetched=7,
                articles=5,
                errors=2,
                stats=stats,
            )
        )
    console.print(summary_table([stats]))
    out = console.export_text()
    assert "7 pages · 5 new · 2 errors" in out
    assert "ok-source" in out and "partial" in out and "timeout=2" in out and "3.0" in out


def test_scrapy_settings_are_safe_and_env_driven(monkeypatch: pytest.MonkeyPatch) -> None:
    from crawlers.runner import CrawlSettings, scrapy_settings, source_settings

    monkeypatch.setenv("TOKENWATCH_CRAWL_BATCH_SIZE", "4")
    monkeypatch.setenv("TOKENWATCH_CRAWL_MAX_BODY_BYTES", "1000")
    settings = CrawlSettings()
    assert settings.batch_size == 4
    s = scrapy_settings(settings)
    assert s["TELNETCONSOLE_ENABLED"] is False and s["ROBOTSTXT_OBEY"] is False
    assert s["AUTOTHROTTLE_ENABLED"] is True and s["REDIRECT_MAX_TIMES"] == 5
    assert s["EXTENSIONS"]["scrapy.extensions.telnet.TelnetConsole"] is None
    robots = s["DOWNLOADER_MIDDLEWARES"]
    assert robots["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert "crawlers.middlewares.Rfc9309RobotsMiddleware" in robots
    assert s["TW_BATCH_SIZE"] == 4 and s["DOWNLOAD_MAXSIZE"] == 1000
    assert 429 not in s["RETRY_HTTP_CODES"] and 503 not in s["RETRY_HTTP_CODES"]
    polite = {"download_delay": 3, "concurrency": 2}
    (src,) = parse_sources({"sources": [_entry(politeness=polite)]})
    per_source = source_settings(src, settings)
    assert per_source["DOWNLOAD_DELAY"] == 3 and per_source["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert per_source["TW_ROBOTS_ENABLED"] is True
