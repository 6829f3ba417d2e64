"""The console's settings (`TOKENWATCH_CONSOLE_…`), read when the app is built, never at import."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOKENWATCH_CONSOLE_", extra="ignore")

    secret: str | None = Field(
        default=None, description="signs session cookies and CSRF tokens; unset: a random "
        "secret per process (every session ends when the service restarts)")
    session_hours: float = Field(default=12.0, gt=0)
    # "auto": Secure when the request came over TLS (directly or X-Forwarded-Proto via
    # uvicorn --proxy-headers); "always" behind a TLS proxy that does not say so
    secure_cookies: Literal["auto", "always", "never"] = "auto"
    currency: Literal["CNY", "USD"] = "CNY"  # the price board's one currency
    usd_cny: float = Field(default=7.2, gt=0, description="CNY per USD for the price board")
    today_cache_s: float = Field(default=30.0, ge=0, description="how long Today's graph "
                                 "aggregates are reused (0: read them on every request)")
    max_body_bytes: int = Field(default=64 * 1024, gt=0)
