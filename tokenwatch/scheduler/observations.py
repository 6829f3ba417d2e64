"""What polls found, for adaptive intervals: the crawl reports it, the scheduler keeps it.

- `ObservingSink` wraps the crawl's sink and notes, per source, the new items (pages the store
  did not know) and their publication times; `tokenwatch crawl --report FILE` writes them as
  `PollReport` JSON for the scheduler that started the crawl.
- `ObservationLog` keeps one row per successful poll in the scheduler's SQL store (beside the
  run history) and gives back a source's recent `PollObservation`s."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, delete, insert, select

from alerts.clock import Clock, utcnow
from crawlers.sink import ArticleSink
from crawlers.types import Article, CrawlRunStats, PageState, WriteResult
from tokenwatch.scheduler.adaptive import HISTORY_S, PollObservation
from tokenwatch.scheduler.store import OBSERVATIONS_T

log = logging.getLogger(__name__)


class PollReport(BaseModel):
    """One source's poll as the crawl process reports it."""

    source_id: str
    status: str
    ended_at: datetime
    new_items: int = 0
    published: list[datetime] = []


class ObservingSink:
    """An ArticleSink that passes everything on and remembers, per source, which written
    articles were new to the store (not among its known pages) and when they were published."""

    def __init__(self, inner: ArticleSink) -> None:
        self.inner = inner
        self.known: dict[str, set[str]] = {}
        self.new: dict[str, dict[str, datetime | None]] = {}
        self.runs: list[CrawlRunStats] = []

    def known_pages(self, source_id: str) -> Mapping[str, PageState]:
        pages = self.inner.known_pages(source_id)
        self.known[source_id] = set(pages)
        return pages

    def write(self, articles: Sequence[Article]) -> WriteResult:
        result = self.inner.write(articles)
        for art in articles:
            if art.canonical_url not in self.known.get(art.source_id, set()):
                self.new.setdefault(art.source_id, {})[art.canonical_url] = art.published_at
        return result

    def record_run(self, run: CrawlRunStats) -> None:
        self.runs.append(run)
        self.inner.record_run(run)

    def reports(self) -> list[PollReport]:
        out = []
        for run in self.runs:
            found = self.new.get(run.source_id, {})
            out.append(PollReport(
                source_id=run.source_id, status=run.status,
                ended_at=run.ended_at or run.started_at, new_items=len(found),
                published=sorted(p for p in found.values() if p is not None),
            ))
        return out


def write_reports(path: Path, reports: Sequence[PollReport]) -> None:
    path.write_text(json.dumps([r.model_dump(mode="json") for r in reports]), encoding="utf-8")


def read_reports(path: Path) -> list[PollReport]:
    """The reports a crawl wrote; a missing or broken file is logged and gives none."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [PollReport.model_validate(r) for r in rows]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError, ValidationError) as exc:
        log.warning("poll report %s unreadable, skipped: %s", path, exc)
        return []


def observation(report: PollReport, polled_at: datetime) -> PollObservation:
    return PollObservation(polled_at, report.new_items, tuple(report.published))


class ObservationLog:
    """Successful polls per source (the `crawl_source_observations` table), a week kept."""

    def __init__(self, engine: Engine, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def add(self, source_id: str, obs: PollObservation) -> None:
        polled = obs.polled_at.astimezone(UTC)  # SQLite compares the stored text
        oldest = polled - timedelta(seconds=HISTORY_S)
        with self.engine.begin() as conn:
            conn.execute(insert(OBSERVATIONS_T).values(
                source_id=source_id, polled_at=polled, new_items=obs.new_items,
                published=json.dumps([p.isoformat() for p in obs.published]),
            ))
            conn.execute(delete(OBSERVATIONS_T).where(OBSERVATIONS_T.c.source_id == source_id)
                         .where(OBSERVATIONS_T.c.polled_at < oldest))

    def recent(self, source_id: str, now: datetime | None = None) -> list[PollObservation]:
        """The source's polls of the last week before `now` (default: the clock), oldest
        first."""
        since = (now or self.clock()).astimezone(UTC) - timedelta(seconds=HISTORY_S)
        q = (select(OBSERVATIONS_T).where(OBSERVATIONS_T.c.source_id == source_id)
             .where(OBSERVATIONS_T.c.polled_at >= since).order_by(OBSERVATIONS_T.c.polled_at))
        with self.engine.connect() as conn:
            return [_observation(dict(r._mapping)) for r in conn.execute(q)]


def _aware(value: datetime) -> datetime:
    """SQLite drops the zone of a stored time; every stored time is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _observation(row: dict[str, object]) -> PollObservation:
    published = tuple(datetime.fromisoformat(p) for p in json.loads(str(row["published"])))
    polled = row["polled_at"]
    assert isinstance(polled, datetime)
    return PollObservation(_aware(polled), int(str(row["new_items"])), published)
