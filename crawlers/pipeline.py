"""Item pipeline: buffers Articles and hands batches to the sink in a worker thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawlers.sink import SinkWriter
from crawlers.types import Article, WriteResult

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawlers.spiders import SourceSpider


class SinkPipeline:
    """Batches of TW_BATCH_SIZE articles go to `SinkWriter.write` via deferToThread; the run's
    CrawlRunStats go to `record_run` when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.batch_size = crawler.settings.getint("TW_BATCH_SIZE", 16)
        if self.batch_size < 1:
            raise NotConfigured("TW_BATCH_SIZE must be >= 1")
        self.buffer: list[Article] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SinkPipeline:
        return cls(crawler)

    @property
    def spider(self) -> SourceSpider:
        return self.crawler.spider  # type: ignore[return-value]

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            raise DropItem(f"not an Article: {type(item).__name__}")
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            await self.flush()  # back-pressure: the next item waits for this batch
        return item

    async def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        if not batch:
            return
        writer: SinkWriter = self.spider.writer
        result: WriteResult = await maybe_deferred_to_future(deferToThread(writer.write, batch))
        counter = self.spider.counter
        counter.new += result.new
        counter.unchanged += result.unchanged
        counter.duplicates += result.duplicates
        if result.errors:
            counter.errors["sink"] += result.errors

    async def close_spider(self) -> None:
        await self.flush()
        spider = self.spider
        stats = spider.counter.stats()
        await maybe_deferred_to_future(deferToThread(spider.writer.record_run, stats))
        spider.results.append(stats)
        spider.emit("done")
