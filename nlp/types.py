"""Typed extraction output. Serialised, it is exactly the `tokenwatch extract` JSONL contract
of DESIGN.md (plus compatible extra keys)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EntityType = Literal["company", "agency", "policy", "model"]
MetricKind = Literal["token_volume", "token_price", "price_change"]
Period = Literal["minute", "day", "week", "month", "year"]
Currency = Literal["CNY", "USD"]
Side = Literal["input", "output", "cached_input"]
RiskCategory = Literal[
    "policy_regulatory", "technology_shortfall", "adoption_shortfall", "market_sentiment"
]


class Entity(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: EntityType
    text: str  # surface form as it appears in the text
    start: int
    end: int
    id: str | None  # KB id, or a stable generated id for unseen entities ("new:company:<slug>")
    name: str | None = None  # canonical name (KB name or normalised surface)
    kb: bool = False  # True when linked to the knowledge base
    # the exchange code a listed company is named with (中际旭创（300308.SZ）, Nvidia (NVDA)):
    # set on the company's mention and on the code's own mention, which carries the company's
    # id, so a ticker is never a company of its own (an optional, compatible key)
    ticker: str | None = None


class Metric(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: MetricKind
    value: float
    period: Period | None = None
    currency: Currency | None = None
    side: Side | None = None
    condition: str | None = None  # tariff: "off_peak", "peak", "context<=32k"…; None = standard
    subject: str | None = None  # KB id (or generated id) of what the figure is about
    subject_text: str | None = None
    as_of: str | None = None  # YYYY-MM-DD or YYYY-MM
    start: int
    end: int
    quote: str | None = None  # the sentence holding the figure


class Risk(BaseModel):
    model_config = ConfigDict(frozen=True)

    category: RiskCategory
    text: str  # evidence sentence
    start: int
    end: int
    score: float = 0.5
    entities: tuple[str, ...] = ()  # ids of the entities concerned


class PolicyInfo(BaseModel):
    """A policy document found in the text (title, number, issuer, dates)."""

    model_config = ConfigDict(frozen=True)

    id: str | None
    title: str
    doc_number: str | None = None
    issuer: str | None = None  # agency id
    issued_at: str | None = None
    effective_at: str | None = None
    start: int
    end: int


class Extraction(BaseModel):
    """Everything extracted from one document. Offsets index into `text` as given to
    `extract()`; when a title is given it is joined as `title + "\\n\\n" + text` and offsets
    index into that joined string."""

    model_config = ConfigDict(frozen=True)

    id: str
    lang: Literal["zh", "en"]
    entities: tuple[Entity, ...] = ()
    metrics: tuple[Metric, ...] = ()
    risks: tuple[Risk, ...] = ()
    policies: tuple[PolicyInfo, ...] = ()
    error: str | None = Field(
        default=None, description="set when this document could not be processed"
    )
