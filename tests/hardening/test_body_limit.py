"""Issue 10 item 2: credentials are checked before the body is read, and bodies are capped per
route (413 problem+json), also when streamed in chunks. Real uvicorn on loopback, raw sockets:
each test sends only part of a large body and then waits, so an answer proves the server did
not wait for (or read) the rest."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from neo4j import Driver

from api.app import create_app
from api.limits import ROUTE_LIMITS, body_cap
from api.settings import ApiSettings
from graph.embedded import free_port
from graph.settings import Neo4jSettings

pytestmark = [pytest.mark.neo4j, pytest.mark.http]
GIB = 1024**3
RULES_CAP = body_cap("/v1/rules", 0)


@pytest.fixture(scope="module")
def server(driver: Driver, neo4j_settings: Neo4jSettings, admin_key: str) -> Iterator[int]:
    api = ApiSettings(admin_key=admin_key, rate_per_min=0, key_cache_s=0)
    port = free_port()
    config = uvicorn.Config(create_app(neo4j_settings, api_settings=api), host="127.0.0.1",
                            port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield port
    srv.should_exit = True
    thread.join(10)


def send_head(port: int, path: str, headers: dict[str, str]) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}",
             "Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def answer(sock: socket.socket, wait: float = 15.0) -> tuple[int, dict[str, str], dict[str, object]]:
    """The response, which must arrive while the body is still unfinished."""
    ready, _, _ = select.select([sock], [], [], wait)
    assert ready, "no response before the body ended: the server is waiting for the body"
    raw = b""
    while b"\r\n\r\n" not in raw:
        raw += sock.recv(65536)
    head, _, rest = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    length = int(headers["content-length"])
    while len(rest) < length:
        rest += sock.recv(65536)
    sock.close()
    return int(status_line.split()[1]), headers, json.loads(rest[:length])


def test_unauthenticated_gigabyte_gets_401_without_the_body(server: int) -> None:
    sock = send_head(server, "/v1/rules", {"Content-Length": str(GIB)})
    sock.sendall(b"{" + b" " * 16383)
    status, headers, body = answer(sock)
    assert status == 401 and headers["content-type"] == "application/problem+json"
    assert "API key is required" in str(body["detail"])
    assert headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("key", [None, "tw_nosuchkey1_" + "x" * 20, "not-a-key"])
def test_chunked_upload_with_bad_credentials_gets_401_first(server: int, key: str | None) -> None:
    headers = {"Transfer-Encoding": "chunked"}
    if key:
        headers["X-API-Key"] = key
    sock = send_head(server, "/v1/webhooks", headers)
    sock.sendall(chunk(b"x" * 8192))
    status, _, body = answer(sock)
    assert status == 401 and body["status"] == 401


def test_declared_length_over_the_route_cap_is_413_at_once(server: int, admin_key: str) -> None:
    sock = send_head(server, "/v1/rules", {"Content-Length": str(GIB),
                                           "Authorization": f"Bearer {admin_key}"})
    sock.sendall(b"{")
    status, headers, body = answer(sock)
    assert status == 413 and headers["content-type"] == "application/problem+json"
    assert str(RULES_CAP) in str(body["detail"])


def test_streamed_body_is_cut_at_the_route_cap(server: int, admin_key: str) -> None:
    sock = send_head(server, "/v1/rules", {"Transfer-Encoding": "chunked",
                                           "Authorization": f"Bearer {admin_key}"})
    sent = 0
    while sent <= RULES_CAP:  # just past the cap, then stop without the final chunk
        sock.sendall(chunk(b" " * 4096))
        sent += 4096
    status, headers, body = answer(sock)
    assert status == 413 and headers["content-type"] == "application/problem+json"
    assert body["instance"] == "/v1/rules"


def test_unversioned_alias_has_the_same_cap(server: int, admin_key: str) -> None:
    sock = send_head(server, "/rules", {"Content-Length": str(RULES_CAP + 1),
                                        "Authorization": f"Bearer {admin_key}"})
    status, _, _ = answer(sock)
    assert status == 413


def test_a_normal_body_still_works(server: int, admin_key: str) -> None:
    payload = b'{"query": "RETURN 1 AS x", "params": {}}'
    sock = send_head(server, "/v1/admin/cypher", {"Content-Length": str(len(payload)),
                                                  "Authorization": f"Bearer {admin_key}"})
    sock.sendall(payload)
    status, _, body = answer(sock)
    assert status == 200 and body["rows"] == [[1]]


def test_caps_per_route() -> None:
    assert body_cap("/v1/admin/cypher", 1) == body_cap("/admin/cypher", 1) == 64 * 1024
    assert body_cap("/v1/keys", 1) == 4 * 1024
    assert body_cap("/v1/schedules/x/run", 999) == 999
    assert all(lim.max_bytes > 0 for lim in ROUTE_LIMITS)
