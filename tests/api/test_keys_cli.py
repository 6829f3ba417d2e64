"""`tokenwatch keys create|list|revoke` against the session database (NEO4J_URI)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from graph.settings import Neo4jSettings
from tokenwatch.cli import app

pytestmark = pytest.mark.neo4j


def test_create_list_revoke(neo4j_settings: Neo4jSettings, api_client: TestClient,
                            monkeypatch: Any) -> None:
    monkeypatch.setenv("NEO4J_URI", str(neo4j_settings.uri))
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "--role", "analyst", "--owner", "cli-desk",
                                  "--name", "from the cli"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("tw_")
    me = api_client.get("/v1/me", headers={"X-API-Key": key}).json()
    assert me == {"key_id": key.split("_")[1], "owner": "cli-desk", "role": "analyst"}

    listed = runner.invoke(app, ["keys", "list", "--owner", "cli-desk"])
    assert listed.exit_code == 0 and key.split("_")[1] in listed.stdout
    assert key not in listed.stdout  # never the secret

    assert runner.invoke(app, ["keys", "revoke", key]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["keys", "list", "--owner", "cli-desk"]).stdout
    # the shared test client trusts keys for 0 s (key_cache_s=0): refused at once
    assert api_client.get("/v1/me", headers={"X-API-Key": key}).status_code == 401
    assert runner.invoke(app, ["keys", "revoke", "nosuchkey"]).exit_code == 1
    assert runner.invoke(app, ["keys", "create", "--role", "root", "--owner", "x"]).exit_code == 2
