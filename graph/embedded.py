"""The embedded Neo4j: build the Maven launcher, start it, wait for its ready line, stop it.

The Java side (graph/neo4j/) starts a `DatabaseManagementService` with Bolt on 127.0.0.1 and
shuts down cleanly on SIGTERM. This module is the Python side: a detached daemon for
`tokenwatch neo4j start|stop|status`, and a context manager for `tokenwatch up` and the tests.

An attached launcher (the context manager) dies with its parent: the parent keeps the write end
of a pipe on the launcher's stdin and the launcher exits at end-of-file, which the kernel
delivers when the parent dies by any means (`kill -9` included). The pid file in the data
directory records `pid port owner`; a launcher still alive after its owner is gone is stale and
is reported, with its pid, by the next start on that directory.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import EmbeddedNeo4jError
from graph.settings import LAUNCHER_PROJECT, Neo4jSettings

READY_MARK = "TOKENWATCH-NEO4J READY"
MAIN_CLASS = "tokenwatch.neo4j.Launcher"
DETACHED = 0  # the owner recorded for `tokenwatch neo4j start`: nobody, it runs on its own

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    uri: str | None
    reachable: bool


def bolt_uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def classpath(project: Path = LAUNCHER_PROJECT) -> str:
    target = project / "target"
    return f"{target / 'classes'}{os.pathsep}{target / 'lib' / '*'}"


def is_built(project: Path = LAUNCHER_PROJECT) -> bool:
    launcher = project / "target" / "classes" / "tokenwatch" / "neo4j" / "Launcher.class"
    lib = project / "target" / "lib"
    return launcher.exists() and lib.is_dir() and any(lib.glob("neo4j-bolt-*.jar"))


def build(settings: Neo4jSettings, project: Path = LAUNCHER_PROJECT) -> None:
    """Resolve Neo4j from Maven Central and compile the launcher (skipped when built)."""
    if is_built(project):
        return
    cmd = [settings.mvn, "-q", "-B", "package", "-DskipTests"]
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise EmbeddedNeo4jError(
            f"building the Neo4j launcher failed ({' '.join(cmd)} in {project}):\n"
            f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )


def java_command(settings: Neo4jSettings, home: Path, port: int,
                 exit_on_eof: bool = False) -> list[str]:
    return [
        settings.java,
        *(["-Dtokenwatch.exitOnStdinEof=true"] if exit_on_eof else []),
        f"-Xmx{settings.heap_mb}m",
        f"-Xms{min(settings.heap_mb, 256)}m",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-cp",
        classpath(),
        MAIN_CLASS,
        str(home),
        str(port),
        str(settings.pagecache_mb),
        str(settings.tx_memory_mb),
    ]


def _pid_file(home: Path) -> Path:
    return home / "tokenwatch-neo4j.pid"


def _log_file(home: Path) -> Path:
    return home / "tokenwatch-neo4j.log"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reachable(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def _wait_ready(proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if READY_MARK in text:
            return
        if proc.poll() is not None:
            raise EmbeddedNeo4jError(
                f"embedded Neo4j exited with code {proc.returncode} before it was ready; "
                f"log {log}:\n{text[-3000:]}"
            )
        time.sleep(0.2)
    proc.terminate()
    raise EmbeddedNeo4jError(f"embedded Neo4j not ready after {timeout:.0f}s; see {log}")


def _is_launcher(pid: int) -> bool:
    """Is `pid` alive and one of our launchers (not a recycled pid)? Where /proc is missing,
    being alive has to do."""
    if not _alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return not Path("/proc/self").exists()
    except OSError:
        return True
    return MAIN_CLASS.encode() in cmdline


def check_stale(home: Path) -> None:
    """EmbeddedNeo4jError when a launcher recorded in `home`'s pid file still runs although the
    process that started it is gone (e.g. one left by an older version after a `kill -9`)."""
    found = _read_pid(home)
    if found is None:
        return
    pid, port, owner = found
    if owner == DETACHED or not _is_launcher(pid) or _alive(owner):
        return
    raise EmbeddedNeo4jError(
        f"a stale embedded Neo4j launcher (pid {pid}, bolt port {port}) still runs on data "
        f"directory {home}; the process that started it (pid {owner}) is gone. Stop it with "
        f"`kill {pid}` (or `tokenwatch neo4j stop`), then start again."
    )


def _spawn(settings: Neo4jSettings, home: Path, port: int, detach: bool) -> subprocess.Popen[bytes]:
    build(settings)
    home.mkdir(parents=True, exist_ok=True)
    check_stale(home)
    found = _read_pid(home)
    if found is not None and _is_launcher(found[0]):
        raise EmbeddedNeo4jError(
            f"an embedded Neo4j launcher (pid {found[0]}, bolt port {found[1]}) already runs on "
            f"data directory {home}"
        )
    if _reachable(port, timeout=0.3):
        raise EmbeddedNeo4jError(
            f"Bolt port {port} on 127.0.0.1 is already in use: stop what holds it "
            "(`tokenwatch neo4j status`) or set TOKENWATCH_NEO4J_PORT"
        )
    log_path = _log_file(home)
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            java_command(settings, home, port, exit_on_eof=not detach),
            stdout=out,
            stderr=subprocess.STDOUT,
            # attached: a pipe only we hold (not inherited: close_fds) — its EOF is our death
            stdin=subprocess.DEVNULL if detach else subprocess.PIPE,
            start_new_session=detach,
        )
    owner = DETACHED if detach else os.getpid()
    _pid_file(home).write_text(f"{proc.pid} {port} {owner}\n")
    try:
        _wait_ready(proc, log_path, settings.start_timeout_s)
    except BaseException:
        _close_stdin(proc)
        raise
    return proc


def _close_stdin(proc: subprocess.Popen[bytes]) -> None:
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.close()


def _terminate(pid: int, timeout: float = 60.0) -> None:
    """SIGTERM lets the launcher's shutdown hook close the store; SIGKILL only as last resort."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            waited, _ = os.waitpid(pid, os.WNOHANG)
            if waited == pid:
                return
        if not _alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    raise EmbeddedNeo4jError(f"embedded Neo4j (pid {pid}) ignored SIGTERM for {timeout:.0f}s")


def _read_pid(home: Path) -> tuple[int, int, int] | None:
    """(launcher pid, bolt port, owner pid or DETACHED); a two-field file (older versions)
    reads as detached."""
    try:
        fields = [int(f) for f in _pid_file(home).read_text().split()]
    except (OSError, ValueError):
        return None
    if len(fields) == 2:
        return fields[0], fields[1], DETACHED
    if len(fields) == 3:
        return fields[0], fields[1], fields[2]
    return None


def status(settings: Neo4jSettings) -> Status:
    if not settings.embedded:
        uri = settings.uri
        return Status(running=True, pid=None, uri=uri, reachable=True)
    home = settings.home.resolve()
    found = _read_pid(home)
    if found is None or not _alive(found[0]):
        return Status(running=False, pid=None, uri=None, reachable=False)
    pid, port, _owner = found
    return Status(running=True, pid=pid, uri=bolt_uri(port), reachable=_reachable(port))


def start_daemon(settings: Neo4jSettings) -> Status:
    """Start a detached embedded Neo4j (`tokenwatch neo4j start`); no-op when running."""
    home = settings.home.resolve()
    check_stale(home)
    current = status(settings)
    if current.running:
        return current
    proc = _spawn(settings, home, settings.port, detach=True)
    return Status(running=True, pid=proc.pid, uri=bolt_uri(settings.port), reachable=True)


def stop_daemon(settings: Neo4jSettings) -> bool:
    """Stop the detached embedded Neo4j; returns False when none was running."""
    home = settings.home.resolve()
    found = _read_pid(home)
    if found is None or not _alive(found[0]):
        _pid_file(home).unlink(missing_ok=True)
        return False
    _terminate(found[0])
    _pid_file(home).unlink(missing_ok=True)
    return True


@contextlib.contextmanager
def embedded_neo4j(settings: Neo4jSettings, port: int | None = None) -> Iterator[str]:
    """Run an embedded Neo4j for the duration of the block; yields its bolt URI."""
    home = settings.home.resolve()
    chosen = settings.port if port is None else port
    proc = _spawn(settings, home, chosen, detach=False)
    try:
        yield bolt_uri(chosen)
    finally:
        _terminate(proc.pid)
        _close_stdin(proc)
        _pid_file(home).unlink(missing_ok=True)
        log.info("embedded Neo4j (pid %d) stopped", proc.pid)


class NotRunning(EmbeddedNeo4jError):
    """A command that only talks to a running database found none."""


@contextlib.contextmanager
def neo4j_server(settings: Neo4jSettings, start: bool = True) -> Iterator[str]:
    """The URI to use: `NEO4J_URI` when set (nothing launched), else an embedded Neo4j; when
    a detached one (`tokenwatch neo4j start`, or the one `tokenwatch up` runs) already runs
    on this home, reuse it. With `start=False` nothing is launched: NotRunning instead."""
    if settings.uri:
        yield settings.uri
        return
    check_stale(settings.home.resolve())
    current = status(settings)
    if current.running and current.uri:
        yield current.uri
        return
    if not start:
        raise NotRunning(
            f"no Neo4j is running on {settings.home} (and NEO4J_URI is unset): start the "
            "service (`tokenwatch up`) or the database (`tokenwatch neo4j start`), or set "
            "NEO4J_URI"
        )
    with embedded_neo4j(settings) as uri:
        yield uri
