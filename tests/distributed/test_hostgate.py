"""The Redis host gate (crawlers/hostgate.py) on the test's real Redis, with the clock
driven by the test: gates built on separate clients stand for separate crawl workers."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import redis

from crawlers.hostgate import RedisHostGate

HOST = "http://news.example.cn"


class Clock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _gate(redis_url: str, clock: Clock | None, **kwargs: Any) -> RedisHostGate:
    return RedisHostGate(redis.Redis.from_url(redis_url), clock=clock, lease_s=60.0,
                         poll_s=0.02, margin_s=0.0, **kwargs)


def test_a_host_is_spaced_from_the_last_answer_whichever_worker_sent(
        redis_url: str, redis_client: Any, clock: Clock) -> None:
    a, b = _gate(redis_url, clock), _gate(redis_url, clock)
    assert a.take(HOST, 1.0) == 0.0  # a sends
    clock.now += 0.5
    assert b.take(HOST, 1.0) == pytest.approx(0.02)  # a's request is still out: poll
    a.answered(HOST)
    clock.now += 0.25
    assert b.take(HOST, 1.0) == pytest.approx(0.75)  # the spacing counts from a's answer
    clock.now += 0.75
    assert b.take(HOST, 1.0) == 0.0
    assert a.take("http://other.example.cn", 1.0) == 0.0  # hosts are independent


def test_only_one_of_many_workers_takes_a_host_at_the_same_moment(
        redis_url: str, redis_client: Any, clock: Clock) -> None:
    gates = [_gate(redis_url, clock) for _ in range(12)]
    waits: list[float] = []
    start = threading.Barrier(len(gates))

    def take(gate: RedisHostGate) -> None:
        start.wait()
        waits.append(gate.take(HOST, 0.5))

    threads = [threading.Thread(target=take, args=(g,)) for g in gates]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits)[:2] == [0.0, pytest.approx(0.02)]
    assert waits.count(0.0) == 1


def test_a_killed_workers_claim_lapses_after_its_lease(
        redis_url: str, redis_client: Any, clock: Clock) -> None:
    dead, alive = _gate(redis_url, clock), _gate(redis_url, clock)
    assert dead.take(HOST, 1.0) == 0.0  # and never answers
    clock.now += 59.0
    assert alive.take(HOST, 1.0) > 0
    clock.now += 1.5
    assert alive.take(HOST, 1.0) == 0.0


def test_a_retry_after_hold_and_a_crawl_delay_hold_for_every_worker(
        redis_url: str, redis_client: Any, clock: Clock) -> None:
    a, b = _gate(redis_url, clock), _gate(redis_url, clock)
    a.hold(HOST, 30.0)
    clock.now += 10.0
    assert b.remaining(HOST) == pytest.approx(20.0)
    assert b.take(HOST, 0.0) == pytest.approx(20.0)  # held even without a delay
    assert b.take(HOST, 0.0, holds=False) == 0.0  # robots.txt is not held
    a.hold(HOST, 5.0)  # a shorter hold does not cut the longer one
    assert b.remaining(HOST) == pytest.approx(20.0)
    clock.now += 20.0
    b.interval[HOST] = 3.0  # robots.txt Crawl-delay beats the download delay
    assert b.take(HOST, 0.5) == 0.0
    b.answered(HOST)
    clock.now += 1.0
    assert b.take(HOST, 0.5) == pytest.approx(2.0)


def test_without_a_delay_requests_are_not_serialised(
        redis_url: str, redis_client: Any, clock: Clock) -> None:
    a, b = _gate(redis_url, clock), _gate(redis_url, clock)
    assert a.take(HOST, 0.0) == 0.0
    assert b.take(HOST, 0.0) == 0.0


def test_on_the_servers_clock_a_taken_host_makes_the_next_worker_wait(
        redis_url: str, redis_client: Any) -> None:
    a, b = _gate(redis_url, None), _gate(redis_url, None)
    assert a.take(HOST, 60.0) == 0.0
    assert b.take(HOST, 60.0) == pytest.approx(0.02)
    a.answered(HOST)
    assert 59.0 < b.take(HOST, 60.0) <= 60.0
