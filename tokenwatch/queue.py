"""The ingest queue between crawl workers and ingest workers: Dramatiq on the shared Redis.

Why Dramatiq (README "Scaling out"): its Redis broker acknowledges a message only after the
actor returned, keeps each worker's unacknowledged messages under a heartbeat and gives them
back to the queue when a worker stops beating (a killed worker loses nothing), retries with
exponential backoff, and moves a message that exhausted its retries to a dead-letter queue
(`tokenwatch:ingest.XQ`, kept `dead_message_ttl`); all of it synchronous, so the spaCy
pipeline and the Neo4j driver run in plain threads. arq is asyncio-only, RQ forks a process
per job (spaCy would load per article), Celery brings far more than this needs.

Delivery is at least once: a batch may be written twice, and that is safe because the graph
writer MERGEs on constrained keys (ingesting the same article twice changes nothing).

A message is one batch of articles (what a crawl worker's pipeline hands its sink). A batch
that fails is split into one message per article, so one poison article costs only itself:
it is retried on its own and then dead-lettered, while the rest are written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from neo4j import Driver
from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from crawlers.types import Article, CrawlRunStats, PageState, WriteResult
from graph import reader, writer
from tokenwatch.errors import TokenwatchError

log = logging.getLogger(__name__)

NAMESPACE: Final = "tokenwatch"
QUEUE: Final = "ingest"
ACTOR: Final = "ingest_articles"

Handler = Callable[[Sequence[Article]], object]


class QueueSettings(BaseSettings):
    """The ingest queue (env TOKENWATCH_QUEUE_*, and TOKENWATCH_REDIS_URL)."""

    model_config = SettingsConfigDict(env_prefix="TOKENWATCH_QUEUE_", extra="ignore",
                                      populate_by_name=True, env_file=".env",
                                      env_file_encoding="utf-8")

    redis_url: str | None = Field(default=None,
                                  validation_alias=AliasChoices("TOKENWATCH_REDIS_URL"))
    max_retries: int = Field(default=5, ge=0, description="attempts after the first, then "
                             "the dead-letter queue")
    min_backoff_ms: int = 1_000
    max_backoff_ms: int = 300_000
    heartbeat_timeout_ms: int = Field(
        default=60_000, ge=1_000,
        description="a worker silent this long is dead: its unacknowledged batches return "
        "to the queue")
    maintenance_chance: int = Field(
        default=1_000, ge=1, le=1_000_000,
        description="of a million broker commands, how many also look for dead workers")
    time_limit_ms: int = 600_000
    worker_threads: int = Field(default=1, ge=1, description="extraction is CPU-bound: one "
                                "thread per process, more processes per machine")


class PoisonArticle(TokenwatchError):
    """A message that can never be ingested (not an article): dead-lettered at once."""


def decode(payload: Sequence[Any]) -> list[Article]:
    """Pure: the articles of one message; PoisonArticle names the bad item."""
    articles = []
    for i, item in enumerate(payload):
        try:
            articles.append(Article.model_validate(item))
        except ValidationError as exc:
            raise PoisonArticle(f"item {i} of the message is not an article: "
                                f"{exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}") from exc
    return articles


def encode(articles: Sequence[Article]) -> list[dict[str, Any]]:
    return [a.model_dump(mode="json") for a in articles]


def should_retry(max_retries: int) -> Callable[[int, BaseException], bool]:
    def retry_when(retries: int, exc: BaseException) -> bool:
        return not isinstance(exc, PoisonArticle) and retries < max_retries

    return retry_when


@dataclass
class IngestQueue:
    """The broker and the one actor on it. Producers call `enqueue`; a worker process builds
    it with the handler that writes articles (extract + graph write) and runs `worker()`."""

    settings: QueueSettings
    handler: Handler | None = None
    broker: RedisBroker = field(init=False)
    actor: dramatiq.Actor[..., None] = field(init=False)

    def __post_init__(self) -> None:
        if not self.settings.redis_url:
            raise TokenwatchError("the ingest queue needs TOKENWATCH_REDIS_URL")
        s = self.settings
        self.broker = RedisBroker(url=s.redis_url, namespace=NAMESPACE,
                                  heartbeat_timeout=s.heartbeat_timeout_ms,
                                  maintenance_chance=s.maintenance_chance)
        self.actor = dramatiq.actor(
            broker=self.broker, actor_name=ACTOR, queue_name=QUEUE,
            retry_when=should_retry(s.max_retries), min_backoff=s.min_backoff_ms,
            max_backoff=s.max_backoff_ms, time_limit=s.time_limit_ms)(self._consume)

    def enqueue(self, articles: Sequence[Article]) -> None:
        if articles:
            self.actor.send(encode(articles))

    def _consume(self, payload: list[Any]) -> None:
        articles = decode(payload)
        if self.handler is None:
            raise TokenwatchError("this process only enqueues: no ingest handler")
        if len(articles) == 1:
            self.handler(articles)  # raising: retried, then dead-lettered
            return
        try:
            self.handler(articles)
        except Exception:
            log.exception("batch of %d articles failed: re-queued one message per article",
                          len(articles))
            for article in articles:
                self.actor.send(encode([article]))

    def worker(self) -> dramatiq.Worker:
        return dramatiq.Worker(self.broker, queues={QUEUE},
                               worker_threads=self.settings.worker_threads)

    def dead_letters(self) -> int:
        """How many messages wait in the dead-letter queue."""
        count: int = self.broker.client.zcard(f"{NAMESPACE}:{QUEUE}.XQ")
        return count

    def pending(self) -> int:
        """Messages queued and not yet taken by a worker."""
        count: int = self.broker.client.llen(f"{NAMESPACE}:{QUEUE}")
        return count

    def close(self) -> None:
        self.broker.close()


@dataclass
class QueueSink:
    """The crawl workers' ArticleSink (crawlers/sink.py): what is known comes from the graph,
    parsed articles go on the queue, crawl runs are written directly. `new` counts articles
    queued: extraction and the write happen in an ingest worker."""

    queue: IngestQueue
    driver: Driver
    database: str | None = None

    def known_pages(self, source_id: str) -> Mapping[str, PageState]:
        return {
            r["url"]: PageState(etag=r["etag"], last_modified=r["last_modified"],
                                content_hash=r["content_hash"])
            for r in reader.known_pages(self.driver, source_id, self.database)
        }

    def write(self, articles: Sequence[Article]) -> WriteResult:
        self.queue.enqueue(articles)
        return WriteResult(new=len(articles))

    def record_run(self, run: CrawlRunStats) -> None:
        writer.write_crawl_run(self.driver, run, self.database)
