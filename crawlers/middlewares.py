"""Downloader middlewares: robots.txt per RFC 9309, Retry-After, and a per-host gate that
spaces requests (Crawl-delay) and holds a host back after 429/503.

Scrapy's RobotsTxtMiddleware treats a 5xx or unreachable robots.txt as "no rules" and
crawls the site; RFC 9309 §2.3.1.4 requires the opposite (assume complete disallow). It is
replaced here (ROBOTSTXT_OBEY stays False)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from protego import Protego
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import defer, task

from crawlers.retry_after import retry_after_seconds

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB


async def sleep(seconds: float) -> None:
    if seconds > 0:
        from twisted.internet import reactor

        await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


def host_key(request: Request) -> str:
    parts = urlparse_cached(request)
    return f"{parts.scheme}://{parts.netloc}"


class Gate(Protocol):
    """What the middlewares ask of a host gate: HostGate (one process) or RedisHostGate
    (every crawl worker, crawlers/hostgate.py)."""

    interval: dict[str, float]

    def take(self, host: str, delay: float, now: float, *, holds: bool = True) -> float: ...
    def answered(self, host: str, now: float) -> None: ...
    def hold(self, host: str, seconds: float) -> None: ...
    def remaining(self, host: str) -> float: ...
    def spacing_left(self, host: str, delay: float, now: float) -> float: ...


class HostGate:
    """Per-host spacing (Crawl-delay) and Retry-After holds, shared by every crawler of the
    process. Spacing is counted from a time the server surely had the last request: its
    answer (or failure) came back. The moment it left is not enough: the way to the server
    (a new connection, a busy reactor) takes longer for one request than the next."""

    def __init__(self) -> None:
        self._held_until: dict[str, float] = {}
        self._last_sent: dict[str, float] = {}
        self._outstanding: dict[str, int] = {}  # sent, answer not back yet
        self.interval: dict[str, float] = {}  # Crawl-delay per host

    @classmethod
    def of(cls, crawler: Crawler) -> Gate:
        """The process-wide gate: sources sharing a host share its Crawl-delay and holds.
        With TW_HOST_GATE_REDIS_URL, the gate every crawl worker shares (crawlers/hostgate.py)."""
        url = crawler.settings.get("TW_HOST_GATE_REDIS_URL")
        if not url:
            return _GATE
        gate = _SHARED.get(url)
        if gate is None:
            from crawlers.hostgate import RedisHostGate

            lease = crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180.0) + 30.0
            gate = _SHARED[url] = RedisHostGate.from_url(url, lease_s=lease, poll_s=POLL,
                                                          margin_s=MARGIN)
        return gate

    def hold(self, host: str, seconds: float) -> None:
        """No request to `host` starts in the next `seconds` (Retry-After)."""
        until = time.monotonic() + seconds
        self._held_until[host] = max(self._held_until.get(host, 0.0), until)

    def remaining(self, host: str) -> float:
        """Seconds left of a Retry-After hold on `host`."""
        return max(0.0, self._held_until.get(host, 0.0) - time.monotonic())

    def spacing_left(self, host: str, delay: float, now: float) -> float:
        """Seconds until `host` may be sent the next request: max(Crawl-delay, `delay`) after
        the last answer; with a request still out, at least another POLL."""
        spacing = max(self.interval.get(host, 0.0), delay)
        if spacing <= 0:
            return 0.0
        if self._outstanding.get(host, 0):
            return POLL
        last = self._last_sent.get(host)
        if last is None:
            return 0.0
        return max(0.0, last + spacing + MARGIN - now)

    def take(self, host: str, delay: float, now: float, *, holds: bool = True) -> float:
        """Claim `host` for one request: 0.0 when claimed (it goes out now), else the
        seconds to wait before asking again. (Holds are the caller's: `remaining`.)"""
        left = self.spacing_left(host, delay, now)
        if left > 0:
            return left
        self.sent(host, now)
        return 0.0

    def sent(self, host: str, now: float) -> None:
        self._last_sent[host] = now
        self._outstanding[host] = self._outstanding.get(host, 0) + 1

    def answered(self, host: str, now: float) -> None:
        """The request sent to `host` got its response or failed: the server had it by now."""
        self._outstanding[host] = max(0, self._outstanding.get(host, 0) - 1)
        self._last_sent[host] = max(self._last_sent.get(host, 0.0), now)


_GATE = HostGate()
_SHARED: dict[str, Gate] = {}  # RedisHostGate per URL: one connection pool per process
POLL = 0.02  # re-check of a busy Scrapy slot (it announces no free transfer slot)
# added to every spacing: the time from the download handler to the server differs between
# requests (a first request opens the connection), seen up to 6 ms on loopback
MARGIN = 0.02


class HostGateMiddleware:
    """The one authority for when a request to a host goes out. It admits at most
    CONCURRENT_REQUESTS_PER_DOMAIN requests per host at a time, and lets one go only when
    (a) no Retry-After hold is on the host, (b) for a host with a delay, no request to it is
    still out and max(Crawl-delay, the download delay) has passed since its answer came
    back (so the gap the server sees is never shorter), and (c) Scrapy's downloader slot
    for the host would hand it to the download handler at once (no queue ahead, a free
    transfer slot, its own delay — DOWNLOAD_DELAY or AutoThrottle's — elapsed). Because of
    (c), leaving the gate is going on the wire: nothing after it can delay one request and
    not the next, which would shrink the gap between them. DOWNLOAD_DELAY_JITTER is 0 so
    the slot's delay is predictable (see middleware_settings).

    The slot is keyed like the gate ("scheme://netloc", meta download_slot), robots.txt
    requests included (they are spaced and stamped, not held or counted). It sits last before
    the download (priority 950), so requests wait here rather than in Scrapy's slot queue,
    where a Retry-After hold could not reach them; it is first on the way back, so every
    admitted request is released exactly once. A host held for longer than
    TW_MAX_RETRY_AFTER is left alone for the rest of the run (its requests fail with
    "backoff" instead of waiting for hours)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.gate = HostGate.of(crawler)
        self.max_wait = crawler.settings.getfloat("TW_MAX_RETRY_AFTER", 300.0)
        self.limit = max(1, crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 8))
        self.delay = crawler.settings.getfloat("DOWNLOAD_DELAY", 0.0)
        self.active: dict[str, int] = {}
        self.queues: dict[str, deque[defer.Deferred[None]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostGateMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = host_key(request)
        request.meta.setdefault("download_slot", host)
        if request.meta.get("tw_robots"):
            await self._until_clear(request, host, holds=False)
            return
        while self.active.get(host, 0) >= self.limit:
            turn: defer.Deferred[None] = defer.Deferred()
            self.queues.setdefault(host, deque()).append(turn)
            await maybe_deferred_to_future(turn)
        self.active[host] = self.active.get(host, 0) + 1
        request.meta["tw_gate"] = host
        try:
            await self._until_clear(request, host, holds=True)
        except IgnoreRequest:
            self._release(request)
            raise

    async def _until_clear(self, request: Request, host: str, *, holds: bool) -> None:
        """Sleep until the request may be sent (re-checking after every sleep: a hold can
        arrive, or another request go out, meanwhile), then stamp the host as sent to.
        No await between the last check and the stamp, and none until Scrapy hands the
        request to the download handler."""
        while True:
            held = self.gate.remaining(host) if holds else 0.0
            if held > self.max_wait:
                raise IgnoreRequest(f"backoff: {host} asked for {held:.0f}s without requests")
            now = time.monotonic()
            wait = max(held, self._slot_wait(request, host, now))
            if wait <= 0:
                wait = self.gate.take(host, self._delay(request), now, holds=holds)
            if wait <= 0:
                request.meta["tw_sent"] = host
                return
            await sleep(wait)

    def _delay(self, request: Request) -> float:
        downloader = getattr(getattr(self.crawler, "engine", None), "downloader", None)
        slot = downloader.slots.get(request.meta["download_slot"]) if downloader else None
        return max(self.delay, slot.delay) if slot is not None else self.delay

    def _slot_wait(self, request: Request, host: str, now: float) -> float:
        """Seconds until the gate's spacing allows `host` and Scrapy's slot would send at once."""
        downloader = getattr(getattr(self.crawler, "engine", None), "downloader", None)
        slot = downloader.slots.get(request.meta["download_slot"]) if downloader else None
        if slot is None:
            return self.gate.spacing_left(host, self.delay, now)
        delay = max(self.delay, slot.delay)
        wait = max(self.gate.spacing_left(host, delay, now),
                   slot.lastseen + max(delay, self.gate.interval.get(host, 0.0)) + MARGIN - now)
        if slot.queue or slot.latercall or slot.free_transfer_slots() <= 0:
            wait = max(wait, POLL)
        return wait

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        sent_to = request.meta.pop("tw_sent", None)
        if sent_to is not None:
            self.gate.answered(sent_to, time.monotonic())
        host = request.meta.pop("tw_gate", None)
        if host is None:
            return
        self.active[host] -= 1
        queue = self.queues.get(host)
        if queue:
            queue.popleft().callback(None)


@dataclass
class _Robots:
    parser: Protego | None  # None: complete disallow (unreachable)
    fetched_at: float  # wall clock (time.time()), comparable across processes
    body: str | None = None
    reason: str = ""


class RobotsCache:
    """robots.txt outcomes per host ("scheme://netloc"), shared by every crawler of the process
    (sources on one host fetch it once) and, with a directory, by later runs (the scheduler
    runs each crawl in a new process). Entries expire after the TTL (at most 24 h, RFC 9309
    §2.4). Unreachable outcomes are kept for this run only, never written to disk."""

    def __init__(self) -> None:
        self.memory: dict[str, _Robots] = {}
        self.pending: dict[str, list[defer.Deferred[_Robots]]] = {}

    @staticmethod
    def _file(directory: Path, host: str) -> Path:
        return directory / (hashlib.sha1(host.encode()).hexdigest()[:20] + ".json")

    def get(self, host: str, ttl: float, directory: Path | None) -> _Robots | None:
        entry = self.memory.get(host)
        if entry is None and directory is not None:
            entry = self._load(directory, host)
        if entry is not None and time.time() - entry.fetched_at < ttl:
            self.memory[host] = entry
            return entry
        return None

    def put(self, host: str, entry: _Robots, directory: Path | None) -> None:
        self.memory[host] = entry
        if directory is not None and entry.parser is not None:
            directory.mkdir(parents=True, exist_ok=True)
            data = {"host": host, "fetched_at": entry.fetched_at, "body": entry.body}
            self._file(directory, host).write_text(json.dumps(data), encoding="utf-8")

    def _load(self, directory: Path, host: str) -> _Robots | None:
        try:
            data = json.loads(self._file(directory, host).read_text(encoding="utf-8"))
            return _Robots(Protego.parse(data["body"]), float(data["fetched_at"]), data["body"])
        except (OSError, ValueError, KeyError, TypeError):
            return None


_ROBOTS = RobotsCache()  # one crawl() per process (the reactor cannot restart)


class Rfc9309RobotsMiddleware:
    """robots.txt per RFC 9309: 2xx → rules; 4xx (and redirect chains over 5) → allow all;
    5xx, timeout, connection error → nothing from that host (§2.3.1.4); Crawl-delay feeds the
    HostGate; cached per RobotsCache. Enabled per source by TW_ROBOTS_ENABLED."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("TW_ROBOTS_ENABLED", True):
            raise NotConfigured
        self.crawler = crawler
        self.ttl = min(settings.getfloat("TW_ROBOTS_TTL", 86400.0), 86400.0)
        self.agent = settings.get("TW_ROBOTS_AGENT") or settings.get("USER_AGENT", "*")
        cache_dir = settings.get("TW_ROBOTS_CACHE_DIR")
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.gate = HostGate.of(crawler)
        self.cache = _ROBOTS

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Rfc9309RobotsMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if request.meta.get("tw_robots") or request.meta.get("dont_obey_robotstxt"):
            return
        if not request.url.startswith(("http://", "https://")):
            return
        host = host_key(request)
        robots = await self.robots(host)
        if robots.parser is None:
            self.crawler.stats.inc_value("tw/robots/unreachable_skip")
            raise IgnoreRequest(
                f"robots.txt unreachable ({robots.reason}): nothing fetched from {host}"
            )
        if not robots.parser.can_fetch(request.url, self.agent):
            raise IgnoreRequest("forbidden by robots.txt")

    async def robots(self, host: str) -> _Robots:
        cached = self.cache.get(host, self.ttl, self.cache_dir)
        if cached is not None:
            self._apply_delay(host, cached)
            return cached
        if host in self.cache.pending:  # one fetch per host; the others wait for it
            waiter: defer.Deferred[_Robots] = defer.Deferred()
            self.cache.pending[host].append(waiter)
            return await maybe_deferred_to_future(waiter)
        self.cache.pending[host] = []
        robots = await self._fetch(host)
        self.cache.put(host, robots, self.cache_dir)
        self._apply_delay(host, robots)
        for waiter in self.cache.pending.pop(host):
            waiter.callback(robots)
        return robots

    def _apply_delay(self, host: str, robots: _Robots) -> None:
        delay = robots.parser.crawl_delay(self.agent) if robots.parser is not None else None
        if delay:
            self.gate.interval[host] = float(delay)

    async def _fetch(self, host: str) -> _Robots:
        url = f"{host}/robots.txt"
        request = Request(
            url,
            callback=NO_CALLBACK,
            priority=1000,
            meta={
                "tw_robots": True,
                "dont_obey_robotstxt": True,
                "dont_retry": True,
                "handle_httpstatus_all": True,
                "redirect_ttl": 5,
            },
        )
        now = time.time()
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:
            log.warning("robots.txt %s unreachable: %s; skipping host", url, exc)
            return _Robots(None, now, reason=type(exc).__name__)
        return self._interpret(url, response, now)

    def _interpret(self, url: str, response: Response, now: float) -> _Robots:
        status = response.status
        if 200 <= status < 300:
            body = response.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
            return _Robots(Protego.parse(body), now, body)
        if 300 <= status < 500:  # unavailable (4xx) or a redirect chain that did not end
            return _Robots(Protego.parse(""), now, "")
        log.warning("robots.txt %s returned %s; skipping host (RFC 9309 §2.3.1.4)", url, status)
        return _Robots(None, now, reason=f"HTTP {status}")


class RetryAfterMiddleware:
    """429/503: hold the host for Retry-After (or an exponential default), then retry the
    request, at most TW_RETRY_AFTER_TIMES times; waits above TW_MAX_RETRY_AFTER give up."""

    STATUSES = (429, 503)

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.gate = HostGate.of(crawler)
        self.max_times = settings.getint("TW_RETRY_AFTER_TIMES", 3)
        self.max_wait = settings.getfloat("TW_MAX_RETRY_AFTER", 300.0)
        self.base = settings.getfloat("TW_RETRY_BACKOFF", 1.0)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in self.STATUSES or request.meta.get("tw_robots"):
            return response
        tries = request.meta.get("tw_retry_after", 0)
        header = response.headers.get(b"Retry-After")
        wait = retry_after_seconds(header.decode("latin-1") if header else None, datetime.now(UTC))
        if wait is None:
            wait = self.base * 2**tries
        if wait > self.max_wait:
            self.gate.hold(host_key(request), wait)  # the rest of this run leaves the host alone
        if tries >= self.max_times or wait > self.max_wait:
            log.warning(
                "giving up on %s after %s (%s tries, wait %.0fs)",
                request.url,
                response.status,
                tries,
                wait,
            )
            return response
        self.gate.hold(host_key(request), wait)
        self.crawler.stats.inc_value("tw/retry_after")
        log.info("%s for %s: retrying in %.1fs", response.status, request.url, wait)
        retry = request.replace(dont_filter=True)
        retry.meta["tw_retry_after"] = tries + 1
        return retry


def middleware_settings() -> dict[str, Any]:
    """Downloader-middleware settings that wire the classes above in place of Scrapy's."""
    return {
        "ROBOTSTXT_OBEY": False,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawlers.middlewares.Rfc9309RobotsMiddleware": 100,
            "crawlers.middlewares.HostGateMiddleware": 950,
            "crawlers.middlewares.RetryAfterMiddleware": 560,
            "crawlers.conditional.ListingValidatorsMiddleware": 570,  # on with TW_LISTING_CACHE_DIR
        },
        # the slot's delay must not vary between requests once the gate let them go
        # (HostGateMiddleware): no ±50 % jitter, the gate spaces by max(Crawl-delay, delay)
        "DOWNLOAD_DELAY_JITTER": 0.0,
        # 429/503 are RetryAfterMiddleware's; Scrapy's retry keeps network errors and 5xx
        "RETRY_HTTP_CODES": [500, 502, 504, 522, 524, 408],
    }
