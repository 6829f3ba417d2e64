"""Freshness benchmark: a loopback site publishes at random times over a simulated day; the
real crawl path polls it under (a) today's fixed schedule, (b) a fixed interval matched to
the adaptive poll count and (c) adaptive intervals; publication → stored and publication →
webhook latency (p50, p90, simulated minutes), polls and HTTP requests, side by side.

    .venv/bin/python bench/freshness.py [--seed 7] [--fixed-minutes 60]

Time is an input. The site, the spiders (`RunCounter` clock: `fetched_at`, relative dates),
the listing validators' age and the adaptive intervals all read one simulated clock, which
jumps from poll to poll; a poll itself takes its real duration (counted 1:1 in simulated
time), so extraction, the Neo4j write and the webhook delivery cost what they cost.

What runs for real: the registry entries, `crawlers.runner.spider_class` spiders with every
middleware (robots.txt, listing conditional GETs, per-host gate), the sink pipeline, the
`GraphSink` (spaCy extraction, the Neo4j batch write) wrapped in the scheduler's
`ObservingSink`, the alert evaluator on each batch, the outbox and the `DeliveryWorker`
POSTing signed webhooks to a loopback receiver. The adaptive intervals come from
`tokenwatch.scheduler.adaptive.next_interval` over the same observations the scheduler keeps.
What does not: APScheduler and the crawl subprocess (the day would take hours of process
starts); polls run in one process with Scrapy's CrawlerRunner on one reactor, in simulated
time order. Publication → webhook is publication → stored plus the real delay from the
article's write to its webhook's arrival, measured per article.

Uses NEO4J_URI when set, else an embedded Neo4j in a temporary directory."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import heapq
import json
import math
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from alerts.clock import ManualClock  # noqa: E402

CST = timezone(timedelta(hours=8))
DAY_START = datetime(2025, 7, 1, tzinfo=CST)  # 00:00 in Beijing
DAY = timedelta(days=1)
TAIL = timedelta(hours=3)  # polls go on after the day so that its last items get stored
KEEP = 20  # items a listing shows
# items per hour by the hour of the day (CST): quiet nights, busy working hours
FEED_PROFILE = [0.3] * 7 + [2, 4] + [6, 6, 6] + [3, 3] + [6, 6, 6, 6] + [3, 3, 3, 3] + [1, 1]
LIST_SCALE = 0.25  # the list source (a policy site) publishes a quarter as much
BURSTS = 2  # press conferences: 6 items within 20 minutes


@dataclass(frozen=True)
class Item:
    n: int
    published: datetime

    def title(self) -> str:
        return f"深度求索调价快讯第{self.n}号"

    def text(self) -> str:
        cut = 50 + self.n % 45
        return (
            f"<p>{self.published:%m月%d日}，深度求索宣布DeepSeek-V3 API价格下调{cut}%，"
            f"输入价格降至每百万tokens 0.{self.n % 9 + 1}元。这是本站第{self.n}篇报道。</p>"
            "<p>业内人士认为，随着模型价格下降和智能体应用普及，Token消耗量仍将保持高速增长，"
            "阿里云、火山引擎等厂商的大模型服务调用量持续攀升。</p>"
            "<p>分析师表示，价格调整对云厂商的毛利率影响有限，但将加速中小企业的应用落地。</p>"
        )


def publications(rng: random.Random, scale: float) -> list[datetime]:
    """A non-homogeneous Poisson process over the day and its tail (thinning), plus bursts."""
    peak = max(FEED_PROFILE) * scale
    out, t = [], DAY_START
    while t < DAY_START + DAY + TAIL:
        t += timedelta(hours=rng.expovariate(peak))
        hour = int((t - DAY_START).total_seconds() // 3600) % 24
        if rng.random() < FEED_PROFILE[hour] * scale / peak:
            out.append(t)
    for _ in range(max(1, round(BURSTS * scale))):
        at = DAY_START + timedelta(hours=rng.uniform(8, 20))
        out += [at + timedelta(minutes=rng.uniform(0, 20)) for _ in range(6)]
    return sorted(out)


def backlog(scale: float) -> list[datetime]:
    """What the listing already shows when the day starts: yesterday's items."""
    gap = timedelta(hours=1 / max(scale, 0.1))
    return [DAY_START - gap * (i + 1) for i in range(KEEP)][::-1]


# --- the loopback site ------------------------------------------------------------------


class Site:
    """Serves /<strategy>/<kind>/ listings (RSS feed or HTML list) and article pages as of the
    simulated clock, with ETag / Last-Modified and 304s; logs every request."""

    def __init__(self, clock: ManualClock, items: dict[str, list[Item]]) -> None:
        self.clock = clock
        self.items = items  # kind -> items (the same for every strategy)
        self.requests: list[tuple[str, str, int]] = []  # (strategy, path, status)
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def date_time_string(self, timestamp: float | None = None) -> str:
                return format_datetime(site.clock().astimezone(UTC), usegmt=True)

            def do_GET(self) -> None:
                status, headers, body = site.answer(self.path, self.headers)
                with site.lock:
                    site.requests.append((self.path.split("/")[1], self.path, status))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def visible(self, kind: str) -> list[Item]:
        now = self.clock()
        return [i for i in self.items[kind] if i.published <= now][-KEEP:][::-1]

    def answer(self, path: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        parts = path.strip("/").split("/")
        if len(parts) < 3:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        strategy, kind, leaf = parts[0], parts[1], parts[2]
        prefix = f"{self.base}/{strategy}/{kind}"
        if leaf in ("feed.xml", "list.html"):
            shown = self.visible(kind)
            body = (self.feed(shown, prefix) if leaf == "feed.xml" else self.listing(shown, prefix))
            ctype = "application/rss+xml" if leaf == "feed.xml" else "text/html; charset=utf-8"
            modified = shown[0].published if shown else DAY_START
        elif leaf.endswith(".html") and leaf[:-5].isdigit():
            n = int(leaf[:-5])
            item = next((i for i in self.items[kind] if i.n == n), None)
            if item is None or item.published > self.clock():
                return 404, {"Content-Type": "text/plain"}, b"not found"
            body, ctype, modified = self.article(item), "text/html; charset=utf-8", item.published
        else:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        validators = {"ETag": etag, "Last-Modified": format_datetime(modified.astimezone(UTC),
                                                                     usegmt=True)}
        if headers.get("If-None-Match") == etag:
            return 304, validators, b""
        return 200, {"Content-Type": ctype, **validators}, body

    @staticmethod
    def feed(shown: Sequence[Item], prefix: str) -> bytes:
        entries = "".join(
            f"<item><title>{escape(i.title())}</title><link>{prefix}/{i.n}.html</link>"
            f"<pubDate>{format_datetime(i.published.astimezone(UTC), usegmt=True)}</pubDate>"
            f"<guid>{prefix}/{i.n}.html</guid></item>"
            for i in shown
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>快讯</title><link>{prefix}/</link><description>b</description>"
            f"{entries}</channel></rss>"
        ).encode()

    @staticmethod
    def listing(shown: Sequence[Item], prefix: str) -> bytes:
        rows = "".join(
            f'<li><a href="{prefix}/{i.n}.html">{escape(i.title())}</a>'
            f"<span>{i.published:%Y-%m-%d %H:%M}</span></li>"
            for i in shown
        )
        return (f'<html><head><meta charset="utf-8"><title>政策</title></head><body>'
                f'<ul class="news_list">{rows}</ul></body></html>').encode()

    @staticmethod
    def article(item: Item) -> bytes:
        return (
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(item.title())}_快讯网</title>"
            f'<meta name="PubDate" content="{item.published:%Y-%m-%d %H:%M:%S}"></head><body>'
            '<div class="nav"><a href="/">首页</a></div><div class="main">'
            f'<h1 class="title">{escape(item.title())}</h1>'
            f'<div class="info">发布时间：{item.published:%Y-%m-%d %H:%M:%S}　来源：快讯网</div>'
            f'<div class="content">{item.text()}</div></div>'
            '<div class="footer">版权所有 快讯网</div></body></html>'
        ).encode()


def registry(base: str, strategy: str) -> list[Any]:
    from crawlers.registry import DEFAULT_PATH, parse_sources, read_yaml

    schedule = read_yaml(DEFAULT_PATH)["defaults"]["schedule"]  # what deployments get
    data = {
        "defaults": {"politeness": {"download_delay": 0, "concurrency": 4},
                     "schedule": schedule},
        "sources": [
            {"id": f"{strategy}-feed", "name": "快讯 RSS", "kind": "industry", "lang": "zh",
             "url": f"{{base}}/{strategy}/feed/",
             "listing": {"type": "feed", "feed_urls": [f"{{base}}/{strategy}/feed/feed.xml"]}},
            {"id": f"{strategy}-list", "name": "政策 列表", "kind": "policy", "lang": "zh",
             "url": f"{{base}}/{strategy}/list/",
             "listing": {"type": "list", "urls": [f"{{base}}/{strategy}/list/list.html"],
                         "link_selector": "ul.news_list li a", "max_pages": 1}},
        ],
    }
    return parse_sources(data, "<bench>", base_url=base)


# --- the webhook receiver ---------------------------------------------------------------


class Receiver:
    """Records, per article URL in the evidence, when its first webhook arrived (perf_counter)."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                at = time.perf_counter()
                data = json.loads(body)["data"]
                with receiver.lock:
                    for ev in data.get("evidence", []):
                        receiver.arrived.setdefault(ev["url"], at)
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# --- strategies -------------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    polls: int = 0  # polls that started within the day
    requests: int = 0  # HTTP requests to the site within the day (robots.txt excluded)
    not_modified: int = 0
    stored: list[float] = field(default_factory=list)  # minutes, items published in the day
    webhook: list[float] = field(default_factory=list)
    missing: int = 0
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # pub → stored, per source
    delivery: list[float] = field(default_factory=list)  # stored → webhook, real seconds
    polls_by_source: dict[str, int] = field(default_factory=dict)


Policy = Callable[[str, Sequence[Any], datetime], float]  # (source, observations, now) -> s


@dataclass
class Clocked:
    """Maps real time during a poll to simulated time: poll start + real elapsed."""

    sim_start: datetime
    real_start: float

    def at(self, real: float) -> datetime:
        return self.sim_start + timedelta(seconds=real - self.real_start)

    def now(self) -> datetime:
        return self.at(time.perf_counter())


def run_strategy(name: str, policy: Policy, ctx: Context, validators: bool) -> Outcome:
    from twisted.internet import defer, threads

    from crawlers.runner import CrawlSettings, scrapy_settings, spider_class
    from crawlers.sink import SinkWriter
    from crawlers.spiders import RunCounter
    from tokenwatch.scheduler.adaptive import PollObservation
    from tokenwatch.scheduler.observations import ObservingSink

    sources = registry(ctx.site.base, name)
    settings = CrawlSettings(delay_scale=0.0, autothrottle=False, log_level="ERROR",
                             listing_cache_dir=ctx.tmp / name if validators else None)
    clock = ctx.clock
    stored_real: dict[str, tuple[Clocked, float]] = {}
    current: list[Clocked] = []

    def on_batch(items: Sequence[tuple[Any, Any]]) -> None:
        now = time.perf_counter()
        for article, _ in items:
            stored_real.setdefault(article.url, (current[-1], now))

    from scrapy.crawler import CrawlerRunner

    runner = CrawlerRunner(
        settings={**scrapy_settings(settings), "LOG_INSTALL_ROOT_HANDLER": False})
    outcome = Outcome(name)
    history: dict[str, list[PollObservation]] = {s.id: [] for s in sources}
    queue = [(DAY_START, s.id) for s in sources]
    by_id = {s.id: s for s in sources}
    first_request = len(ctx.site.requests)

    @defer.inlineCallbacks
    def day() -> Generator[Any, Any, None]:
        while queue:
            at, sid = heapq.heappop(queue)
            if at >= DAY_START + DAY + TAIL:
                continue
            clock.set(at)
            source = by_id[sid]
            sink = ObservingSink(ctx.graph_sink(on_batch))
            known: dict[str, Any] = dict((yield threads.deferToThread(sink.known_pages, sid)))
            current.append(Clocked(at, time.perf_counter()))
            counter = RunCounter(sid, f"{name}-{outcome.polls}", current[-1].now, "TokenwatchBot")
            results: list[Any] = []
            yield runner.crawl(spider_class(source, settings), source=source, known=known,
                               counter=counter, writer=SinkWriter(sink), results=results)
            ended = current[-1].at(time.perf_counter())
            report = next(iter(sink.reports()), None)
            if at < DAY_START + DAY:
                outcome.polls += 1
                outcome.polls_by_source[sid] = outcome.polls_by_source.get(sid, 0) + 1
                outcome.requests = sum(1 for r in ctx.site.requests[first_request:]
                                       if r[0] == name and not r[1].endswith("robots.txt"))
            if report is not None and report.status != "failed":
                history[sid].append(PollObservation(ended, report.new_items,
                                                    tuple(report.published)))
            wait = policy(sid, history[sid], ended)
            heapq.heappush(queue, (max(ended, at + timedelta(seconds=wait)), sid))

    ctx.react(day)
    ctx.drain_webhooks(len(stored_real))
    outcome.not_modified = sum(1 for r in ctx.site.requests[first_request:]
                               if r[0] == name and r[2] == 304)
    for kind in ("feed", "list"):
        prefix = f"{ctx.site.base}/{name}/{kind}/"
        for item in ctx.items[kind]:
            if not DAY_START <= item.published < DAY_START + DAY:
                continue
            got = stored_real.get(f"{prefix}{item.n}.html")
            if got is None:
                outcome.missing += 1
                continue
            poll, real = got
            stored_at = poll.at(real)
            minutes = (stored_at - item.published).total_seconds() / 60
            outcome.stored.append(minutes)
            outcome.by_kind.setdefault(kind, []).append(minutes)
            arrived = ctx.receiver.arrived.get(f"{prefix}{item.n}.html")
            if arrived is not None:
                outcome.webhook.append((poll.at(arrived) - item.published).total_seconds() / 60)
                outcome.delivery.append(arrived - real)
    return outcome


# --- the shared context ---------------------------------------------------------------


@dataclass
class Context:
    clock: ManualClock
    site: Site
    receiver: Receiver
    items: dict[str, list[Item]]
    tmp: Path
    graph_sink: Callable[[Callable[..., None]], Any]
    react: Callable[[Callable[[], Any]], None]
    drain_webhooks: Callable[[int], None]


@contextlib.contextmanager
def environment(items: dict[str, list[Item]]) -> Iterator[Context]:
    """Neo4j (schema, a price-cut rule, a webhook), the delivery worker, the site, the receiver
    and a Twisted reactor in a thread that runs one simulated day at a time."""
    from twisted.internet import threads

    from alerts.delivery import DeliveryWorker
    from alerts.evaluate import AlertEvaluator
    from alerts.settings import AlertSettings
    from alerts.signing import new_secret
    from graph import db, outbox
    from graph.access import Graph
    from graph.kb import write_kb
    from nlp import Extractor
    from nlp.kb import load_kb
    from tokenwatch.ingest import GraphSink
    from tokenwatch.workflow import source_rows

    reactor = _reactor()
    clock = ManualClock(DAY_START)
    alert_settings = AlertSettings(allow_list=["127.0.0.1/32"], poll_interval_s=1.0)
    with tempfile.TemporaryDirectory() as tmp, neo4j(Path(tmp)) as (neo, uri):
        driver = db.open_driver(neo, uri)
        database = neo.database
        db.wait_until_reachable(driver)
        db.apply_schema(driver, database)
        write_kb(Graph(driver, database, None), load_kb())
        outbox.apply_alert_schema(driver, database)
        site, receiver = Site(clock, items), Receiver()
        from crawlers.registry import SourceConfig
        from graph import writer

        all_sources: list[SourceConfig] = [
            s for name in ("today", "matched", "adaptive") for s in registry(site.base, name)]
        writer.write_sources(driver, source_rows(all_sources), database)
        graph = Graph(driver, database, None)
        created = datetime.now(UTC)
        outbox.save_webhook(graph, {"id": "whk_bench", "owner": "bench", "url": receiver.url,
                                    "format": "generic", "secret": new_secret(),
                                    "enabled": True, "created_at": created})
        spec = {"type": "metric", "condition": "price_cut", "threshold": 0.3,
                "subjects": ["deepseek-v3"], "kind": None, "period": None, "currency": None,
                "direction": "any"}
        outbox.save_rule(graph, {"id": "rul_bench", "owner": "bench", "name": "price cuts",
                                 "type": "metric", "severity": "critical", "cooldown_s": 0.0,
                                 "enabled": True, "webhook_ids": [], "spec": json.dumps(spec),
                                 "created_at": created})
        worker = DeliveryWorker(driver, alert_settings, database).start()
        evaluator = AlertEvaluator(driver, alert_settings, database, listeners=[worker.wake])
        extractor = Extractor.get()

        def graph_sink(stored: Callable[..., None]) -> GraphSink:
            return GraphSink(driver, extractor, database, on_batch=[stored, evaluator.on_batch])

        def react(day: Callable[[], Any]) -> None:
            threads.blockingCallFromThread(reactor, day)

        def drain(expected: int, timeout: float = 30.0) -> None:
            deadline = time.monotonic() + timeout
            while len(receiver.arrived) < expected and time.monotonic() < deadline:
                time.sleep(0.05)

        try:
            yield Context(clock, site, receiver, items, Path(tmp), graph_sink, react, drain)
        finally:
            worker.stop(5)
            reactor.callFromThread(reactor.stop)
            site.server.shutdown()
            receiver.server.shutdown()
            driver.close()


@contextlib.contextmanager
def neo4j(home: Path) -> Iterator[tuple[Any, str]]:
    from graph.embedded import embedded_neo4j, free_port
    from graph.settings import Neo4jSettings

    base = Neo4jSettings()
    if base.uri:
        yield base, base.uri
        return
    settings = base.model_copy(update={"home": home / "neo4j", "heap_mb": 1024})
    with embedded_neo4j(settings, port=free_port()) as uri:
        yield settings.model_copy(update={"uri": uri}), uri


def _reactor() -> Any:
    """Scrapy's asyncio reactor, running in a thread: CrawlerRunner crawls are submitted to it
    one simulated day at a time (a reactor cannot be restarted)."""
    from scrapy.utils.reactor import install_reactor

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import reactor

    run: Callable[..., None] = getattr(reactor, "run")  # noqa: B009 (typed as a module)
    threading.Thread(target=run, kwargs={"installSignalHandlers": False}, daemon=True).start()
    return reactor


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--fixed-minutes", type=float, default=60.0,
                    help="today's fixed schedule (sources.yaml default: 60)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n = iter(range(1, 10**6))
    items = {
        "feed": [Item(next(n), t) for t in backlog(1.0) + publications(rng, 1.0)],
        "list": [Item(next(n), t) for t in backlog(LIST_SCALE) + publications(rng, LIST_SCALE)],
    }
    with environment(items) as ctx:
        from tokenwatch.scheduler.adaptive import next_interval
        from tokenwatch.scheduler.jobs import adaptive_bounds

        # the registry's bounds (sources.yaml defaults: 5 min .. 6 h, a poll worth 2 minutes)
        bounds = {s.id: adaptive_bounds(s) for s in registry(ctx.site.base, "adaptive")}
        fixed_s = args.fixed_minutes * 60
        t0 = time.perf_counter()
        today = run_strategy("today", lambda s, o, now: fixed_s, ctx, validators=False)

        def adapt(source_id: str, observations: Sequence[Any], now: datetime) -> float:
            limits = bounds[source_id]
            assert limits is not None
            return next_interval(observations, limits, now)

        adaptive = run_strategy("adaptive", adapt, ctx, validators=True)
        matched = {sid.split("-", 1)[1]: 86400.0 / count
                   for sid, count in adaptive.polls_by_source.items()}
        same = run_strategy("matched", lambda s, o, now: matched[s.split("-", 1)[1]], ctx,
                            validators=True)
        wall = time.perf_counter() - t0
    report([today, same, adaptive], items, args, wall)


def _p50_90(values: Sequence[float]) -> str:
    return f"{pct(values, 50):.1f} / {pct(values, 90):.1f}"


def report(outcomes: Sequence[Outcome], items: dict[str, list[Item]], args: Any,
           wall: float) -> None:
    day_items = sum(1 for k in items.values() for i in k if DAY_START <= i.published <
                    DAY_START + DAY)
    print(f"simulated day: {day_items} items published (feed "
          f"{sum(1 for i in items['feed'] if DAY_START <= i.published < DAY_START + DAY)}, "
          f"list {sum(1 for i in items['list'] if DAY_START <= i.published < DAY_START + DAY)})"
          f", seed {args.seed}; real time {wall:.0f} s")
    labels = {"today": f"fixed {args.fixed_minutes:g} min (today)",
              "matched": "fixed, same polls", "adaptive": "adaptive"}
    print(f"{'':34}" + "".join(f"{labels[o.name]:>24}" for o in outcomes))
    rows: list[tuple[str, Callable[[Outcome], str]]] = [
        ("polls per day (feed + list)",
         lambda o: f"{o.polls} ({'+'.join(str(v) for v in o.polls_by_source.values())})"),
        ("HTTP requests per day", lambda o: str(o.requests)),
        ("  of which 304 Not Modified", lambda o: str(o.not_modified)),
        ("pub → stored p50 (sim min)", lambda o: f"{pct(o.stored, 50):.1f}"),
        ("pub → stored p90 (sim min)", lambda o: f"{pct(o.stored, 90):.1f}"),
        ("  feed source p50 / p90", lambda o: _p50_90(o.by_kind.get("feed", []))),
        ("  list source p50 / p90", lambda o: _p50_90(o.by_kind.get("list", []))),
        ("pub → webhook p50 (sim min)", lambda o: f"{pct(o.webhook, 50):.1f}"),
        ("pub → webhook p90 (sim min)", lambda o: f"{pct(o.webhook, 90):.1f}"),
        ("  stored → webhook p50 / p90 (s)",
         lambda o: f"{pct(o.delivery, 50):.2f} / {pct(o.delivery, 90):.2f}"),
        ("items stored / webhooks / missing",
         lambda o: f"{len(o.stored)} / {len(o.webhook)} / {o.missing}"),
    ]
    for label, cell in rows:
        print(f"{label:34}" + "".join(f"{cell(o):>24}" for o in outcomes))
    base = outcomes[0]
    for o in outcomes[1:]:
        print(f"{labels[o.name]}: p50 stored {pct(o.stored, 50) / pct(base.stored, 50):.2f}x "
              f"of today's, requests {o.requests / max(base.requests, 1):.2f}x")


if __name__ == "__main__":
    main()
