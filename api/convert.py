"""Read models → response schemas (pure mapping; temporal values are already native)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TypeVar

from pydantic import BaseModel

from api import schemas
from graph.reads.entities import EntityHit
from graph.reads.metrics import Observation

S = TypeVar("S", bound=BaseModel)


def day_start(day: date | None) -> datetime | None:
    """A date filter as the UTC instant it starts (articles carry datetimes)."""
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def to(schema: type[S], model: BaseModel) -> S:
    """A response schema from a read model with the same field names."""
    return schema.model_validate(model, from_attributes=True)


def hit(h: EntityHit) -> schemas.EntityHit:
    return schemas.EntityHit.model_validate({**h.entity.model_dump(), "score": h.score})


def observation(o: Observation) -> schemas.ObservationOut:
    return to(schemas.ObservationOut, o)
