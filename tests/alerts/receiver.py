"""A real webhook receiver on loopback (threaded http.server) for delivery tests.

It verifies every request with the `standardwebhooks` package and processes each
`webhook-id` once, like a well-behaved consumer. Behaviour is scripted per request with
`respond` (a queue of Reply) and can be taken down and brought back on the same port.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    body: bytes = b""  # e.g. a bot's verdict: b'{"errcode":310000,"errmsg":"…"}'


@dataclass
class Received:
    webhook_id: str
    timestamp: str
    signature: str
    body: bytes
    headers: dict[str, str]
    verified: bool
    at: float
    path: str = "/"  # with the query string (DingTalk's timestamp and sign go there)


class Receiver:
    def __init__(self, secrets: list[str] | None = None, port: int = 0) -> None:
        self.secrets = list(secrets or [])
        self.requests: list[Received] = []
        self.processed: dict[str, Any] = {}  # webhook-id -> parsed body, once
        self.script: list[Reply] = []
        self.default = Reply()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = port
        self.start()

    # --- control ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        handler = self._handler()
        server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def respond(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(self):
                    return True
            time.sleep(0.01)
        return False

    def ids(self) -> Counter[str]:
        with self._lock:
            return Counter(r.webhook_id for r in self.requests)

    # --- the handler --------------------------------------------------------------------

    def _verify(self, body: bytes, headers: dict[str, str]) -> bool:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers, json_parse=False)
                return True
            except WebhookVerificationError:
                continue
        return False

    def _handle(self, body: bytes, headers: dict[str, str], path: str = "/") -> Reply:
        with self._lock:
            reply = self.script.pop(0) if self.script else self.default
        if reply.delay_s:
            time.sleep(reply.delay_s)
        rec = Received(webhook_id=headers.get("webhook-id", ""),
                       timestamp=headers.get("webhook-timestamp", ""),
                       signature=headers.get("webhook-signature", ""), body=body,
                       headers=headers, verified=self._verify(body, headers), at=time.monotonic(),
                       path=path)
        with self._lock:
            self.requests.append(rec)
            if 200 <= reply.status < 300 and rec.verified and rec.webhook_id not in self.processed:
                self.processed[rec.webhook_id] = json.loads(body)
        return reply

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = receiver._handle(body, headers, self.path)
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        return Handler


class Canary:
    """A loopback socket that counts every connection made to it (and answers nothing)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(1)
        self.sock.close()


class Silent:
    """Accepts TCP connections (kernel backlog) but never reads or answers."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def close(self) -> None:
        self.sock.close()
