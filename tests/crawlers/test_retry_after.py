"""The one Retry-After parser (crawlers and alert delivery): both RFC 9110 forms, and
values a server should not send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from crawlers.retry_after import retry_after_seconds

NOW = datetime(2025, 7, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("7", 7.0), (" 120 ", 120.0)])
def test_delta_seconds(value: str, seconds: float) -> None:
    assert retry_after_seconds(value, NOW) == seconds


def test_http_date_counts_from_the_reference_time() -> None:
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(later, NOW) == 90.0
    assert retry_after_seconds(later, NOW + timedelta(seconds=30)) == 60.0
    assert retry_after_seconds("Tue, 01 Jul 2025 12:00:45 GMT", NOW) == 45.0


def test_http_date_in_the_past_means_now() -> None:
    assert retry_after_seconds("Mon, 30 Jun 2025 00:00:00 GMT", NOW) == 0.0


@pytest.mark.parametrize(
    "value", [None, "", "   ", "-5", "1.5", "soon", "٣", "Tue, 99 Foo 2025", "12 34"]
)
def test_negative_or_garbage_is_none(value: str | None) -> None:
    assert retry_after_seconds(value, NOW) is None
