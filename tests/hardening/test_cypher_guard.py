"""Issue 10 item 3: the read-only Cypher guard decides procedures from Neo4j's own parse (the
EXPLAIN plan), so quoting, spacing, comments, escapes and subqueries cannot smuggle one in.
Run against the real embedded Neo4j."""

from __future__ import annotations

import pytest
from neo4j import Driver
from neo4j.exceptions import ClientError

from graph.errors import QueryRejected
from graph.reader import Reads
from graph.readonly import READ_PROCEDURES, plan_procedures, run_read_only
from graph.settings import Neo4jSettings

pytestmark = pytest.mark.neo4j

SMUGGLED = [
    "CALL `dbms`.`listConfig`()",
    "CALL `dbms`.`killConnection`('bolt-79')",
    "CALL `db`.`clearQueryCaches`()",
    "CALL dbms . listConfig ( )",
    "CALL\tdbms\n.\nlistConfig()",
    "CALL /* hidden */ `dbms`/**/.listConfig() YIELD name RETURN name",
    "CALL `db`.clearQueryCaches() // a trailing comment",
    "CALL { CALL `db`.`clearQueryCaches`() YIELD value RETURN value } RETURN value",
    "CALL () { CALL `dbms`.`listConfig`() YIELD name RETURN name } RETURN name LIMIT 1",
    "MATCH (n) WITH count(n) AS c CALL { CALL `dbms`.`listConfig`() YIELD name "
    "RETURN name } RETURN c, name",
    "UNWIND [1] AS x CALL `dbms`.`components`() YIELD name RETURN x, name",
]


@pytest.fixture
def reads(driver: Driver, neo4j_settings: Neo4jSettings) -> Reads:
    return Reads(driver, neo4j_settings.database, 5.0)


@pytest.mark.parametrize("query", SMUGGLED)
def test_smuggled_procedures_are_rejected_from_the_plan(reads: Reads, query: str) -> None:
    with pytest.raises(QueryRejected, match=r"procedure not allowed: (dbms|db)"):
        run_read_only(reads, query, {}, 10)


@pytest.mark.parametrize("query", [
    "CALL `\\u0064bms`.listConfig()",
    "CALL \\u0064bms.listConfig()",
    "CALL `dbms.listConfig`()",
])
def test_names_that_resolve_to_no_procedure_never_run(reads: Reads, query: str) -> None:
    # a quoted name with a dot or an escape is one name, which no procedure has: the server
    # refuses to plan it (or the guard rejects it); dbms.listConfig is never reached
    with pytest.raises((QueryRejected, ClientError)):
        run_read_only(reads, query, {}, 10)


@pytest.mark.parametrize("query", [
    "CALL db.labels() YIELD label RETURN label",
    "CALL `db`.`labels`() YIELD label RETURN label",
    "CALL { CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey } RETURN propertyKey",
    "MATCH (n) RETURN count(n) AS c",
])
def test_reads_still_run(reads: Reads, query: str) -> None:
    run_read_only(reads, query, {}, 10)


def test_plan_names_are_those_neo4j_resolved(driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    with driver.session(database=neo4j_settings.database) as session:
        plan = session.run("EXPLAIN CALL `db` . `labels`() YIELD label RETURN label").consume().plan
    assert list(plan_procedures(plan)) == ["db.labels"]


def test_allow_list_is_read_mode_on_the_server(driver: Driver,
                                               neo4j_settings: Neo4jSettings) -> None:
    with driver.session(database=neo4j_settings.database) as session:
        modes = {r["name"].lower(): r["mode"]
                 for r in session.run("SHOW PROCEDURES YIELD name, mode")}
    assert {name: modes.get(name) for name in READ_PROCEDURES} == dict.fromkeys(
        READ_PROCEDURES, "READ")


def test_the_admin_endpoint_refuses_a_quoted_procedure(api_client: object,
                                                      admin_key: str) -> None:
    res = api_client.post(  # type: ignore[attr-defined]
        "/v1/admin/cypher", json={"query": "CALL `dbms`.`listConfig`()", "params": {}},
        headers={"Authorization": f"Bearer {admin_key}"})
    assert res.status_code == 400, res.text
    assert "procedure not allowed" in res.json()["detail"]
