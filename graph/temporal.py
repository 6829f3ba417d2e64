"""Neo4j temporal values → Python dates and datetimes, in one place.

Every read model in ``graph/`` is built from driver records through these functions, so no
caller above the graph package ever sees a ``neo4j.time`` value.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from neo4j.time import Date, DateTime, Duration, Time


def native(value: Any) -> Any:
    """A record value with every Neo4j temporal (nested in lists and maps too) made native."""
    if isinstance(value, DateTime | Date | Time):
        return value.to_native()
    if isinstance(value, Duration):
        return value
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [native(v) for v in value]
    return value


def to_datetime(value: Any) -> datetime | None:
    """A stored instant as an aware ``datetime`` (naive ones taken as UTC); None stays None."""
    if value is None:
        return None
    if isinstance(value, DateTime):
        value = value.to_native()
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        return to_datetime(datetime.fromisoformat(value))
    raise TypeError(f"not a datetime: {value!r}")


def to_date(value: Any) -> date | None:
    """A stored calendar day as a ``date``; None stays None."""
    if value is None:
        return None
    if isinstance(value, Date):
        return value.to_native()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError(f"not a date: {value!r}")
