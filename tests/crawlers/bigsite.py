"""Generate a fixture site of many articles across several sources (at test time, into a
temp dir; nothing committed). Used by the lead's end-to-end Neo4j test and bench/crawl.py.

    from tests.crawlers.bigsite import generate_site
    info = generate_site(tmp_path / "big", articles_per_source=48)   # 5 sources → 240 articles
    with FixtureSite(info.root) as site:
        sources = load_sources(info.registry, base_url=site.base)

Sources: an RSS feed (zh, UTF-8), HTML list pages with pagination (zh, GBK pages declared
gb2312), a JSON list endpoint (zh, two pages), a sitemap index with two sitemaps (en) and a
generic YAML-only source (zh, selectors for title/date/body): 5 × articles_per_source. Every DUPLICATE_EVERY-th article of
the list source is a syndicated copy of a feed article (same body, different header and
footer), so near-duplicate linking has something to find; `info.duplicates` lists the pairs
as (copy path, original path)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

CST = timezone(timedelta(hours=8))
DUPLICATE_EVERY = 10
PER_LIST_PAGE = 20
COMPANIES = [
    "阿里云",
    "火山引擎",
    "DeepSeek",
    "腾讯云",
    "百度智能云",
    "智谱",
    "MiniMax",
    "月之暗面",
]
AGENCIES = ["国家数据局", "工业和信息化部", "国家发展改革委", "国家互联网信息办公室"]
EN_COMPANIES = [
    "Alibaba Cloud",
    "Volcano Engine",
    "DeepSeek",
    "Tencent Cloud",
    "Baidu AI Cloud",
    "Zhipu",
    "MiniMax",
    "Moonshot AI",
]
FILLER = [
    "业内人士认为，随着推理成本持续下降，企业级智能体应用将加速落地。",
    "多家券商研报指出，算力基础设施投资仍处于上升周期。",
    "部分中小企业表示，大模型应用的投入产出比仍需进一步观察。",
    "分析师提醒，模型同质化竞争可能压缩厂商的利润空间。",
    "地方政府陆续出台支持人工智能产业发展的专项政策。",
    "开发者社区的活跃度在过去半年明显提升。",
]
EN_FILLER = [
    "Analysts expect inference costs to keep falling as competition intensifies.",
    "Enterprise adoption of AI agents is accelerating across finance and retail.",
    "Some investors warn that the price war could squeeze cloud providers' margins.",
    "Developers say lower prices make experimentation with larger models affordable.",
]


@dataclass
class SiteInfo:
    root: Path
    registry: Path
    articles: dict[str, list[str]] = field(default_factory=dict)  # source id → article paths
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.articles.values())


_ZH_WHO = [
    "业内人士",
    "券商分析师",
    "一位云厂商高管",
    "多位开发者",
    "地方政府官员",
    "投资机构合伙人",
    "行业协会负责人",
    "某上市公司董秘",
]
_ZH_WHAT = [
    "推理成本",
    "算力租赁价格",
    "智能体应用",
    "模型训练投入",
    "数据中心能耗",
    "开源模型生态",
    "企业采购预算",
    "海外市场拓展",
    "端侧部署",
    "多模态能力",
    "长上下文需求",
    "行业大模型",
]
_ZH_HOW = [
    "将在下半年明显改善",
    "仍面临较大不确定性",
    "出现了分化趋势",
    "成为竞争焦点",
    "增长速度超出预期",
    "需要更长的验证周期",
    "带动了上下游订单",
    "受到监管部门关注",
]
_EN_WHO = [
    "analysts",
    "a cloud executive",
    "developers",
    "investors",
    "an industry group",
    "a regional official",
]
_EN_WHAT = [
    "inference costs",
    "GPU rental prices",
    "agent adoption",
    "training budgets",
    "data-centre power use",
    "open-source models",
    "enterprise procurement",
    "overseas expansion",
]
_EN_HOW = [
    "will improve in the second half",
    "remain highly uncertain",
    "are diverging",
    "have become the main battleground",
    "are growing faster than expected",
    "need a longer validation period",
]


def _zh_sentences(rng: random.Random, k: int) -> list[str]:
    return [
        f"{rng.choice(_ZH_WHO)}认为，{rng.choice(_ZH_WHAT)}{rng.choice(_ZH_HOW)}，"
        f"{rng.choice(_ZH_WHAT)}则{rng.choice(_ZH_HOW)}（样本{rng.randint(100, 999)}）。"
        for _ in range(k)
    ]


def _en_sentences(rng: random.Random, k: int) -> list[str]:
    return [
        f"According to {rng.choice(_EN_WHO)}, {rng.choice(_EN_WHAT)} {rng.choice(_EN_HOW)}, while "
        f"{rng.choice(_EN_WHAT)} {rng.choice(_EN_HOW)} (sample {rng.randint(100, 999)})."
        for _ in range(k)
    ]


def _zh_body(rng: random.Random, i: int) -> tuple[str, list[str]]:
    company = COMPANIES[i % len(COMPANIES)]
    agency = AGENCIES[i % len(AGENCIES)]
    volume = rng.randint(5, 400) / 10
    price = rng.randint(1, 80) / 10
    title = f"{company}第{i}号观察：日均Token调用量达{volume}万亿"
    paras = [
        f"{agency}相关负责人表示，截至2025年6月底，{company}大模型日均Token调用量达到{volume}万亿。",
        f"{company}同时宣布旗舰模型降价{rng.randint(10, 95)}%，输入价格为每百万tokens {price}元。",
        *rng.sample(FILLER, 2),
        *_zh_sentences(rng, 6),
        f"这是编号为{i}的测试文章，工程师王喆与李镕参与了评测。",
    ]
    return title, paras


def _en_body(rng: random.Random, i: int) -> tuple[str, list[str]]:
    company = EN_COMPANIES[i % len(EN_COMPANIES)]
    price = rng.randint(5, 300) / 100
    title = f"{company} update #{i}: token prices cut to ${price} per million"
    paras = [
        f"{company} cut the price of its flagship model by {rng.randint(10, 95)}% to ${price} per million input tokens.",
        *rng.sample(EN_FILLER, 2),
        *_en_sentences(rng, 6),
        f"This is test article number {i}.",
    ]
    return title, paras


def _zh_page(title: str, when: datetime, paras: list[str], charset: str, site: str) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    return (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f'<title>{escape(title)}_{site}</title><meta name="PubDate" content="{when:%Y-%m-%d %H:%M}"></head><body>'
        f'<div class="nav"><a href="/">首页</a> | <a href="/news/">新闻</a> | {site}</div>'
        f'<div class="main"><h1>{escape(title)}</h1><div class="info">发布时间：{when:%Y-%m-%d %H:%M}　来源：{site}</div>'
        f'<div class="content">{body}</div></div>'
        f'<div class="footer">版权所有 {site} 京ICP备000000号 <a href="/about.html">关于我们</a></div></body></html>'
    )


def _en_page(title: str, when: datetime, paras: list[str]) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Wire</title>'
        f'<meta property="og:title" content="{escape(title)}"><meta property="article:published_time" content="{when.isoformat()}">'
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{body}</article>"
        f"<footer>Copyright Wire. All rights reserved.</footer></body></html>"
    )


def generate_site(root: Path, articles_per_source: int = 60, seed: int = 7) -> SiteInfo:
    """Write the site under `root` and its registry `root/sources.yaml` ({base} placeholders)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    info = SiteInfo(root, root / "sources.yaml")
    start = datetime(2025, 7, 1, 9, 0, tzinfo=CST)
    n = articles_per_source

    def write(rel: str, data: bytes | str) -> None:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    write("robots.txt", "User-agent: *\nDisallow: /private/\n")
    # 1. RSS feed source (zh, UTF-8)
    feed_items, feed_bodies = [], []
    for i in range(n):
        when = start - timedelta(hours=i)
        title, paras = _zh_body(rng, i)
        path = f"feed/{when:%Y%m%d}/a{i}.html"
        write(path, _zh_page(title, when, paras, "utf-8", "要闻网"))
        feed_bodies.append((path, title, paras, when))
        feed_items.append(
            f"<item><title>{escape(title)}</title><link>{{base}}/{path}?utm_source=rss</link>"
            f"<pubDate>{format_datetime(when)}</pubDate></item>"
        )
    write(
        "feed/rss.xml",
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>要闻网</title>'
        + "".join(feed_items)
        + "</channel></rss>",
    )
    info.articles["big-feed"] = [p for p, *_ in feed_bodies]
    # 2. list pages (zh, GBK bytes declared gb2312), some syndicated copies of feed articles
    links, list_paths = [], []
    for i in range(n):
        when = start - timedelta(hours=i, minutes=30)
        path = f"list/{i:04d}.html"
        if i % DUPLICATE_EVERY == 0:
            src_path, title, paras, original_when = feed_bodies[i]
            when = original_when + timedelta(minutes=30)  # a reprint follows its original
            paras = ["（转载自要闻网）", *paras, "责任编辑：张三"]
            info.duplicates.append((path, src_path))
        else:
            title, paras = _zh_body(rng, 1000 + i)
        write(path, _zh_page(title, when, paras, "gb2312", "财经网").encode("gbk"))
        list_paths.append(path)
        links.append(f'<li><a href="/{path}">{escape(title)}</a><span>{when:%Y-%m-%d}</span></li>')
    pages = [links[k : k + PER_LIST_PAGE] for k in range(0, len(links), PER_LIST_PAGE)]
    for p, chunk in enumerate(pages):
        nxt = (
            f'<a class="next" href="/list/index_{p + 1}.html">下一页</a>'
            if p + 1 < len(pages)
            else ""
        )
        name = "list/index.html" if p == 0 else f"list/index_{p}.html"
        write(
            name,
            (
                '<html><head><meta charset="gb2312"><title>财经网</title></head><body><ul class="news">'
                + "".join(chunk)
                + f'</ul><div class="page">{nxt}</div></body></html>'
            ).encode("gbk"),
        )
    info.articles["big-list"] = list_paths
    # 3. JSON endpoint (zh)
    items, json_paths = [], []
    for i in range(n):
        when = start - timedelta(hours=i, minutes=15)
        title, paras = _zh_body(rng, 2000 + i)
        path = f"api-news/{i}.html"
        write(path, _zh_page(title, when, paras, "utf-8", "快讯网"))
        json_paths.append(path)
        items.append({"id": i, "title": title, "ctime": int(when.timestamp())})
    half = (len(items) + 1) // 2
    write("api/list/1.json", json.dumps({"data": {"items": items[:half]}}, ensure_ascii=False))
    write("api/list/2.json", json.dumps({"data": {"items": items[half:]}}, ensure_ascii=False))
    info.articles["big-json"] = json_paths
    # 4. sitemap (en)
    urls, en_paths = [], []
    for i in range(n):
        when = (start - timedelta(hours=i, minutes=45)).astimezone(UTC)
        title, paras = _en_body(rng, i)
        path = f"en/story-{i}.html"
        write(path, _en_page(title, when, paras))
        en_paths.append(path)
        urls.append(f"<url><loc>{{base}}/{path}</loc><lastmod>{when.isoformat()}</lastmod></url>")
    half_urls = (len(urls) + 1) // 2
    for k, chunk in enumerate((urls[:half_urls], urls[half_urls:]), start=1):
        write(
            f"en/sitemap-{k}.xml",
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "<url><loc>{base}/en/about.html</loc></url>"
            + "".join(chunk)
            + "</urlset>",
        )
    write(
        "en/sitemap.xml",
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>{base}/en/sitemap-1.xml</loc></sitemap><sitemap><loc>{base}/en/sitemap-2.xml</loc></sitemap></sitemapindex>",
    )
    info.articles["big-en"] = en_paths
    # 5. generic kind (YAML-only site): own layout, selectors for title/date/body
    gen_links, gen_paths = [], []
    for i in range(n):
        when = start - timedelta(hours=i, minutes=5)
        title, paras = _zh_body(rng, 3000 + i)
        path = f"corp/news/{i}.html"
        body = "".join(f"<p>{escape(p)}</p>" for p in paras)
        write(
            path,
            f'<html><head><meta charset="utf-8"><title>新闻中心</title></head><body><div class="top">导航 登录</div>'
            f'<div class="news-detail"><div class="hd">{escape(title)}</div><div class="meta">{when:%Y.%m.%d %H:%M}</div>'
            f'<div class="bd">{body}</div></div><div class="recommend"><p>推荐阅读：其他新闻标题</p></div></body></html>',
        )
        gen_paths.append(path)
        gen_links.append(
            f'<div class="card"><a class="card-link" href="/{path}">{escape(title)}</a></div>'
        )
    gen_pages = [gen_links[k : k + PER_LIST_PAGE] for k in range(0, len(gen_links), PER_LIST_PAGE)]
    for p, chunk in enumerate(gen_pages):
        nxt = (
            f'<a class="more" href="/corp/list-{p + 1}.html">更多</a>'
            if p + 1 < len(gen_pages)
            else ""
        )
        write(
            "corp/list.html" if p == 0 else f"corp/list-{p}.html",
            "<html><body>" + "".join(chunk) + nxt + "</body></html>",
        )
    info.articles["big-generic"] = gen_paths
    pages_needed = len(pages)
    write(
        "sources.yaml",
        f"""# generated by tests/crawlers/bigsite.py
defaults:
  politeness: {{download_delay: 0, concurrency: 8}}
sources:
  - {{id: big-feed, name: 要闻网, kind: industry, lang: zh, url: "{{base}}/",
      listing: {{type: feed, feed_urls: ["{{base}}/feed/rss.xml"], max_articles: 10000}}}}
  - {{id: big-list, name: 财经网, kind: industry, lang: zh, url: "{{base}}/", encoding: gb2312,
      listing: {{type: list, urls: ["{{base}}/list/index.html"], link_selector: "ul.news li a",
                next_selector: "a.next", max_pages: {pages_needed}, max_articles: 10000}}}}
  - {{id: big-json, name: 快讯网, kind: policy, lang: zh, url: "{{base}}/",
      listing: {{type: json, endpoint: "{{base}}/api/list/{{page}}.json", items_path: data.items, url_path: id,
                url_template: "{{base}}/api-news/{{value}}.html", title_path: title, date_path: ctime,
                max_pages: 2, max_articles: 10000}}}}
  - {{id: big-en, name: Wire, kind: intl, lang: en, url: "{{base}}/",
      listing: {{type: sitemap, sitemap_urls: ["{{base}}/en/sitemap.xml"], url_pattern: "/en/story-", max_articles: 10000}}}}
  - {{id: big-generic, name: 某模型公司 新闻中心, kind: company, lang: zh, url: "{{base}}/corp/",
      listing: {{type: generic, list_url: "{{base}}/corp/list.html", link_selector: "div.card a.card-link",
                next_selector: "a.more", max_pages: {len(gen_pages)}, max_articles: 10000,
                title_selector: "div.news-detail div.hd::text", date_selector: "div.news-detail div.meta::text",
                body_selector: "div.news-detail div.bd"}}}}
""",
    )
    return info
