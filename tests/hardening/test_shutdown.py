"""Issue 10 item 1: SIGTERM runs the whole shutdown; the embedded Neo4j never outlives its
parent; a stale launcher on the data directory is reported with its pid.

Real processes throughout: `python -m tokenwatch up|crawl` with its own embedded Neo4j in a
temp directory, signalled from here."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph import embedded
from graph.embedded import free_port
from graph.errors import EmbeddedNeo4jError
from graph.settings import Neo4jSettings

pytestmark = [pytest.mark.slow, pytest.mark.neo4j]


def gone(pid: int) -> bool:
    """Dead, or a zombie nobody reaped yet (no code runs in it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return any(line.startswith("State:") and "Z" in line for line in status.splitlines())


def wait_for(check: object, what: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def env_for(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "TOKENWATCH_"))}
    sources = tmp / "sources.yaml"
    sources.write_text("sources: []\n", encoding="utf-8")
    env.update({
        "TOKENWATCH_NEO4J_HOME": str(tmp / "neo4j"),
        "TOKENWATCH_NEO4J_PORT": str(free_port()),
        "TOKENWATCH_NEO4J_HEAP_MB": "512",
        "TOKENWATCH_NEO4J_PAGECACHE_MB": "64",
        "TOKENWATCH_NEO4J_START_TIMEOUT": "400",  # a loaded 2-core machine is slow to start it
        "TOKENWATCH_DATA_DIR": str(tmp / "var"),
        "TOKENWATCH_SOURCES_FILE": str(sources),
        "TOKENWATCH_LOG_LEVEL": "INFO",
    })
    return env


def launcher_pid(tmp: Path) -> int | None:
    pid_file = tmp / "neo4j" / "tokenwatch-neo4j.pid"
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    """`tokenwatch up` with its own Neo4j and scheduler, ready to serve."""
    port = free_port()
    log = (tmp_path / "up.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "tokenwatch", "up", "--port", str(port)],
                            env=env_for(tmp_path), stdout=log, stderr=subprocess.STDOUT)

    def healthy() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"tokenwatch up exited: {(tmp_path / 'up.log').read_text()}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, "the API", timeout=480)
        yield proc, port, tmp_path
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        pid = launcher_pid(tmp_path)
        if pid is not None and not gone(pid):
            os.kill(pid, signal.SIGKILL)
        log.close()


def lease(tmp: Path) -> tuple[str | None, float]:
    with sqlite3.connect(tmp / "var" / "scheduler.sqlite") as conn:
        row = conn.execute("SELECT holder, expires_at FROM tokenwatch_scheduler_lease").fetchone()
    return row[0], float(row[1])


def test_sigterm_stops_worker_scheduler_and_neo4j(
    service: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    proc, _port, tmp = service
    java = launcher_pid(tmp)
    assert java is not None and not gone(java)
    holder, expires = lease(tmp)
    assert holder and expires > time.time()  # leading

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=120) == 0
    out = (tmp / "up.log").read_text()
    assert "delivery worker stopped" in out
    assert "scheduler stopped" in out
    assert f"embedded Neo4j (pid {java}) stopped" in out
    assert gone(java), "the embedded Neo4j outlived `tokenwatch up`"
    assert lease(tmp)[1] < time.time(), "the scheduler lease was not released"
    assert not (tmp / "neo4j" / "tokenwatch-neo4j.pid").exists()


def test_kill_9_of_up_takes_the_launcher_with_it(
    service: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    proc, _port, tmp = service
    java = launcher_pid(tmp)
    assert java is not None and not gone(java)
    proc.kill()
    proc.wait()
    wait_for(lambda: gone(java), "the orphaned launcher to exit", timeout=90)


def test_kill_9_of_crawl_while_its_neo4j_starts(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "tokenwatch", "crawl", "--quiet"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: launcher_pid(tmp_path) is not None, "the launcher to start", 400)
        java = launcher_pid(tmp_path)
        assert java is not None
    finally:
        proc.kill()
        proc.wait()
    wait_for(lambda: gone(java), "the orphaned launcher to exit", timeout=90)


def test_a_stale_launcher_is_reported_with_its_pid(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    home.mkdir()
    # a launcher left behind (e.g. by an older version): alive, its owner long gone
    stale = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)",
                              embedded.MAIN_CLASS, str(home)])
    owner = subprocess.Popen(["true"])
    owner.wait()
    (home / "tokenwatch-neo4j.pid").write_text(f"{stale.pid} 7999 {owner.pid}\n")
    settings = Neo4jSettings().model_copy(update={"home": home, "port": free_port(), "uri": None})
    try:
        with (pytest.raises(EmbeddedNeo4jError, match=f"stale .*pid {stale.pid}"),
              embedded.neo4j_server(settings)):
            pass
        cli = subprocess.run([sys.executable, "-m", "tokenwatch", "neo4j", "start"],
                             env=env_for(tmp_path) | {"TOKENWATCH_NEO4J_HOME": str(home)},
                             capture_output=True, text=True, timeout=120, check=False)
        assert cli.returncode != 0 and f"pid {stale.pid}" in cli.stderr
    finally:
        stale.kill()
        stale.wait()
