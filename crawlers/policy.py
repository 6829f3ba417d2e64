"""Policy-document fields found in Chinese government pages (pure helpers for parsers).

Document numbers (发文字号) come in two families:
- year-bracketed: 国发〔2025〕11号, 工信部联通信〔2024〕123号, 国办发[2024]5号, 发改高技〔2025〕1号;
- order / announcement style: 国务院令第777号 / 国令第777号, 中国证券监督管理委员会令第227号 /
  证监会令第227号, 国家数据局公告2024年第1号, 公告〔2024〕3号 (the bracketed form above).

A page's header table is authoritative: when it has a 发文字号 label, its value (or nothing,
when the cell is empty or says 无) is the number, and a number merely cited in the body is
never used instead (a 通知 that cites 国发〔2023〕5号 is not that document)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from urllib.parse import urljoin

from crawlers.dates import parse_date
from crawlers.types import PolicyFields

_BRACKETED = (
    r"[\u4e00-\u9fa5]{1,12}\s?[〔\[［【(（]\s?(?:19|20)\d{2}\s?[〕\]］】)）]\s?第?\s?\d{1,4}\s?号"
)
_ORDER = r"[\u4e00-\u9fa5]{1,16}令\s?第\s?\d{1,4}\s?号"  # 国令第777号, 证监会令第227号
_ANNOUNCEMENT = r"[\u4e00-\u9fa5]{0,16}公告\s?(?:19|20)\d{2}\s?年\s?第\s?\d{1,4}\s?号"
DOC_NUMBER = re.compile(f"{_BRACKETED}|{_ORDER}|{_ANNOUNCEMENT}")
# words a sentence glues in front of a cited number: "根据国务院令第777号", "的公告2024年第1号"
_LEAD = re.compile(
    r"^.*(?:根据|依据|按照|依照|参照|遵照|落实|执行|贯彻|印发|发布|公布|的|了|现|经|即|见)"
    r"|^(?:对|由|以|及|和|与|在|是|按|为)+"
)
ATTACHMENT_EXT = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ofd", ".zip", ".rar")
_LABELS = {
    "issuer": ("发文机关", "发布机构", "发文单位", "发布单位", "来源"),
    "issued": ("成文日期", "发文日期", "印发日期", "发布日期", "发布时间"),
    "effective": ("施行日期", "生效日期", "实施日期"),
    "number": ("发文字号", "文号"),
    "index": ("索引号",),
    "title": ("标题", "名称"),
    "topic": ("主题分类", "主题词"),
}
_NUMBER_LABELS = _LABELS["number"]
_ALL_LABELS = sorted(
    {label for labels in _LABELS.values() for label in labels}, key=len, reverse=True
)
_EFFECTIVE_TEXT = re.compile(
    r"自\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起\s*(?:施行|实施|生效)"
)
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_NO_VALUE = {"", "无", "/", "-", "—", "暂无"}


def _squash(text: str) -> str:
    """Text without any whitespace (gov.cn writes labels as 索　引　号 / 标　　题)."""
    return _SPACES.sub("", text)


def _clean_number(raw: str) -> str:
    number = _squash(raw)
    head = re.split(r"(?=[〔\[［【(（]|令第|公告(?:19|20))", number, maxsplit=1)
    if len(head) == 2:  # trim only the words before the issuer, never the number itself
        return _LEAD.sub("", head[0], count=1) + head[1]
    return number


def find_doc_number(text: str) -> str | None:
    m = DOC_NUMBER.search(text)
    return _clean_number(m.group(0)) if m else None


def find_effective_date(text: str) -> date | None:
    m = _EFFECTIVE_TEXT.search(text)
    return parse_date(m.group(1)) if m else None


def is_attachment(href: str) -> bool:
    path = href.split("?", 1)[0].split("#", 1)[0].lower()
    return path.endswith(ATTACHMENT_EXT)


def attachments(base_url: str, hrefs: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for href in hrefs:
        if href and is_attachment(href):
            seen.setdefault(urljoin(base_url, href.strip()), None)
    return tuple(seen)


_LABEL_ALT = "|".join(_ALL_LABELS)
# "发文机关：国务院" inside one cell; the value is one token, plus a second one
# ("2025-07-01 10:00") unless that is the next label
_INLINE = re.compile(
    rf"({_LABEL_ALT})\s*[：:]\s*([^\s：:|｜]+(?:[ \t](?![^\s：:]*[：:])[^\s：:|｜]+)?)"
)


def _label_of(cell: str) -> str | None:
    """The label a whole cell is ("发文字号：", "索 引 号:", "发文机关" without a colon)."""
    squashed = _squash(cell).rstrip("：:")
    return squashed if squashed in _ALL_LABELS else None


def label_pairs(cells: Iterable[str]) -> dict[str, str]:
    """{label: value} from a page's text cells, in page order: a label cell ("发文机关：",
    "发文机关", "索　引　号：") followed by its value cell, or "发文机关：国务院" in one cell.
    A label whose value cell is missing (the next cell is another label) maps to "" so that
    its presence is known (see from_table)."""
    pairs: dict[str, str] = {}
    items = [c.strip() for c in cells if c and c.strip()]
    for i, cell in enumerate(items):
        label = _label_of(cell)
        if label is not None:
            nxt = items[i + 1] if i + 1 < len(items) else ""
            value = "" if _label_of(nxt) is not None or _INLINE.match(_squash(nxt)) else nxt
            if not pairs.get(label):
                pairs[label] = value
            continue
        for m in _INLINE.finditer(cell):
            pairs.setdefault(m.group(1), m.group(2).strip())
    return pairs


def labelled(pairs: dict[str, str], field: str) -> str | None:
    """Value of the first label for `field` found in a {label: value} table (信息公开 tables)."""
    for label in _LABELS[field]:
        for key, value in pairs.items():
            if label == key and value.strip():
                return value.strip()
    return None


def has_label(pairs: dict[str, str], field: str) -> bool:
    return any(label in pairs for label in _LABELS[field])


# labels only a policy document's header carries (来源/发布时间 also head ordinary news)
_DOCUMENT_LABELS = (
    "发文机关",
    "发布机构",
    "发文单位",
    "成文日期",
    "发文日期",
    "印发日期",
    "发文字号",
    "文号",
    "索引号",
)


def doc_number(pairs: dict[str, str], text: str) -> str | None:
    """The document number: the 发文字号 label's value when the page has that label (a value
    that is not a number, or an empty cell, gives None), otherwise the first number in the
    body text."""
    if has_label(pairs, "number"):
        raw = labelled(pairs, "number") or ""
        if _squash(raw) in _NO_VALUE:
            return None
        found = DOC_NUMBER.search(_squash(raw))
        return _clean_number(found.group(0)) if found else None
    return find_doc_number(text)


def from_table(
    pairs: dict[str, str], text: str, base_url: str, hrefs: Iterable[str]
) -> PolicyFields | None:
    """PolicyFields from a label/value table plus the body text (fallbacks) and links; None
    when the page shows no sign of being a policy document (no document number, no document
    header labels, no effective date, no attachments): a policy site's news item."""
    number = doc_number(pairs, text)
    effective = parse_date(labelled(pairs, "effective")) or find_effective_date(text)
    files = attachments(base_url, hrefs)
    header = any(key in _DOCUMENT_LABELS for key in pairs)
    if not (number or effective or files or header):
        return None
    return PolicyFields(
        doc_number=number,
        issuer=labelled(pairs, "issuer"),
        issued_at=parse_date(labelled(pairs, "issued")),
        effective_at=effective,
        attachments=files,
    )
