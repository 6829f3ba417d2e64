"""The scheduler's input, end to end: `tokenwatch crawl SOURCE --report FILE` on the real
spiders into the real embedded Neo4j reports the items new to the store and their publication
times; a second poll of the unchanged site reports none."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.crawlers.site import FixtureSite
from tokenwatch.scheduler.observations import read_reports

pytestmark = [pytest.mark.neo4j, pytest.mark.http]
MINI = Path(__file__).parents[1] / "crawlers" / "fixtures" / "mini"


def test_a_poll_reports_its_new_items_and_their_publication_times(
    empty_graph: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    env = {**os.environ, "NEO4J_URI": str(neo4j_settings.uri),
           "TOKENWATCH_CRAWL_DELAY_SCALE": "0"}
    with FixtureSite(MINI) as site:
        registry = tmp_path / "sources.yaml"
        registry.write_text((MINI / "sources.yaml").read_text().replace("{base}", site.base))

        def poll(name: str) -> Path:
            report = tmp_path / name
            subprocess.run(
                [sys.executable, "-m", "tokenwatch", "crawl", "mini-zh-feed", "--quiet",
                 "--sources", str(registry), "--report", str(report)],
                env=env, capture_output=True, text=True, timeout=300, check=True,
            )
            return report

        (first,) = read_reports(poll("first.json"))
        (second,) = read_reports(poll("second.json"))
    assert (first.source_id, first.status, first.new_items) == ("mini-zh-feed", "ok", 2)
    assert datetime(2025, 7, 1, 2, 0, tzinfo=UTC) in first.published  # 10:00 in Beijing
    assert (second.new_items, second.published) == (0, [])
