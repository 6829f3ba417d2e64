"""Policy fields of Chinese government pages: document numbers in every printed form, label
tables as gov.cn writes them, and the layout chosen by what a page contains."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawlers import policy
from crawlers.articles import parse_page
from crawlers.registry import parse_sources


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("根据《意见》（工信部联通信〔2024〕123号）要求", "工信部联通信〔2024〕123号"),
        ("国办发[2024] 5号", "国办发[2024]5号"),
        ("现公布《条例》（国令第777号），自公布之日起施行", "国令第777号"),
        ("根据国务院令第790号规定", "国务院令第790号"),
        ("中国证券监督管理委员会令第227号", "中国证券监督管理委员会令第227号"),
        ("依照证监会令第 227 号执行", "证监会令第227号"),
        ("国家数据局公告2024年第1号", "国家数据局公告2024年第1号"),
        ("现发布的公告2025年第 3 号", "公告2025年第3号"),
        ("本办法由国务院负责解释。", None),
    ],
)
def test_document_numbers_in_every_form(text: str, number: str | None) -> None:
    assert policy.find_doc_number(text) == number


def test_labels_with_ideographic_spaces_and_without_colons() -> None:
    cells = ["索　引　号：", "000014349/2025-00061", "发文机关", "国务院", "标　　题", "某条例"]
    cells += [
        "成文日期",
        "2025年06月20日",
        "发文字号",
        "国令第777号",
        "发布日期：",
        "2025年06月30日",
    ]
    pairs = policy.label_pairs(cells)
    assert pairs == {
        "索引号": "000014349/2025-00061",
        "发文机关": "国务院",
        "标题": "某条例",
        "成文日期": "2025年06月20日",
        "发文字号": "国令第777号",
        "发布日期": "2025年06月30日",
    }
    fields = policy.from_table(pairs, "依据国发〔2023〕5号文件", "https://www.gov.cn/x.htm", [])
    assert fields is not None
    assert (fields.doc_number, fields.issuer, fields.issued_at) == (
        "国令第777号",
        "国务院",
        date(2025, 6, 20),
    )


@pytest.mark.parametrize("value", ["", "无"])
def test_a_document_number_label_is_never_replaced_by_a_cited_number(value: str) -> None:
    cells = ["发文字号：", *([value] if value else []), "发布日期：", "2025-07-01"]
    pairs = policy.label_pairs(cells)
    assert "发文字号" in pairs
    fields = policy.from_table(pairs, "根据国发〔2023〕5号文件精神", "https://x.gov.cn/", [])
    assert fields is not None and fields.doc_number is None


def test_without_a_label_the_first_number_in_the_body_is_used() -> None:
    pairs = policy.label_pairs(["来源：", "科技部"])
    fields = policy.from_table(pairs, "国科发监〔2025〕108号\n正文", "https://x.gov.cn/", [])
    assert fields is not None and fields.doc_number == "国科发监〔2025〕108号"


def _gov_cn_source():  # type: ignore[no-untyped-def]
    (src,) = parse_sources(
        {
            "sources": [
                {
                    "id": "gov-test",
                    "name": "gov",
                    "kind": "policy",
                    "lang": "zh",
                    "url": "https://www.gov.cn/",
                    "parser": "gov_cn",
                    "listing": {"type": "feed", "feed_urls": ["https://www.gov.cn/f.xml"]},
                }
            ]
        }
    )
    return src


FETCHED = datetime(2025, 7, 3, 12, 0, tzinfo=UTC)
_BODY = "<p>" + "各地区各部门要结合实际认真贯彻落实，推动人工智能与各行业深度融合。" * 3 + "</p>"


def _page(header: str, published: str) -> bytes:
    return (
        f'<html><head><meta name="firstpublishedtime" content="{published}"></head><body>'
        f'<div class="share-title">关于某事项的通知</div>{header}'
        f'<div id="UCAP-CONTENT">{_BODY}</div></body></html>'
    ).encode()


def test_gov_cn_layout_follows_the_page_not_its_date() -> None:
    src = _gov_cn_source()
    bd1 = (
        '<table class="bd1"><tr><td><b>发文机关：</b></td><td>国务院办公厅</td></tr>'
        "<tr><td><b>发文字号：</b></td><td>国办发〔2025〕9号</td></tr></table>"
    )
    overview = (
        '<div class="policyLibraryOverview_header"><table><tr><th>发文机关：</th><td>科技部</td>'
        "<th>发文字号：</th><td>国科发〔2024〕3号</td></tr></table></div>"
    )
    url = "https://www.gov.cn/zhengce/content/202507/content_1.htm"
    # a bd1 table on a page published long after the 2023 redesign still gives its fields
    new_bd1 = parse_page(
        src, url, _page(bd1, "2025-07-01-10:00:00"), "text/html", fetched_at=FETCHED
    )
    assert new_bd1.policy is not None and new_bd1.policy.doc_number == "国办发〔2025〕9号"
    assert new_bd1.policy.issuer == "国务院办公厅"
    # the policy-library header on an old page, likewise
    old_overview = parse_page(
        src, url, _page(overview, "2021-03-01-09:00:00"), "text/html", fetched_at=FETCHED
    )
    assert old_overview.policy is not None and old_overview.policy.issuer == "科技部"
    # neither: a news page on www.gov.cn, whatever numbers its body cites
    news = parse_page(
        src,
        url,
        _page("<p>据国发〔2023〕5号文件</p>", "2025-07-01-10:00:00"),
        "text/html",
        fetched_at=FETCHED,
    )
    assert news.policy is None and news.title == "关于某事项的通知"
