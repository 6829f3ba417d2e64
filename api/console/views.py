"""Pure builders from the graph's read models to what the pages show: chart data (embedded as
JSON and drawn by static/console.js), tables (also the downloads) and the article's highlight
layout. No I/O here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from alerts.figures import NATIONAL_NAMES
from api.console.i18n import percent, price
from api.console.tables import Table
from graph import read_models as m
from graph.console_reads import Correction, RiskWeek
from graph.outbox_models import StoredAlert

PER_DAY = {"minute": 1440.0, "day": 1.0, "week": 1 / 7, "month": 1 / 30, "year": 1 / 365}
SIDES = ("input", "output", "cached_input")
RISK_CATEGORIES = ("policy_regulatory", "technology_shortfall", "adoption_shortfall",
                   "market_sentiment")


def per_day(value: float, period: str | None) -> float | None:
    """Tokens per day from tokens per `period` (None when the period is unknown)."""
    factor = PER_DAY.get(period or "")
    return value * factor if factor is not None else None


def convert(value: float, currency: str | None, to: str, usd_cny: float) -> float | None:
    if currency == to:
        return value
    if currency == "USD" and to == "CNY":
        return value * usd_cny
    if currency == "CNY" and to == "USD":
        return value / usd_cny
    return None


# --- Today --------------------------------------------------------------------------------------


def volume_points(series: Sequence[m.Observation]) -> list[dict[str, Any]]:
    """Chart points of a volume series: each with its quote and article."""
    return [{"date": o.date.isoformat() if o.date else None, "value": o.value,
             "period": o.period, "quote": o.quote, "article_id": o.provenance.article_id,
             "article_title": o.provenance.article_title,
             "source": o.provenance.source_name or o.provenance.source_id}
            for o in series if o.date is not None]


def series_table(name: str, series: Sequence[m.Observation]) -> Table:
    cols = ("date", "kind", "value", "period", "currency", "side", "subject", "quote",
            "article_id", "article_url", "source")
    return Table(name, cols, [
        (o.date, o.kind, o.value, o.period, o.currency, o.side, o.subject_id, o.quote,
         o.provenance.article_id, o.provenance.article_url,
         o.provenance.source_name or o.provenance.source_id) for o in series])


def leaderboard(quotes: Sequence[m.ProviderQuote]) -> Table:
    """Models by their latest reported daily volume, largest first."""
    rows = []
    for q in quotes:
        o = q.observation
        rows.append((q.subject, q.name or q.subject, per_day(o.value, o.period), o.value,
                     o.period, o.date, o.quote, o.provenance.article_id))
    rows.sort(key=lambda r: -(r[2] if isinstance(r[2], float) else -1.0))
    return Table("model-volumes", ("subject", "name", "tokens_per_day", "value", "period",
                                   "as_of", "quote", "article_id"), rows)


@dataclass
class PriceRow:
    subject: str
    name: str
    kind: str | None
    prices: dict[str, m.Observation] = field(default_factory=dict)  # by side
    converted: dict[str, float | None] = field(default_factory=dict)
    change: m.Observation | None = None


def price_board(quotes: Iterable[m.ProviderQuote], changes: Mapping[str, m.Observation],
                to: str, usd_cny: float) -> list[PriceRow]:
    rows: dict[str, PriceRow] = {}
    for q in quotes:
        row = rows.setdefault(q.subject, PriceRow(q.subject, q.name or q.subject, q.kind))
        side = q.observation.side or "input"
        if side in SIDES and side not in row.prices:
            row.prices[side] = q.observation
            row.converted[side] = convert(q.observation.value, q.observation.currency, to,
                                          usd_cny)
    for subject, row in rows.items():
        row.change = changes.get(subject)
    return sorted(rows.values(), key=lambda r: r.name)


def price_table(board: Sequence[PriceRow], currency: str) -> Table:
    cols = ("subject", "name", "kind", *(f"{s}_{currency}" for s in SIDES),
            *(f"{s}_as_reported" for s in SIDES), "as_of", "last_change", "last_change_date",
            "article_id")
    rows = []
    for r in board:
        first = next(iter(r.prices.values()), None)
        rows.append((
            r.subject, r.name, r.kind, *(r.converted.get(s) for s in SIDES),
            *((price(r.prices[s].value, r.prices[s].currency) if s in r.prices else None)
              for s in SIDES),
            first.date if first else None,
            percent(r.change.value) if r.change else None,
            r.change.date if r.change else None,
            first.provenance.article_id if first else None))
    return Table("prices", cols, rows)


def policies_by_issuer(policies: Sequence[m.PolicySummary]) -> list[tuple[str, list[
        m.PolicySummary]]]:
    groups: dict[str, list[m.PolicySummary]] = defaultdict(list)
    for p in policies:
        groups[p.issuer_name or p.issuer_id or "—"].append(p)
    return sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))


def policy_table(policies: Sequence[m.PolicySummary]) -> Table:
    return Table("policies", ("id", "title", "doc_number", "issuer", "issued_at", "status"), [
        (p.id, p.title or p.name, p.doc_number, p.issuer_name or p.issuer_id, p.issued_at,
         p.status) for p in policies])


def week_starts(until: date, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` weeks up to `until`, oldest first."""
    last = until - timedelta(days=until.weekday())
    return [last - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]


def heat_strip(weeks: Sequence[RiskWeek], starts: Sequence[date]) -> dict[str, Any]:
    index = {d: i for i, d in enumerate(starts)}
    cells = [[index[w.week], RISK_CATEGORIES.index(w.category), w.signals] for w in weeks
             if w.week in index and w.category in RISK_CATEGORIES]
    return {"weeks": [d.isoformat() for d in starts], "categories": list(RISK_CATEGORIES),
            "cells": cells, "max": max((c[2] for c in cells), default=0)}


def risk_week_table(weeks: Sequence[RiskWeek]) -> Table:
    return Table("risk-weeks", ("week", "category", "signals"),
                 [(w.week, w.category, w.signals) for w in weeks])


@dataclass(frozen=True)
class AlertView:
    id: str
    title: str
    summary: str
    severity: str
    status: str
    rule_type: str
    dedupe_key: str
    occurrences: int
    created_at: Any
    last_seen_at: Any
    evidence: list[dict[str, Any]]


def alert_view(a: StoredAlert) -> AlertView:
    return AlertView(id=a.id, title=a.title, summary=a.summary, severity=a.severity,
                     status=a.status, rule_type=a.rule_type, dedupe_key=a.dedupe_key,
                     occurrences=a.occurrences, created_at=a.created_at,
                     last_seen_at=a.last_seen_at,
                     evidence=[e.model_dump() for e in a.evidence])


def alert_table(alerts: Sequence[AlertView]) -> Table:
    return Table("alerts", ("id", "severity", "status", "title", "rule_type", "dedupe_key",
                            "occurrences", "created_at"), [
        (a.id, a.severity, a.status, a.title, a.rule_type, a.dedupe_key, a.occurrences,
         a.created_at) for a in alerts])


def subject_name(subject: str | None, names: Mapping[str, str]) -> str:
    if not subject:
        return ""
    return names.get(subject) or NATIONAL_NAMES.get(subject) or subject


# --- Entity -------------------------------------------------------------------------------------


def graph_data(center: m.Entity | None, center_id: str,
               hood: m.Neighbourhood) -> dict[str, Any]:
    """ECharts graph series data: nodes (the centre first) and edges of one neighbourhood."""
    nodes = [{"id": center_id, "name": (center.name if center else None) or center_id,
              "label": center.kind if center else "entity", "expandable": True}]
    nodes += [{"id": n.id, "name": n.name or n.id, "label": n.label,
               "expandable": n.label in ("Company", "Agency", "Model", "Policy")}
              for n in hood.nodes]
    edges = [{"source": n.from_id if n.direction == "out" else n.id,
              "target": n.id if n.direction == "out" else n.from_id, "type": n.type}
             for n in hood.nodes]
    return {"nodes": nodes, "edges": edges, "truncated": hood.truncated}


def mentions_table(months: Sequence[m.MonthCount]) -> Table:
    return Table("mentions", ("month", "mentions", "articles"),
                 [(x.month, x.mentions, x.articles) for x in months])


def articles_table(articles: Sequence[m.MentioningArticle]) -> Table:
    return Table("articles", ("id", "title", "published_at", "source", "url", "sentence"), [
        (a.id, a.title, a.published_at, a.source_name or a.source_id, a.url, a.sentence)
        for a in articles])


def risks_table(risks: Sequence[m.Risk]) -> Table:
    return Table("risks", ("id", "category", "score", "quote", "article_id", "published_at"), [
        (r.id, r.category, r.score, r.quote, r.article_id, r.published_at) for r in risks])


# --- Article: highlights ------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # company|agency|model|policy|metric|risk
    label: str  # what it normalises to, shown on hover
    ref: str | None = None  # entity / observation / risk id
    subtype: str | None = None  # metric kind or risk category


@dataclass(frozen=True)
class Piece:
    """One step of the highlighted text: open a span, some text, or close the last span."""

    op: str  # "open" | "text" | "close"
    text: str = ""
    span: Span | None = None


def article_spans(detail: m.ArticleDetail, length: int) -> list[Span]:
    """Every extracted item's span inside [0, length); items without offsets are left out."""
    spans: list[Span] = []
    for men in detail.mentions:
        for s, e in zip(men.offsets[0::2], men.offsets[1::2], strict=False):
            spans.append(Span(s, e, men.kind or "entity", f"{men.kind}: {men.name or men.id}",
                              men.id))
    for o in detail.observations:
        if o.start is not None and o.end is not None:
            spans.append(Span(o.start, o.end, "metric", metric_label(o), o.id, o.kind))
    for r in detail.risks:
        if r.start is not None and r.end is not None:
            spans.append(Span(r.start, r.end, "risk", f"risk: {r.category}", r.id, r.category))
    return [s for s in spans if 0 <= s.start < s.end <= length]


def metric_label(o: m.ArticleObservation) -> str:
    parts = [o.kind, f"{o.value:g}", o.period and f"per {o.period}", o.currency,
             o.side, o.subject_id and f"subject {o.subject_id}",
             o.as_of and f"as of {o.as_of.isoformat()}"]
    return " ".join(p for p in parts if p)


_ORDER = {"risk": 0, "metric": 2}


def layout(text: str, spans: Sequence[Span]) -> list[Piece]:
    """The text as nested highlights. A span that crosses the end of an enclosing one is cut at
    that end (the tooltip still names the whole item); an exact duplicate is drawn once."""
    ordered = sorted(set(spans), key=lambda s: (s.start, -s.end, _ORDER.get(s.kind, 1)))
    pieces: list[Piece] = []
    stack: list[int] = []  # ends of the open spans
    pos = 0

    def flush(to: int) -> None:
        nonlocal pos
        if to > pos:
            pieces.append(Piece("text", text[pos:to]))
            pos = to

    for span in ordered:
        while stack and stack[-1] <= span.start:
            flush(stack.pop())
            pieces.append(Piece("close"))
        end = min(span.end, stack[-1]) if stack else span.end
        if end <= span.start:
            continue
        flush(span.start)
        pieces.append(Piece("open", span=span))
        stack.append(end)
    while stack:
        flush(stack.pop())
        pieces.append(Piece("close"))
    flush(len(text))
    return pieces


# --- corrections as dev-set cases (the `extract` contract) ---------------------------------------


def correction_case(detail: m.ArticleDetail, joined: str,
                    corrections: Sequence[Correction]) -> dict[str, Any]:
    """One dev-set line: the stored extraction with the analysts' corrections applied, in the
    `extract` output contract (offsets into `text`, which is the title joined to the body)."""
    dropped = {c.target for c in corrections if c.kind == "not_token_figure"}
    values = {c.target: c.value for c in corrections if c.kind == "wrong_value"}
    subjects = {c.target: c.subject for c in corrections if c.kind == "wrong_subject"}
    entities = [{"type": men.kind, "text": joined[s:e], "start": s, "end": e,
                 "id": None if men.id.startswith("new:") else men.id}
                for men in detail.mentions
                for s, e in zip(men.offsets[0::2], men.offsets[1::2], strict=False)]
    entities += [{"type": c.entity_type, "text": c.text, "start": c.start, "end": c.end,
                  "id": c.entity_id} for c in corrections if c.kind == "missed_entity"]
    metrics = [{"kind": o.kind, "value": values.get(o.id) or o.value, "period": o.period,
                "currency": o.currency, "side": o.side, "condition": None,
                "subject": subjects.get(o.id) or o.subject_id, "subject_text": o.subject_text,
                "as_of": o.as_of.isoformat() if o.as_of else None, "start": o.start,
                "end": o.end}
               for o in detail.observations if o.id not in dropped]
    risks = [{"category": r.category, "text": r.quote, "start": r.start, "end": r.end}
             for r in detail.risks]
    return {"id": detail.id, "lang": detail.lang, "origin": "console-correction",
            "published_at": detail.published_at.date().isoformat() if detail.published_at
            else None, "text": joined,
            "entities": sorted(entities, key=lambda x: (x["start"] or 0, x["end"] or 0)),
            "metrics": metrics, "risks": risks,
            "corrections": [c.model_dump(mode="json", exclude={"article_title"})
                            for c in corrections]}


# --- Metrics compare ----------------------------------------------------------------------------


def comparable(o: m.Observation, to: str, usd_cny: float) -> float | None:
    """One scale for every series of a chart: tokens per day, prices in one currency."""
    if o.kind == "token_volume":
        return per_day(o.value, o.period)
    if o.kind == "token_price":
        return convert(o.value, o.currency, to, usd_cny)
    return o.value


def compare_series(series: Mapping[str, Sequence[m.Observation]], to: str,
                   usd_cny: float) -> list[dict[str, Any]]:
    out = []
    for subject, obs in series.items():
        points = []
        for o, p in zip(obs, volume_points(obs), strict=False):
            value = comparable(o, to, usd_cny)
            if value is not None:
                points.append({**p, "value": value, "reported": o.value,
                               "currency": o.currency, "side": o.side})
        out.append({"name": subject, "points": points})
    return out


@dataclass(frozen=True)
class Conflict:
    subject: str
    date: date
    kind: str
    key: str  # period / side / currency of the figure
    figures: list[m.Observation]


def conflicts(series: Mapping[str, Sequence[m.Observation]]) -> list[Conflict]:
    """Figures for the same subject, day, kind, period, side and currency that disagree."""
    found = []
    for subject, obs in series.items():
        groups: dict[tuple[Any, ...], list[m.Observation]] = defaultdict(list)
        for o in obs:
            if o.date is not None:
                groups[(o.date, o.kind, o.period, o.side, o.currency)].append(o)
        for (day, kind, period, side, currency), figs in sorted(groups.items(),
                                                                 key=lambda g: str(g[0])):
            if len({round(f.value, 9) for f in figs}) > 1:
                key = " ".join(x for x in (period, side, currency) if x)
                found.append(Conflict(subject, day, kind, key, figs))
    return found
