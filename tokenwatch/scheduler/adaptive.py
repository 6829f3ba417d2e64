"""Adaptive crawl intervals (pure): how often a source publishes, estimated from what past
polls found, sets how soon it is polled next.

The rate is an exponentially weighted count of publication events over the observed time,
at two time scales: a short one (a burst brings the interval down within a few items) and a
long one (one quiet hour does not make a busy source look idle); the larger of the two wins.
A silence far longer than the estimate allows (no item in S seconds is unlikely above a rate
of 3/S) caps it: a quiet spell backs off at once, and the next burst brings it back.

The interval minimises, per unit of time, the cost of polls plus the delay of new items:
polling every T at rate r costs 1/T polls and r*T/2 minutes of delay per minute, and with a
poll worth `poll_cost` minutes of delay the optimum is T = sqrt(2 * poll_cost / r). Busy
sources are polled often, slow ones rarely, idle polls stay few (and cheap: conditional GETs,
crawlers/conditional.py). The result is clamped to [floor, ceiling]; the floor is the larger of
the registry's `adaptive.min_minutes` and the site's `politeness.min_poll_minutes`.

Time is an input: every function takes the reference time `now`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

SHORT_HALF_LIFE_S = 3600.0  # a burst shows within the hour
LONG_HALF_LIFE_S = 8 * 3600.0  # a working day's rhythm is remembered overnight
HISTORY_S = 7 * 86400.0  # older observations weigh < 2^-21: not worth reading
SILENCE_EVENTS = 3.0  # -ln(0.05): a silence this many mean gaps long is a quiet spell


@dataclass(frozen=True)
class PollObservation:
    """What one successful poll of a source found: the new items and, for those that carry
    one, their publication times."""

    polled_at: datetime
    new_items: int = 0
    published: tuple[datetime, ...] = ()


@dataclass(frozen=True)
class AdaptiveBounds:
    """The registry's limits for one source, in seconds (crawlers/registry.py `Adaptive`)."""

    start_s: float  # the declared interval: used until there is history
    floor_s: float
    ceiling_s: float
    poll_cost_s: float = 120.0  # the registry's default (crawlers/registry.py Adaptive)

    def clamp(self, seconds: float) -> float:
        return min(self.ceiling_s, max(self.floor_s, seconds))


def publication_times(observations: Sequence[PollObservation]) -> list[datetime]:
    """One time per new item: its publication time, capped at the poll that found it (a clock
    ahead of ours), or, for an undated item, midway since the previous poll."""
    events: list[datetime] = []
    previous: datetime | None = None
    for obs in sorted(observations, key=lambda o: o.polled_at):
        dated = [min(p, obs.polled_at) for p in obs.published[: obs.new_items]]
        events.extend(dated)
        undated = max(0, obs.new_items - len(dated))
        if undated:
            at = previous + (obs.polled_at - previous) / 2 if previous else obs.polled_at
            events.extend([at] * undated)
        previous = obs.polled_at
    return events


def weighted_rate(events: Sequence[datetime], since: datetime, now: datetime,
                  half_life_s: float) -> float:
    """Events per second around `now`: the decayed count of events over the decayed length of
    the observed span [since, now] (exact for a steady rate, whatever the span)."""
    span = max((now - since).total_seconds(), 0.0)
    decay = math.log(2) / half_life_s
    exposure = (1.0 - math.exp(-decay * span)) / decay
    if exposure <= 0.0:
        return 0.0
    weight = sum(math.exp(-decay * max((now - t).total_seconds(), 0.0)) for t in events)
    return weight / exposure


def publication_rate(observations: Sequence[PollObservation], now: datetime) -> float | None:
    """Items per second the source publishes around `now`; None without any observation. The
    observed span starts at the first poll or the earliest publication seen, whichever is
    earlier (a first poll of a feed shows its past)."""
    if not observations:
        return None
    events = publication_times(observations)
    since = min([o.polled_at for o in observations] + events)
    # a span shorter than the short half-life says little: count at least that much
    since = min(since, now - timedelta(seconds=SHORT_HALF_LIFE_S))
    rate = max(
        weighted_rate(events, since, now, SHORT_HALF_LIFE_S),
        weighted_rate(events, since, now, LONG_HALF_LIFE_S),
    )
    return min(rate, silence_bound(events, now))


def silence_bound(events: Sequence[datetime], now: datetime) -> float:
    """The highest rate (items/s) still plausible after the silence since the last item: no
    item for S seconds has probability exp(-rate * S), under 5 % above 3 / S. Ordinary gaps
    leave the estimate alone; a quiet spell lowers it at once."""
    if not events:
        return math.inf
    silence = (now - max(events)).total_seconds()
    return SILENCE_EVENTS / silence if silence > 0 else math.inf


def interval_for_rate(rate: float, bounds: AdaptiveBounds) -> float:
    """Seconds until the next poll at a publication rate (items/s): sqrt(2 * cost / rate),
    within the bounds; an idle source gets the ceiling."""
    if rate <= 0.0:
        return bounds.ceiling_s
    return bounds.clamp(math.sqrt(2.0 * bounds.poll_cost_s / rate))


def next_interval(observations: Sequence[PollObservation], bounds: AdaptiveBounds,
                  now: datetime) -> float:
    """Seconds until the source's next poll, from its past polls (any order)."""
    rate = publication_rate(observations, now)
    if rate is None:
        return bounds.clamp(bounds.start_s)
    return interval_for_rate(rate, bounds)
