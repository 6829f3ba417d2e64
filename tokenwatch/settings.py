"""Settings of the composition root (env: TOKENWATCH_*). Read through `get_settings()`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class AppSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TOKENWATCH_", extra="ignore", env_file=".env", env_file_encoding="utf-8"
    )

    sources_file: Path | None = None  # default: crawlers/sources.yaml
    # local additions and switches over the tracked registry, reloaded live by `up`
    sources_overlay: Path | None = None  # default: <data_dir>/sources.local.yaml
    registry_reload_s: float = 10.0  # how often `up` looks for a changed overlay
    data_dir: Path = Path("var")
    scheduler_enabled: bool = True
    crawl_timeout_s: float = 1800.0  # a crawl subprocess is killed after this
    ingest_batch_size: int = 32
    # the scaled-out roles (tokenwatch/roles.py): crawl frontier, ingest queue, API state
    redis_url: str | None = None
    log_level: str = "INFO"

    @property
    def overlay_path(self) -> Path:
        return self.sources_overlay or self.data_dir / "sources.local.yaml"


@lru_cache
def get_settings() -> AppSettings:
    return AppSettings()
