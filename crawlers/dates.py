"""Date parsing for Chinese and English pages (pure). Naive times are taken in the source's
zone: Asia/Shanghai (UTC+8) for zh sources, UTC for en sources."""

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


def parse_datetime(raw: str | None, lang: str = "zh") -> datetime | None:
    """Parse '2025年7月1日 10:30', '2025-07-01T10:30:00+08:00', '2025/7/1', RFC 822 feed
    dates, 'Jul 1, 2025' … into an aware datetime; None if nothing date-like is found."""
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
    return _dateparser(text, default)


def _dateparser(text: str, default: timezone) -> datetime | None:
    if not re.search(r"\d", text) or len(text) > 80:
        return None
    import dateparser  # slow import: only for the rare English free-form date

    dt = dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    return dt.replace(tzinfo=default) if dt else None


def parse_date(raw: str | None, lang: str = "zh") -> date | None:
    dt = parse_datetime(raw, lang)
    return dt.date() if dt else None
