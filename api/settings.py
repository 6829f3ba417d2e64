"""API settings (env: TOKENWATCH_API_*)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOKENWATCH_API_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    max_page_size: int = 200
    query_timeout_s: float = 10.0
