"""Resolution of time expressions to `YYYY-MM-DD` / `YYYY-MM` (pure functions).

A month without a year takes the publication year, or the previous year when it lies more
than one month after publication ("in October" published in March means last October).
"底/末/end of" resolves to the last day of the month. Periods resolve to their own months:
年初/early → January, 上半年/H1 → June, 下半年/H2 → December, 一季度/Q1 → March …,
年底/年末/end of → 31 December; without a year they take the publication year, or the year
before when the period had not yet begun at publication ("四季度" published in February).

"Publication" is the document's published_at or, when that is missing, the reference time
the caller passed; nothing here reads the clock.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import cn2an

from nlp.prefilter import compile_guarded

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS["sept"] = 9
EN_MONTH = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|May)"
)
ZH_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
QUARTER_END = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
EN_QUARTER = {"first": 3, "second": 6, "third": 9, "fourth": 12}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str  # YYYY-MM-DD or YYYY-MM


def to_date(value: datetime | date | str | None) -> date | None:
    """Publication date from a datetime/date/ISO string; None when absent or unparsable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
        return date(int(match[1]), int(match[2]), int(match[3])) if match else None


def _num(text: str) -> int:
    return int(text) if text.isdigit() else int(cn2an.cn2an(text, "smart"))


def _infer_year(month: int, pub: date | None, rel: str | None) -> int | None:
    if pub is None:
        return None
    if rel in ("去", "last"):
        return pub.year - 1
    if rel in ("明", "next"):
        return pub.year + 1
    if rel in ("今", "this"):
        return pub.year
    return pub.year - 1 if month > pub.month + 1 else pub.year


def _fmt(year: int | None, month: int, day: int | None = None, end: bool = False) -> str | None:
    if year is None or not 1 <= month <= 12:
        return None
    if end:
        day = calendar.monthrange(year, month)[1]
    if day is not None:
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}"


_ZH_FULL = compile_guarded(
    rf"(?:(?P<y>\d{{4}})|(?P<rel>[今去明]))年(?P<m>{ZH_NUM})月(?:(?P<d>{ZH_NUM})[日号]|(?P<end>底|末)|份)?"
)
_ZH_MONTH = compile_guarded(
    rf"(?<![\d年个])(?P<m>{ZH_NUM})月(?:(?P<d>{ZH_NUM})[日号]|(?P<end>底|末)|份)?"
)
_ZH_PERIOD = compile_guarded(
    r"(?:(?P<y>\d{4})|(?P<rel>[今去明]))年(?:(?P<h>上半年|上半)|(?P<h2>下半年|下半)|(?P<q>前三季度)"
    r"|第?(?P<qn>[一二三四1-4])季度|(?P<full>全年|年底|年末|底|末)|(?P<start>年初|初))"
)
# the same periods without a year: 上半年, 一季度, Q3 … (year from publication)
_ZH_BARE_PERIOD = compile_guarded(
    r"(?<![\d年今去明])(?:(?P<h>上半年)|(?P<h2>下半年)|(?P<q>前三季度)|第?(?P<qn>[一二三四])季度"
    r"|(?P<full>年底|年末)|(?P<start>年初))"
)
_ZH_YEAR = re.compile(r"(?P<y>20\d{2})年(?![\d一二三四五六七八九十上下前第全底末初])")
_ZH_REL = re.compile(r"上个?月|本月|这个月|昨[天日]|今[天日]|目前|当前")
_ZH_REL_HINT = re.compile(r"[月昨今前]")
_LATIN = re.compile(r"[A-Za-z]")
# what the English patterns cannot match without (a month name; a half, quarter or start)
_EN_MONTH_WORD = re.compile(EN_MONTH)
_EN_PERIOD_WORD = re.compile(r"half|H[12]|quarter|Q[1-4]|early|start of|beginning of")
_EN_FULL = compile_guarded(
    rf"(?P<mn>{EN_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?|(?P<d2>\d{{1,2}})\s+(?P<mn2>{EN_MONTH})\.?(?:,?\s+(?P<y2>\d{{4}}))?"
)
_EN_MONTH = compile_guarded(
    rf"(?P<pre>\b(?:end of|in|of|since|by|as of|until|through|during)\s+)?"
    rf"(?P<mn>{EN_MONTH})\b\.?(?:,?\s+(?P<y>\d{{4}}))?"
)
_EN_PERIOD = compile_guarded(
    r"\b(?:(?P<h>first half|H1)|(?P<h2>second half|H2)"
    r"|(?P<qw>first|second|third|fourth) quarter"
    r"|Q(?P<qn>[1-4])|(?P<start>early|start of|beginning of))"
    r"(?:\s+of)?\s*(?:(?P<y>\d{4})|(?P<fy>FY\s?(?P<fyy>\d{2,4})))?\b"
)
_EN_YEAR = compile_guarded(
    r"\b(?P<end>end of\s+)?(?:in|for|during|of)?\s*(?P<y>20\d{2})\b(?!\s*[-/])"
)
_EN_REL = re.compile(r"\b(?:last month|this month|yesterday|today)\b", re.I)


def _zh_mentions(text: str, pub: date | None) -> list[DateMention]:
    out: list[DateMention] = []
    # every pattern needs one of its characters: most sentences skip most of them
    has_year, has_month, has_quarter = "年" in text, "月" in text, "季度" in text
    if not (has_year or has_month or has_quarter or _ZH_REL_HINT.search(text)):
        return out
    for m in _ZH_FULL.finditer(text) if has_year and has_month else ():
        month = _num(m["m"])
        year = int(m["y"]) if m["y"] else _infer_year(month, pub, m["rel"])
        val = _fmt(year, month, _num(m["d"]) if m["d"] else None, bool(m["end"]))
        if val:
            out.append(DateMention(m.start(), m.end(), val))
    for m in _ZH_PERIOD.finditer(text) if has_year else ():
        year = int(m["y"]) if m["y"] else _infer_year(1, pub, m["rel"] or "今")
        val = _fmt(year, _period_month(m), None, m["full"] in ("年底", "年末", "底", "末"))
        if val:
            out.append(DateMention(m.start(), m.end(), val))
    for m in _ZH_BARE_PERIOD.finditer(text) if has_year or has_quarter else ():
        month = _period_month(m)
        val = _fmt(_period_year(month, m, pub), month, None, m["full"] is not None)
        if val:
            out.append(DateMention(m.start(), m.end(), val))
    for m in _ZH_YEAR.finditer(text) if has_year else ():
        out.append(DateMention(m.start(), m.end(), f"{m['y']}-12"))
    for m in _ZH_MONTH.finditer(text) if has_month else ():
        month = _num(m["m"])
        val = _fmt(
            _infer_year(month, pub, None), month, _num(m["d"]) if m["d"] else None, bool(m["end"])
        )
        if val:
            out.append(DateMention(m.start(), m.end(), val))
    for m in _ZH_REL.finditer(text):
        val = _relative(m[0], pub)
        if val:
            out.append(DateMention(m.start(), m.end(), val))
    return out


def _period_month(m: re.Match[str]) -> int:
    """The month a period resolves to: its first for 年初/early, else its last."""
    groups = m.groupdict()
    if groups.get("start"):
        return 1
    if groups.get("h"):
        return 6
    if groups.get("q"):
        return 9
    if groups.get("qn"):
        return QUARTER_END[groups["qn"]]
    if groups.get("qw"):
        return EN_QUARTER[groups["qw"].lower()]
    return 12  # 下半年/H2, 全年, 年底/年末


_PERIOD_FIRST_MONTH = {3: 1, 6: 1, 9: 7, 12: 10}


def _period_year(month: int, m: re.Match[str], pub: date | None) -> int | None:
    """Year of a period named without one: publication's, or the year before when the period
    had not begun by publication. 年初/年底/全年 always take publication's year."""
    if pub is None:
        return None
    groups = m.groupdict()
    if groups.get("start") or groups.get("full"):
        return pub.year
    if groups.get("h") or groups.get("h2"):
        first = 1 if groups.get("h") else 7
    else:
        first = _PERIOD_FIRST_MONTH.get(month, 1)
    return pub.year - 1 if first > pub.month else pub.year


def _relative(word: str, pub: date | None) -> str | None:
    if pub is None:
        return None
    word = word.lower()
    if word in ("上月", "上个月", "last month"):
        prev = pub.replace(day=1) - timedelta(days=1)
        return f"{prev.year:04d}-{prev.month:02d}"
    if word in ("本月", "这个月", "this month"):
        return f"{pub.year:04d}-{pub.month:02d}"
    if word in ("昨天", "昨日", "yesterday"):
        return (pub - timedelta(days=1)).isoformat()
    return pub.isoformat()


def _fiscal_year(raw: str | None) -> int | None:
    if not raw:
        return None
    return int(raw) if len(raw) == 4 else 2000 + int(raw)


def _en_mentions(text: str, pub: date | None) -> list[DateMention]:
    out: list[DateMention] = []
    if not _LATIN.search(text):  # only a bare year is written without a letter
        return _en_years(text, out)
    has_month = bool(_EN_MONTH_WORD.search(text))
    for m in _EN_FULL.finditer(text) if has_month else ():
        month = MONTHS[(m["mn"] or m["mn2"]).lower().rstrip(".")]
        day = int(m["d"] or m["d2"])
        ytxt = m["y"] or m["y2"]
        val = _fmt(int(ytxt) if ytxt else _infer_year(month, pub, None), month, day)
        if val:
            out.append(DateMention(m.start(), m.end(), val))
    for m in _EN_MONTH.finditer(text) if has_month else ():
        if m["mn"] == "May" and not (m["pre"] or m["y"]):
            continue
        month = MONTHS[m["mn"].lower().rstrip(".")]
        year = int(m["y"]) if m["y"] else _infer_year(month, pub, None)
        end = bool(m["pre"]) and m["pre"].strip().startswith("end")
        val = _fmt(year, month, None, end)
        if val:
            out.append(DateMention(m.start("mn") if not end else m.start(), m.end(), val))
    for m in _EN_PERIOD.finditer(text) if _EN_PERIOD_WORD.search(text) else ():
        month = int(m["qn"]) * 3 if m["qn"] else _period_month(m)
        if m["start"] and not m["y"]:
            continue  # "early" alone is not a date
        year = int(m["y"]) if m["y"] else _fiscal_year(m["fyy"]) or _period_year(month, m, pub)
        val = _fmt(year, month)
        if val:
            out.append(DateMention(m.start(), m.end(), val))
    _en_years(text, out)
    for m in _EN_REL.finditer(text):
        val = _relative(m[0], pub)
        if val:
            out.append(DateMention(m.start(), m.end(), val))
    return out


def _en_years(text: str, out: list[DateMention]) -> list[DateMention]:
    if "20" not in text:
        return out
    for m in _EN_YEAR.finditer(text):
        if m["end"]:
            out.append(DateMention(m.start(), m.end(), f"{m['y']}-12-31"))
        elif re.search(
            r"\b(?:in|for|during|of)\s*$", text[max(0, m.start("y") - 8) : m.start("y")]
        ):
            out.append(DateMention(m.start("y"), m.end("y"), f"{m['y']}-12"))
    return out


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """All date mentions in `text`, longest first where they overlap, in text order."""
    return list(_find_dates(text, published))


@lru_cache(maxsize=1024)
def _find_dates(text: str, published: date | None) -> tuple[DateMention, ...]:
    # cached: every figure of a sentence resolves its as_of against the same sentence
    found = _zh_mentions(text, published) + _en_mentions(text, published)
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[DateMention] = []
    for mention in found:
        if out and mention.start < out[-1].end:
            continue
        out.append(mention)
    return tuple(out)


def resolve_as_of(sentence: str, anchor: int, published: date | None) -> str | None:
    """The date a figure at `anchor` (offset in `sentence`) refers to: the nearest date mention
    before it in the sentence, else the first after it in its clause, else the publication date."""
    mentions = find_dates(sentence, published)
    before = [d for d in mentions if d.end <= anchor]
    if before:
        return before[-1].value
    stop = re.search(r"[，,；;。]", sentence[anchor:])
    limit = anchor + stop.start() if stop else len(sentence)
    after = [d for d in mentions if anchor <= d.start < limit]
    if after:
        return after[0].value
    return published.isoformat() if published else None
