"""Site parsers. Each class overrides only the fields its layout gives reliably; the rest
falls back to trafilatura/htmldate (BaseParser). Layout changes add a version (V1_1) and
date the old one with VALID_UNTIL; never edit an old version in place."""

from __future__ import annotations

from datetime import date, datetime

from crawlers.dates import parse_datetime
from crawlers.parsers import register
from crawlers.parsers.base import BaseParser, normalise_text
from crawlers.policy import from_table, label_pairs
from crawlers.types import PolicyFields


class _Selected(BaseParser):
    """A parser driven by three selectors (title, date, body); subclasses set them."""

    TITLE: str | None = None
    DATE: str | None = None
    BODY: str | None = None

    def title(self) -> str | None:
        for value in self.page.pick(self.TITLE):
            return normalise_text(value)
        return super().title()

    def published_at(self) -> datetime | None:
        for value in self.page.pick(self.DATE):
            when = parse_datetime(value, self.page.lang, self.page.ref)
            if when:
                return when
        return super().published_at()

    def text(self) -> str:
        return self.page.block_text(self.BODY) or super().text()


class _GovPolicy(_Selected):
    """Chinese government pages: body, a 信息公开 label table, attachments under the body."""

    TABLE: str = "//table"

    def policy(self) -> PolicyFields | None:
        cells = self.page.sel.xpath(f"({self.TABLE})//text()").getall()
        cells += self.page.sel.xpath(
            "//div[contains(@class,'info') or contains(@class,'source')]//text()"
        ).getall()
        hrefs = self.page.sel.css("a::attr(href)").getall()
        return from_table(label_pairs(cells), self.text(), self.page.url, hrefs)


@register("gov_cn")
class GovCnV1(_GovPolicy):
    """www.gov.cn before the 2023 redesign: body in div#UCAP-CONTENT, table.bd1 holds
    索引号/发文机关/成文日期/发文字号/发布日期."""

    VALID_UNTIL = date(2023, 6, 30)
    TITLE = "table.bd1 td[colspan] ::text"
    DATE = "meta[name=firstpublishedtime]::attr(content)"
    BODY = "#UCAP-CONTENT"
    TABLE = "//table[contains(@class,'bd1')]"


@register("gov_cn")
class GovCnV1_1(_GovPolicy):
    """www.gov.cn since mid-2023: div.policyLibraryOverview_header table with the same labels,
    body in div.pages_content#UCAP-CONTENT, date in meta firstpublishedtime
    (2025-08-26-18:00:00)."""

    TITLE = "div.policyLibraryOverview_header td.title ::text, h1#ti::text"
    DATE = "meta[name=firstpublishedtime]::attr(content)"
    BODY = "#UCAP-CONTENT"
    TABLE = "//div[contains(@class,'policyLibraryOverview_header')]//table"


@register("gov_generic")
class GovGenericV1(_GovPolicy):
    """Ministry sites on the TRS/Hanweb CMS (MIIT, NDRC, CAC, NDA, CSRC, MOST): the title in
    h1 or div.article_title, 发布时间 in a header line, body in one of the CMS's content divs."""

    TITLE = "h1::text, div.article_title ::text, div.title ::text"
    DATE = (
        "meta[name=PubDate]::attr(content), meta[name=pubdate]::attr(content), "
        "div.info ::text, div.time ::text, span.time ::text"
    )
    BODY = (
        "#UCAP-CONTENT, div.TRS_Editor, div.article_con, div.ccontent, div.content, div.detail-news"
    )


@register("ithome")
class IthomeV1(_Selected):
    """IT之家: h1 title, span#pubtime_baidu '2025/7/1 10:30:05', body div#paragraph."""

    TITLE = "div.fl h1::text, h1::text"
    DATE = "#pubtime_baidu::text"
    BODY = "#paragraph"


@register("kr36")
class Kr36V1(_Selected):
    """36氪: h1.article-title, span.item-time '2025-07-01 10:30', body div.articleDetailContent."""

    TITLE = "h1.article-title::text"
    DATE = "span.item-time::text"
    BODY = "div.articleDetailContent"


@register("cls")
class ClsV1(_Selected):
    """财联社 detail pages: div.detail-title, div.detail-time-source '2025-07-01 10:30',
    body div.detail-content (telegraphs have a 【title】 prefix in the body)."""

    TITLE = "div.detail-title ::text, h1::text"
    DATE = "div.detail-time-source ::text"
    BODY = "div.detail-content"


@register("stcn")
class StcnV1(_Selected):
    """证券时报网: div.detail-title, div.detail-info spans '2025-07-01 10:30',
    body div.detail-content."""

    TITLE = "div.detail-title::text"
    DATE = "div.detail-info span::text"
    BODY = "div.detail-content"


@register("cs_com_cn")
class CsComCnV1(_Selected):
    """中国证券报·中证网 (GB2312-declared pages): div.article h1, div.info em '2025-07-01 10:30',
    body div.article-t."""

    TITLE = "div.article h1::text, h1::text"
    DATE = "div.info em::text, div.info ::text"
    BODY = "div.article-t"


@register("sina_finance")
class SinaFinanceV1(_Selected):
    """新浪财经: h1.main-title, span.date '2025年07月01日 10:30', body div#artibody."""

    TITLE = "h1.main-title::text"
    DATE = "span.date::text, meta[property='article:published_time']::attr(content)"
    BODY = "#artibody"


@register("jiemian")
class JiemianV1(_Selected):
    """界面新闻: div.article-header h1, span.date '2025/07/01 10:30', div.article-content."""

    TITLE = "div.article-header h1::text"
    DATE = "div.article-info span.date::text, span.date::text"
    BODY = "div.article-content"


@register("yicai")
class YicaiV1(_Selected):
    """第一财经: div.title h1, div.title p em '2025-07-01 10:30:00', body div.m-txt."""

    TITLE = "div.title h1::text"
    DATE = "div.title p em::text"
    BODY = "div.m-txt, #multi-text"
