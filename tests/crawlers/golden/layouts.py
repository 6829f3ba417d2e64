"""Golden pages for every enabled source, built from the documented real structure.

Each source has a Fixture: the facts its article states (title, date, paragraphs, policy
fields — our own text, not the site's), the listing in the site's real format and markup
(RSS, TRS list page, roll API JSON, a page embedding JSON, a two-step shell + API …) and the
article page with the site's real containers, ids, classes, JSON keys and quirks (gov.cn's
stray early </html>, GBK pages, 403 article pages …). `learned_from` names the public code
the structure was learned from (repository and path); the same reference is in the source's
`notes` in crawlers/sources.yaml. Regenerate: .venv/bin/python tests/crawlers/golden/make_golden.py
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape
from typing import Any

# ----------------------------------------------------------------------------- the facts


@dataclass(frozen=True)
class Page:
    """One article: what it says and where it lives."""

    url: str
    title: str
    published_at: str  # ISO, as the parser must report it
    paragraphs: tuple[str, ...]
    policy: dict[str, Any] = field(default_factory=dict)
    status: int = 200  # 403/401: the page is refused; the listing's text is stored instead
    summary_only: bool = False  # the expected article is the listing's text (refused page)
    from_listing: bool = False  # the expected article is the listing item itself (快讯)


@dataclass(frozen=True)
class Fixture:
    listing_url: str
    listing: bytes  # the listing body (for two_step: the API response)
    listing_ext: str
    article: Page
    article_html: bytes
    learned_from: str
    content_type: str = "text/html; charset=utf-8"
    page: bytes | None = None  # two_step: the first page (shell) the API call is taken from
    page_ext: str = "html"
    extra: tuple[tuple[str, Page, bytes], ...] = ()  # more article pages (name, facts, html)


P_TOKEN = "截至2025年6月底，我国日均Token消耗量突破30万亿，较2024年初增长300多倍。"
P_PRICE = "阿里云宣布通义千问主力模型降价97%，输入价格低至0.0005元/千tokens。"
P_VOLC = "火山引擎表示，豆包大模型日均tokens使用量已超过16.4万亿。"
P_RISK = "业内人士提醒，部分企业的大模型应用落地不及预期，算力投入回报存在不确定性。"

_NAV = '<div class="header"><a href="/">首页</a> <a href="/about/">关于我们</a></div>'
_FOOT = '<div class="footer">版权所有 © 2025 ICP备12345678号 <a href="/contact/">联系我们</a></div>'
_EN_FOOT = '<footer>Copyright 2025. All rights reserved. <a href="/terms">Terms</a></footer>'


def _note(learned: str) -> str:
    return f"<!-- Tokenwatch golden page: structure learned from {learned}; text written for the test. -->"


def _paras(page: Page) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)


def _doc(head: str, body: str, learned: str, charset: str = "utf-8", lang: str = "zh-CN") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="{charset}">'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">{head}</head>'
        f"<body>{_note(learned)}{body}</body></html>\n"
    )


def _ymd_cn(iso_date: str) -> str:
    return f"{iso_date[:4]}年{iso_date[5:7]}月{iso_date[8:10]}日"


def _attachments(page: Page) -> str:
    links = [
        f'<p><a href="{u}">附件{i + 1}</a></p>'
        for i, u in enumerate(page.policy.get("attachments", []))
    ]
    return "".join(links)


def _rss(title: str, link: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """RSS 2.0 with (title, link, pubDate RFC 822, description) items."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link><guid>{escape(u)}</guid>"
        f"<pubDate>{d}</pubDate><description>{escape(s)}</description></item>"
        for t, u, d, s in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>{escape(link)}</link>{body}</channel></rss>\n"
    ).encode()


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _trs_pager(count: int, prefix: str, ext: str) -> str:
    # TRS writes its pager as a script call: createPageHTML(pages, current, prefix, ext)
    return (
        f'<div class="page"><script>createPageHTML({count}, 0, "{prefix}", "{ext}");</script></div>'
    )


# ----------------------------------------------------------------------------- gov.cn

RSSHUB_GOV = "DIYgod/RSSHub lib/routes/gov/zhengce/index.ts (table.bd1, #UCAP-CONTENT, div.TRS_UEDITOR, meta firstpublishedtime)"


def _bd1_row(*cells: tuple[str, str, str]) -> str:
    """A bd1 row of (label, value, value-td class) pairs."""
    out = "<tr>"
    for label, value, cls in cells:
        out += f'<td class="w80"><b>{label}</b></td><td class="{cls}">{escape(value)}</td>'
    return out + "</tr>"


def gov_cn_bd1(page: Page, *, index_no: str, topic: str, colon: bool = True) -> bytes:
    """A 国务院文件 content page: header, then the stray early </html> the site emits, then the
    bd1 table and the body (lxml alone would drop everything after the </html>)."""
    p = page.policy
    c = "：" if colon else ""
    table = (
        '<table class="bd1" width="100%" cellspacing="0" cellpadding="0"><tbody>'
        + _bd1_row(("索　引　号" + c, index_no, "w180"), ("主题分类" + c, topic, "zcwj_ztfl"))
        + _bd1_row(
            ("发文机关" + c, p["issuer"], "w180"), ("成文日期" + c, _ymd_cn(p["issued_at"]), "")
        )
        + f'<tr><td class="w80"><b>标　　题{c}</b></td><td colspan="3">{escape(page.title)}</td></tr>'
        + _bd1_row(
            ("发文字号" + c, p["doc_number"], "w180"),
            ("发布日期" + c, _ymd_cn(page.published_at), ""),
        )
        + "</tbody></table>"
    )
    first_published = page.published_at[:10] + "-" + page.published_at[11:19]
    head = (
        f"<title>{escape(page.title)}_国务院文件_中国政府网</title>"
        f'<meta name="firstpublishedtime" content="{first_published}">'
        f'<meta name="lastmodifiedtime" content="{first_published}">'
        '<meta name="lanmu" content="国务院文件"><meta name="manuscriptId" content="7037861">'
    )
    early = f"{_NAV}<div class='BreadcrumbNav'>首页 &gt; 政策 &gt; 国务院文件</div></body></html>\n"
    rest = (
        f'<div class="wrap"><div class="share-title">{escape(page.title)}</div>{table}'
        '<table width="100%"><tbody><tr><td class="b12c" id="UCAP-CONTENT">'
        f'<div class="TRS_UEDITOR trs_paper_default">{_paras(page)}<p style="text-align:right">'
        f"{escape(p['issuer'])}</p>{_attachments(page)}</div></td></tr></tbody></table></div>{_FOOT}"
    )
    html = (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"{head}</head><body>{_note(RSSHUB_GOV)}{early}{rest}</body></html>\n"
    )
    return html.encode()


def gov_cn_overview(page: Page, *, index_no: str) -> bytes:
    """A 部门文件 page of the policy library: div.policyLibraryOverview_header label table."""
    p = page.policy
    header = (
        '<div class="policyLibraryOverview_header"><table><tbody>'
        f"<tr><th>索引号：</th><td>{index_no}</td><th>主题分类：</th><td>工业、交通\\信息产业</td></tr>"
        f"<tr><th>发文机关：</th><td>{escape(p['issuer'])}</td><th>成文日期：</th><td>{p['issued_at']}</td></tr>"
        f'<tr><th>标题：</th><td colspan="3">{escape(page.title)}</td></tr>'
        f"<tr><th>发文字号：</th><td>{escape(p['doc_number'])}</td><th>发布日期：</th><td>{page.published_at[:10]}</td></tr>"
        "</tbody></table></div>"
    )
    first_published = page.published_at[:10] + "-" + page.published_at[11:19]
    head = (
        f"<title>{escape(page.title)}_部门文件_中国政府网</title>"
        f'<meta name="firstpublishedtime" content="{first_published}">'
    )
    body = (
        f'{_NAV}<div class="BreadcrumbNav">首页 &gt; 政策 &gt; 政策文件库</div>{header}'
        f'<div class="pages_content mhide" id="UCAP-CONTENT">{_paras(page)}</div>{_FOOT}'
    )
    return _doc(
        head,
        body,
        "issue 11 (policyLibraryOverview_header) and DIYgod/RSSHub lib/routes/gov/zhengce/index.ts",
    ).encode()


def gov_zhengce() -> Fixture:
    art = Page(
        "https://www.gov.cn/zhengce/content/202508/content_7037861.htm",
        "国务院关于深入实施“人工智能+”行动的意见",
        "2025-08-26T18:00:00+08:00",
        (
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
            "为深入实施“人工智能+”行动，推动人工智能与经济社会各行业各领域广泛深度融合，现提出如下意见。",
            P_TOKEN,
            "各地区各部门要结合实际抓好贯彻落实，重大事项及时按程序请示报告。",
        ),
        policy={
            "doc_number": "国发〔2025〕11号",
            "issuer": "国务院",
            "issued_at": "2025-08-21",
            "attachments": ["https://www.gov.cn/zhengce/content/202508/P020250826_ai.pdf"],
        },
    )
    decree = Page(
        "https://www.gov.cn/zhengce/content/202506/content_7029999.htm",
        "人工智能算力基础设施安全管理条例",
        "2025-06-30T17:30:00+08:00",
        (
            "《人工智能算力基础设施安全管理条例》已经2025年6月13日国务院第80次常务会议通过，现予公布，自2025年9月1日起施行。",
            "第一条 为了保障算力基础设施安全稳定运行，依据国发〔2023〕5号文件精神，制定本条例。",
            "第二条 本条例所称算力基础设施，是指为人工智能模型训练和推理提供计算能力的设施。",
        ),
        policy={
            "doc_number": "国令第777号",
            "issuer": "国务院",
            "issued_at": "2025-06-20",
            "effective_at": "2025-09-01",
        },
    )
    listing = [
        {
            "TITLE": art.title,
            "URL": art.url,
            "SUB_TITLE": "国发〔2025〕11号",
            "DOCRELPUBTIME": "2025-08-26 18:00:00",
        },
        {
            "TITLE": decree.title,
            "URL": decree.url,
            "SUB_TITLE": "国令第777号",
            "DOCRELPUBTIME": "2025-06-30 17:30:00",
        },
        {
            "TITLE": "图解：一图读懂“人工智能+”行动",
            "URL": "https://www.gov.cn/zhengce/jiedu/tujie/202508/content_7037900.htm",
            "SUB_TITLE": "",
            "DOCRELPUBTIME": "",
        },
    ]
    return Fixture(
        "https://www.gov.cn/zhengce/zuixin/ZUIXINZHENGCE.json",
        _json(listing),
        "json",
        art,
        gov_cn_bd1(art, index_no="000014349/2025-00088", topic="科技、教育\\科技"),
        "public crawlers reading ZUIXINZHENGCE.json (TITLE/URL/SUB_TITLE/DOCRELPUBTIME); "
        + RSSHUB_GOV,
        extra=(
            (
                "decree",
                decree,
                gov_cn_bd1(
                    decree, index_no="000014349/2025-00061", topic="国防、安全", colon=False
                ),
            ),
        ),
    )


def gov_zhengceku() -> Fixture:
    art = Page(
        "https://www.gov.cn/zhengce/zhengceku/202507/content_7031234.htm",
        "工业和信息化部关于推动算力网络与大模型协同发展的指导意见",
        "2025-07-15T16:30:00+08:00",
        (
            "各省、自治区、直辖市及计划单列市、新疆生产建设兵团工业和信息化主管部门：",
            "为推动算力网络与大模型协同发展，降低企业使用智能算力和调用大模型的成本，提出如下意见。",
            "到2027年，智能算力规模和大模型词元调用量保持快速增长。",
        ),
        policy={
            "doc_number": "工信部信管〔2025〕120号",
            "issuer": "工业和信息化部",
            "issued_at": "2025-07-10",
        },
    )
    listing = {
        "code": 200,
        "msg": "success",
        "searchVO": {
            "totalCount": 2,
            "listVO": [
                {
                    "title": "工业和信息化部关于推动<em>算力</em>网络与大模型协同发展的指导意见",
                    "url": art.url,
                    "pubtimeStr": "2025.07.15",
                    "summary": "各省、自治区、直辖市及计划单列市……",
                    "puborg": "工业和信息化部",
                    "pcode": "工信部信管〔2025〕120号",
                    "ptime": 1752568200000,
                },
                {
                    "title": "关于某专题的解读",
                    "url": "https://www.gov.cn/zhengce/202507/content_7031300.htm",
                    "pubtimeStr": "2025.07.14",
                    "summary": "",
                    "puborg": "",
                    "pcode": "",
                    "ptime": 0,
                },
            ],
        },
    }
    return Fixture(
        "https://sousuo.www.gov.cn/search-gov/data?t=zhengcelibrary_bm&q=&timetype=timeqb&mintime=&maxtime=&sort=pubtime&sortType=1&searchfield=title&pcodeJiguan=&childtype=&subchildtype=&tsbq=&pubtimeyear=&puborg=&pcodeYear=&pcodeNum=&filetype=&p=1&n=20&inpro=&bmfl=&dup=&orpro=",
        _json(listing),
        "json",
        art,
        gov_cn_overview(art, index_no="000014349/2025-00120"),
        "public crawlers of search-gov/data (t=zhengcelibrary_bm, searchVO.listVO, pubtimeStr, pcode); issue 11 (policyLibraryOverview_header)",
    )


# ----------------------------------------------------------------------------- ministries


def miit() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/gov/miit/wjfb.ts (buildstatic script url/querydata, cookie, data.html, #con_con)"
    art = Page(
        "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2025/art_5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f.html",
        "工业和信息化部关于印发《算力基础设施高质量发展行动计划》的通知",
        "2025-06-05T00:00:00+08:00",
        (
            "各省、自治区、直辖市工业和信息化主管部门：",
            "现将《算力基础设施高质量发展行动计划》印发给你们，请结合实际认真贯彻落实。",
            "本通知自2025年7月1日起施行。",
        ),
        policy={
            "doc_number": "工信部联通信〔2025〕98号",
            "effective_at": "2025-07-01",
            "attachments": [
                "https://www.miit.gov.cn/cms_files/filemanager/attach/plan.pdf",
                "https://www.miit.gov.cn/cms_files/filemanager/attach/table.wps",
            ],
        },
    )
    query = (
        "{'parseType':'buildstatic','webId':'8d828e408d90447786ddbe128d495e9e',"
        "'tplSetId':'209741b2109044b5b7695700b2bec37e','pageType':'column','tagId':'右侧内容',"
        "'editType':'null','pageId':'ca517c97303b40cf80bd668b35f6148f'}"
    )
    shell = _doc(
        "<title>通知_文件发布_工业和信息化部</title>",
        f'{_NAV}<div class="lmy_main_rb"><div class="clist_con">'
        '<script id="4e3a2e3cc51f4a7688f34405910955e2" src="/cms_files/default/script/AuthorizedRead/unitbuild.js?v=3.1.3-GXB" '
        f'webId="8d828e408d90447786ddbe128d495e9e" parseType="buildstatic" '
        f'url="/api-gateway/jpaas-publish-server/front/page/build/unit" queryData="{query}"></script>'
        f"</div></div>{_FOOT}",
        learned,
    ).encode()
    fragment = (
        '<div class="clist_con"><ul>'
        f'<li><a href="/zwgk/zcwj/wjfb/tz/art/2025/art_5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f.html" target="_blank" title="{escape(art.title)}">{escape(art.title)}</a><span>2025-06-05</span></li>'
        '<li><a href="/zwgk/zcwj/wjfb/tz/art/2025/art_00aa11bb22cc33dd44ee55ff66778899.html" target="_blank">工业和信息化部关于开展2025年度算力网络试点工作的通知</a><span>2025-05-28</span></li>'
        "</ul></div>"
    )
    api = _json({"success": True, "code": 200, "data": {"html": fragment, "total": 2}})
    body = (
        f'{_NAV}<div class="ctitle"><h1 id="con_title">{escape(art.title)}</h1></div>'
        '<div class="cinfo"><span id="con_time">发布时间：2025-06-05</span> <span id="con_ly">来源：信息通信发展司</span></div>'
        f'<div class="ccontent center" id="con_con"><p style="text-align:center">{art.policy["doc_number"]}</p>'
        f"{_paras(art)}<p style='text-align:right'>工业和信息化部</p>{_attachments(art)}</div>{_FOOT}"
    )
    html = _doc(f"<title>{escape(art.title)}_工业和信息化部</title>", body, learned).encode()
    return Fixture(
        "https://www.miit.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?parseType=buildstatic&webId=8d828e408d90447786ddbe128d495e9e&tplSetId=209741b2109044b5b7695700b2bec37e&pageType=column&tagId=右侧内容&editType=null&pageId=ca517c97303b40cf80bd668b35f6148f",
        api,
        "json",
        art,
        html,
        learned,
        page=shell,
    )


def cac() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/gov/cac/index.ts (div#loadingInfoPage li a, .times); issue 11 (#BodyLabel, #pubtime)"
    art = Page(
        "https://www.cac.gov.cn/2025-03/14/c_1743654684782215.htm",
        "关于印发《人工智能生成合成内容标识办法》的通知",
        "2025-03-14T17:00:00+08:00",
        (
            "国信办通字〔2025〕2号",
            "为促进人工智能健康发展，规范人工智能生成合成内容标识，制定本办法。",
            "本办法自2025年9月1日起施行。",
        ),
        policy={"doc_number": "国信办通字〔2025〕2号", "effective_at": "2025-09-01"},
    )
    listing = _doc(
        "<title>政策法规_中国网信网</title>",
        f'{_NAV}<div class="list" id="loadingInfoPage"><ul>'
        f'<li><a href="{art.url}" target="_blank">{escape(art.title)}</a><span class="times">2025-03-14</span></li>'
        '<li><a href="https://www.cac.gov.cn/2025-02/28/c_1742400000000001.htm" target="_blank">国家互联网信息办公室发布生成式人工智能服务备案信息</a><span class="times">2025-02-28</span></li>'
        f'<li><a href="https://www.cac.gov.cn/wxzw/zcfg/xzfg/A09370302index_1.htm">行政法规</a></li></ul></div>'
        f"{_trs_pager(12, 'A0937index', 'htm')}{_FOOT}",
        learned,
    ).encode()
    body = (
        f'{_NAV}<div class="main"><h1 class="title">{escape(art.title)}</h1>'
        '<div class="info"><span id="pubtime">2025-03-14 17:00:00</span> <span id="source">来源：中国网信网</span></div>'
        f'<div class="main-content" id="BodyLabel">{_paras(art)}</div></div>{_FOOT}'
    )
    html = _doc(f"<title>{escape(art.title)}_中国网信网</title>", body, learned).encode()
    return Fixture(
        "https://www.cac.gov.cn/wxzw/A0937index_1.htm", listing, "html", art, html, learned
    )


def _trs_meta(title: str, pubdate: str, source: str) -> str:
    return (
        f'<meta name="ArticleTitle" content="{escape(title)}"><meta name="PubDate" content="{pubdate}">'
        f'<meta name="ContentSource" content="{escape(source)}"><meta name="ColumnName" content="通知">'
    )


def ndrc() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/gov/ndrc/fggz.ts (ul.u-list li a, metas ArticleTitle/PubDate/ContentSource, div.TRS_Editor)"
    art = Page(
        "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202507/t20250701_1398765.html",
        "国家发展改革委 国家数据局关于推动算力网络一体化发展的通知",
        "2025-07-01T10:00:00+08:00",
        (
            "发改数据〔2025〕880号",
            "各省、自治区、直辖市发展改革委、数据管理部门：",
            "为统筹推进全国一体化算力网建设，降低智能算力使用成本，现就有关事项通知如下。",
        ),
        policy={
            "doc_number": "发改数据〔2025〕880号",
            "issuer": "国家发展改革委",
            "attachments": ["https://www.ndrc.gov.cn/xxgk/zcfb/tz/202507/P020250701_1.pdf"],
        },
    )
    listing = _doc(
        "<title>通知 - 国家发展和改革委员会</title>",
        f'{_NAV}<ul class="u-list">'
        f'<li><a href="./202507/t20250701_1398765.html" target="_blank" title="{escape(art.title)}">{escape(art.title)}</a><span>2025/07/01</span></li>'
        '<li><a href="./202506/t20250620_1398001.html" target="_blank" title="关于做好2025年能源迎峰度夏工作的通知">关于做好2025年能源迎峰度夏工作的通知</a><span>2025/06/20</span></li>'
        '<li class="empty"></li></ul>'
        f"{_trs_pager(25, 'index', 'html')}{_FOOT}",
        learned,
    ).encode()
    body = (
        f'{_NAV}<div class="article"><div class="article_title">{escape(art.title)}</div>'
        '<div class="time">发布时间：2025/07/01</div><div class="article_con"><div class="TRS_Editor">'
        f'{_paras(art)}<p><a href="./P020250701_1.pdf">附件：算力网络一体化发展重点任务</a></p></div></div></div>{_FOOT}'
    )
    head = f"<title>{escape(art.title)}</title>" + _trs_meta(
        art.title, "2025-07-01 10:00:00", "国家发展改革委"
    )
    html = _doc(head, body, learned).encode()
    return Fixture("https://www.ndrc.gov.cn/xxgk/zcfb/tz/", listing, "html", art, html, learned)


def nda() -> Fixture:
    learned = "public policy crawlers for nda.gov.cn ('.list ul li', /zcfb/MMDD/<timestamp>_pc.html URLs); issue 11 (div.article)"
    art = Page(
        "https://www.nda.gov.cn/sjj/zwgk/zcfb/0701/20250701180000123456789_pc.html",
        "国家数据局关于印发《数据领域常用名词解释（第二批）》的通知",
        "2025-07-01T18:00:00+08:00",
        (
            "国数标〔2025〕4号",
            "国家数据局局长表示，截至2025年6月底，我国日均Token消耗量突破30万亿。",
            "词元（Token）是大模型处理文本的基本单位，词元调用量可反映人工智能应用活跃程度。",
        ),
        policy={"doc_number": "国数标〔2025〕4号"},
    )
    listing = _doc(
        "<title>政策发布-国家数据局</title>",
        f'{_NAV}<div class="list"><ul>'
        f'<li><a href="/sjj/zwgk/zcfb/0701/20250701180000123456789_pc.html" target="_blank">{escape(art.title)}</a><span>2025-07-01</span></li>'
        '<li><a href="/sjj/zwgk/zcfb/0620/20250620093000987654321_pc.html" target="_blank">国家数据局关于开展数据标注基地建设工作的通知</a><span>2025-06-20</span></li>'
        f"</ul></div>{_FOOT}",
        learned,
    ).encode()
    body = (
        f'{_NAV}<div class="article"><h1>{escape(art.title)}</h1>'
        '<div class="info"><span>发布时间：2025-07-01</span></div>'
        f"{_paras(art)}</div>{_FOOT}"
    )
    html = _doc(f"<title>{escape(art.title)}-国家数据局</title>", body, learned).encode()
    return Fixture(
        "https://www.nda.gov.cn/sjj/zwgk/zcfb/list/index_pc_1.html",
        listing,
        "html",
        art,
        html,
        learned,
    )


def csrc() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/gov/csrc/news.tsx (meta channelid, /searchList/{channelid} JSON data.results, div.detail-news)"
    art = Page(
        "http://www.csrc.gov.cn/csrc/c100028/c7561234/content.shtml",
        "证监会就科创板人工智能企业上市审核指引公开征求意见",
        "2025-06-20T19:00:00+08:00",
        (
            "为支持人工智能等新质生产力企业发展，证监会起草了相关审核指引。",
            "征求意见截止时间为2025年7月20日。",
            P_RISK,
        ),
    )
    shell = _doc(
        '<title>证监会要闻_中国证券监督管理委员会</title><meta name="channelid" content="c100028">',
        f'{_NAV}<div id="list"><ul></ul></div><script src="/common/js/list.js"></script>{_FOOT}',
        learned,
    ).encode()
    api = _json(
        {
            "success": True,
            "data": {
                "channelName": "证监会要闻",
                "total": 2,
                "results": [
                    {
                        "title": art.title,
                        "url": art.url,
                        "publishedTime": _epoch(art.published_at) * 1000,
                        "contentHtml": "<p>为支持人工智能等新质生产力企业发展……</p>",
                        "resList": [],
                    },
                    {
                        "title": "证监会召开2025年系统年中工作座谈会",
                        "url": "http://www.csrc.gov.cn/csrc/c100028/c7560000/content.shtml",
                        "publishedTime": 0,
                        "contentHtml": "",
                        "resList": [],
                    },
                ],
            },
        }
    )
    head = (
        f"<title>{escape(art.title)}_中国证券监督管理委员会</title>"
        f'<meta name="ArticleTitle" content="{escape(art.title)}"><meta name="PubDate" content="2025-06-20 19:00">'
    )
    body = (
        f'{_NAV}<div class="detail-title"><h2>{escape(art.title)}</h2></div>'
        '<div class="info"><span>时间：2025-06-20</span> <span>来源：证监会</span></div>'
        f'<div class="detail-news">{_paras(art)}</div>{_FOOT}'
    )
    return Fixture(
        "http://www.csrc.gov.cn/searchList/c100028?_isAgg=true&_isJson=true&_pageSize=18&_template=index&_rangeTimeGte=&_channelName=&page=1",
        api,
        "json",
        art,
        _doc(head, body, learned).encode(),
        learned,
        page=shell,
    )


def most() -> Fixture:
    learned = "issue 11 (#Zoom); TRS metas and createPageHTML as on NDRC (DIYgod/RSSHub lib/routes/gov/ndrc/fggz.ts)"
    art = Page(
        "https://www.most.gov.cn/xxgk/xinxifenlei/fdzdgknr/fgzc/gfxwj/gfxwj2025/202505/t20250512_193456.html",
        "科技部关于印发《人工智能科技伦理审查指引》的通知",
        "2025-05-12T09:00:00+08:00",
        ("为规范人工智能科技活动伦理审查工作，制定本指引。", "本指引自印发之日起实施。"),
        policy={"doc_number": "国科发监〔2025〕108号", "issued_at": "2025-05-12"},
    )
    listing = _doc(
        "<title>规范性文件_中华人民共和国科学技术部</title>",
        f'{_NAV}<div class="list-main"><ul>'
        f'<li><a href="./gfxwj2025/202505/t20250512_193456.html" target="_blank">{escape(art.title)}</a><span>2025-05-12</span></li>'
        '<li><a href="./gfxwj2025/202504/t20250410_193001.html" target="_blank">科技部关于发布国家重点研发计划相关重点专项指南的通知</a><span>2025-04-10</span></li>'
        f"</ul></div>{_trs_pager(3, 'index', 'html')}{_FOOT}",
        learned,
    ).encode()
    table = (
        '<table class="xxgk_table"><tbody>'
        "<tr><td>索引号：</td><td>306-13-2025-015</td><td>发文字号：</td><td>国科发监〔2025〕108号</td></tr>"
        "<tr><td>发布日期：</td><td>2025年05月12日</td><td>主题分类：</td><td>科技伦理</td></tr>"
        "</tbody></table>"
    )
    body = (
        f'{_NAV}<div class="xxgk_title">{escape(art.title)}</div>{table}'
        f'<div id="Zoom"><div class="TRS_Editor">{_paras(art)}<p>依据国科发监〔2023〕167号文件有关要求执行。</p></div></div>{_FOOT}'
    )
    head = f"<title>{escape(art.title)}</title>" + _trs_meta(
        art.title, "2025-05-12 09:00", "科技部"
    )
    return Fixture(
        "https://www.most.gov.cn/xxgk/xinxifenlei/fdzdgknr/fgzc/gfxwj/",
        listing,
        "html",
        art,
        _doc(head, body, learned).encode(),
        learned,
    )


# ----------------------------------------------------------------------------- industry


def kr36() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/36kr/utils.ts (div.articleDetailContent); 36kr.com/feed cited by public feed lists"
    art = Page(
        "https://36kr.com/p/3345678901234567",
        "大模型价格战第二季：Token单价一年降了九成",
        "2025-07-01T10:30:00+08:00",
        ("过去一年，国内主流大模型的Token单价下降了约九成。", P_PRICE, P_VOLC),
    )
    feed = _rss(
        "36氪",
        "https://36kr.com/",
        [(art.title, art.url + "?f=rss", _rfc822(art.published_at), art.paragraphs[0])],
    )
    body = (
        f'{_NAV}<div class="article-detail"><h1 class="article-title">{escape(art.title)}</h1>'
        '<div class="article-title-icon"><span class="item-time">2025-07-01 10:30</span></div>'
        f'<div class="articleDetailContent">{_paras(art)}</div></div>'
        '<script>window.initialState={"navigator":{}}</script>'
        f"{_FOOT}"
    )
    html = _doc(f"<title>{escape(art.title)}-36氪</title>", body, learned).encode()
    return Fixture("https://36kr.com/feed", feed, "xml", art, html, learned)


def ithome() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/ithome/index.ts (#paragraph, #pubtime_baidu)"
    art = Page(
        "https://www.ithome.com/0/865/123.htm",
        "DeepSeek 宣布错峰优惠：夜间 API 调用价格最低 2.5 折",
        "2025-02-26T19:45:12+08:00",
        (
            "IT之家 2 月 26 日消息，DeepSeek 今日宣布推出错峰优惠活动。",
            "北京时间每日 00:30-08:30 为错峰时段，API 调用价格大幅下调。",
        ),
    )
    feed = _rss(
        "IT之家",
        "https://www.ithome.com/",
        [(art.title, art.url, _rfc822(art.published_at), _paras(art))],
    )
    body = (
        f'{_NAV}<div class="fl content"><h1>{escape(art.title)}</h1>'
        '<div class="cv"><span id="pubtime_baidu">2025/2/26 19:45:12</span> <span id="source_baidu">IT之家</span></div>'
        f'<div id="paragraph" class="post_content">{_paras(art)}<p><img data-original="https://img.ithome.com/x.jpg"></p></div></div>{_FOOT}'
    )
    html = _doc(f"<title>{escape(art.title)} - IT之家</title>", body, learned).encode()
    return Fixture("https://www.ithome.com/rss/", feed, "xml", art, html, learned)


def cls() -> Fixture:
    from crawlers.signers import sign_cls

    learned = "DIYgod/RSSHub lib/routes/cls/telegraph.tsx, utils.ts (signed api/cache, data.roll_data), depth.ts (__NEXT_DATA__ articleDetail)"
    telegraph = Page(
        "https://www.cls.cn/detail/2071234",
        "国家数据局：我国日均Token消耗量突破30万亿",
        "2025-07-01T10:02:00+08:00",
        (
            "【国家数据局：我国日均Token消耗量突破30万亿】财联社7月1日电，国家数据局局长表示，截至2025年6月底，我国日均Token消耗量突破30万亿。",
        ),
        from_listing=True,
    )
    untitled = (
        "财联社7月1日电，火山引擎宣布豆包大模型日均tokens使用量已超过16.4万亿，较年初增长逾4倍。"
    )
    roll = {
        "errno": 0,
        "data": {
            "roll_data": [
                {
                    "id": 2071234,
                    "title": telegraph.title,
                    "content": telegraph.paragraphs[0],
                    "ctime": _epoch(telegraph.published_at),
                    "shareurl": "https://api3.cls.cn/share/article/2071234?os=web&sv=7.7.5",
                    "subjects": [{"subject_name": "人工智能"}],
                    "images": [],
                },
                {
                    "id": 2071230,
                    "title": "",
                    "content": untitled,
                    "ctime": 0,
                    "shareurl": "https://api3.cls.cn/share/article/2071230",
                    "subjects": [],
                },
                {"id": None, "title": "置顶", "content": "", "ctime": 0},
            ]
        },
    }
    depth = Page(
        "https://www.cls.cn/detail/2071999",
        "大模型调用量激增 算力租赁价格企稳回升",
        "2025-07-02T08:30:00+08:00",
        (
            "财联社记者了解到，多家算力租赁企业近期的订单明显增加。",
            "业内人士表示，大模型推理需求的增长是主要原因。",
            P_RISK,
        ),
    )
    detail = {
        "props": {
            "pageProps": {
                "articleDetail": {
                    "id": 2071999,
                    "title": depth.title,
                    "brief": depth.paragraphs[0],
                    "content": _paras(depth),
                    "ctime": _epoch(depth.published_at),
                    "author": {"name": "财联社记者"},
                    "images": [],
                }
            }
        },
        "page": "/detail/[id]",
    }
    depth_html = _doc(
        f"<title>{escape(depth.title)}_财联社</title>",
        f'<div id="__next"><div class="detail-header">{escape(depth.title)}</div></div>'
        f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(detail, ensure_ascii=False)}</script>',
        learned,
    ).encode()
    url = sign_cls(
        "https://www.cls.cn/api/cache?appName=CailianpressWeb&name=telegraph&os=web&sv=7.7.5"
    )
    return Fixture(
        url,
        _json(roll),
        "json",
        telegraph,
        b"",
        learned,
        extra=(("depth", depth, depth_html),),
    )


def stcn() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/stcn/kx.ts (article/list.html?type=kx with X-Requested-With, data[] content/time/url; div.detail-*)"
    kx = Page(
        "https://www.stcn.com/article/detail/1712345.html",
        "火山引擎：豆包大模型日均tokens使用量超16.4万亿",
        "2025-06-11T14:20:00+08:00",
        ("证券时报网讯，" + P_VOLC + "火山引擎同时下调了部分模型的调用价格。",),
        from_listing=True,
    )
    data = {
        "state": 1,
        "msg": "操作成功",
        "data": [
            {
                "title": kx.title,
                "content": kx.paragraphs[0],
                "time": _epoch(kx.published_at),
                "url": "/article/detail/1712345.html",
                "source": "证券时报网",
                "tags": [{"name": "人工智能"}],
                "share": {"image": ""},
            },
            {"title": "无链接的快讯", "content": "", "time": 0, "url": ""},
        ],
    }
    detail = Page(
        "https://www.stcn.com/article/detail/1712400.html",
        "多家券商上调算力板块评级",
        "2025-06-11T16:05:00+08:00",
        (
            "证券时报记者注意到，多家券商近期上调算力板块评级。",
            "分析人士认为，Token调用量的快速增长支撑了算力需求。",
        ),
    )
    body = (
        f'{_NAV}<div class="detail-title">{escape(detail.title)}</div>'
        '<div class="detail-info"><span>来源：证券时报网</span><span>作者：记者</span><span>2025-06-11 16:05</span></div>'
        f'<div class="detail-content">{_paras(detail)}</div>{_FOOT}'
    )
    html = _doc(f"<title>{escape(detail.title)}-证券时报网</title>", body, learned).encode()
    return Fixture(
        "https://www.stcn.com/article/list.html?type=kx",
        _json(data),
        "json",
        kx,
        b"",
        learned,
        extra=(("detail", detail, html),),
    )


def cs_com_cn() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/cs/index.ts (GBK, ul.ch_type3_list li a h3/em, article.cont_article)"
    art = Page(
        "https://www.cs.com.cn/xwzx/hg/202507/t20250702_6500123.html",
        "算力需求持续攀升 多家上市公司加码智算中心",
        "2025-07-02T07:05:00+08:00",
        (
            "中国证券报记者获悉，多家上市公司近期宣布加码智算中心建设。",
            "某智算中心负责人王喆表示，推理算力需求增长迅速，朱镕基时期建设的老园区也在改造。",
            P_RISK,
        ),
    )
    listing = _doc(
        "<title>财经要闻_中证网</title>",
        f'{_NAV}<ul class="ch_type3_list">'
        f'<li><a href="./202507/t20250702_6500123.html" target="_blank"><h3>{escape(art.title)}</h3><em>2025-07-02 07:05</em></a></li>'
        '<li><a href="./202507/t20250701_6500001.html" target="_blank"><h3>央行：保持流动性合理充裕</h3><em>2025-07-01 20:30</em></a></li>'
        f"</ul>{_FOOT}",
        learned,
        charset="gb2312",
    ).encode("gb18030")
    body = (
        f'{_NAV}<div class="artc_route"><div><a href="/">首页</a> <a href="/xwzx/" title="要闻">要闻</a></div></div>'
        f'<article class="cont_article"><header><h1>{escape(art.title)}</h1>'
        '<div class="artc_info"><time class="time" datetime="2025-07-02 07:05">2025-07-02 07:05</time><em>来源：中国证券报</em></div></header>'
        f"<section>{_paras(art)}</section></article>{_FOOT}"
    )
    html = _doc(f"<title>{escape(art.title)}_中证网</title>", body, learned, charset="gb2312")
    return Fixture(
        "https://www.cs.com.cn/xwzx/hg/",
        listing,
        "html",
        art,
        html.encode("gb18030"),
        learned,
        content_type="text/html",
    )


def sina() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/sina/finance/rollnews.ts, utils.tsx (roll API result.data intime/intro, #artibody)"
    art = Page(
        # the roll API gives http:// URLs (the site redirects to https); fetched as given
        "http://finance.sina.com.cn/roll/2025-07-01/doc-inaxyzab1234567.shtml",
        "阿里云通义千问降价97% 大模型价格战再升级",
        "2025-07-01T09:15:00+08:00",
        ("新浪财经讯 " + P_PRICE, "分析人士认为，降价将推动企业客户扩大大模型应用规模。"),
    )
    data = {
        "result": {
            "status": {"code": 0, "msg": "succ"},
            "data": [
                {
                    "title": art.title,
                    "intro": "阿里云宣布通义千问主力模型降价97%……",
                    "url": art.url,
                    "media_name": "新浪财经",
                    "intime": str(_epoch(art.published_at)),
                    "mtime": str(_epoch(art.published_at) + 60),
                    "ctime": str(_epoch(art.published_at)),
                }
            ],
        }
    }
    body = (
        f'{_NAV}<h1 class="main-title">{escape(art.title)}</h1>'
        '<div class="date-source"><span class="date" id="pub_date">2025年07月01日 09:15</span> <a class="source">新浪财经</a></div>'
        f'<div class="article" id="artibody">{_paras(art)}<div class="appendQr_wrap">扫一扫</div></div>{_FOOT}'
    )
    head = (
        f"<title>{escape(art.title)}|新浪财经</title>"
        '<meta property="article:published_time" content="2025-07-01T09:15:00+08:00">'
        '<meta property="article:author" content="新浪财经">'
    )
    return Fixture(
        "https://feed.mix.sina.com.cn/api/roll/get?pageid=384&lid=2519&k=&num=50&page=1",
        _json(data),
        "json",
        art,
        _doc(head, body, learned).encode(),
        learned,
    )


def jiemian() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/jiemian/common.tsx (a[href] /article/N.html, div.article-header h1, div.article-content, data-article-publish-time)"
    art = Page(
        "https://www.jiemian.com/article/12876543.html",
        "MiniMax发布新模型，输入价格降至每百万Token 0.8元",
        "2025-06-17T16:40:00+08:00",
        (
            "界面新闻记者获悉，MiniMax于6月17日发布新一代大模型。",
            "新模型输入价格为每百万Token 0.8元，输出价格为每百万Token 8元。",
        ),
    )
    listing = _doc(
        "<title>科技_界面新闻</title>",
        f'{_NAV}<div class="columns-right-center__newsflash">'
        f'<div class="card-list"><div class="card-list__content"><a href="https://www.jiemian.com/article/12876543.html" target="_blank" title="{escape(art.title)}">{escape(art.title)}</a></div></div>'
        '<div class="news-img"><a href="https://www.jiemian.com/article/12876500.html"><img src="x.jpg"></a></div>'
        '<a href="https://www.jiemian.com/video/AGQCNQhiB2M.html">视频</a>'
        f'<a href="https://www.jiemian.com/lists/65.html">科技</a></div>{_FOOT}',
        learned,
    ).encode()
    body = (
        f'{_NAV}<div class="article-view"><div class="article-header"><h1>{escape(art.title)}</h1>'
        "<p>新模型价格大幅下调。</p></div>"
        '<div class="article-info"><span class="author"><a href="/author/1">记者</a></span>'
        f'<span data-article-publish-time="{_epoch(art.published_at)}">2025/06/17 16:40</span></div>'
        f'<div class="article-content">{_paras(art)}</div></div>{_FOOT}'
    )
    html = _doc(f"<title>{escape(art.title)}_界面新闻</title>", body, learned).encode()
    return Fixture("https://www.jiemian.com/lists/65.html", listing, "html", art, html, learned)


def yicai() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/yicai/latest.ts, utils.ts (getlatest array NewsTitle/url/CreateDate, #multi-text)"
    art = Page(
        "https://www.yicai.com/news/102712345.html",
        "智谱发布GLM新模型 API价格下调至每百万tokens 1元",
        "2025-07-02T20:10:00+08:00",
        (
            "第一财经记者获悉，智谱于7月2日发布新一代GLM模型。",
            "新模型API价格下调至每百万tokens 1元。",
            P_RISK,
        ),
    )
    data = [
        {
            "NewsTitle": art.title,
            "url": "/news/102712345.html",
            "CreateDate": "2025-07-02T20:10:00",
            "NewsNotes": "智谱发布新一代GLM模型。",
            "ChannelName": "科技",
            "NewsAuthor": "记者",
            "AppID": 2,
        }
    ]
    body = (
        f'{_NAV}<div class="title f-pr"><h1>{escape(art.title)}</h1><p><em>2025-07-02 20:10:00</em></p></div>'
        f'<div class="m-txt"><div id="multi-text" class="multiText">{_paras(art)}</div></div>'
        "<script>var _pb = [['actime','2025-07-02 20:10'],['channel','科技']];</script>"
        f"{_FOOT}"
    )
    html = _doc(f"<title>{escape(art.title)}</title>", body, learned).encode()
    return Fixture(
        "https://www.yicai.com/api/ajax/getlatest?page=1&pagesize=30",
        _json(data),
        "json",
        art,
        html,
        learned,
    )


# ----------------------------------------------------------------------------- companies


def _plain_article(
    page: Page, site: str, learned: str, lang: str = "zh-CN", extra: str = ""
) -> bytes:
    """A server-rendered article read by the default extractor (trafilatura)."""
    foot = _EN_FOOT if lang == "en" else _FOOT
    head = (
        f"<title>{escape(page.title)} | {escape(site)}</title>"
        f'<meta property="og:title" content="{escape(page.title)}">'
        f'<meta property="article:published_time" content="{page.published_at}">'
    )
    body = (
        f'<nav><a href="/">Home</a> <a href="/news">News</a></nav><main><article>'
        f"<h1>{escape(page.title)}</h1>{_paras(page)}</article></main>{extra}{foot}"
    )
    return _doc(head, body, learned, lang=lang).encode()


def volcengine() -> Fixture:
    learned = "a public crawler's tests for volcengine.com/news (window._ROUTER_DATA loaderData['__ssr_without_user/news/page'].listOnlineArticle.List)"
    art = Page(
        "https://www.volcengine.com/news/detail/7514123456789",
        "火山引擎Force原动力大会：豆包大模型日均Tokens使用量超16.4万亿",
        "2025-06-11T09:00:00+08:00",
        (P_VOLC, "火山引擎总裁谭待表示，Token调用量的快速增长来自企业智能体应用的规模化落地。"),
    )
    router = {
        "loaderData": {
            "__ssr_without_user/news/page": {
                "banner": [{"title": art.title, "link": art.url, "date": "2025-06-11"}],
                "listOnlineArticle": {
                    "List": [
                        {
                            "DocumentID": 7514123456789,
                            "Title": art.title,
                            "VersionTitle": art.title,
                            "CreatedTime": "2025-06-11T09:00:00+08:00",
                            "TagName": "产品发布",
                            "CategoryCodeName": "机器学习",
                        },
                        {
                            "DocumentID": 7514000000001,
                            "Title": "火山引擎发布新一代云服务器",
                            "CreatedTime": "",
                            "TagName": "新功能",
                        },
                    ],
                    "Total": 2,
                },
            }
        }
    }
    page = _doc(
        "<title>新闻中心-火山引擎</title>",
        '<div id="root"></div><script>window._ROUTER_DATA = '
        + json.dumps(router, ensure_ascii=False)
        + ";</script>",
        learned,
    ).encode()
    return Fixture(
        "https://www.volcengine.com/news",
        page,
        "html",
        art,
        _plain_article(art, "火山引擎", learned),
        learned,
    )


def aliyun() -> Fixture:
    learned = (
        "DIYgod/RSSHub lib/routes/aliyun/notice.ts (ul > li.notice-li a, .y-right, #se-knowledge)"
    )
    art = Page(
        "https://help.aliyun.com/noticelist/articleid/1064981234.html",
        "【降价】通义千问主力模型调用价格下调公告",
        "2025-05-21T00:00:00+08:00",
        (P_PRICE, "此次降价覆盖通义千问多款商业化模型，自2025年5月21日起生效。"),
    )
    listing = _doc(
        "<title>公告_阿里云</title>",
        f'{_NAV}<ul class="notice-list">'
        f'<li class="notice-li"><a href="/noticelist/articleid/1064981234.html">{escape(art.title)}</a><span class="y-right">2025-05-21</span></li>'
        '<li class="notice-li"><a href="/noticelist/articleid/1064980001.html">【升级】对象存储OSS运维升级通知</a><span class="y-right">2025-05-18</span></li>'
        f"</ul>{_FOOT}",
        learned,
    ).encode()
    body = f'{_NAV}<h1>{escape(art.title)}</h1><div id="se-knowledge">{_paras(art)}</div>{_FOOT}'
    html = _doc(f"<title>{escape(art.title)}_阿里云</title>", body, learned).encode()
    return Fixture(
        "https://help.aliyun.com/noticelist/9004748.html", listing, "html", art, html, learned
    )


def baidu() -> Fixture:
    learned = "a public source registry for cloud.baidu.com/news/news (SSR, /news/news_<uuid> links); issue 11 (__NEXT_DATA__)"
    art = Page(
        "https://cloud.baidu.com/news/news_cdd5d1d3-4510-47a2-a806-55a795a50167",
        "百度智能云：文心大模型两大主力模型全面免费",
        "2025-05-21T10:00:00+08:00",
        (
            "百度智能云千帆大模型平台宣布，文心大模型两大主力模型全面免费。",
            "千帆平台日均调用量持续增长，企业客户数量较去年翻番。",
        ),
    )
    listing = _doc(
        "<title>新闻资讯-百度智能云</title>",
        f'{_NAV}<div class="sc-1x2y3z"><a class="sc-abc" href="/news/news_cdd5d1d3-4510-47a2-a806-55a795a50167">'
        f'<div class="sc-title">{escape(art.title)}</div><div class="sc-date">2025-05-21</div></a>'
        '<a class="sc-abc" href="/news/notice_e839687d-1cf7-4a5b-afbd-ea2f7bcd325d">千帆平台计费规则调整公告</a>'
        f'<a href="/news/news">更多</a></div>{_FOOT}',
        learned,
    ).encode()
    next_data = {"props": {"pageProps": {"id": "cdd5d1d3-4510-47a2-a806-55a795a50167"}}}
    extra = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(next_data)}</script>'
    return Fixture(
        "https://cloud.baidu.com/news/news",
        listing,
        "html",
        art,
        _plain_article(art, "百度智能云", learned, extra=extra),
        learned,
    )


def deepseek() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/deepseek/news.ts (.theme-doc-markdown > div > div, h1, date in the slug); issue 11 (sitemap /news/newsYYMMDD)"
    art = Page(
        "https://api-docs.deepseek.com/news/news250120",
        "DeepSeek-R1 Release",
        "2025-01-20T00:00:00+08:00",
        (
            "Today we release DeepSeek-R1 and open-source the model weights.",
            "DeepSeek-R1 API pricing is $0.14 per million input tokens (cache hit) and $2.19 per million output tokens.",
        ),
    )
    sitemap = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://api-docs.deepseek.com/</loc><changefreq>weekly</changefreq><priority>0.5</priority></url>"
        b"<url><loc>https://api-docs.deepseek.com/api/create-chat-completion</loc><changefreq>weekly</changefreq></url>"
        b"<url><loc>https://api-docs.deepseek.com/news/news250120</loc><changefreq>weekly</changefreq><priority>0.5</priority></url>"
        b"<url><loc>https://api-docs.deepseek.com/news/news1226</loc><changefreq>weekly</changefreq></url>"
        b"<url><loc>https://api-docs.deepseek.com/quick_start/pricing</loc><changefreq>weekly</changefreq></url>"
        b"</urlset>\n"
    )
    body = (
        '<nav class="menu"><ul class="menu__list"><li><a href="/">Quick Start</a></li>'
        '<li><ul><li class="theme-doc-sidebar-item-link"><a href="/news/news250120">DeepSeek-R1 Release 2025/01/20</a></li></ul></li></ul></nav>'
        '<main><div class="theme-doc-markdown markdown"><div><div>'
        f"<h1>{escape(art.title)}</h1>{_paras(art)}</div></div></div></main>{_EN_FOOT}"
    )
    html = _doc(f"<title>{escape(art.title)} | DeepSeek API Docs</title>", body, learned, lang="en")
    return Fixture(
        "https://api-docs.deepseek.com/sitemap.xml", sitemap, "xml", art, html.encode(), learned
    )


def minimax() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/minimax/news.ts (a[href^='/news/'], main h1, date 2025.06.17 in main)"
    art = Page(
        "https://www.minimax.io/news/minimax-m1",
        "MiniMax-M1: open-weight reasoning model with a 1M-token context",
        "2025-06-17T00:00:00+08:00",
        (
            "MiniMax releases MiniMax-M1, an open-weight reasoning model supporting a one-million-token context.",
            "API input pricing starts at $0.4 per million tokens.",
        ),
    )
    listing = _doc(
        "<title>News | MiniMax</title>",
        '<header><a href="/">MiniMax</a><a href="/news">News</a></header><main>'
        f'<a href="/news/minimax-m1"><h3>{escape(art.title)}</h3><span>2025.06.17</span></a>'
        '<a href="/news/minimax-speech-02"><h3>MiniMax Speech 02</h3></a>'
        f'<a href="/news">All news</a></main>{_EN_FOOT}',
        learned,
        lang="en",
    ).encode()
    body = (
        '<header><a href="/">MiniMax</a></header>'
        f"<main><h1>{escape(art.title)}</h1><div>2025.06.17</div>{_paras(art)}</main>{_EN_FOOT}"
    )
    html = _doc(f"<title>{escape(art.title)} | MiniMax</title>", body, learned, lang="en")
    return Fixture("https://www.minimax.io/news", listing, "html", art, html.encode(), learned)


def moonshot() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/moonshot/blog.ts (a[href^='/blog/posts/'], article h1, 'Posted on YYYY-MM-DD')"
    art = Page(
        "https://platform.moonshot.ai/blog/posts/kimi-k2",
        "Kimi K2 is released and open-sourced, with API pricing",
        "2025-07-11T00:00:00+00:00",
        (
            "Moonshot AI releases and open-sources the Kimi K2 model.",
            "Kimi K2 API input costs $0.60 per million tokens and output $2.50 per million tokens.",
        ),
    )
    listing = _doc(
        "<title>Blog - Moonshot AI</title>",
        f'<main><a href="/blog/posts/kimi-k2">{escape(art.title)}</a>'
        '<a href="/blog/posts/kimi-latest">Kimi Latest</a><a href="/docs">Docs</a></main>',
        learned,
        lang="en",
    ).encode()
    body = f"<main><article><h1>{escape(art.title)}</h1><p>Posted on 2025-07-11</p>{_paras(art)}</article></main>{_EN_FOOT}"
    html = _doc(f"<title>{escape(art.title)} - Moonshot AI</title>", body, learned, lang="en")
    return Fixture(
        "https://platform.moonshot.ai/blog", listing, "html", art, html.encode(), learned
    )


# ----------------------------------------------------------------------------- international


def scmp() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/scmp/index.ts, utils.ts (/rss/<id>/feed, ?utm_source links, __NEXT_DATA__ payload)"
    art = Page(
        "https://www.scmp.com/tech/big-tech/article/3316000/alibaba-cloud-cuts-qwen-prices",
        "Alibaba Cloud slashes Qwen prices by up to 97% as AI price war heats up",
        "2025-05-21T08:00:00+00:00",
        (
            "Alibaba Cloud cut the price of its Qwen model by 97% to $0.28 per million input tokens.",
            "Rivals including Baidu AI Cloud and Volcano Engine are expected to follow with their own cuts.",
        ),
    )
    feed = _rss(
        "SCMP - Tech",
        "https://www.scmp.com/tech",
        [
            (
                art.title,
                art.url + "?utm_source=rss_feed",
                _rfc822(art.published_at),
                art.paragraphs[0],
            )
        ],
    )
    next_data = {
        "props": {"pageProps": {"payload": {"data": {"article": {"updatedDate": 1747814400000}}}}}
    }
    extra = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(next_data)}</script>'
    return Fixture(
        "https://www.scmp.com/rss/36/feed",
        feed,
        "xml",
        art,
        _plain_article(art, "South China Morning Post", learned, lang="en", extra=extra),
        learned,
    )


def openai() -> Fixture:
    learned = "public AI-news crawlers reading openai.com/news/rss.xml; DIYgod/RSSHub lib/routes/openai/news.ts (pages refuse plain clients)"
    art = Page(
        "https://openai.com/index/api-pricing-update/",
        "Lower prices for GPT-4.1 in the API",
        "2025-04-14T17:00:00+00:00",
        (
            "Today we are lowering API prices for developers building with our latest models: input tokens now cost $2.00 per million.",
        ),
        status=403,
        summary_only=True,
    )
    feed = _rss(
        "OpenAI News",
        "https://openai.com/news",
        [(art.title, art.url, _rfc822(art.published_at), art.paragraphs[0])],
    )
    refused = b"<html><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>"
    return Fixture("https://openai.com/news/rss.xml", feed, "xml", art, refused, learned)


def google() -> Fixture:
    learned = "public feed lists citing blog.google/innovation-and-ai/technology/ai/rss/ (the old /technology/ai/rss/ answers 301)"
    art = Page(
        "https://blog.google/innovation-and-ai/technology/ai/gemini-2-5-flash-lite-ga/",
        "Gemini 2.5 Flash-Lite is now generally available",
        "2025-07-22T16:00:00+00:00",
        (
            "Gemini 2.5 Flash-Lite is our most cost-efficient model yet, now stable and generally available.",
            "It is priced at $0.10 per million input tokens and $0.40 per million output tokens.",
        ),
    )
    feed = _rss(
        "AI",
        "https://blog.google/innovation-and-ai/technology/ai/",
        [(art.title, art.url, _rfc822(art.published_at), art.paragraphs[0])],
    )
    return Fixture(
        "https://blog.google/innovation-and-ai/technology/ai/rss/",
        feed,
        "xml",
        art,
        _plain_article(art, "Google", learned, lang="en"),
        learned,
    )


def reuters() -> Fixture:
    learned = "DIYgod/RSSHub lib/routes/reuters/common.tsx (articles-by-section-alias-or-id-v1 result.articles, canonical_url, published_time, description)"
    art = Page(
        "https://www.reuters.com/technology/china-ai-token-usage-2025-07-01/",
        "China's daily AI token usage tops 30 trillion, data bureau says",
        "2025-07-01T06:12:00+00:00",
        (
            "China's daily consumption of AI tokens exceeded 30 trillion by the end of June, the National Data Administration said.",
        ),
        status=401,
        summary_only=True,
    )
    data = {
        "statusCode": 200,
        "message": "Success",
        "result": {
            "section": {"title": "Technology", "section_about": ""},
            "articles": [
                {
                    "id": "ABCDEF123",
                    "title": art.title,
                    "canonical_url": "/technology/china-ai-token-usage-2025-07-01/",
                    "published_time": "2025-07-01T06:12:00Z",
                    "updated_time": "2025-07-01T06:30:00Z",
                    "description": art.paragraphs[0],
                    "authors": [{"name": "Reuters staff"}],
                    "kicker": {"names": ["Technology"]},
                }
            ],
        },
    }
    refused = b"<html><body>401 Authorization Required</body></html>"
    return Fixture(
        "https://www.reuters.com/pf/api/v3/content/fetch/articles-by-section-alias-or-id-v1?query=%7B%22offset%22%3A0%2C%22size%22%3A20%2C%22section_id%22%3A%22%2Ftechnology%2F%22%2C%22website%22%3A%22reuters%22%7D",
        _json(data),
        "json",
        art,
        refused,
        learned,
    )


FIXTURES = {
    "gov-zhengce": gov_zhengce,
    "gov-zhengceku": gov_zhengceku,
    "miit-wjfb": miit,
    "cac-zcfg": cac,
    "ndrc-tz": ndrc,
    "nda-zcfb": nda,
    "csrc-news": csrc,
    "most-zcfg": most,
    "kr36": kr36,
    "ithome": ithome,
    "cls-telegraph": cls,
    "stcn-kx": stcn,
    "cs-com-cn": cs_com_cn,
    "sina-finance": sina,
    "jiemian-tech": jiemian,
    "yicai-latest": yicai,
    "volcengine-news": volcengine,
    "aliyun-news": aliyun,
    "baidu-cloud-news": baidu,
    "deepseek-news": deepseek,
    "minimax-news": minimax,
    "moonshot-blog": moonshot,
    "scmp-tech": scmp,
    "openai-news": openai,
    "google-ai-blog": google,
    "reuters-tech": reuters,
}
