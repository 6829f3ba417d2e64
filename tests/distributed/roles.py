"""Helpers that run role processes (`tokenwatch up --role …`) against the session's Neo4j and
the test's Redis, and stop them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graph.settings import Neo4jSettings

ROOT = Path(__file__).resolve().parents[2]


def role_env(neo4j_settings: Neo4jSettings, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a role process: the session's Neo4j and the test's Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKENWATCH_", "NEO4J_"))}
    env.update({"NEO4J_URI": str(neo4j_settings.uri), "TOKENWATCH_REDIS_URL": redis_url,
                "PYTHONUNBUFFERED": "1"})
    if neo4j_settings.database:
        env["NEO4J_DATABASE"] = neo4j_settings.database
    env.update(extra)
    return env


def start_role(role: str, env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """`tokenwatch up --role ROLE` as its own process (its output in `log`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tokenwatch", "up", "--role", role, *args], cwd=ROOT, env=env,
        stdout=log.open("wb"), stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, tries: int = 600) -> None:
    """Until `url` answers 200 (bounded: `tries` × 0.1 s), or the process died."""
    import time

    import httpx

    for _ in range(tries):
        if proc.poll() is not None:
            raise RuntimeError(f"role process exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()[-3000:]}")
