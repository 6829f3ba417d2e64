"""What alert rules are evaluated against: the facts of one ingest batch, built by
`alerts.evaluate` from the (Article, Extraction) pairs plus what only the graph knows, and
the counts read on a schedule for spike and source-health rules. Plain frozen data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from alerts.types import Evidence


@dataclass(frozen=True)
class ArticleFact:
    id: str
    url: str
    title: str
    source_id: str
    source_kind: str | None
    published_at: datetime | None
    text: str = ""
    entity_ids: frozenset[str] = frozenset()
    entity_sentences: dict[str, str] = field(default_factory=dict)  # first sentence per entity
    policy_ids: tuple[str, ...] = ()  # policies the article issues or announces
    issuers: tuple[str, ...] = ()  # agency ids / issuer names of those policies
    policy_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObservationFact:
    id: str
    article_id: str
    kind: str
    value: float
    quote: str | None
    subject_id: str | None
    subject_text: str | None
    period: str | None = None
    currency: str | None = None
    side: str | None = None
    previous_value: float | None = None  # the previous observation of this subject and kind


@dataclass(frozen=True)
class RiskFact:
    id: str
    article_id: str
    category: str
    score: float
    quote: str
    entity_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchFacts:
    articles: dict[str, ArticleFact]
    observations: tuple[ObservationFact, ...] = ()
    risks: tuple[RiskFact, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # entity id -> display name


# --- read on a schedule ------------------------------------------------------------------


@dataclass(frozen=True)
class MentionCounts:
    entity_id: str
    window: int  # articles mentioning the entity within the window
    baseline: int  # within the baseline period before the window
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class SourceRunHistory:
    source_id: str
    statuses: tuple[str, ...]  # newest first
    last_error: str | None = None
    healths: tuple[str, ...] = ()  # newest first: ok | degraded | blocked_by_robots
    last_reason: str | None = None  # the newest run's health reason
