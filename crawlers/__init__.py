"""Crawling: the source registry, Scrapy spiders and the hand-off to an ArticleSink.

Public API (import from the submodules; nothing heavy is imported here):
    crawlers.registry  SourceConfig, load_sources(path=None, base_url=None), select(sources, ids)
    crawlers.runner    CrawlSettings, crawl(sources, sink, settings=None, progress=None)
    crawlers.sink      ArticleSink (protocol), MemorySink, JsonlSink
    crawlers.types     Article, PolicyFields, PageState, WriteResult, CrawlRunStats, CrawlProgress
    crawlers.dedupe    simhash64(text), hamming(a, b), NEAR_DUPLICATE_DISTANCE, SimhashIndex
    crawlers.urls      canonicalize(url), article_id(url)
    crawlers.articles  parse_page(source, url, body, content_type, ...) -> Article (pure)
    crawlers.display   CrawlDisplay (rich progress callback), summary_table(runs)
    crawlers.health    failing_streak(runs), is_unhealthy(runs, after=3), run_health(obs, agent)
    crawlers.check     check_source(source, fetch) -> SourceCheck (`tokenwatch sources check`)
    crawlers.errors    CrawlError, RegistryError, PageError
`python -m crawlers --help` crawls a registry into a JSONL file without ingesting.
"""

__version__ = "0.1"
