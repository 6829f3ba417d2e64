"""Policy-document fields found in Chinese government pages (pure helpers for parsers)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

from crawlers.dates import parse_date
from crawlers.types import PolicyFields

# 国发〔2025〕11号, 工信部联通信〔2024〕123号, 发改高技〔2025〕1号, 国办发[2024]5号
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fa5]{1,12}\s?[〔\[［【(（]\s?(?:19|20)\d{2}\s?[〕\]］】)）]\s?第?\d{1,4}\s?号"
)
ATTACHMENT_EXT = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ofd", ".zip", ".rar")
_LABELS = {
    "issuer": ("发文机关", "发布机构", "发文单位", "发布单位", "来源"),
    "issued": ("成文日期", "发文日期", "印发日期", "发布日期", "发布时间"),
    "effective": ("施行日期", "生效日期", "实施日期"),
    "number": ("发文字号", "文号", "索引号"),
}
_EFFECTIVE_TEXT = re.compile(
    r"自\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起\s*(?:施行|实施|生效)"
)


def find_doc_number(text: str) -> str | None:
    m = DOC_NUMBER.search(text)
    return re.sub(r"\s+", "", m.group(0)) if m else None


def find_effective_date(text: str):  # -> date | None
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


_LABEL_NAMES = "|".join(
    sorted({label for labels in _LABELS.values() for label in labels}, key=len, reverse=True)
)
# value: one token, plus a second one ("2025-07-01 10:00") unless that is the next label
_INLINE = re.compile(
    rf"({_LABEL_NAMES})\s*[：:]\s*([^\s：:|｜]+(?:[ \t](?![^\s：:]*[：:])[^\s：:|｜]+)?)"
)


def label_pairs(cells: Iterable[str]) -> dict[str, str]:
    """{label: value} from a page's text cells: "发文机关：" followed by a cell "国务院", or
    "发文机关：国务院" in one cell (信息公开 tables, header blocks)."""
    pairs: dict[str, str] = {}
    items = [c.strip() for c in cells if c and c.strip()]
    for i, cell in enumerate(items):
        for m in _INLINE.finditer(cell):
            pairs.setdefault(m.group(1), m.group(2).strip())
        label = cell.rstrip("：: ")
        if cell.endswith(("：", ":")) and label in _LABEL_NAMES.split("|") and i + 1 < len(items):
            nxt = items[i + 1]
            if not nxt.endswith(("：", ":")):
                pairs.setdefault(label, nxt)
    return pairs


def labelled(pairs: dict[str, str], field: str) -> str | None:
    """Value of the first label for `field` found in a {label: value} table (信息公开 tables)."""
    for label in _LABELS[field]:
        for key, value in pairs.items():
            if label in key and value.strip():
                return value.strip()
    return None


# labels only a policy document's header carries (来源/发布时间 also head ordinary news)
_DOCUMENT_LABELS = (
    "发文机关",
    "发布机构",
    "发文单位",
    "成文日期",
    "发文日期",
    "印发日期",
    "发文字号",
)


def from_table(
    pairs: dict[str, str], text: str, base_url: str, hrefs: Iterable[str]
) -> PolicyFields | None:
    """PolicyFields from a label/value table plus the body text (fallbacks) and links; None
    when the page shows no sign of being a policy document (no document number, no document
    header labels, no effective date, no attachments): a policy site's news item."""
    number = labelled(pairs, "number")
    if number and not DOC_NUMBER.search(number):
        number = None  # 索引号 like 000014349/2025-00011 is not a document number
    number = number or find_doc_number(text)
    effective = parse_date(labelled(pairs, "effective")) or find_effective_date(text)
    files = attachments(base_url, hrefs)
    header = any(label in key for key in pairs for label in _DOCUMENT_LABELS)
    if not (number or effective or files or header):
        return None
    return PolicyFields(
        doc_number=number,
        issuer=labelled(pairs, "issuer"),
        issued_at=parse_date(labelled(pairs, "issued")),
        effective_at=effective,
        attachments=files,
    )
