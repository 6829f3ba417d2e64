"""Every setting (every field of every pydantic-settings class) is in the README's table."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings

from alerts.settings import AlertSettings
from api.settings import ApiSettings
from crawlers.runner import CrawlSettings
from graph.settings import Neo4jSettings
from tokenwatch.queue import QueueSettings
from tokenwatch.roles import FrontierSettings
from tokenwatch.scheduler import SchedulerSettings
from tokenwatch.settings import AppSettings

README = Path(__file__).resolve().parents[2] / "README.md"
CLASSES: tuple[type[BaseSettings], ...] = (AppSettings, ApiSettings, Neo4jSettings,
                                           AlertSettings, CrawlSettings, SchedulerSettings,
                                           QueueSettings, FrontierSettings)


def env_names(cls: type[BaseSettings]) -> list[str]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    names = []
    for name, field in cls.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        names.append(str(choices[0]) if choices else (prefix + name).upper())
    return names


def test_every_setting_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Configuration"):]
    missing = [n for cls in CLASSES for n in env_names(cls) if f"`{n}`" not in table]
    assert not missing, f"settings missing from the README's table: {missing}"


def test_settings_read_a_dotenv_file(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    (tmp_path / ".env").write_text("TOKENWATCH_API_PORT=8123\nNEO4J_USER=reader\n"
                                   "TOKENWATCH_ALERTS_CONCURRENCY=3\n", encoding="utf-8")
    mp.chdir(tmp_path)
    mp.delenv("TOKENWATCH_API_PORT", raising=False)
    mp.delenv("NEO4J_USER", raising=False)
    mp.delenv("TOKENWATCH_ALERTS_CONCURRENCY", raising=False)
    assert ApiSettings().port == 8123
    assert Neo4jSettings().user == "reader"
    assert AlertSettings().concurrency == 3
