"""The read-only Cypher guard (pure) and the Lucene query builder (pure)."""

from __future__ import annotations

import pytest

from graph.errors import QueryRejected
from graph.fulltext import lucene_query
from graph.readonly import check_read_only


@pytest.mark.parametrize("query", [
    "MATCH (n) RETURN n LIMIT 5",
    "MATCH (n) WHERE n.name = 'CREATE (x)' RETURN n",
    'RETURN "DETACH DELETE" AS s',
    "MATCH (n) // SET n.x = 1\nRETURN n",
    "MATCH (n) /* MERGE (m) */ RETURN n.set, n.`delete` AS `DROP`",
    "CALL db.labels() YIELD label RETURN label",
    "CALL () { MATCH (n) RETURN count(n) AS c } RETURN c",
    "CALL db.index.fulltext.queryNodes('article_fulltext', 'x') YIELD node RETURN node",
])
def test_reads_pass(query: str) -> None:
    check_read_only(query)


@pytest.mark.parametrize("query", [
    "CREATE (n:X)",
    "MATCH (n) DETACH DELETE n",
    "match (n) set n.x = 1",
    "MATCH (n) REMOVE n.x",
    "MERGE (n:X {id: 1})",
    "DROP INDEX article_fulltext",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "MATCH (n) CALL (n) { RETURN 1 AS x } IN TRANSACTIONS RETURN x",
    "CALL dbms.listConfig()",
    "CALL dbms.security.createUser('x', 'y')",
    "CALL db.createLabel('X')",
    "CALL apoc.do.when(true, 'CREATE (n)', '')",
    "USE system SHOW USERS",
    "MATCH (n) FOREACH (x IN [1] | SET n.x = x)",
    "RETURN 'a' /**/CREATE (n)",
    "",
    "// only a comment",
])
def test_writes_and_admin_are_rejected(query: str) -> None:
    with pytest.raises(QueryRejected):
        check_read_only(query)


def test_lucene_query_drops_syntax() -> None:
    assert lucene_query("阿里云 price") == '"阿里云" OR (price OR price*)'
    assert lucene_query('*?~"\\:()[]{}^!') is None
    assert lucene_query("a AND b", all_terms=True) == "a AND (and OR and*) AND b"
    assert lucene_query("x" * 50 + " y")
