from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from alerts.retry import SCHEDULE_S, judge, next_delay, parse_retry_after, retry_delay


def test_schedule_is_the_standard_webhooks_one() -> None:
    assert SCHEDULE_S == (0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)


def test_delays_scale_and_jitter_within_bounds() -> None:
    rng = random.Random(7)
    for n, base in enumerate(SCHEDULE_S):
        for _ in range(20):
            d = next_delay(n, scale=0.01, jitter=0.2, rng=rng)
            assert d is not None
            assert base * 0.01 * 0.8 <= d <= base * 0.01 * 1.2
    assert next_delay(len(SCHEDULE_S)) is None
    spread = {round(next_delay(1, jitter=0.2, rng=rng) or 0, 6) for _ in range(10)}
    assert len(spread) > 1  # a burst's retries do not all land at once


def test_only_2xx_is_success_and_3xx_is_not_followed() -> None:
    assert judge(200).ok and judge(204).ok
    redirect = judge(302)
    assert not redirect.ok and "not followed" in (redirect.error or "")
    assert not judge(404).ok and not judge(500).ok
    gone = judge(410)
    assert gone.gone and retry_delay(gone, 1, 1.0, 0.0, 100.0) is None


def test_retry_after_seconds_and_dates_are_honoured_and_capped() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30)), now) == 30.0
    assert parse_retry_after("soon") is None
    busy = judge(503, "60")
    assert retry_delay(busy, 1, scale=0.001, jitter=0.0, max_retry_after_s=3600) == 60.0
    assert retry_delay(busy, 1, scale=0.001, jitter=0.0, max_retry_after_s=10) == 10.0
    assert retry_delay(judge(500), 1, scale=1.0, jitter=0.0, max_retry_after_s=10) == 5.0
    assert retry_delay(judge(500), len(SCHEDULE_S), 1.0, 0.0, 10) is None
