"""Adaptive crawl intervals: what a user of the scheduler notices. Sources are simulated by
their publication times; each poll sees what was published since the previous one, and the
next poll comes when `next_interval` says (time is an input: no clock is read)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawlers.errors import RegistryError
from crawlers.registry import parse_sources
from crawlers.sink import MemorySink
from crawlers.types import Article, CrawlRunStats
from tests.scheduler.test_sched_scheduler import statuses, wait_until
from tokenwatch.scheduler import CrawlScheduler, JobSpec, open_engine
from tokenwatch.scheduler.adaptive import (
    AdaptiveBounds,
    PollObservation,
    next_interval,
    publication_times,
)
from tokenwatch.scheduler.jobs import spec_from_source
from tokenwatch.scheduler.observations import ObservationLog, ObservingSink

T0 = datetime(2025, 7, 1, tzinfo=UTC)
MIN = 60.0
BOUNDS = AdaptiveBounds(start_s=60 * MIN, floor_s=5 * MIN, ceiling_s=360 * MIN)


def every(minutes: float, start: datetime, end: datetime) -> list[datetime]:
    out, t = [], start + timedelta(minutes=minutes)
    while t < end:
        out.append(t)
        t += timedelta(minutes=minutes)
    return out


def poll(published: Sequence[datetime], start: datetime, end: datetime,
         bounds: AdaptiveBounds = BOUNDS, history: list[PollObservation] | None = None,
         ) -> list[tuple[datetime, float]]:
    """(poll time, the interval chosen after it) for a source publishing at `published`."""
    history = history if history is not None else []
    polls: list[tuple[datetime, float]] = []
    last, t = start, start
    while t < end:
        new = tuple(p for p in published if last < p <= t)
        history.append(PollObservation(t, len(new), new))
        seconds = next_interval(history, bounds, t)
        polls.append((t, seconds))
        last, t = t, t + timedelta(seconds=seconds)
    return polls


def test_a_source_publishing_every_10_minutes_is_polled_far_more_than_a_weekly_one() -> None:
    end = T0 + timedelta(days=14)
    busy = poll(every(10, T0, end), T0, end)
    weekly = poll(every(7 * 24 * 60, T0 - timedelta(hours=1), end), T0, end)
    assert len(busy) > 20 * len(weekly)
    assert max(s for _, s in busy[-50:]) <= 12 * MIN  # about one poll per item
    assert min(s for _, s in weekly[-10:]) >= 180 * MIN


def test_never_below_the_floor_never_above_the_ceiling() -> None:
    end = T0 + timedelta(hours=12)
    flood = poll(every(0.5, T0, end), T0, end)  # two items a minute
    assert min(s for _, s in flood) == BOUNDS.floor_s
    idle = poll([], T0, T0 + timedelta(days=7))
    assert max(s for _, s in idle) == BOUNDS.ceiling_s
    assert all(BOUNDS.floor_s <= s <= BOUNDS.ceiling_s for _, s in flood + idle)


def test_a_quiet_spell_backs_off_and_a_burst_brings_it_back() -> None:
    busy_until = T0 + timedelta(hours=12)
    burst_at = busy_until + timedelta(hours=10)
    published = every(10, T0, busy_until) + every(3, burst_at, burst_at + timedelta(hours=1))
    polls = poll(published, T0, burst_at + timedelta(hours=1))
    busy = [s for t, s in polls if busy_until - timedelta(hours=2) <= t < busy_until]
    quiet = [s for t, s in polls if busy_until + timedelta(hours=1) <= t < burst_at]
    assert max(busy) <= 11 * MIN
    assert quiet == sorted(quiet) and quiet[-1] >= 3 * max(busy)  # backs off, steadily
    first_in_burst = next(i for i, (t, _) in enumerate(polls) if t >= burst_at)
    after = [s for _, s in polls[first_in_burst + 3:]]
    assert after and max(after) <= 10 * MIN  # three polls into the burst: back to minutes


def test_without_history_the_declared_interval_is_used_within_the_bounds() -> None:
    assert next_interval([], BOUNDS, T0) == 60 * MIN
    tight = AdaptiveBounds(start_s=60 * MIN, floor_s=5 * MIN, ceiling_s=30 * MIN)
    assert next_interval([], tight, T0) == 30 * MIN


def test_undated_items_count_midway_and_future_dates_are_capped() -> None:
    first, second = T0, T0 + timedelta(hours=2)
    later = second + timedelta(hours=5)  # a publisher's clock ahead of ours
    obs = [PollObservation(first), PollObservation(second, 3, (later,))]
    assert sorted(publication_times(obs)) == [T0 + timedelta(hours=1)] * 2 + [second]


REGISTRY = """
defaults:
  schedule: {interval_minutes: 60, adaptive: {}}
sources:
  - {id: plain, name: P, kind: industry, lang: zh, url: "https://p.example.cn/",
     listing: {type: feed, feed_urls: ["https://p.example.cn/rss"]}}
  - {id: polite, name: Q, kind: policy, lang: zh, url: "https://q.example.cn/",
     schedule: {adaptive: {min_minutes: 2, max_minutes: 120}},
     politeness: {min_poll_minutes: 15},
     listing: {type: feed, feed_urls: ["https://q.example.cn/rss"]}}
  - {id: timed, name: R, kind: policy, lang: zh, url: "https://r.example.cn/",
     schedule: {cron: "0 9 * * *"},
     listing: {type: feed, feed_urls: ["https://r.example.cn/rss"]}}
  - {id: fixed, name: S, kind: policy, lang: zh, url: "https://s.example.cn/",
     schedule: {interval_minutes: 30, adaptive: null},
     listing: {type: feed, feed_urls: ["https://s.example.cn/rss"]}}
"""


def test_registry_declares_the_bounds_with_defaults_and_overrides() -> None:
    import yaml

    specs = {s.id: spec_from_source(s) for s in parse_sources(yaml.safe_load(REGISTRY))}
    plain, polite = specs["plain"].adaptive, specs["polite"].adaptive
    assert plain == AdaptiveBounds(start_s=3600, floor_s=300, ceiling_s=21600, poll_cost_s=120)
    assert polite is not None and (polite.floor_s, polite.ceiling_s) == (900, 7200)
    assert specs["timed"].adaptive is None and specs["timed"].cron == "0 9 * * *"
    assert specs["fixed"].adaptive is None and specs["fixed"].interval_s == 1800
    # the site's politeness wins over the registry's floor, whatever the source publishes
    end = T0 + timedelta(days=1)
    assert min(s for _, s in poll(every(1, T0, end), T0, end, polite)) == 15 * MIN


def test_a_floor_above_the_ceiling_names_the_entry() -> None:
    import yaml

    bad = yaml.safe_load(REGISTRY.replace("min_minutes: 2", "min_minutes: 500"))
    with pytest.raises(RegistryError, match=r"polite.*min_minutes must not exceed"):
        parse_sources(bad, "sources.yaml")


def test_observations_survive_the_store_and_a_week_is_kept(tmp_path: Path) -> None:
    log = ObservationLog(open_engine(f"sqlite:///{tmp_path / 's.sqlite'}"))
    cst = datetime(2025, 7, 1, 18, 0, tzinfo=UTC).astimezone()
    log.add("a", PollObservation(T0 - timedelta(days=8), 1, (T0 - timedelta(days=8),)))
    log.add("a", PollObservation(T0, 2, (cst,)))
    log.add("b", PollObservation(T0, 5))
    (kept,) = log.recent("a", T0 + timedelta(minutes=1))
    assert kept == PollObservation(T0, 2, (cst,)) and kept.polled_at.tzinfo is not None


def _article(url: str, published: datetime | None) -> Article:
    return Article(id=url[-8:], url=url, canonical_url=url, source_id="s", title="t", text="x",
                   lang="zh", published_at=published, fetched_at=T0, content_hash=url)


def test_the_crawl_reports_only_items_new_to_the_store() -> None:
    inner = MemorySink()
    inner.write([_article("https://e.cn/old-0001", T0 - timedelta(days=1))])
    sink = ObservingSink(inner)
    sink.known_pages("s")
    sink.write([_article("https://e.cn/old-0001", T0),  # an edit: not a new item
                _article("https://e.cn/new-0002", T0), _article("https://e.cn/new-0003", None)])
    sink.record_run(CrawlRunStats(id="r", source_id="s", started_at=T0, ended_at=T0))
    (report,) = sink.reports()
    assert (report.new_items, report.published) == (2, [T0])
    assert len(inner.articles) == 3  # everything still reaches the real sink


def reporting_crawl(new_items: int, exit_code: int = 0) -> Callable[[str], list[str]]:
    """A stand-in for `tokenwatch crawl SOURCE --report FILE`: reports `new_items` items,
    published over the last two hours, one every 120/new_items minutes."""
    prog = (
        "import json, sys; from datetime import datetime, timedelta, timezone\n"
        "now = datetime.now(timezone.utc); n = int(sys.argv[2])\n"
        "pub = [(now - timedelta(minutes=120 * i / n)).isoformat() for i in range(n)]\n"
        "path = sys.argv[sys.argv.index('--report') + 1]\n"
        "json.dump([{'source_id': sys.argv[1], 'status': 'ok', 'ended_at': now.isoformat(),\n"
        "            'new_items': n, 'published': pub}], open(path, 'w'))\n"
        f"sys.exit({exit_code})\n"
    )
    return lambda source_id: [sys.executable, "-c", prog, source_id, str(new_items)]


def _adaptive(source_id: str) -> JobSpec:
    return JobSpec(source_id, interval_s=3600, adaptive=BOUNDS)


def test_the_scheduler_polls_a_busy_source_sooner_after_each_poll(
    make_scheduler: Callable[..., CrawlScheduler],
) -> None:
    busy = make_scheduler([_adaptive("busy")], command=reporting_crawl(12))
    assert busy.get("busy").interval_minutes == 60
    busy.trigger_now("busy")
    assert wait_until(lambda: ("manual", "ok") in statuses(busy, "busy"))
    assert wait_until(lambda: busy.get("busy").interval_minutes != 60, 5)
    sched = busy.get("busy")
    assert sched.interval_minutes is not None and sched.interval_minutes <= 15
    assert sched.next_run_at is not None
    assert sched.next_run_at - datetime.now(UTC) <= timedelta(minutes=15)


def test_a_quiet_source_backs_off_and_a_failed_poll_changes_nothing(
    make_scheduler: Callable[..., CrawlScheduler],
) -> None:
    quiet = make_scheduler([_adaptive("quiet")], command=reporting_crawl(0))
    quiet.trigger_now("quiet")
    assert wait_until(lambda: quiet.get("quiet").interval_minutes == 360, 20)
    quiet.shutdown()

    broken = make_scheduler([_adaptive("quiet")], command=reporting_crawl(12, exit_code=1))
    broken.trigger_now("quiet")
    assert wait_until(lambda: ("manual", "failed") in statuses(broken, "quiet"))
    assert broken.get("quiet").interval_minutes == 360  # kept: a failure says nothing


def test_scheduled_crawls_keep_listing_validators_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tokenwatch.scheduler.core import listing_cache_env

    key = "TOKENWATCH_CRAWL_LISTING_CACHE_DIR"
    monkeypatch.delenv(key, raising=False)
    assert listing_cache_env(tmp_path) == {key: str(tmp_path / "listings")}
    monkeypatch.setenv(key, "/elsewhere")
    assert listing_cache_env(tmp_path) == {}  # the operator's choice is inherited as is
