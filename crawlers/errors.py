"""One exception root for the crawl package; caught at the edges and turned into a logged skip."""

from __future__ import annotations


class CrawlError(Exception):
    """Root of every error raised by the crawlers package."""


class RegistryError(CrawlError):
    """A source registry entry (or the file) is invalid. Names the entry id and the file."""

    def __init__(self, message: str, *, source_id: str | None = None, path: str | None = None):
        where = f"{path}: " if path else ""
        who = f"source {source_id!r}: " if source_id else ""
        super().__init__(f"{where}{who}{message}")
        self.source_id = source_id
        self.path = path


class PageError(CrawlError):
    """A page cannot be used. `kind` is the error bucket counted in CrawlRunStats.errors."""

    def __init__(self, kind: str, reason: str):
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason
