"""Fixtures for the scaled-out roles: a real redis-server on a free loopback port in a temp
dir (Debian's `redis-server`, which `make test` installs when missing), and helpers that run
role processes (`tokenwatch up --role …`) against the session's Neo4j.

The server runs with no persistence and no other listener: it is the test's own, and it is
stopped at the end of the session. Tests skip, saying why, only when no server binary exists.
Role processes are started with the helpers in tests/distributed/roles.py.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from graph.embedded import free_port


def _binary() -> str | None:
    return shutil.which("redis-server") or shutil.which("valkey-server")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`redis://127.0.0.1:<port>/0` of a fresh redis-server, stopped after the session."""
    binary = _binary()
    if binary is None:
        pytest.skip("no redis-server (or valkey-server) binary: `make test` installs Debian's "
                    "redis-server as root; install it to run the distributed tests")
    import redis

    workdir = tmp_path_factory.mktemp("redis")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=(workdir / "redis.log").open("wb"), stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(200):  # bounded: 10 s at most
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None:
                    raise RuntimeError((workdir / "redis.log").read_text()) from None
                time.sleep(0.05)
        else:
            raise RuntimeError(f"redis-server did not answer on port {port}")
        yield url
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[object]:
    """A client on the test server, its database flushed before the test."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()
