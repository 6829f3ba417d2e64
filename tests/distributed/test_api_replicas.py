"""Two API replicas (`tokenwatch up --role api`, each its own uvicorn process on its own
loopback port) against one Neo4j and one Redis: a client's rate limit is one budget across
both, and a key revoked through one replica is refused by the other at once, although each
trusts a verified key for a minute (TOKENWATCH_API_KEY_CACHE_S=60)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from neo4j import Driver

from api.auth import issue_key
from graph.access import Graph
from graph.embedded import free_port
from graph.settings import Neo4jSettings
from tests.distributed.roles import role_env, start_role, stop, wait_http

pytestmark = [pytest.mark.neo4j, pytest.mark.http, pytest.mark.slow]

BURST = 6  # requests a key may make at once; refilled at 1 a minute (not within the test)


@pytest.fixture(scope="module")
def replicas(driver: Driver, neo4j_settings: Neo4jSettings, redis_url: str,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Both replicas, started together and shared by the module's tests (each test uses keys
    of its own, so their buckets and cache entries are apart)."""
    env = role_env(neo4j_settings, redis_url, TOKENWATCH_API_RATE_PER_MIN="1",
                   TOKENWATCH_API_RATE_BURST=str(BURST), TOKENWATCH_API_KEY_CACHE_S="60")
    logs = tmp_path_factory.mktemp("api-replicas")
    ports = [free_port(), free_port()]
    procs = [start_role("api", env, logs / f"api-{p}.log", "--port", str(p)) for p in ports]
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url, proc, port in zip(urls, procs, ports, strict=True):
            wait_http(f"{url}/health", proc, logs / f"api-{port}.log")
        yield urls
    finally:
        for proc in procs:
            stop(proc)


def _key(driver: Driver, neo4j: Neo4jSettings, role: str = "reader") -> str:
    key, _ = issue_key(Graph(driver, neo4j.database), role, "tester", "replica test")  # type: ignore[arg-type]
    return key


def _get(url: str, key: str) -> int:
    resp = httpx.get(f"{url}/v1/sources", headers={"Authorization": f"Bearer {key}"}, timeout=10)
    return resp.status_code


def test_one_rate_limit_across_replicas(replicas: list[str], driver: Driver,
                                        neo4j_settings: Neo4jSettings) -> None:
    key = _key(driver, neo4j_settings)
    codes = [_get(replicas[i % 2], key) for i in range(BURST + 4)]
    # each replica alone would have allowed BURST: together they allow BURST, not 2 × BURST
    assert codes == [200] * BURST + [429] * 4
    other = _key(driver, neo4j_settings)  # the limit is per key: another key is untouched
    assert _get(replicas[1], other) == 200


def test_revoked_on_one_replica_refused_by_the_other(
        replicas: list[str], driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    key = _key(driver, neo4j_settings)
    admin = _key(driver, neo4j_settings, role="operator")
    assert [_get(url, key) for url in replicas] == [200, 200]  # verified and cached by both
    key_id = key.split("_")[1]
    resp = httpx.delete(f"{replicas[0]}/v1/keys/{key_id}",
                        headers={"Authorization": f"Bearer {admin}"}, timeout=10)
    assert resp.status_code == 200, resp.text
    assert _get(replicas[1], key) == 401
    assert _get(replicas[0], key) == 401
