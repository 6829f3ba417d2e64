"""Reads and the one write of the analysts' console, beside `graph.reader` (same `Reads`, same
read models): per-model volumes, the latest price change per subject, risk signals by week, and
the corrections analysts record on an article ("this is wrong")."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from neo4j import Driver

from graph.cypher import console as q
from graph.errors import GraphError
from graph.reads.base import ReadModel, Reads
from graph.reads.metrics import Observation, ProviderQuote

CorrectionKind = Literal["wrong_value", "wrong_subject", "not_token_figure", "missed_entity"]
CORRECTION_KINDS: tuple[CorrectionKind, ...] = ("wrong_value", "wrong_subject",
                                                "not_token_figure", "missed_entity")


class CorrectionError(GraphError):
    """A correction that cannot be recorded (unknown article, bad span…)."""


class RiskWeek(ReadModel):
    category: str
    week: date
    signals: int


class Correction(ReadModel):
    """One analyst's correction of one extracted item (or of a missed entity)."""

    id: str
    article_id: str
    kind: CorrectionKind
    target: str | None = None  # the observation / entity id it corrects, if any
    start: int | None = None
    end: int | None = None
    text: str | None = None  # the span's text
    value: float | None = None  # the right value (wrong_value)
    subject: str | None = None  # the right subject (wrong_subject)
    entity_type: str | None = None  # missed_entity
    entity_id: str | None = None  # missed_entity: its KB id, if known
    note: str | None = None
    owner: str
    created_by: str
    created_at: datetime
    article_title: str | None = None


def model_volumes(r: Reads, as_of: date | None, limit: int = 50) -> list[ProviderQuote]:
    """The latest token volume reported for each model."""
    return [ProviderQuote.of(row) for row in r.rows(q.MODEL_VOLUMES, as_of=as_of,
                                                      limit=limit)]


def latest_price_changes(r: Reads, subjects: Sequence[str], as_of: date | None,
                         limit: int = 200) -> dict[str, Observation]:
    rows = r.rows(q.LATEST_PRICE_CHANGES, subjects=list(subjects), as_of=as_of, limit=limit)
    return {row["subject"]: Observation.of(row) for row in rows}


def risk_weeks(r: Reads, since: datetime, until: datetime, limit: int = 2000) -> list[RiskWeek]:
    return [RiskWeek.of(row) for row in r.rows(q.RISK_WEEKS, since=since, until=until,
                                               limit=limit)]


def record_correction(driver: Driver, fields: dict[str, Any], owner: str, by: str,
                      now: datetime, database: str | None = None) -> Correction:
    """Store a correction on its article; CorrectionError when the article is unknown."""
    if fields.get("kind") not in CORRECTION_KINDS:
        raise CorrectionError(f"unknown correction kind {fields.get('kind')!r}")
    row = {k: v for k, v in fields.items() if v is not None and v != ""}
    row |= {"id": "cor_" + uuid.uuid4().hex[:16], "owner": owner, "created_by": by,
            "created_at": now}
    records, _, _ = driver.execute_query(q.CREATE_CORRECTION, row=row, database_=database)
    if not records:
        raise CorrectionError(f"no article {fields.get('article_id')!r}")
    return Correction.of(records[0]["correction"])


def list_corrections(r: Reads, article_id: str | None = None,
                     limit: int = 500) -> list[Correction]:
    rows = r.rows(q.LIST_CORRECTIONS, article_id=article_id, limit=limit)
    return [Correction.of({**row["correction"], "article_title": row["article_title"]})
            for row in rows]


def corrected_articles(r: Reads, limit: int = 1000) -> list[str]:
    return [row["id"] for row in r.rows(q.CORRECTED_ARTICLE_IDS, limit=limit)]
