"""Relative and partial times on listings and pages resolve against a reference time that is
passed in (the response's Date or the fetch time), never against the machine's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawlers import listings
from crawlers.dates import parse_datetime

CST = timezone(timedelta(hours=8))
# 2025-03-01 00:20 in Beijing: just after midnight, on the first of a month after February
REF = datetime(2025, 3, 1, 0, 20, tzinfo=CST)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("刚刚", datetime(2025, 3, 1, 0, 20, tzinfo=CST)),
        ("just now", datetime(2025, 3, 1, 0, 20, tzinfo=CST)),
        ("5分钟前", datetime(2025, 3, 1, 0, 15, tzinfo=CST)),
        ("30分钟前", datetime(2025, 2, 28, 23, 50, tzinfo=CST)),  # across midnight and month end
        ("3小时前", datetime(2025, 2, 28, 21, 20, tzinfo=CST)),
        ("两小时前", datetime(2025, 2, 28, 22, 20, tzinfo=CST)),
        ("2 hours ago", datetime(2025, 2, 28, 22, 20, tzinfo=CST)),
        ("an hour ago", datetime(2025, 2, 28, 23, 20, tzinfo=CST)),
        ("3天前", datetime(2025, 2, 26, 0, 20, tzinfo=CST)),
        ("今天 00:05", datetime(2025, 3, 1, 0, 5, tzinfo=CST)),
        ("今天", datetime(2025, 3, 1, tzinfo=CST)),
        ("昨天 14:20", datetime(2025, 2, 28, 14, 20, tzinfo=CST)),
        ("yesterday", datetime(2025, 2, 28, tzinfo=CST)),
        ("前天 09:00", datetime(2025, 2, 27, 9, 0, tzinfo=CST)),
        ("00:10", datetime(2025, 3, 1, 0, 10, tzinfo=CST)),
        ("23:50", datetime(2025, 2, 28, 23, 50, tzinfo=CST)),  # later than ref: the day before
        ("02-28 18:30", datetime(2025, 2, 28, 18, 30, tzinfo=CST)),
        ("12-31 10:00", datetime(2024, 12, 31, 10, 0, tzinfo=CST)),  # later in the year: last year
        ("2月28日", datetime(2025, 2, 28, tzinfo=CST)),
    ],
)
def test_relative_times_resolve_against_the_reference(raw: str, expected: datetime) -> None:
    assert parse_datetime(raw, "zh", REF) == expected


def test_reference_in_another_zone_is_read_in_the_source_zone() -> None:
    # 16:30 UTC on 28 Feb is 00:30 on 1 Mar in Beijing: '00:10' is that morning
    ref = datetime(2025, 2, 28, 16, 30, tzinfo=UTC)
    assert parse_datetime("00:10", "zh", ref) == datetime(2025, 3, 1, 0, 10, tzinfo=CST)
    # an English source reads the same reference in UTC
    assert parse_datetime("3 hours ago", "en", ref) == datetime(2025, 2, 28, 13, 30, tzinfo=UTC)


def test_leap_day_month_day_falls_back_to_a_year_that_has_it() -> None:
    ref = datetime(2025, 3, 1, 12, 0, tzinfo=CST)
    assert parse_datetime("2月29日", "zh", ref) == datetime(2024, 2, 29, tzinfo=CST)


@pytest.mark.parametrize(
    "raw", ["14:20", "今天 14:20", "昨天", "3小时前", "刚刚", "07-01 10:30", "2 hours ago", "May 3"]
)
def test_without_a_reference_relative_times_are_unknown(raw: str) -> None:
    assert parse_datetime(raw, "zh") is None


def test_full_dates_do_not_need_a_reference() -> None:
    assert parse_datetime("2025-07-01 10:30", "zh") == datetime(2025, 7, 1, 10, 30, tzinfo=CST)
    assert parse_datetime("July 1, 2025", "en") == datetime(2025, 7, 1, tzinfo=UTC)


def test_a_number_is_not_a_month_day() -> None:
    assert parse_datetime("3.5万亿", "zh", REF) is None


def test_listing_clock_times_follow_the_reference() -> None:
    html = (
        "<ul class='list'><li><div class='tt'><a href='/article/detail/1.html'>快讯一</a></div>"
        "<div class='info'><span>23:58</span></div></li>"
        "<li><div class='tt'><a href='/article/detail/2.html'>快讯二</a></div>"
        "<div class='info'><span>00:03</span></div></li></ul>"
    )
    base = "https://www.stcn.com/article/list/kx.html"
    links = listings.html_links(html, base, "ul.list li div.tt a", "zh", REF)
    assert [lk.published_at for lk in links] == [
        datetime(2025, 2, 28, 23, 58, tzinfo=CST),
        datetime(2025, 3, 1, 0, 3, tzinfo=CST),
    ]
    # the same page read a day later gives the next day's times: nothing comes from the clock
    later = listings.html_links(html, base, "ul.list li div.tt a", "zh", REF + timedelta(days=1))
    assert [lk.published_at.date() for lk in later if lk.published_at] == [
        datetime(2025, 3, 1).date(),
        datetime(2025, 3, 2).date(),
    ]
