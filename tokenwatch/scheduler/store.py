"""The scheduler's own SQL tables (lease, run history, what polls found) beside APScheduler's
job table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
)

_meta = MetaData()
LEASE_T = Table(
    "tokenwatch_scheduler_lease",
    _meta,
    Column("name", String(64), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("expires_at", Float, nullable=False),  # epoch seconds
    Column("heartbeat_at", Float, nullable=False),
)
RUNS_T = Table(
    "crawl_schedule_runs",
    _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(100), nullable=False, index=True),
    Column("trigger", String(16), nullable=False),  # schedule | catchup | manual
    Column("status", String(16), nullable=False),
    Column("scheduled_at", DateTime(timezone=True)),
    Column("started_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("exit_code", Integer),
    Column("detail", String(500)),
)
# one row per successful poll: new items and their publication times (adaptive intervals)
OBSERVATIONS_T = Table(
    "crawl_source_observations",
    _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(100), nullable=False, index=True),
    Column("polled_at", DateTime(timezone=True), nullable=False),
    Column("new_items", Integer, nullable=False),
    Column("published", Text, nullable=False),  # JSON list of ISO 8601 times
)


def open_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    engine = create_engine(url, **kwargs)
    _meta.create_all(engine)
    return engine
