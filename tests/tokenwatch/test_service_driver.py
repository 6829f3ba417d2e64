"""`tokenwatch up` opens one Neo4j driver: the composition root's, lent to the app, whose
lifespan (services included: delivery worker, alert settings) opens none of its own.

Real wiring (`tokenwatch.service.serve`) on the session's real Neo4j; only uvicorn is left
out (the lifespan is entered by FastAPI's TestClient instead). Drivers are counted where
every one is made, `neo4j.GraphDatabase.driver`: each call still builds a real driver."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from neo4j import Driver, GraphDatabase

from graph.settings import Neo4jSettings
from tokenwatch.service import serve
from tokenwatch.settings import AppSettings

SOURCES = """\
sources:
  - id: one-driver
    name: One driver
    kind: industry
    lang: zh
    url: http://127.0.0.1:9/
    parser: default
    listing: {type: feed, feed_urls: ["http://127.0.0.1:9/feed.xml"]}
"""

pytestmark = pytest.mark.neo4j


def test_up_opens_exactly_one_driver(empty_graph: Driver, neo4j_settings: Neo4jSettings,
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Driver] = []
    real = GraphDatabase.driver

    def counting(*args: Any, **kwargs: Any) -> Driver:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(GraphDatabase, "driver", counting)
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES, encoding="utf-8")
    settings = AppSettings(sources_file=sources, data_dir=tmp_path, scheduler_enabled=False)
    answers: list[int] = []

    def run(app: FastAPI, _config: uvicorn.Config) -> None:
        with TestClient(app) as client:  # the lifespan: services opened, then closed
            answers.append(client.get("/health").status_code)
            answers.append(len(made))

    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        serve(settings, neo4j_settings, scheduler=False, run=run)
    finally:
        signal.signal(signal.SIGTERM, sigterm)  # serve keeps repeated SIGTERMs from cutting
    assert answers == [200, 1]  # serving, on one driver
    assert len(made) == 1
