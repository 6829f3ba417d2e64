"""Token metrics: time series, latest / as-of values, price comparison across providers.

Observations are kept exactly as reported; "latest" and "as of X" are queries (the newest
observation dated on or before X). When sources disagree on the same date, all are returned,
each with its article and source."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api import cursor as cursors
from api.convert import observation
from api.deps import ReadsDep, SettingsDep
from api.errors import problems
from api.schemas import (
    Currency,
    Day,
    ObservationOut,
    Period,
    Side,
    SourceRef,
)
from graph.reads import metrics as metric_reads
from graph.reads.base import Reads
from nlp.types import MetricKind


class Series(BaseModel):
    subject: str
    kind: str
    points: list[ObservationOut]
    next_cursor: str | None = None


class Latest(BaseModel):
    subject: str
    as_of: Day | None = Field(description="null: the latest of all")
    observations: list[ObservationOut] = Field(
        description="for each (kind, period, side, currency): every observation on the latest "
        "date, from every source (disagreeing reports are all shown)")


class PriceQuote(BaseModel):
    value: float = Field(description="as reported, in `currency` per million tokens")
    currency: str
    converted: float = Field(description="in the comparison currency per million tokens")
    observation_id: str
    provenance: SourceRef


class ProviderPrice(BaseModel):
    subject: str = Field(examples=["deepseek-v3"])
    name: str | None = None
    kind: str | None = None
    side: str | None = None
    date: Day | None = None
    price: float = Field(description="lowest reported price on that date, converted")
    quotes: list[PriceQuote]


class PriceComparison(BaseModel):
    currency: Currency
    unit: str = "per 1,000,000 tokens"
    fx_usd_cny: float = Field(description="CNY per USD used for conversion (setting)")
    as_of: Day | None = None
    side: str | None = None
    providers: list[ProviderPrice]



class FigureConflict(BaseModel):
    """Reports of one figure (same subject, kind, period, side, currency and day) whose values
    disagree, each with the article and source it was read from."""

    kind: str = Field(examples=["token_volume"])
    date: Day
    period: str | None = None
    side: str | None = None
    currency: str | None = None
    reports: list[ObservationOut] = Field(description="lowest value first")


class Conflicts(BaseModel):
    subject: str
    conflicts: list[FigureConflict] = Field(description="newest day first")


router = APIRouter(tags=["metrics"], prefix="/metrics")
KIND_PATTERN = "^(" + "|".join(get_args(MetricKind)) + ")$"  # a new kind needs no edit here

Subject = Annotated[str, Query(min_length=1, max_length=200, examples=["deepseek-v3"],
                               description="entity id the figures are about")]
Since = Annotated[date | None, Query(description="observations dated on or after")]
Until = Annotated[date | None, Query(description="observations dated on or before")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Cursor = Annotated[str | None, Query(max_length=200, description="from `next_cursor`")]


def _series(reads: Reads, subject: str, kind: str, limit: int, cursor: str | None,
            **filters: Any) -> Series:
    after = cursors.decode_date(cursor) if cursor else None
    rows = metric_reads.observation_series(reads, subject, kind, after=after, limit=limit + 1,
                                     **filters)
    points = [observation(r) for r in rows[:limit]]
    nxt = None
    if len(rows) > limit:
        last = points[-1]
        nxt = cursors.encode_date(last.date, last.id)  # type: ignore[arg-type]
    return Series(subject=subject, kind=kind, points=points, next_cursor=nxt)


@router.get("/token-volume", response_model=Series, responses=problems(400, 422))
def token_volume(reads: ReadsDep, subject: Subject,
                 period: Annotated[Period | None, Query(description="tokens per …")] = None,
                 since: Since = None, until: Until = None, limit: Limit = 200,
                 cursor: Cursor = None) -> Series:
    """Token-volume time series (tokens per period) for a subject, oldest first."""
    return _series(reads, subject, "token_volume", limit, cursor, period=period, since=since,
                   until=until)


@router.get("/token-prices", response_model=Series, responses=problems(400, 422))
def token_prices(reads: ReadsDep, subject: Subject, side: Side | None = None,
                 currency: Currency | None = None, since: Since = None, until: Until = None,
                 limit: Limit = 200, cursor: Cursor = None) -> Series:
    """Token prices (currency per million tokens, as reported) for a subject, oldest first."""
    return _series(reads, subject, "token_price", limit, cursor, side=side, currency=currency,
                   since=since, until=until)


@router.get("/latest", response_model=Latest, responses=problems(422))
def latest(
    reads: ReadsDep, subject: Subject,
    kind: Annotated[str | None, Query(pattern=KIND_PATTERN,
                                      examples=["token_price"])] = None,
    as_of: Annotated[date | None, Query(description="latest on or before this date")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Latest:
    """Latest (or as-of) figures for a subject, every disagreeing report shown with its source."""
    rows = metric_reads.latest_observations(reads, subject, kind, as_of, limit)
    return Latest(subject=subject, as_of=as_of,
                  observations=[observation(r) for r in rows])


def _convert(value: float, currency: str, target: str, fx: float) -> float:
    if currency == target:
        return value
    return value * fx if (currency, target) == ("USD", "CNY") else value / fx


@router.get("/prices/compare", response_model=PriceComparison, responses=problems(422))
def compare_prices(
    reads: ReadsDep, settings: SettingsDep,
    currency: Annotated[Currency, Query(description="compare in this currency")] = "CNY",
    side: Side | None = "input",
    as_of: Annotated[date | None, Query(description="latest on or before this date")] = None,
    subject: Annotated[list[str] | None, Query(max_length=50,
                                               description="only these subjects")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="providers")] = 100,
) -> PriceComparison:
    """The latest token price of each provider/model in one currency per million tokens,
    cheapest first. USD↔CNY uses the configured rate (TOKENWATCH_API_FX_USD_CNY)."""
    rows = metric_reads.price_comparison(reads, side, as_of, subject, limit * 20)
    groups: dict[tuple[str, str], list[metric_reads.ProviderQuote]] = defaultdict(list)
    for r in rows:
        groups[(r.subject, r.observation.side or "")].append(r)
    providers = []
    for (subj, grp_side), grp in groups.items():
        quotes = [
            PriceQuote(value=o.value, currency=o.currency or "",
                       converted=round(_convert(o.value, o.currency or "", currency,
                                                settings.fx_usd_cny), 6),
                       observation_id=o.id, provenance=observation(o).provenance)
            for o in (g.observation for g in grp)
        ]
        providers.append(ProviderPrice(
            subject=subj, name=grp[0].name, kind=grp[0].kind,
            side=grp_side or None, date=grp[0].observation.date,
            price=min(q.converted for q in quotes), quotes=quotes))
    providers.sort(key=lambda p: (p.price, p.subject))
    return PriceComparison(currency=currency, fx_usd_cny=settings.fx_usd_cny, as_of=as_of,
                           side=side, providers=providers[:limit])


@router.get("/conflicts", response_model=Conflicts, responses=problems(422))
def conflicts(
    reads: ReadsDep, subject: Subject,
    kind: Annotated[str | None, Query(pattern=KIND_PATTERN,
                                      examples=["token_volume"])] = None,
    since: Since = None, until: Until = None,
    limit: Annotated[int, Query(ge=1, le=200, description="conflicts (days × figures)")] = 50,
) -> Conflicts:
    """Figures for a subject that sources report differently on the same day (a volume read
    as 16.4 trillion by one outlet and 16 trillion by another), side by side with their
    sources, newest first."""
    found = metric_reads.conflicts(reads, subject, kind, since, until, limit)
    return Conflicts(subject=subject, conflicts=[
        FigureConflict(kind=c.kind, date=c.date, period=c.period, side=c.side,
                       currency=c.currency, reports=[observation(o) for o in c.reports])
        for c in found])
