"""Body-limit benchmark: an unauthenticated 1 GiB chunked POST to /v1/rules.

Serves the API with uvicorn in a child process (no graph needed: the request never gets past
the missing key), streams `--mib` MiB of chunks until the server answers, and reports the
time to the answer, how much had been sent by then, and the server's resident memory (VmRSS,
VmHWM = peak) before and after. `--without-guard` removes the BodyGuard middleware to show
the behaviour it replaced.

Run: .venv/bin/python bench/body_limit.py [--mib 1024] [--without-guard]
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = """
import sys, uvicorn
from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Neo4jSettings
app = create_app(Neo4jSettings(uri="bolt://127.0.0.1:1"), api_settings=ApiSettings())
if sys.argv[2] == "off":
    app.user_middleware = [m for m in app.user_middleware if m.cls.__name__ != "BodyGuard"]
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def memory(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            key, value = line.split(":")
            out[key] = int(value.split()[0]) // 1024  # MiB
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--without-guard", action="store_true")
    args = parser.parse_args()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port),
                             "off" if args.without_guard else "on"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        before = memory(proc.pid)
        sock.sendall(b"POST /v1/rules HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        piece = b" " * (1024 * 1024)
        frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        start, sent, answered = time.monotonic(), 0, b""
        while sent < args.mib:
            ready, _, _ = select.select([sock], [], [], 0)
            if ready:
                break
            try:
                sock.sendall(frame)
            except OSError:
                break
            sent += 1
        else:
            sock.sendall(b"0\r\n\r\n")
        ready, _, _ = select.select([sock], [], [], 120)
        answered = sock.recv(200) if ready else b""
        elapsed = time.monotonic() - start
        after = memory(proc.pid)
        status = answered.split(b"\r\n", 1)[0].decode(errors="replace") or "(no answer)"
        print(f"guard={'off' if args.without_guard else 'on'} answer={status!r} "
              f"after={elapsed:.2f}s sent={sent} MiB of {args.mib}")
        print(f"server RSS before={before['VmRSS']} MiB after={after['VmRSS']} MiB "
              f"peak={after['VmHWM']} MiB")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
