"""Token metrics: observations with their provenance, latest figures, series, price boards."""

from __future__ import annotations

from datetime import date, datetime

from graph.cypher import metrics as queries
from graph.reads.base import (
    Day,
    Figure,
    ReadModel,
    Reads,
    Record,
    Row,
    kind_of,
)
from graph.temporal import native


class SourceRef(ReadModel):
    """Where a figure was read: the article, its source and the offsets in it."""

    article_id: str | None = None
    article_url: str | None = None
    article_title: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    source_name: str | None = None
    start: int | None = None
    end: int | None = None


class Observation(Figure):
    """One reported number, as reported, with its provenance."""

    date: Day | None = None
    provenance: SourceRef

    @classmethod
    def of(cls, row: Row) -> Observation:
        """An OBSERVATIONS_* row: `obs` (the node's properties) and provenance columns."""
        obs = native(dict(row["obs"]))
        prov = {k: row.get(k) for k in SourceRef.model_fields}
        return cls.model_validate({**obs, "provenance": SourceRef.of(prov)})


class ProviderQuote(ReadModel):
    """A PRICE_COMPARISON row: the subject's latest price observation."""

    subject: str
    name: str | None = None
    kind: str | None = None
    observation: Observation

    @classmethod
    def of(cls, row: Row) -> ProviderQuote:
        return cls(subject=row["subject"], name=row["name"], kind=kind_of(row["labels"]),
                   observation=Observation.of(row))


def latest_observations(r: Reads, subject: str, kind: str | None, as_of: date | None,
                        limit: int) -> list[Observation]:
    rows = r.rows(queries.OBSERVATIONS_LATEST, subject=subject, kind=kind, as_of=as_of,
                  limit=limit)
    return [Observation.of(row) for row in rows]


def series_query(subject: str, kind: str, *, period: str | None = None,
                 side: str | None = None, currency: str | None = None,
                 since: date | None = None, until: date | None = None,
                 after: tuple[date, str] | None = None, limit: int = 100) -> tuple[str, Record]:
    lower = max(d for d in (since, after[0] if after else None, date.min) if d is not None)
    return queries.OBSERVATION_SERIES, {
        "lower": lower, "subject": subject, "kind": kind, "period": period, "side": side,
        "currency": currency, "since": since, "until": until,
        "after_date": after[0] if after else None, "after_id": after[1] if after else None,
        "limit": limit}


def observation_series(r: Reads, subject: str, kind: str, *, period: str | None = None,
                       side: str | None = None, currency: str | None = None,
                       since: date | None = None, until: date | None = None,
                       after: tuple[date, str] | None = None,
                       limit: int = 100) -> list[Observation]:
    query, params = series_query(subject, kind, period=period, side=side, currency=currency,
                                 since=since, until=until, after=after, limit=limit)
    return [Observation.of(row) for row in r.rows(query, **params)]


def recent_series(r: Reads, subject: str, kind: str, limit: int, *, until: date | None = None,
                  side: str | None = None, period: str | None = None) -> list[Observation]:
    """The subject's newest `limit` observations of a kind (on or before `until`, of `side`
    and `period`), oldest first."""
    rows = r.rows(queries.OBSERVATIONS_RECENT, subject=subject, kind=kind, limit=limit,
                  until=until, side=side, period=period)
    return [Observation.of(row) for row in rows]


def price_comparison(r: Reads, side: str | None, as_of: date | None,
                     subjects: list[str] | None, limit: int) -> list[ProviderQuote]:
    rows = r.rows(queries.PRICE_COMPARISON, side=side, as_of=as_of, subjects=subjects,
                  limit=limit)
    return [ProviderQuote.of(row) for row in rows]


class Conflict(ReadModel):
    """Reports of one figure (subject, kind, period, side, currency, day) that disagree."""

    subject_id: str
    kind: str
    date: Day
    period: str | None = None
    side: str | None = None
    currency: str | None = None
    reports: list[Observation]


def conflicts(r: Reads, subject: str, kind: str | None, since: date | None,
              until: date | None, limit: int) -> list[Conflict]:
    """The subject's disagreeing figures, newest day first (at most `limit` of them)."""
    rows = r.rows(queries.OBSERVATION_CONFLICTS, subject=subject, kind=kind, since=since,
                  until=until, limit=limit)
    found: dict[tuple[str, date], list[Observation]] = {}
    for row in rows:
        found.setdefault((row["group"], native(row["day"])), []).append(Observation.of(row))
    return [Conflict(subject_id=subject, kind=obs[0].kind, date=day, period=obs[0].period,
                     side=obs[0].side, currency=obs[0].currency, reports=obs)
            for (_, day), obs in found.items()]
