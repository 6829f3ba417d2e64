"""API settings (env: TOKENWATCH_API_*, plus TOKENWATCH_ADMIN_KEY)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TOKENWATCH_API_", extra="ignore", populate_by_name=True, env_file=".env",
        env_file_encoding="utf-8",
    )

    host: str = "127.0.0.1"
    port: int = 8000
    max_page_size: int = 200
    query_timeout_s: float = Field(
        default=10.0, description="server-side timeout of every graph query the API runs"
    )

    # auth
    admin_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TOKENWATCH_ADMIN_KEY", "TOKENWATCH_API_ADMIN_KEY"),
        description="if set, ensured as an admin API key (owner 'admin') at startup",
    )
    rate_per_min: float = Field(
        default=600.0, description="per-key token bucket refill rate (requests per minute); 0 = off"
    )
    rate_burst: int | None = Field(
        default=None, description="bucket size; default: one minute's worth (rate_per_min)"
    )
    key_cache_s: float = Field(
        default=5.0,
        description="how long a verified key is trusted without re-reading it from Neo4j; a key "
        "revoked through the API is dropped at once, one revoked from another process within this",
    )

    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TOKENWATCH_REDIS_URL"),
        description="Redis shared by API replicas for rate limits and the key cache "
        "(api/shared.py); unset: both are kept in this process",
    )

    max_body_bytes: int = Field(
        default=256 * 1024, ge=1024,
        description="largest request body of a route without its own cap (api/limits.py); "
        "larger bodies get 413, and no body is read before the API key is checked",
    )

    # the read-only Cypher endpoint
    cypher_timeout_s: float = 5.0
    cypher_max_rows: int = 1000

    # graph query caps
    max_neighbours: int = 500
    max_path_length: int = 6

    # price comparison: one currency per million tokens
    fx_usd_cny: float = Field(
        default=7.1,
        description="CNY per 1 USD, used only by /v1/metrics/prices/compare to put prices in one "
        "currency (env TOKENWATCH_API_FX_USD_CNY); reported with every comparison",
    )
