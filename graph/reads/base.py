"""What every area's reads share: the frozen read-model base, the read handle and the
references (entity, article, source) that several areas' models embed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Self

from neo4j import ManagedTransaction
from pydantic import BaseModel, ConfigDict

from graph.access import Graph
from graph.labels import ENTITY_KINDS
from graph.temporal import native

Day = date  # a field named `date` must not shadow the type
Row = Mapping[str, Any]

def kind_of(labels: Iterable[str] | None) -> str | None:
    """The entity kind (company, agency, model, policy) of a node's labels, if any."""
    return next((ENTITY_KINDS[lbl] for lbl in labels or () if lbl in ENTITY_KINDS), None)


class ReadModel(BaseModel):
    """Frozen; built from one record (temporals made native first)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    @classmethod
    def of(cls, row: Row) -> Self:
        return cls.model_validate(native(dict(row)))


def none_to_list(value: Any) -> Any:
    return [] if value is None else value



Record = dict[str, Any]

Reads = Graph
"""The name the read functions (and their callers) use for `graph.access.Graph`."""


def data(tx: ManagedTransaction, query: str, **params: Any) -> list[Record]:
    return tx.run(query, params).data()


class EntityRef(ReadModel):
    id: str
    kind: str | None = None
    name: str | None = None


class ArticleRef(ReadModel):
    id: str
    url: str | None = None
    title: str | None = None
    lang: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    source_name: str | None = None


class MentioningArticle(ArticleRef):
    count: int | None = None
    sentence: str | None = None


class SourceInfo(ReadModel):
    id: str
    name: str | None = None
    kind: str | None = None
    lang: str | None = None
    url: str | None = None


class Figure(ReadModel):
    """A reported number as the extractor normalised it (what an observation node holds)."""

    id: str
    kind: str
    value: float
    period: str | None = None
    currency: str | None = None
    side: str | None = None
    as_of: Day | None = None
    quote: str | None = None
    subject_id: str | None = None
    subject_text: str | None = None
