"""Neo4j connection and embedded-launcher settings (env: NEO4J_*, TOKENWATCH_NEO4J_*)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
LAUNCHER_PROJECT = PACKAGE_DIR / "neo4j"


class Neo4jSettings(BaseSettings):
    """Where the graph lives. With `NEO4J_URI` set nothing is launched and that server (or
    cluster, e.g. `neo4j://host:7687`) is used; otherwise Tokenwatch runs its own embedded
    Neo4j Community on loopback."""

    model_config = SettingsConfigDict(
        env_prefix="NEO4J_", extra="ignore", env_file=".env", env_file_encoding="utf-8"
    )

    uri: str | None = None
    user: str = "neo4j"
    password: str = "neo4j"
    database: str | None = None

    # the embedded launcher (ignored when `uri` is set)
    home: Path = Field(
        default=Path("var/neo4j"),
        validation_alias=AliasChoices("TOKENWATCH_NEO4J_HOME", "NEO4J_HOME"),
    )
    port: int = Field(default=7687, validation_alias=AliasChoices("TOKENWATCH_NEO4J_PORT"))
    heap_mb: int = Field(default=768, validation_alias=AliasChoices("TOKENWATCH_NEO4J_HEAP_MB"))
    pagecache_mb: int = Field(
        default=256, validation_alias=AliasChoices("TOKENWATCH_NEO4J_PAGECACHE_MB")
    )
    tx_memory_mb: int = Field(
        default=256, validation_alias=AliasChoices("TOKENWATCH_NEO4J_TX_MEMORY_MB")
    )
    java: str = Field(default="java", validation_alias=AliasChoices("TOKENWATCH_JAVA"))
    mvn: str = Field(default="mvn", validation_alias=AliasChoices("TOKENWATCH_MVN"))
    start_timeout_s: float = Field(
        default=120.0, validation_alias=AliasChoices("TOKENWATCH_NEO4J_START_TIMEOUT")
    )
    query_timeout_s: float = Field(
        default=10.0, validation_alias=AliasChoices("TOKENWATCH_QUERY_TIMEOUT")
    )
    connect_timeout_s: float = Field(
        default=5.0,
        gt=0,
        validation_alias=AliasChoices("TOKENWATCH_NEO4J_CONNECT_TIMEOUT_S"),
        description="how long a command waits for the Neo4j at NEO4J_URI before it gives up",
    )

    @property
    def embedded(self) -> bool:
        return not self.uri


@lru_cache
def get_neo4j_settings() -> Neo4jSettings:
    return Neo4jSettings()
