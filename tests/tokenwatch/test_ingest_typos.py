"""`tokenwatch ingest`: a typo in --source is an error with a suggestion, not a phantom
source; an unreadable published_at is a warning naming the line and field."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from graph.settings import Neo4jSettings
from nlp import DocInput
from tokenwatch.cli import app
from tokenwatch.workflow import UnknownSource, check_ingest_source, to_articles

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_unknown_source_suggests_the_closest_id() -> None:
    with pytest.raises(UnknownSource, match=r"'deepseek-new' is not a known source "
                                            r"\(did you mean \"deepseek-news\"\?\)"):
        check_ingest_source("deepseek-new", ["deepseek-news", "ithome"], create=False)
    check_ingest_source("ingest", [], create=False)  # the default bucket is always fine
    check_ingest_source("brand-new", [], create=True)


def test_unreadable_published_at_warns_with_line_and_field() -> None:
    docs = [(3, DocInput(id="d1", text="DeepSeek cut prices.", published_at="last spring-ish")),
            (4, DocInput(id="d2", text="DeepSeek cut prices.", published_at="2025-07-01"))]
    err = io.StringIO()
    articles, bad = to_articles(docs, "ingest", NOW, err)
    assert bad == 0 and [a.id for a in articles] == ["d1", "d2"]
    assert articles[0].published_at is None and articles[1].published_at is not None
    assert err.getvalue().startswith("line 3: warning: published_at 'last spring-ish' is not a date")
    assert "line 4" not in err.getvalue()


@pytest.mark.neo4j
def test_ingest_with_a_typo_in_source_writes_nothing(
    empty_graph: Driver, neo4j_settings: Neo4jSettings, monkeypatch: Any, tmp_path: Any
) -> None:
    monkeypatch.setenv("NEO4J_URI", str(neo4j_settings.uri))
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "t1", "text": "DeepSeek cut prices by 75%.", "lang": "en"}\n')
    result = CliRunner().invoke(app, ["ingest", str(path), "--source", "nosuch-typo",
                                      "--quiet"])
    assert result.exit_code == 2
    assert "'nosuch-typo' is not a known source" in result.output
    records, _, _ = empty_graph.execute_query(
        "MATCH (n) WHERE n:Source OR n:Article RETURN count(n) AS n")
    assert records[0]["n"] == 0
    ok = CliRunner().invoke(app, ["ingest", str(path), "--source", "nosuch-typo",
                                  "--create-source"])
    assert ok.exit_code == 0, ok.output
    assert "ingest summary" in ok.output and "new=1" in ok.output
