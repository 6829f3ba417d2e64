"""Date parsing for Chinese and English pages (pure). Naive times are taken in the source's
zone: Asia/Shanghai (UTC+8) for zh sources, UTC for en sources.

Relative and partial times (``14:20``, ``今天 14:20``, ``昨天``, ``3小时前``, ``刚刚``,
``07-01 10:30``, "2 hours ago", "yesterday") are resolved against an explicit reference time
``ref`` (the response's ``Date`` header or the fetch time when crawling, a fixed time in the
golden files). Without ``ref`` they are unknown (None): no function here reads the clock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

CST = timezone(timedelta(hours=8), "CST")
_ZH = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年|[-/.])\s*(?P<m>\d{1,2})\s*(?:月|[-/.])\s*(?P<d>\d{1,2})\s*日?"
    r"(?:(?:-|[T\s]*)(?P<H>\d{1,2})[:：时](?P<M>\d{2})(?:[:：分](?P<S>\d{2}))?)?"
    r"(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
_COMPACT = re.compile(r"(?<!\d)(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")


def zone_for(lang: str) -> timezone:
    return CST if lang == "zh" else UTC


def _tz(raw: str | None, default: timezone) -> timezone:
    if not raw:
        return default
    if raw == "Z":
        return UTC
    sign = 1 if raw[0] == "+" else -1
    digits = raw[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def parse_datetime(
    raw: str | None, lang: str = "zh", ref: datetime | None = None
) -> datetime | None:
    """Parse '2025年7月1日 10:30', '2025-07-01T10:30:00+08:00', '2025/7/1', RFC 822 feed
    dates, 'Jul 1, 2025' … into an aware datetime; None if nothing date-like is found.
    Relative and partial times resolve against `ref` (see the module docstring)."""
    if not raw:
        return None
    text = raw.strip()
    default = zone_for(lang)
    m = _ZH.search(text)
    if m:
        try:
            return datetime(
                int(m["y"]),
                int(m["m"]),
                int(m["d"]),
                int(m["H"] or 0),
                int(m["M"] or 0),
                int(m["S"] or 0),
                tzinfo=_tz(m["tz"], default),
            )
        except ValueError:
            return None
    try:
        dt = parsedate_to_datetime(text)
        return dt if dt.tzinfo else dt.replace(tzinfo=default)
    except (TypeError, ValueError, IndexError):
        pass
    m = _COMPACT.search(text)
    if m:
        try:
            return datetime(int(m["y"]), int(m["m"]), int(m["d"]), tzinfo=default)
        except ValueError:
            return None
    relative = resolve_relative(text, ref, default)
    if relative is not None or _looks_relative(text):
        return relative
    return _dateparser(text, default, ref)


_AGO = re.compile(
    r"(?P<n>\d+|[一二两三四五六七八九十半]+)\s*(?:个)?\s*(?P<u>秒|分钟|分|小时|钟头|天|日|周|星期)\s*前"
    r"|(?P<en>\d+|an?|one)\s+(?P<eu>second|minute|min|hour|hr|day|week)s?\s+ago",
    re.I,
)
_NOW = re.compile(r"刚刚|刚才|\bjust now\b|\bmoments? ago\b", re.I)
_DAY_WORD = re.compile(r"今天|今日|昨天|昨日|前天|\btoday\b|\byesterday\b", re.I)
_CLOCK = re.compile(
    r"(?<![\d:：])(?P<H>[01]?\d|2[0-3])[:：](?P<M>[0-5]\d)(?:[:：](?P<S>[0-5]\d))?(?![\d:：])"
)
_MONTH_DAY = re.compile(  # 7月1日, 07-01, 07/01 (not 3.5: that is a number)
    r"(?<![\d年/.-])(?:(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])[日号]"
    r"|(?P<m2>1[0-2]|0[1-9])[-/](?P<d2>3[01]|[12]\d|0[1-9]))(?![\d/.-])"
)
_UNIT_SECONDS = {
    "秒": 1, "second": 1, "分钟": 60, "分": 60, "minute": 60, "min": 60, "小时": 3600,
    "钟头": 3600, "hour": 3600, "hr": 3600, "天": 86400, "日": 86400, "day": 86400,
    "周": 604800, "星期": 604800, "week": 604800,
}
_DAY_OFFSET = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2}


def _looks_relative(text: str) -> bool:
    """A relative or partial time that needs a reference (so no guessing without one)."""
    return bool(
        _AGO.search(text) or _NOW.search(text) or _DAY_WORD.search(text)
        or _MONTH_DAY.search(text) or _clock_only(text)
    )


def _clock_only(text: str) -> bool:
    """'14:20' or '证券时报 14:20': a clock time is the only figure in the text."""
    return bool(_CLOCK.search(text)) and not re.search(r"\d", _CLOCK.sub("", text))


def _count(raw: str) -> float:
    raw = raw.lower()
    if raw.isdigit():
        return float(raw)
    if raw in ("a", "an", "one"):
        return 1.0
    if raw == "半":
        return 0.5
    import cn2an

    return float(cn2an.cn2an(raw.replace("两", "二"), "smart"))


def resolve_relative(text: str, ref: datetime | None, zone: timezone) -> datetime | None:
    """'3小时前', '刚刚', '昨天 14:20', '14:20', '07-01 10:30', '2 hours ago' … against `ref`
    (aware; naive is taken in `zone`), in `zone`. None without `ref` or without a match.
    A bare clock time later than `ref` belongs to the day before (a list read just after
    midnight shows yesterday's 23:50); a month-day later than `ref` to the year before."""
    if ref is None:
        return None
    local = (ref if ref.tzinfo else ref.replace(tzinfo=zone)).astimezone(zone)
    if _NOW.search(text):
        return local.replace(microsecond=0)
    ago = _AGO.search(text)
    if ago:
        n = _count(ago["n"] or ago["en"])
        unit = (ago["u"] or ago["eu"]).lower()
        return (local - timedelta(seconds=n * _UNIT_SECONDS[unit])).replace(microsecond=0)
    clock = _CLOCK.search(text)
    hms = (int(clock["H"]), int(clock["M"]), int(clock["S"] or 0)) if clock else (0, 0, 0)
    word = _DAY_WORD.search(text)
    if word:
        day = local.date() - timedelta(days=_DAY_OFFSET[word[0].lower()])
        return datetime(day.year, day.month, day.day, *hms, tzinfo=zone)
    md = _MONTH_DAY.search(text)
    if md:
        month, mday = int(md["m"] or md["m2"]), int(md["d"] or md["d2"])
        return _month_day(month, mday, hms, local, zone)
    if clock and _clock_only(text):
        when = datetime(local.year, local.month, local.day, *hms, tzinfo=zone)
        return when - timedelta(days=1) if when > local else when
    return None


def _month_day(
    month: int, day: int, hms: tuple[int, int, int], local: datetime, zone: timezone
) -> datetime | None:
    for year in (local.year, local.year - 1):
        try:
            when = datetime(year, month, day, *hms, tzinfo=zone)
        except ValueError:
            continue
        if when <= local + timedelta(days=1):  # a day of slack for zone edges
            return when
    return None


def _dateparser(text: str, default: timezone, ref: datetime | None) -> datetime | None:
    if not re.search(r"\d", text) or len(text) > 80:
        return None
    import dateparser  # slow import: only for the rare English free-form date

    settings: dict[str, object] = {"RETURN_AS_TIMEZONE_AWARE": False}
    if ref is None:  # nothing to fill missing parts from: demand a full date
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
    else:
        base = ref.astimezone(default) if ref.tzinfo else ref
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
        settings["PREFER_DATES_FROM"] = "past"
    dt = dateparser.parse(text, settings=settings)
    return dt.replace(tzinfo=default) if dt else None


def parse_date(raw: str | None, lang: str = "zh", ref: datetime | None = None) -> date | None:
    dt = parse_datetime(raw, lang, ref)
    return dt.date() if dt else None
