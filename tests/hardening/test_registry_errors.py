"""Issue 10 item 7: a bad registry entry is a load-time RegistryError naming file and id."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.errors import RegistryError
from crawlers.registry import load_sources

ENTRY = """sources:
  - id: {sid}
    name: Example
    kind: industry
    lang: zh
    url: https://example.test/
    parser: gov_cn
    {extra}
    listing:
      type: list
      urls: [https://example.test/news/]
      link_selector: "a.item"
      {listing_extra}
"""


def write(tmp_path: Path, sid: str, extra: str = "", listing_extra: str = "") -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(ENTRY.format(sid=sid, extra=extra, listing_extra=listing_extra),
                    encoding="utf-8")
    return path


def test_a_good_entry_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "good-one", "schedule: {cron: '*/30 * * * *'}", "url_pattern: '/a/'")
    assert [s.id for s in load_sources(path)] == ["good-one"]


def test_bad_url_pattern_names_file_and_id(tmp_path: Path) -> None:
    path = write(tmp_path, "bad-regex", listing_extra="url_pattern: '/news/(['")
    with pytest.raises(RegistryError) as info:
        load_sources(path)
    text = str(info.value)
    assert "bad-regex" in text and str(path) in text and "regex" in text


@pytest.mark.parametrize("cron", ["99 99 * * *", "* * * * mon-xyz", "0 25 * * *"])
def test_invalid_cron_names_file_and_id(tmp_path: Path, cron: str) -> None:
    path = write(tmp_path, "bad-cron", f"schedule: {{cron: '{cron}'}}")
    with pytest.raises(RegistryError) as info:
        load_sources(path)
    text = str(info.value)
    assert "bad-cron" in text and str(path) in text and "cron" in text



def test_the_schedules_api_refuses_an_invalid_cron() -> None:
    from pydantic import ValidationError

    from api.routes.schedules import ScheduleIn

    with pytest.raises(ValidationError, match="invalid cron"):
        ScheduleIn.model_validate({"cron": "99 99 * * *"})
    assert ScheduleIn.model_validate({"cron": "*/30 * * * *"}).cron == "*/30 * * * *"
