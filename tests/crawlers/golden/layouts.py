
"""Page shapes of the real sites, for the golden files (see make_golden.py). Each source gets
one article (facts in Spec) rendered with its site's layout and one listing in its real
listing format (RSS, list page, JSON, sitemap)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from typing import Any

from crawlers.registry import SourceConfig


@dataclass(frozen=True)
class Spec:
    article_url: str
    listing_url: str
    title: str
    published_at: str  # ISO, as the parser must report it
    shown_date: str  # as printed on the page, in the site's own format
    paragraphs: tuple[str, ...]
    policy: dict[str, Any] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    listing_ext: str = "html"
    encoding: str = "utf-8"
    extra: dict[str, str] = field(default_factory=dict)


P_TOKEN = "截至2025年6月底，我国日均Token消耗量突破30万亿，较2024年初增长300多倍。"
P_PRICE = "阿里云宣布通义千问主力模型降价97%，输入价格低至0.0005元/千tokens。"
P_VOLC = "火山引擎表示，豆包大模型日均tokens使用量已超过16.4万亿。"
P_RISK = "业内人士提醒，部分企业的大模型应用落地不及预期，算力投入回报存在不确定性。"

SPECS: dict[str, Spec] = {
    "gov-zhengce": Spec(
        "https://www.gov.cn/zhengce/content/202508/content_7037861.htm",
        "https://www.gov.cn/zhengce/zuixin/home.htm",
        "国务院关于深入实施“人工智能+”行动的意见",
        "2025-08-26T18:00:00+08:00",
        "2025-08-26-18:00:00",
        (
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
            "为深入实施“人工智能+”行动，推动人工智能与经济社会各行业各领域广泛深度融合，现提出如下意见。",
            P_TOKEN,
        ),
        policy={
            "doc_number": "国发〔2025〕11号",
            "issuer": "国务院",
            "issued_at": "2025-08-21",
            "attachments": ["https://www.gov.cn/zhengce/content/202508/P020250826_ai.pdf"],
        },
    ),
    "gov-zhengceku": Spec(
        "https://www.gov.cn/zhengce/zhengceku/202507/content_7031234.htm",
        "https://sousuo.www.gov.cn/search-gov/data?t=zhengcelibrary&q=&timetype=timeqb&searchfield=&sort=pubtime&sortType=1&p=1&n=20",
        "国务院办公厅关于加快场景培育和开放推动新场景大规模应用的实施意见",
        "2025-07-15T16:30:00+08:00",
        "2025-07-15-16:30:00",
        (
            "加快场景培育和开放，是推动新技术新产品新业态规模化应用的重要举措。",
            "支持人工智能大模型在政务、医疗、教育等领域开放应用场景。",
        ),
        policy={
            "doc_number": "国办发〔2025〕22号",
            "issuer": "国务院办公厅",
            "issued_at": "2025-07-10",
        },
        listing_ext="json",
    ),
    "miit-wjfb": Spec(
        "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2025/art_5f1c2d.html",
        "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/index.html",
        "工业和信息化部关于印发《算力基础设施高质量发展行动计划》的通知",
        "2025-06-05T00:00:00+08:00",
        "2025-06-05",
        (
            "各省、自治区、直辖市工业和信息化主管部门：",
            "现将《算力基础设施高质量发展行动计划》印发给你们，请结合实际认真贯彻落实。",
            "本通知自2025年7月1日起施行。",
        ),
        policy={
            "doc_number": "工信部联通信〔2025〕98号",
            "issuer": "工业和信息化部",
            "effective_at": "2025-07-01",
            "attachments": [
                "https://www.miit.gov.cn/cms_files/filemanager/attach/plan.pdf",
                "https://www.miit.gov.cn/cms_files/filemanager/attach/table.wps",
            ],
        },
    ),
    "cac-zcfg": Spec(
        "https://www.cac.gov.cn/2025-03/14/c_1743654684782215.htm",
        "https://www.cac.gov.cn/wxzw/A0937index_1.htm",
        "关于印发《人工智能生成合成内容标识办法》的通知",
        "2025-03-14T17:00:00+08:00",
        "2025-03-14 17:00:00",
        (
            "为促进人工智能健康发展，规范人工智能生成合成内容标识，制定本办法。",
            "本办法自2025年9月1日起施行。",
        ),
        policy={
            "doc_number": "国信办通字〔2025〕2号",
            "issuer": "国家互联网信息办公室",
            "effective_at": "2025-09-01",
        },
    ),
    "ndrc-tz": Spec(
        "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202507/t20250701_1398765.html",
        "https://www.ndrc.gov.cn/xxgk/zcfb/tz/index.html",
        "国家发展改革委 国家数据局关于推动算力网络一体化发展的通知",
        "2025-07-01T00:00:00+08:00",
        "2025/07/01",
        (
            "各省、自治区、直辖市发展改革委、数据管理部门：",
            "为统筹推进全国一体化算力网建设，降低智能算力使用成本，现就有关事项通知如下。",
        ),
        policy={
            "doc_number": "发改数据〔2025〕880号",
            "issuer": "国家发展改革委",
            "attachments": ["https://www.ndrc.gov.cn/xxgk/zcfb/tz/202507/P020250701_1.pdf"],
        },
    ),
    "nda-zcfb": Spec(
        "https://www.nda.gov.cn/sjj/zwgk/zcfb/0701/20250701180000000000_pc.html",
        "https://www.nda.gov.cn/sjj/zwgk/zcfb/list/index_pc_1.html",
        "国家数据局关于印发《数据领域常用名词解释（第二批）》的通知",
        "2025-07-01T18:00:00+08:00",
        "2025-07-01 18:00",
        (
            "国家数据局局长表示，截至2025年6月底，我国日均Token消耗量突破30万亿。",
            "词元（Token）是大模型处理文本的基本单位，词元调用量可反映人工智能应用活跃程度。",
        ),
        policy={"doc_number": "国数标〔2025〕4号", "issuer": "国家数据局"},
    ),
    "csrc-news": Spec(
        "http://www.csrc.gov.cn/csrc/c100028/c7561234/content.shtml",
        "http://www.csrc.gov.cn/csrc/c100028/common_list.shtml",
        "证监会就科创板人工智能企业上市审核指引公开征求意见",
        "2025-06-20T19:00:00+08:00",
        "2025-06-20 19:00",
        (
            "为支持人工智能等新质生产力企业发展，证监会起草了相关审核指引。",
            "征求意见截止时间为2025年7月20日。",
            P_RISK,
        ),
        policy={},  # 要闻 are news about policy, not documents: no PolicyFields
    ),
    "most-zcfg": Spec(
        "https://www.most.gov.cn/xxgk/xinxifenlei/fdzdgknr/fgzc/gfxwj/gfxwj2025/202505/t20250512_193456.html",
        "https://www.most.gov.cn/xxgk/xinxifenlei/fdzdgknr/fgzc/gfxwj/",
        "科技部关于印发《人工智能科技伦理审查指引》的通知",
        "2025-05-12T00:00:00+08:00",
        "2025-05-12",
        ("为规范人工智能科技活动伦理审查工作，制定本指引。", "本指引自印发之日起实施。"),
        policy={"doc_number": "国科发监〔2025〕108号", "issuer": "科技部"},
    ),
    "kr36": Spec(
        "https://36kr.com/p/3345678901234567",
        "https://36kr.com/feed",
        "大模型价格战第二季：Token单价一年降了九成",
        "2025-07-01T10:30:00+08:00",
        "2025-07-01 10:30",
        ("过去一年，国内主流大模型的Token单价下降了约九成。", P_PRICE, P_VOLC),
        listing_ext="xml",
    ),
    "ithome": Spec(
        "https://www.ithome.com/0/865/123.htm",
        "https://www.ithome.com/rss/",
        "DeepSeek 宣布错峰优惠：夜间 API 调用价格最低 2.5 折",
        "2025-02-26T19:45:12+08:00",
        "2025/2/26 19:45:12",
        (
            "IT之家 2 月 26 日消息，DeepSeek 今日宣布推出错峰优惠活动。",
            "北京时间每日 00:30-08:30 为错峰时段，API 调用价格大幅下调。",
        ),
        listing_ext="xml",
    ),
    "cls-telegraph": Spec(
        "https://www.cls.cn/detail/2071234",
        "https://www.cls.cn/v1/roll/get_roll_list?app=CailianpressWeb&category=&os=web&refresh_type=1&rn=20&sv=8.4.6",
        "国家数据局：我国日均Token消耗量突破30万亿",
        "2025-07-01T10:02:00+08:00",
        "2025-07-01 10:02",
        (
            "【国家数据局：我国日均Token消耗量突破30万亿】财联社7月1日电，国家数据局局长表示，截至2025年6月底，我国日均Token消耗量突破30万亿。",
        ),
        listing_ext="json",
    ),
    "stcn-kx": Spec(
        "https://www.stcn.com/article/detail/1712345.html",
        "https://www.stcn.com/article/list/kx.html",
        "火山引擎：豆包大模型日均tokens使用量超16.4万亿",
        "2025-06-11T14:20:00+08:00",
        "2025-06-11 14:20",
        (
            "证券时报网讯，" + P_VOLC,
            "火山引擎同时发布了新一代豆包大模型，并下调了部分模型的调用价格。",
        ),
    ),
    "cs-com-cn": Spec(
        "https://www.cs.com.cn/xwzx/hg/202507/t20250702_6500123.html",
        "https://www.cs.com.cn/xwzx/hg/",
        "算力需求持续攀升 多家上市公司加码智算中心",
        "2025-07-02T07:05:00+08:00",
        "2025-07-02 07:05",
        (
            "中国证券报记者获悉，多家上市公司近期宣布加码智算中心建设。",
            "某智算中心负责人王喆表示，推理算力需求增长迅速，朱镕基时期建设的老园区也在改造。",
            P_RISK,
        ),
        content_type="text/html",
        encoding="gb18030",
    ),
    "sina-finance": Spec(
        "https://finance.sina.com.cn/roll/2025-07-01/doc-inaxyzab1234567.shtml",
        "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2516&k=&num=50&page=1",
        "阿里云通义千问降价97% 大模型价格战再升级",
        "2025-07-01T09:15:00+08:00",
        "2025年07月01日 09:15",
        ("新浪财经讯 " + P_PRICE, "分析人士认为，降价将推动企业客户扩大大模型应用规模。"),
        listing_ext="json",
    ),
    "jiemian-tech": Spec(
        "https://www.jiemian.com/article/12876543.html",
        "https://www.jiemian.com/lists/65.html",
        "界面新闻｜MiniMax发布新模型，输入价格降至每百万Token 0.8元",
        "2025-06-17T16:40:00+08:00",
        "2025/06/17 16:40",
        (
            "界面新闻记者获悉，MiniMax于6月17日发布新一代大模型。",
            "新模型输入价格为每百万Token 0.8元，输出价格为每百万Token 8元。",
        ),
    ),
    "yicai-latest": Spec(
        "https://www.yicai.com/news/102712345.html",
        "https://www.yicai.com/api/ajax/getlatest?page=1&pagesize=25",
        "智谱发布GLM新模型 API价格下调至每百万tokens 1元",
        "2025-07-02T20:10:00+08:00",
        "2025-07-02 20:10:00",
        (
            "第一财经记者获悉，智谱于7月2日发布新一代GLM模型。",
            "新模型API价格下调至每百万tokens 1元。",
            P_RISK,
        ),
        listing_ext="json",
    ),
    "volcengine-news": Spec(
        "https://www.volcengine.com/news/detail/7514123456789",
        "https://www.volcengine.com/news",
        "火山引擎Force原动力大会：豆包大模型日均Tokens使用量超16.4万亿",
        "2025-06-11T00:00:00+08:00",
        "2025-06-11",
        (P_VOLC, "火山引擎总裁谭待表示，Token调用量的快速增长来自企业智能体应用的规模化落地。"),
    ),
    "aliyun-news": Spec(
        "https://www.aliyun.com/about/news/2025/qwen-price",
        "https://www.aliyun.com/about/news",
        "阿里云通义千问主力模型降价97%",
        "2025-05-21T00:00:00+08:00",
        "2025-05-21",
        (P_PRICE, "此次降价覆盖通义千问多款商业化和开源模型。"),
    ),
    "tencent-cloud-news": Spec(
        "https://cloud.tencent.com/act/news/detail/2025-hunyuan",
        "https://cloud.tencent.com/act/news",
        "腾讯云混元大模型全面降价 混元-lite免费",
        "2025-05-22T00:00:00+08:00",
        "2025-05-22",
        (
            "腾讯云宣布混元大模型全面降价，其中混元-lite模型免费开放。",
            "混元-standard输入价格降至0.0008元/千tokens。",
        ),
    ),
    "baidu-cloud-news": Spec(
        "https://cloud.baidu.com/news/news_2025_ernie.html",
        "https://cloud.baidu.com/news/index.html",
        "百度智能云：文心大模型两大主力模型全面免费",
        "2025-05-21T00:00:00+08:00",
        "2025-05-21",
        (
            "百度智能云千帆大模型平台宣布，文心大模型两大主力模型全面免费。",
            "千帆平台日均调用量持续增长。",
        ),
    ),
    "deepseek-news": Spec(
        "https://api-docs.deepseek.com/zh-cn/news/news250120",
        "https://api-docs.deepseek.com/sitemap.xml",
        "DeepSeek-R1 发布，性能对标 OpenAI o1 正式版",
        "2025-01-20T00:00:00+08:00",
        "2025-01-20",
        (
            "今天，我们正式发布 DeepSeek-R1，并同步开源模型权重。",
            "DeepSeek-R1 API 服务定价为每百万输入 tokens 1 元（缓存命中）/ 4 元（缓存未命中）。",
        ),
        listing_ext="xml",
    ),
    "zhipu-news": Spec(
        "https://www.zhipuai.cn/news/158",
        "https://www.zhipuai.cn/news",
        "智谱开放平台GLM-4-Flash免费开放",
        "2025-04-15T00:00:00+08:00",
        "2025-04-15",
        ("智谱宣布GLM-4-Flash模型API免费开放。", "开放平台日均Token调用量较年初增长数倍。"),
    ),
    "minimax-news": Spec(
        "https://www.minimaxi.com/news/minimax-m1",
        "https://www.minimaxi.com/news",
        "MiniMax-M1 开源：百万上下文推理模型",
        "2025-06-17T00:00:00+08:00",
        "2025.06.17",
        (
            "MiniMax 正式开源推理模型 MiniMax-M1，支持百万 Token 上下文。",
            "输入价格最低为每百万 Token 0.8 元。",
        ),
    ),
    "moonshot-blog": Spec(
        "https://platform.moonshot.cn/blog/posts/kimi-k2",
        "https://platform.moonshot.cn/sitemap.xml",
        "Kimi K2 发布并开源，API 价格公布",
        "2025-07-11T00:00:00+08:00",
        "2025-07-11",
        (
            "月之暗面发布并开源 Kimi K2 模型。",
            "Kimi K2 API 输入价格为每百万 tokens 4 元，输出价格为每百万 tokens 16 元。",
        ),
        listing_ext="xml",
    ),
    "scmp-tech": Spec(
        "https://www.scmp.com/tech/big-tech/article/3316000/alibaba-cloud-cuts-qwen-prices",
        "https://www.scmp.com/rss/36/feed",
        "Alibaba Cloud slashes Qwen prices by up to 97% as AI price war heats up",
        "2025-05-21T08:00:00+00:00",
        "2025-05-21T16:00:00+08:00",
        (
            "Alibaba Cloud cut the price of its Qwen model by 97% to $0.28 per million input tokens.",
            "Rivals including Baidu AI Cloud and Volcano Engine are expected to follow.",
        ),
        listing_ext="xml",
    ),
    "openai-news": Spec(
        "https://openai.com/index/api-pricing-update/",
        "https://openai.com/news/rss.xml",
        "Lower prices for GPT-4.1 in the API",
        "2025-04-14T17:00:00+00:00",
        "2025-04-14T17:00:00Z",
        (
            "Today we are lowering API prices for developers building with our latest models.",
            "Input tokens now cost $2.00 per million and output tokens $8.00 per million.",
        ),
        listing_ext="xml",
    ),
    "google-ai-blog": Spec(
        "https://blog.google/technology/ai/gemini-api-pricing/",
        "https://blog.google/technology/ai/rss/",
        "Gemini 2.5 Flash-Lite is now generally available",
        "2025-07-22T16:00:00+00:00",
        "2025-07-22T16:00:00+00:00",
        (
            "Gemini 2.5 Flash-Lite is our most cost-efficient model yet.",
            "It is priced at $0.10 per million input tokens and $0.40 per million output tokens.",
        ),
        listing_ext="xml",
    ),
    "reuters-tech": Spec(
        "https://www.reuters.com/technology/china-ai-token-usage-2025-07-01/",
        "https://www.reuters.com/arc/outboundfeeds/news-sitemap/?outputType=xml",
        "China's daily AI token usage tops 30 trillion, data bureau says",
        "2025-07-01T06:12:00+00:00",
        "2025-07-01T06:12:00Z",
        (
            "China's daily consumption of AI tokens exceeded 30 trillion by the end of June, the National Data Administration said.",
            "The figure is up more than 300-fold from early 2024, reflecting rapid adoption of generative AI services.",
        ),
        listing_ext="xml",
    ),
}

_NAV = '<div class="header"><a href="/">首页</a> <a href="/about">关于我们</a></div>'
_FOOT = '<div class="footer">版权所有 © 2025 ICP备12345678号 <a href="/contact">联系我们</a></div>'
_EN_FOOT = '<footer>Copyright 2025. All rights reserved. <a href="/terms">Terms</a></footer>'


def _paras(spec: Spec) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in spec.paragraphs)


def _attachments(spec: Spec) -> str:
    links = [
        f'<a href="{u}">附件{i + 1}{u[u.rfind(".") :]}</a>'
        for i, u in enumerate(spec.policy.get("attachments", []))
    ]
    return f'<div class="fujian">附件：{" ".join(links)}</div>' if links else ""


def _doc(head: str, body: str, charset: str = "utf-8", lang: str = "zh-CN") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"{head}</head><body>{body}</body></html>"
    )


def _gov_cn(s: Spec) -> str:
    p = s.policy
    table = (
        '<div class="policyLibraryOverview_header"><table>'
        f"<tr><td><b>索引号：</b></td><td>000014349/2025-00088</td><td><b>主题分类：</b></td><td>科技、教育\\科技</td></tr>"
        f"<tr><td><b>发文机关：</b></td><td>{p['issuer']}</td><td><b>成文日期：</b></td><td>{p['issued_at'][:4]}年{p['issued_at'][5:7]}月{p['issued_at'][8:]}日</td></tr>"
        f'<tr><td><b>标题：</b></td><td class="title">{escape(s.title)}</td></tr>'
        f"<tr><td><b>发文字号：</b></td><td>{p['doc_number']}</td><td><b>发布日期：</b></td><td>{s.shown_date[:10]}</td></tr>"
        "</table></div>"
    )
    head = f'<title>{escape(s.title)}_国务院文件_中国政府网</title><meta name="firstpublishedtime" content="{s.shown_date}">'
    body = f'{_NAV}{table}<div class="pages_content" id="UCAP-CONTENT">{_paras(s)}<p>{p["issuer"]}</p></div>{_attachments(s)}{_FOOT}'
    return _doc(head, body)


def _gov_generic(s: Spec) -> str:
    p = s.policy
    number = f'<p style="text-align:center">{p["doc_number"]}</p>' if "doc_number" in p else ""
    head = f'<title>{escape(s.title)}</title><meta name="PubDate" content="{s.shown_date}">'
    body = (
        f'{_NAV}<div class="article"><h1>{escape(s.title)}</h1>'
        f'<div class="info">发布时间：{s.shown_date}　来源：{p.get("issuer", "")}</div>'
        f'<div class="TRS_Editor">{number}{_paras(s)}<p style="text-align:right">{p.get("issuer", "")}</p></div>'
        f"{_attachments(s)}</div>{_FOOT}"
    )
    return _doc(head, body)


def _site(title_html: str, date_html: str, body_cls: str, charset: str = "utf-8"):
    def render(s: Spec) -> str:
        head = f"<title>{escape(s.title)}</title>"
        body = (
            f"{_NAV}{title_html.format(t=escape(s.title))}{date_html.format(d=s.shown_date)}"
            f'<div {body_cls}>{_paras(s)}</div><div class="related">相关阅读：<a href="/x">另一篇</a></div>{_FOOT}'
        )
        return _doc(head, body, charset)

    return render


def _generic(source: SourceConfig) -> Any:
    listing = source.listing

    def first(selector: str | None) -> tuple[str, str]:
        css = (selector or "div.x").split(",")[0].split("::")[0].strip()
        tag, _, cls = css.partition(".")
        return tag or "div", cls

    def render(s: Spec) -> str:
        dtag, dcls = first(getattr(listing, "date_selector", None))
        btag, bcls = first(getattr(listing, "body_selector", None))
        head = f"<title>{escape(s.title)} - {source.name}</title>"
        body = (
            f'{_NAV}<h1>{escape(s.title)}</h1><{dtag} class="{dcls}">{s.shown_date}</{dtag}>'
            f'<{btag} class="{bcls}">{_paras(s)}</{btag}>{_FOOT}'
        )
        return _doc(head, body)

    return render


def _default(s: Spec, source: SourceConfig) -> str:
    lang = "en" if source.lang == "en" else "zh-CN"
    foot = _EN_FOOT if source.lang == "en" else _FOOT
    head = (
        f'<title>{escape(s.title)} | {escape(source.name)}</title><meta property="og:title" content="{escape(s.title)}">'
        f'<meta property="article:published_time" content="{s.shown_date}">'
    )
    body = f'<nav><a href="/">Home</a> <a href="/news">News</a></nav><main><article><h1>{escape(s.title)}</h1>{_paras(s)}</article></main>{foot}'
    return _doc(head, body, lang=lang)


LAYOUTS = {
    "gov_cn": _gov_cn,
    "gov_generic": _gov_generic,
    "ithome": _site(
        '<div class="fl"><h1>{t}</h1></div>',
        '<div class="cv"><span id="pubtime_baidu">{d}</span></div>',
        'id="paragraph" class="post_content"',
    ),
    "kr36": _site(
        '<h1 class="article-title">{t}</h1>',
        '<div class="article-title-icon"><span class="item-time">{d}</span></div>',
        'class="articleDetailContent"',
    ),
    "cls": _site(
        '<div class="detail-title">{t}</div>',
        '<div class="detail-time-source">{d} 星期二</div>',
        'class="detail-content"',
    ),
    "stcn": _site(
        '<div class="detail-title">{t}</div>',
        '<div class="detail-info"><span>证券时报网</span><span>{d}</span></div>',
        'class="detail-content"',
    ),
    "cs_com_cn": _site(
        '<div class="article"><h1>{t}</h1></div>',
        '<div class="info"><em>{d}</em><em>来源：中国证券报</em></div>',
        'class="article-t"',
        charset="gb2312",
    ),
    "sina_finance": _site(
        '<h1 class="main-title">{t}</h1>',
        '<div class="date-source"><span class="date">{d}</span></div>',
        'id="artibody" class="article"',
    ),
    "jiemian": _site(
        '<div class="article-header"><h1>{t}</h1></div>',
        '<div class="article-info"><span class="date">{d}</span></div>',
        'class="article-content"',
    ),
    "yicai": _site(
        '<div class="title f-pr"><h1>{t}</h1></div>',
        '<div class="title"><p><em>{d}</em></p></div>',
        'class="m-txt"',
    ),
}


def _gov_cn_v1(s: Spec) -> str:
    """www.gov.cn before mid-2023 (parser gov_cn V1): table.bd1, title in td[colspan]."""
    p = s.policy
    table = (
        '<table class="bd1" width="100%"><tbody>'
        '<tr><td width="90"><b>索 引 号：</b></td><td>000014349/2022-00055</td><td><b>主题分类：</b></td><td>科技、教育</td></tr>'
        f"<tr><td><b>发文机关：</b></td><td>{p['issuer']}</td><td><b>成文日期：</b></td><td>{p['issued_at'][:4]}年{p['issued_at'][5:7]}月{p['issued_at'][8:]}日</td></tr>"
        f'<tr><td><b>标　　题：</b></td><td colspan="3">{escape(s.title)}</td></tr>'
        f"<tr><td><b>发文字号：</b></td><td>{p['doc_number']}</td><td><b>发布日期：</b></td><td>{s.shown_date[:10]}</td></tr>"
        "</tbody></table>"
    )
    head = f'<title>{escape(s.title)}_政府信息公开专栏</title><meta name="firstpublishedtime" content="{s.shown_date}">'
    body = f'{_NAV}<div class="wrap">{table}<div class="b12c" id="UCAP-CONTENT">{_paras(s)}</div>{_attachments(s)}</div>{_FOOT}'
    return _doc(head, body)


EXTRA: dict[str, list[tuple[str, Spec, Any]]] = {
    "gov-zhengce": [
        (
            "v1-2022",
            Spec(
                "https://www.gov.cn/zhengce/content/2022-01/12/content_5667817.htm",
                "",
                "国务院关于印发“十四五”数字经济发展规划的通知",
                "2022-01-12T16:25:00+08:00",
                "2022-01-12-16:25:00",
                (
                    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
                    "现将《“十四五”数字经济发展规划》印发给你们，请认真贯彻执行。",
                ),
                policy={
                    "doc_number": "国发〔2021〕29号",
                    "issuer": "国务院",
                    "issued_at": "2021-12-12",
                    "attachments": [
                        "https://www.gov.cn/zhengce/content/2022-01/12/5667817/files/plan.pdf"
                    ],
                },
            ),
            _gov_cn_v1,
        )
    ],
}


def article_html(source: SourceConfig, spec: Spec) -> bytes:
    if source.parser in LAYOUTS:
        html = LAYOUTS[source.parser](spec)
    elif source.listing.type == "generic":
        html = _generic(source)(spec)
    else:
        html = _default(spec, source)
    return html.encode(spec.encoding)


# ------------------------------------------------------------------------------- listings

_LIST_ITEM = {
    "gov-zhengce": '<div class="news_box"><div class="list"><ul><li><h4><a href="{u}" target="_blank">{t}</a><span class="date">2025-08-26</span></h4></li></ul></div></div>',
    "miit-wjfb": '<ul class="page-content"><li><a href="{u}" title="{t}">{t}</a><span>2025-06-05</span></li></ul>',
    "cac-zcfg": '<ul id="loadingInfoPage"><li><a href="{u}">{t}</a><span class="times">2025-03-14</span></li></ul>',
    "ndrc-tz": '<ul class="u-list"><li><a href="{u}" title="{t}">{t}</a><span>2025/07/01</span></li></ul>',
    "nda-zcfb": '<div class="list"><ul><li><a href="{u}">{t}</a><span>2025-07-01</span></li></ul></div>',
    "csrc-news": '<ul id="list"><li><a href="{u}">{t}</a><span class="date">2025-06-20</span></li></ul>',
    "most-zcfg": '<div class="list-main"><ul><li><a href="{u}">{t}</a><span>2025-05-12</span></li></ul></div>',
    "stcn-kx": '<ul class="list infinite-list"><li><div class="tt"><a href="{u}">{t}</a></div><div class="info"><span>14:20</span></div></li></ul>',
    "cs-com-cn": '<ul class="list-lm"><li><a href="{u}">{t}</a><span>25-07-02 07:05</span></li></ul>',
    "jiemian-tech": '<div class="news-view"><div class="news-header"><h3><a href="{u}">{t}</a></h3></div></div>',
}
_RELATIVE = {"ndrc-tz": True, "most-zcfg": True, "cs-com-cn": True}


def _relative(url: str, base: str) -> str:
    """Relative href as TRS sites write them (./202507/t2025…html)."""
    folder = base.rsplit("/", 1)[0] + "/"
    return "./" + url[len(folder) :] if url.startswith(folder) else url


def _html_listing(source: SourceConfig, s: Spec) -> bytes:
    if source.listing.type == "generic":
        css = source.listing.link_selector.split(",")[0].strip()  # type: ignore[union-attr]
        parent, _, anchor = css.rpartition(" ")
        ptag, _, pcls = (parent or "div.list").partition(".")
        atag, _, acls = anchor.partition(".")
        item = f'<{ptag} class="{pcls}"><{atag} class="{acls}" href="{{u}}">{{t}}</{atag}></{ptag}>'
    else:
        item = _LIST_ITEM[source.id]
    url = _relative(s.article_url, s.listing_url) if source.id in _RELATIVE else s.article_url
    noise = '<a href="/about/contact.html">联系我们</a><a href="javascript:void(0)">打印</a>'
    body = f'{_NAV}{noise}{item.format(u=url, t=escape(s.title))}<div class="page"><a class="next" href="index_1.html">下一页</a></div>{_FOOT}'
    return _doc(
        f"<title>{escape(source.name)}</title>",
        body,
        "gb2312" if s.encoding == "gb18030" else "utf-8",
    ).encode(s.encoding)


def _rss(source: SourceConfig, s: Spec) -> bytes:
    from datetime import datetime
    from email.utils import format_datetime

    when = format_datetime(datetime.fromisoformat(s.published_at))
    other = "https://example.invalid/not-in-feed"
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(source.name)}</title>'
        f"<link>{source.url}</link><item><title>{escape(s.title)}</title><link>{s.article_url}?utm_source=rss&amp;utm_medium=rss</link>"
        f"<pubDate>{when}</pubDate><description>{escape(s.paragraphs[0])}</description></item>"
        f"<item><title>Unrelated</title><link>{other}</link></item></channel></rss>"
    ).encode()


def _sitemap(source: SourceConfig, s: Spec) -> bytes:
    root = source.url.rstrip("/")
    news = source.id == "reuters-tech"
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    extra = (
        (
            f"<news:news><news:publication><news:name>Reuters</news:name><news:language>en</news:language></news:publication>"
            f"<news:publication_date>{s.published_at}</news:publication_date><news:title>{escape(s.title)}</news:title></news:news>"
        )
        if news
        else ""
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>'
        f"<url><loc>{root}/</loc></url><url><loc>{root}/about/</loc></url>"
        f"<url><loc>{s.article_url}</loc>{extra}</url></urlset>"
    ).encode()


def _json(source: SourceConfig, s: Spec) -> bytes:
    from datetime import datetime

    ts = int(datetime.fromisoformat(s.published_at).timestamp())
    if source.id == "gov-zhengceku":
        item = {
            "title": s.title,
            "url": s.article_url,
            "pcode": s.policy["doc_number"],
            "puborg": s.policy["issuer"],
            "pubtime": ts * 1000,
        }
        data: Any = {
            "code": 200,
            "searchVO": {"catMap": {"gongwen": {"listVO": [item], "totalCount": 1}}},
        }
    elif source.id == "cls-telegraph":
        item = {
            "id": int(s.article_url.rsplit("/", 1)[1]),
            "title": s.title,
            "content": s.paragraphs[0],
            "ctime": ts,
            "shareurl": s.article_url,
        }
        data = {"error": 0, "data": {"roll_data": [item, {"id": None, "title": "无链接"}]}}
    elif source.id == "sina-finance":
        data = {
            "result": {
                "status": {"code": 0},
                "data": [
                    {
                        "title": s.title,
                        "url": s.article_url,
                        "ctime": str(ts),
                        "media_name": "新浪财经",
                    }
                ],
            }
        }
    else:  # yicai: a bare array
        data = [
            {
                "NewsTitle": s.title,
                "url": s.article_url.replace("https://www.yicai.com", ""),
                "CreateDate": s.published_at[:19],
                "ChannelName": "科技",
            }
        ]
    return json.dumps(data, ensure_ascii=False).encode()


def listing_body(source: SourceConfig, spec: Spec) -> bytes:
    kind = source.listing.type
    if kind == "feed":
        return _rss(source, spec)
    if kind == "sitemap":
        return _sitemap(source, spec)
    if kind == "json":
        return _json(source, spec)
    return _html_listing(source, spec)
