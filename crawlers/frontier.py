"""Crawl workers on one shared frontier: N processes crawl the same sources through
scrapy-redis (its Scheduler keeps each source's pending requests in one Redis sorted set
that every worker pops atomically, and its dupefilter keeps request fingerprints in Redis),
so no page is fetched by two workers.

- A crawl run starts with seeds: `push_seeds` puts one message per first listing URL on
  `tokenwatch:crawl:<source>:seeds`; whichever worker pops it turns it into the listing
  request, and everything that follows (more listing pages, article requests) goes through
  the shared frontier, tagged with the run id.
- Duplicates are filtered per run (`RunDupeFilter`: one fingerprint set per source and run,
  expiring): within a run no page is fetched twice across workers; the next run asks again,
  with the conditional GET of pages already stored (If-None-Match / If-Modified-Since), so
  corrected articles are still seen. Article requests go through the filter (the one-process
  crawl sends them unfiltered); their fingerprint is our canonical URL. Redirect hops pass
  unfiltered so REDIRECT_MAX_TIMES still ends a loop with its own error.
- Politeness per host is the Redis host gate (crawlers/hostgate.py), used by the same
  HostGateMiddleware: one host's delay is not multiplied by the number of workers.
- Each worker records its share of a run as its own CrawlRun (`<run>-<worker>`), updated
  whenever its frontier for the source runs dry, and flushes its article batch then.

Not handled here: sources with a cookie bootstrap (a cookie jar is one process's) are left to
the one-process crawl; each worker fetches robots.txt once for itself.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import defer, task
from twisted.internet.threads import deferToThread

from crawlers import fetchplan
from crawlers.pipeline import SinkPipeline
from crawlers.registry import SourceConfig, TwoStepListing
from crawlers.runner import CrawlSettings, scrapy_settings, source_settings, system_clock
from crawlers.sink import ArticleSink, SinkWriter
from crawlers.spiders import RunCounter, SourceSpider
from crawlers.types import Clock, CrawlRunStats, PageState
from crawlers.urls import canonicalize

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)

PREFIX: Final = "tokenwatch:crawl"
SEEN_TTL_S: Final = 7 * 86_400  # a run's fingerprints outlive any run


def seeds_key(source_id: str) -> str:
    return f"{PREFIX}:{source_id}:seeds"


def requests_key(source_id: str) -> str:
    """The scrapy-redis request queue of a source (a sorted set by priority)."""
    return f"{PREFIX}:{source_id}:requests"


def seen_key(source_id: str, run: str) -> str:
    return f"{PREFIX}:{source_id}:seen:{run}"


def new_run_id(now: datetime) -> str:
    """A run id that sorts by start time (workers follow the newest run of a source)."""
    return f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Seed:
    run: str
    url: str
    page: int = 1


def seed_messages(source: SourceConfig, run: str) -> list[str]:
    """Pure: the seed messages that start `run` of `source` (one per first listing URL)."""
    return [json.dumps({"run": run, "url": url, "page": page})
            for url, page in fetchplan.first_listing_urls(source)]


def parse_seed(raw: bytes | str) -> Seed:
    """A seed message; ValueError says what is wrong with it."""
    try:
        data = json.loads(raw)
        return Seed(run=str(data["run"]), url=str(data["url"]), page=int(data.get("page", 1)))
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"not a seed ({type(exc).__name__}: {exc}): {raw!r:.200}") from exc


def push_seeds(client: Any, source: SourceConfig, run: str) -> int:
    """Start `run` of `source` on the shared frontier; returns the number of seeds pushed."""
    messages = seed_messages(source, run)
    if messages:
        client.rpush(seeds_key(source.id), *messages)
    return len(messages)


def frontier_pending(client: Any, source_id: str) -> int:
    """Seeds and requests of `source_id` waiting in Redis (not counting those in flight)."""
    return int(client.llen(seeds_key(source_id))) + int(client.zcard(requests_key(source_id)))


class FrontierScheduler(Scheduler):
    """scrapy-redis's Scheduler, counting its stats without the `spider` argument that
    Scrapy 2.13+ deprecates (0.9.1 still passes it: a warning per request today, an error
    once Scrapy drops it)."""

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request: Request | None = self.queue.pop(self.idle_before_close)
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class RunDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter with one fingerprint set per run (`<key>:<run>`, expiring),
    article requests fingerprinted by canonical URL, and redirect hops let through."""

    def request_seen(self, request: Request) -> bool:
        if request.meta.get("redirect_times"):
            return False
        run = request.meta.get("tw_run")
        key = f"{self.key}:{run}" if run else self.key
        pipe = self.server.pipeline()
        pipe.sadd(key, self.request_fingerprint(request))
        pipe.expire(key, SEEN_TTL_S)
        added, _ = pipe.execute()
        return int(added) == 0

    def request_fingerprint(self, request: Request) -> str:
        link = request.meta.get("tw_link")
        if request.meta.get("tw_role") == "article" and link is not None:
            import hashlib

            return hashlib.sha1(f"GET {canonicalize(link.url)}".encode()).hexdigest()
        return str(super().request_fingerprint(request))


def frontier_settings(redis_url: str, poll_s: float = 0.5) -> dict[str, Any]:
    """Scrapy settings of a crawl worker: the scrapy-redis scheduler on `redis_url`."""
    return {
        "SCHEDULER": "crawlers.frontier.FrontierScheduler",
        "SCHEDULER_PERSIST": True,  # a worker that stops leaves the frontier to the others
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{PREFIX}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{PREFIX}:%(spider)s:seen",
        "DUPEFILTER_CLASS": "crawlers.frontier.RunDupeFilter",
        "REDIS_URL": redis_url,
        "TW_HOST_GATE_REDIS_URL": redis_url,
        "TW_FRONTIER_POLL_S": poll_s,
        "ITEM_PIPELINES": {"crawlers.frontier.FrontierPipeline": 500},
    }


class FrontierSpider(SourceSpider):
    """A SourceSpider that never finishes: it takes seeds from Redis, sends everything through
    the shared frontier and follows the newest run it sees (known pages reloaded, the run's
    own counter and seen-set). Requests it yields carry the run id (meta tw_run)."""

    filter_articles = True

    def __init__(self, *args: Any, redis_url: str, worker_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.redis_url = redis_url
        self.worker_id = worker_id
        self.run: str | None = None
        self._loading: list[defer.Deferred[None]] | None = None
        self._poller: task.LoopingCall | None = None
        self.client: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> FrontierSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.stop_polling, signal=signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[Any]:  # seeds come from Redis
        return
        yield

    def opened(self) -> None:
        import redis

        self.client = redis.Redis.from_url(self.redis_url)
        self._poller = task.LoopingCall(self.poll)
        interval = self.crawler.settings.getfloat("TW_FRONTIER_POLL_S", 0.5)
        self._poller.start(interval, now=True).addErrback(
            lambda f: log.error("seed poller of %s stopped: %s", self.source.id, f.value))

    def stop_polling(self) -> None:
        if self._poller is not None and self._poller.running:
            self._poller.stop()

    def idle(self) -> None:
        raise DontCloseSpider  # a worker waits for the next run's seeds

    def poll(self) -> None:
        """Turn waiting seeds into listing requests, then let the engine take from the shared
        frontier now (its own heartbeat looks only every 5 s)."""
        try:
            raws = self.client.lpop(seeds_key(self.source.id), 16) or []
        except Exception as exc:  # Redis away: try again at the next poll
            log.warning("seeds of %s unreadable: %s", self.source.id, exc)
            return
        for raw in raws:
            try:
                seed = parse_seed(raw)
            except ValueError as exc:
                log.warning("skipped a seed of %s: %s", self.source.id, exc)
                continue
            self.crawler.engine.crawl(self.seed_request(seed))
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def seed_request(self, seed: Seed) -> Request:
        if isinstance(self.source.listing, TwoStepListing):
            spec = fetchplan.page_request(self.source, seed.url)
            request = self.request(spec, self.parse_two_step_page, "page")
        else:
            request = self.listing_request(seed.url, seed.page, tw_root=seed.url)
        request.meta["tw_run"] = seed.run
        return request

    # -- runs ------------------------------------------------------------------------------

    async def enter_run(self, response: Response) -> None:
        """Follow a newer run: its own counter, seen-set and the pages stored by now."""
        run = response.meta.get("tw_run")
        if run and (self.run is None or run > self.run):
            self.run = run
            self._seen = set()
            self.counter = RunCounter(self.source.id, f"{run}-{self.worker_id}",
                                      self.counter.clock, self.counter.robots_agent)
            self._loading = []
            self.known = await maybe_deferred_to_future(deferToThread(self._known_pages))
            self.counter.seen.had_history = bool(self.known)
            waiters, self._loading = self._loading, None
            for ready in waiters:
                ready.callback(None)
        elif self._loading is not None:  # the run's known pages are being read
            waiter: defer.Deferred[None] = defer.Deferred()
            self._loading.append(waiter)
            await maybe_deferred_to_future(waiter)

    def _known_pages(self) -> Mapping[str, PageState]:
        try:
            return dict(self.writer.known_pages(self.source.id))
        except Exception:  # no conditional GET this run, but the crawl goes on
            log.exception("known pages of %s unreadable", self.source.id)
            return {}

    def _tagged(self, outputs: Iterator[Any], response: Response) -> Iterator[Any]:
        run = response.meta.get("tw_run")
        for out in outputs:
            if isinstance(out, Request) and run:
                out.meta.setdefault("tw_run", run)
            yield out

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:  # type: ignore[override]
        await self.enter_run(response)
        for out in self._tagged(super().parse_listing(response), response):
            yield out

    async def parse_two_step_page(self, response: Response) -> AsyncIterator[Any]:  # type: ignore[override]
        await self.enter_run(response)
        for out in self._tagged(super().parse_two_step_page(response), response):
            yield out

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:  # type: ignore[override]
        await self.enter_run(response)
        for out in super().parse_article(response):
            yield out


class FrontierPipeline(SinkPipeline):
    """SinkPipeline for a spider that never closes: whenever the worker's frontier for the
    source runs dry, the buffered batch goes to the sink and the run's share is recorded."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._settling = False
        self._recorded: tuple[object, ...] | None = None
        crawler.signals.connect(self.idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierPipeline:
        return cls(crawler)

    def idle(self) -> None:
        if self._settling or not (self.buffer or self._changed()):
            return
        self._settling = True
        d = deferred_from_coro(self.settle())
        d.addErrback(lambda f: log.error("settling %s failed: %s", self.spider.source.id,
                                         f.value))
        d.addBoth(lambda _: setattr(self, "_settling", False))

    def _snapshot(self) -> tuple[object, ...]:
        c = self.spider.counter
        return (c.run_id, c.pages_fetched, c.articles, c.new, c.unchanged, c.duplicates,
                sum(c.errors.values()))

    def _changed(self) -> bool:
        return self.spider.counter.pages_fetched > 0 and self._snapshot() != self._recorded

    async def settle(self) -> None:
        await self.flush()
        if self._changed():
            self._recorded = self._snapshot()
            stats = self.spider.counter.stats()
            await maybe_deferred_to_future(deferToThread(self.spider.writer.record_run, stats))

    async def close_spider(self) -> None:
        """At shutdown: the batch in hand is written; a share with work in it is recorded
        (a worker that crawled nothing of a source records nothing for it)."""
        changed = self._changed()
        await self.settle()
        spider = self.spider
        if changed:
            spider.results.append(spider.counter.stats())
        spider.emit("done")


def frontier_spider_class(source: SourceConfig, settings: CrawlSettings) -> type[FrontierSpider]:
    """Per-source settings as in the one-process crawl; a worker takes from the frontier
    only as many requests as the host may have in flight (the rest stay for other workers)."""
    custom = {**source_settings(source, settings),
              "CONCURRENT_REQUESTS": max(1, source.politeness.concurrency)}
    return type(f"FrontierSpider_{source.id.replace('-', '_')}", (FrontierSpider,),
                {"name": source.id, "custom_settings": custom})


def serve(
    sources: Sequence[SourceConfig],
    sink: ArticleSink,
    redis_url: str,
    settings: CrawlSettings | None = None,
    *,
    worker_id: str | None = None,
    clock: Clock = system_clock,
    poll_s: float = 0.5,
    on_ready: Callable[[list[str]], None] | None = None,
) -> list[CrawlRunStats]:
    """Run a crawl worker over `sources` until SIGTERM/SIGINT (Scrapy stops each spider
    gracefully: batches in hand are written, run shares recorded). Blocking; once per
    process. `on_ready` gets the ids of the sources served."""
    from scrapy.crawler import CrawlerProcess

    settings = settings or CrawlSettings()
    worker_id = worker_id or uuid.uuid4().hex[:8]
    served = [s for s in sources if s.enabled and not s.request.cookie_bootstrap]
    for s in sources:
        if s.enabled and s.request.cookie_bootstrap:
            log.warning("%s: cookie bootstrap sources are not crawled by crawl workers", s.id)
    writer = SinkWriter(sink)
    results: list[CrawlRunStats] = []
    process = CrawlerProcess(settings={**scrapy_settings(settings),
                                       **frontier_settings(redis_url, poll_s),
                                       "LOG_INSTALL_ROOT_HANDLER": False})
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    for name in ("scrapy", "twisted", "protego"):
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    for source in served:
        counter = RunCounter(source.id, f"idle-{worker_id}", clock, settings.robots_agent)
        process.crawl(frontier_spider_class(source, settings), source=source, known={},
                      counter=counter, writer=writer, results=results, redis_url=redis_url,
                      worker_id=worker_id)
    if on_ready is not None:
        on_ready([s.id for s in served])
    process.start()
    return results
