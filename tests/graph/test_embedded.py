"""The embedded Neo4j launcher: start, ready, query, clean stop, data kept across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import db, embedded
from graph.errors import EmbeddedNeo4jError
from graph.settings import Neo4jSettings

pytestmark = pytest.mark.neo4j


def _settings(home: Path) -> Neo4jSettings:
    return Neo4jSettings(uri=None).model_copy(
        update={"uri": None, "home": home, "heap_mb": 384, "pagecache_mb": 64}
    )


def test_data_survives_a_clean_stop_and_restart(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "home")
    port = embedded.free_port()
    with embedded.embedded_neo4j(settings, port=port) as uri:
        drv = db.open_driver(settings, uri)
        drv.execute_query("CREATE (:Marker {id: 'kept', n: 42})")
        drv.close()
    # the store was closed by the SIGTERM shutdown hook: the log says so
    log = (settings.home / "tokenwatch-neo4j.log").read_text()
    assert "TOKENWATCH-NEO4J STOPPED" in log

    with embedded.embedded_neo4j(settings, port=port) as uri:
        drv = db.open_driver(settings, uri)
        records, _, _ = drv.execute_query("MATCH (m:Marker {id: 'kept'}) RETURN m.n AS n")
        drv.close()
    assert [r["n"] for r in records] == [42]


def test_daemon_start_status_stop(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "daemon").model_copy(update={"port": embedded.free_port()})
    assert not embedded.status(settings).running
    started = embedded.start_daemon(settings)
    try:
        st = embedded.status(settings)
        assert st.running and st.reachable and st.uri == started.uri
        # a second start is a no-op, not a second process on the same store
        assert embedded.start_daemon(settings).pid == started.pid
    finally:
        assert embedded.stop_daemon(settings)
    assert not embedded.status(settings).running
    assert not embedded.stop_daemon(settings)


def test_port_in_use_is_a_clear_error(tmp_path: Path, neo4j_settings: Neo4jSettings) -> None:
    if Neo4jSettings().uri:
        pytest.skip("NEO4J_URI is set: no embedded session database to collide with")
    busy = _settings(tmp_path / "busy")
    with (
        pytest.raises(EmbeddedNeo4jError, match="already in use"),
        embedded.embedded_neo4j(busy, port=neo4j_settings.port),
    ):
        pass


def test_schema_is_idempotent(driver, neo4j_settings: Neo4jSettings) -> None:  # type: ignore[no-untyped-def]
    def schema() -> list[tuple[str, str]]:
        recs, _, _ = driver.execute_query("SHOW INDEXES YIELD name, type RETURN name, type")
        return sorted((r["name"], r["type"]) for r in recs)

    before = schema()
    db.apply_schema(driver, neo4j_settings.database)
    assert schema() == before
    assert ("article_fulltext", "FULLTEXT") in before
    recs, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, options WHERE name = 'article_fulltext' RETURN options"
    )
    assert recs[0]["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
