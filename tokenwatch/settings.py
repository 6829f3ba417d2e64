"""Settings of the composition root (env: TOKENWATCH_*). Read through `get_settings()`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class AppSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOKENWATCH_", extra="ignore")

    sources_file: Path | None = None  # default: crawlers/sources.yaml
    data_dir: Path = Path("var")
    scheduler_enabled: bool = True
    crawl_timeout_s: float = 1800.0  # a crawl subprocess is killed after this
    ingest_batch_size: int = 32
    log_level: str = "INFO"


@lru_cache
def get_settings() -> AppSettings:
    return AppSettings()
