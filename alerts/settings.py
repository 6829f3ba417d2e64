"""Alert and webhook delivery settings (env: TOKENWATCH_ALERTS_*). Read through
`get_alert_settings()`, never at import time."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AlertSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TOKENWATCH_ALERTS_", extra="ignore", env_file=".env", env_file_encoding="utf-8"
    )

    # The Standard Webhooks retry schedule (0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h,
    # 20 h, 24 h) multiplied by this factor; tests and benchmarks run it at 0.001 or less.
    retry_time_scale: float = Field(default=1.0, gt=0)
    retry_jitter: float = Field(default=0.2, ge=0, lt=1, description="± fraction of each delay")
    max_retry_after_s: float = Field(default=86400.0, ge=0, description="cap on Retry-After")
    attempt_timeout_s: float = Field(default=10.0, gt=0, le=15)
    # CIDRs or host names the SSRF guard lets through (on-premise receivers, tests);
    # env as JSON, e.g. TOKENWATCH_ALERTS_ALLOW_LIST='["10.1.0.0/16", "hooks.corp.local"]'
    allow_list: list[str] = Field(default_factory=list)
    poll_interval_s: float = Field(default=1.0, gt=0, description="outbox poll when idle")
    concurrency: int = Field(default=8, ge=1, le=64)
    claim_batch: int = Field(default=32, ge=1, le=500)
    lease_s: float = Field(default=120.0, gt=0, description="a claimed delivery is retried "
                           "by any worker when its claim is older than this")
    disable_after_s: float = Field(default=5 * 86400.0, gt=0, description="an endpoint failing "
                                   "without a success for this long is disabled")
    secret_overlap_s: float = Field(default=86400.0, ge=0, description="after a rotation the "
                                    "previous secret also signs for this long")
    default_cooldown_s: float = Field(default=3600.0, ge=0)
    max_evidence: int = Field(default=20, ge=1, description="evidence items kept per alert")
    spike_interval_s: float = Field(default=900.0, gt=0, description="how often spike rules run")
    user_agent: str = "Tokenwatch-Webhooks/0.1"


@lru_cache
def get_alert_settings() -> AlertSettings:
    return AlertSettings()
