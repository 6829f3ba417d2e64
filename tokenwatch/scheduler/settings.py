"""The scheduler's settings (TOKENWATCH_SCHEDULER_*), read when asked for, never at import."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SchedulerSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TOKENWATCH_SCHEDULER_", extra="ignore", env_file=".env",
        env_file_encoding="utf-8",
    )

    store_url: str | None = None  # default: sqlite:///<TOKENWATCH_DATA_DIR>/scheduler.sqlite
    misfire_grace_s: float = Field(default=300.0, gt=0)
    lease_ttl_s: float = Field(default=30.0, gt=0)
    max_parallel_crawls: int = Field(default=2, ge=1, le=32)
    history_keep: int = Field(default=200, ge=10, description="runs kept per source")


@lru_cache
def get_scheduler_settings() -> SchedulerSettings:
    return SchedulerSettings()


def store_url_for(settings: SchedulerSettings, data_dir: Path) -> str:
    if settings.store_url:
        return settings.store_url
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / 'scheduler.sqlite').resolve()}"
